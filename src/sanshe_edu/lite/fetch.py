"""What the browser edition's build downloads, and the cache it keeps it in.

The Pyodide runtime is the npm package ``pyodide`` at the version the kernel expects (fetched
with ``npm pack``); every Python package is a pure-Python wheel fetched from PyPI with
``pip download``, pinned to the versions of Pyodide's lock (the kernel's packages) or of this
environment (the course's). Downloads are cached (``--cache``, default
``~/.cache/sanshe-edu/lite``, or ``SANSHE_EDU_LITE_CACHE``), so a second build needs no network.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from importlib import metadata
from pathlib import Path

from ..errors import SansheError

#: The Pyodide the kernel (jupyterlite-pyodide-kernel 0.8.6) is built for.
PYODIDE_VERSION = "314.0.6"
PYODIDE_PYTHON = "3.14"
KERNEL_VERSION = "0.8.6"

#: Pure-Python packages the kernel itself imports at start-up, at the versions of Pyodide's lock.
KERNEL_PACKAGES = [
    "micropip",
    "packaging",
    "ipython",
    "asttokens",
    "decorator",
    "executing",
    "matplotlib-inline",
    "prompt-toolkit",
    "pure-eval",
    "pygments",
    "six",
    "stack-data",
    "traitlets",
    "wcwidth",
    "jedi",
    "parso",
]
#: Of those, the ones the site carries (in its lock, for ``%pip install`` and ``IPython.embed``)
#: but does not load at each kernel start: the kernel never imports them at start (jedi only for
#: Tab completion, which IPython's own completer does without it; prompt_toolkit only for a
#: terminal shell), and unpacking them took a fifth of a second at every start and 2.1 MB of a
#: first visit.
ON_DEMAND = ("jedi", "parso", "prompt-toolkit")
#: What the lessons import (beyond the kernel's): distribution name → import names.
COURSE_PACKAGES = {
    "comm": ["comm"],
    "ipywidgets": ["ipywidgets"],
    "networkx": ["networkx"],
    "drawsvg": ["drawsvg"],
    "pyyaml": ["yaml"],
    "fsrs": ["fsrs"],  # the spaced review's scheduler (quiz.review)
    "typing-extensions": ["typing_extensions"],  # what fsrs imports
}
#: Front-end (JupyterLab) extensions the site carries, as wheels from PyPI.
#: (Lesson 05's interactive network is the course's own SVG and ipywidgets' buttons: no
#: ipysigma, whose front end did not draw in the browser edition.)
FRONT_ENDS = ["jupyterlite-pyodide-kernel", "jupyterlab-widgets"]

#: The files of the npm package the site's runtime is made of.
PYODIDE_FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide.js",
    "package.json",
)


def default_cache() -> Path:
    env = os.environ.get("SANSHE_EDU_LITE_CACHE")
    if env:
        return Path(env)
    return Path.home() / ".cache" / "sanshe-edu" / "lite"


def run_step(cmd: list[str], what: str, **kwargs) -> None:
    """Run one tool of the build; a missing tool or a failure stops it with a clear message."""
    try:
        subprocess.run(cmd, check=True, capture_output=True, text=True, **kwargs)
    except FileNotFoundError as exc:
        raise SansheError("lite.tool_missing", tool=cmd[0]) from exc
    except subprocess.CalledProcessError as exc:
        detail = (exc.stderr or exc.stdout or "").strip().splitlines()[-1:] or [""]
        raise SansheError("lite.step_failed", step=what, detail=detail[0]) from exc


def fetch_pyodide(cache: Path) -> Path:
    """``pyodide-<version>.tgz`` from npm (``npm pack``), once per cache."""
    tgz = cache / f"pyodide-{PYODIDE_VERSION}.tgz"
    if not tgz.exists():
        cache.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=cache))
        try:
            npm = shutil.which("npm") or "npm"  # npm.cmd on Windows
            run_step([npm, "pack", f"pyodide@{PYODIDE_VERSION}", "--silent"], "npm pack", cwd=tmp)
            (tmp / tgz.name).replace(tgz)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return tgz


def _pip_download(specs: list[str], dest: Path, python: str | None) -> None:
    missing = [s for s in specs if not find_wheel(dest, s)]
    if not missing:
        return
    dest.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", str(dest)]
    if python:
        cmd += ["--only-binary=:all:", "--python-version", python]
    run_step(cmd + missing, "pip download")


def norm(name: str) -> str:
    """A distribution's name as wheel file names spell it.

    >>> norm("Matplotlib-Inline")
    'matplotlib_inline'
    """
    return name.lower().replace("-", "_").replace(".", "_")


def find_wheel(folder: Path, spec: str) -> Path | None:
    """The wheel in ``folder`` of ``spec`` (``name`` or ``name==version``), or None."""
    name, _, version = spec.partition("==")
    if not folder.is_dir():
        return None
    for path in sorted(folder.glob("*.whl")):
        dist, ver = path.name.split("-")[:2]
        if norm(dist) == norm(name) and (not version or ver == version):
            return path
    return None


def installed_version(dist: str) -> str:
    """The version of ``dist`` in this environment (the course's packages are pinned to it)."""
    return metadata.version(dist)


def _locked_or_installed(pinned: dict, dist: str) -> str:
    """The version of Pyodide's lock when it has ``dist``, else this environment's."""
    return pinned.get(dist, {}).get("version") or installed_version(dist)


def fetch_all(cache: Path) -> dict:
    """Download (once per cache) everything a build needs: Pyodide from npm, wheels from PyPI."""
    tgz = fetch_pyodide(cache)
    with tarfile.open(tgz) as tf:
        lock = json.load(tf.extractfile("package/pyodide-lock.json"))
    pinned = lock["packages"]
    kernel_specs = [f"{n}=={pinned[n]['version']}" for n in KERNEL_PACKAGES]
    course_specs = [
        "networkx==" + pinned["networkx"]["version"],
        "pyyaml==" + pinned["pyyaml"]["version"],
        *(f"{d}=={installed_version(d)}" for d in ("comm", "ipywidgets", "drawsvg")),
        f"fsrs=={installed_version('fsrs')}",
        "typing-extensions==" + _locked_or_installed(pinned, "typing-extensions"),
    ]
    _pip_download(kernel_specs + course_specs, cache / "wheels", PYODIDE_PYTHON)
    front_specs = [f"jupyterlite-pyodide-kernel=={KERNEL_VERSION}"] + [
        f"{d}=={installed_version(d)}" for d in FRONT_ENDS[1:]
    ]
    _pip_download(front_specs, cache / "extensions", None)
    return {
        "pyodide": tgz,
        "lock": lock,
        "kernel": kernel_specs,
        "course": course_specs,
        "front": front_specs,
    }


__all__ = [
    "COURSE_PACKAGES",
    "FRONT_ENDS",
    "KERNEL_PACKAGES",
    "KERNEL_VERSION",
    "ON_DEMAND",
    "PYODIDE_FILES",
    "PYODIDE_PYTHON",
    "PYODIDE_VERSION",
    "default_cache",
    "fetch_all",
    "fetch_pyodide",
    "find_wheel",
    "installed_version",
    "norm",
    "run_step",
]
