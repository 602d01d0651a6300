"""Byte-compile every ``.py`` under ``/src``, inside the site's Pyodide (run by ``compile.mjs``).

One sub-folder of ``/src`` per wheel, compiled in hash-based ``.pyc`` files that Python uses
without checking any source (a wheel's files never change once installed). A sub-folder named
``<n>-src`` keeps its sources (``__pycache__/*.cpython-<ver>.pyc`` beside each ``.py``); any
other gets ``module.pyc`` in place of ``module.py``, as Pyodide's own packages are. The
sub-folder ``stdlib`` is the standard library, compiled for its place in ``python_stdlib.zip``.
Nothing happens on import: only when run as the main script.
"""

import compileall
import os
import py_compile
import site
import sys
import warnings


def main(root: str = "/src") -> None:
    warnings.simplefilter("ignore")
    mode = py_compile.PycInvalidationMode.UNCHECKED_HASH
    for one in sorted(os.listdir(root)):
        legacy = not one.endswith("-src")
        dest = site.getsitepackages()[0]
        if one == "stdlib":
            dest = next(p for p in sys.path if p.endswith(".zip"))
        if not compileall.compile_dir(
            f"{root}/{one}", ddir=dest, quiet=2, legacy=legacy, invalidation_mode=mode
        ):
            sys.exit(f"cannot compile {one}")


if __name__ == "__main__":
    main()
