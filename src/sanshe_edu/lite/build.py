"""Build the self-contained JupyterLite site of the course (``sanshe-edu lite build``).

Everything the browser loads is in the site: JupyterLab (jupyterlite-core), the Pyodide kernel
and its runtime (the npm package ``pyodide`` at the version the kernel expects, fetched with
``npm pack`` and put in ``static/runtime/<digest>/``), and every Python package as a
pure-Python wheel fetched from PyPI with ``pip download`` and listed in a trimmed
``pyodide-lock.json`` beside it so the kernel loads them at start-up (no CDN, no PyPI from
the browser: ``disablePyPIFallback``).
The kernel's own wheels (piplite, the ipykernel shim, pyodide-kernel) are start-up packages too,
so nothing is installed with micropip when a kernel starts. Every wheel is byte-compiled at
build time by the site's own Pyodide run under Node.js (``.pyc`` for Python 3.14; the course's
package keeps its sources beside them) and loses its tests and front-end files: the browser
then neither compiles a module nor unpacks what it never uses at each kernel start. The
standard library (``python_stdlib.zip``, sources only in the npm package) is compiled the same
way and goes to the site as ``.pyc`` alone (a third fewer bytes to download).
numpy and matplotlib have no offline WebAssembly build, so the course needs neither. PyYAML
is repacked without its C extension (its pure-Python code is complete).

Downloads are cached (``--cache``, default ``~/.cache/sanshe-edu/lite``), so a second build
needs no network at all. The lessons and the glossary are copied without outputs; graded
sources and solutions (``exercises/``, ``grading/``) are never part of the site.

One module per job, this one the command line over them:

- :mod:`~sanshe_edu.lite.fetch`: what is downloaded (npm, pip) and the cache;
- :mod:`~sanshe_edu.lite.wheels`: wheels read, written, repacked and patched (``patches/``);
- :mod:`~sanshe_edu.lite.compile`: byte-compiling with the site's Pyodide under Node.js
  (``compile.mjs``, ``compile_in_pyodide.py``);
- :mod:`~sanshe_edu.lite.site`: the site itself (:func:`build_site`, ``jupyter-lite.json``,
  the lessons).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from .compile import compile_stdlib, compile_wheels
from .fetch import (
    PYODIDE_PYTHON,
    PYODIDE_VERSION,
    default_cache,
    fetch_all,
    fetch_pyodide,
)
from .runtime import BROWSER_DATA_DIR
from .site import build_site, kernel_settings, runtime_dir, site_files, site_names
from .wheels import (
    course_wheel,
    folder_last,
    kernel_shims,
    lazy_ipython,
    lazy_piplite,
    pure_pyyaml,
    slim_pygments,
)


def main(argv: list[str] | None = None) -> int:
    """``python -m sanshe_edu.lite.build --fetch-only``: fill the cache (``scripts/test.sh``)."""
    parser = argparse.ArgumentParser(prog="python -m sanshe_edu.lite.build")
    parser.add_argument("--fetch-only", action="store_true")
    parser.add_argument("--cache", default=None)
    parser.add_argument("out", nargs="?", default="sanshe-edu-lite")
    args = parser.parse_args(argv)
    cache = Path(args.cache) if args.cache else default_cache()
    if args.fetch_only:
        fetch_all(cache)
    else:
        build_site(Path(args.out), cache=cache)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

__all__ = [
    "BROWSER_DATA_DIR",
    "PYODIDE_PYTHON",
    "PYODIDE_VERSION",
    "build_site",
    "compile_stdlib",
    "compile_wheels",
    "course_wheel",
    "default_cache",
    "fetch_all",
    "fetch_pyodide",
    "folder_last",
    "kernel_settings",
    "kernel_shims",
    "lazy_ipython",
    "lazy_piplite",
    "main",
    "pure_pyyaml",
    "runtime_dir",
    "site_files",
    "site_names",
    "slim_pygments",
]
