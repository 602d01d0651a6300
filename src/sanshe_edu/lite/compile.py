"""Byte-compile the site's wheels and standard library with the site's own Pyodide (Node.js).

Every wheel is byte-compiled at build time by the site's Pyodide run under Node.js (``.pyc``
for Python 3.14; the course's package keeps its sources beside them) and loses what the kernel
never uses (:func:`~sanshe_edu.lite.wheels.left_out`): the browser then neither compiles a
module nor unpacks what it never uses at each kernel start. The standard library
(``python_stdlib.zip``, sources only in the npm package) gets its ``.pyc`` beside each ``.py``
the same way. Node.js runs ``compile.mjs``, which runs ``compile_in_pyodide.py`` in Pyodide
(both files beside this module). Results are cached.
"""

from __future__ import annotations

import hashlib
import inspect
import shutil
import tarfile
import tempfile
import zipfile
from pathlib import Path

from .fetch import PYODIDE_FILES, PYODIDE_VERSION, installed_version, run_step
from .wheels import dist_info, left_out, sha256, write_wheel

_HERE = Path(__file__).resolve().parent
#: The Node.js script, and the Python it runs in Pyodide (it reads it from beside itself).
COMPILE_SCRIPT = _HERE / "compile.mjs"
PYODIDE_SCRIPT = _HERE / "compile_in_pyodide.py"


def _packing() -> str:
    """A digest of how wheels are compiled and trimmed: a cached wheel of other rules is stale."""
    scripts = COMPILE_SCRIPT.read_text(encoding="utf-8") + PYODIDE_SCRIPT.read_text(
        encoding="utf-8"
    )
    try:
        rules = inspect.getsource(left_out) + scripts
    except OSError:  # no sources (an install of .pyc only): the package's version stands in
        rules = installed_version("sanshe-edu") + scripts
    return hashlib.sha256(rules.encode()).hexdigest()[:8]


def _byte_compile(runtime: Path, src: Path) -> None:
    """Every ``.py`` under ``src`` (one sub-folder per wheel) compiled by the Pyodide in
    ``runtime`` (see ``compile_in_pyodide.py``)."""
    node = shutil.which("node") or "node"
    run_step([node, str(COMPILE_SCRIPT), str(runtime), str(src)], "byte-compile")


def compile_wheels(
    wheels: list[Path], tgz: Path, cache: Path, keep_sources: tuple[Path, ...] = ()
) -> dict[Path, Path]:
    """Each wheel without what the kernel never uses and with its modules byte-compiled by the
    Pyodide of the site, so the browser neither compiles them at every kernel start nor unpacks
    their sources (kept for ``keep_sources``: the course's own package, whose tracebacks a
    learner reads): source wheel → compiled wheel (same name), cached by the source's checksum.
    """
    store = cache / f"compiled-{PYODIDE_VERSION}"
    result, todo = {}, []
    for wheel in wheels:
        kind = "src" if wheel in keep_sources else "pyc"
        out = store / f"{sha256(wheel)[:16]}-{kind}-{_packing()}" / wheel.name
        result[wheel] = out
        if not out.exists():
            todo.append(wheel)
    if not todo:
        return result
    work = Path(tempfile.mkdtemp(prefix="sanshe-pyc-"))
    try:
        runtime = unpack_runtime(tgz, work)
        src = work / "src"
        members, folders = {}, {}
        for i, wheel in enumerate(todo):
            folders[wheel] = src / (f"{i}-src" if wheel in keep_sources else str(i))
            with zipfile.ZipFile(wheel) as zf:
                members[wheel] = {
                    n: zf.read(n)
                    for n in zf.namelist()
                    if not n.endswith("/") and not left_out(n) and not n.endswith("/RECORD")
                }
            for name, data in members[wheel].items():
                if name.endswith(".py"):
                    target = folders[wheel] / name
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(data)
        _byte_compile(runtime, src)
        for wheel in todo:
            files = dict(members[wheel])
            folder = folders[wheel]
            if wheel not in keep_sources:
                files = {n: d for n, d in files.items() if not n.endswith(".py")}
            for pyc in sorted(folder.rglob("*.pyc")):
                files[pyc.relative_to(folder).as_posix()] = pyc.read_bytes()
            out = result[wheel]
            out.parent.mkdir(parents=True, exist_ok=True)
            tmp = out.with_suffix(".part")
            write_wheel(tmp, files, dist_info(files))
            tmp.replace(out)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return result


def unpack_runtime(tgz: Path, work: Path) -> Path:
    """The Pyodide runtime files of the npm package, in ``work/runtime`` (for compiling)."""
    runtime = work / "runtime"
    runtime.mkdir()
    with tarfile.open(tgz) as tf:
        for name in (*PYODIDE_FILES, "pyodide-lock.json"):
            (runtime / name).write_bytes(tf.extractfile(f"package/{name}").read())
    return runtime


def compile_stdlib(tgz: Path, cache: Path) -> Path:
    """Pyodide's ``python_stdlib.zip`` (sources only in the npm package, so every kernel start
    compiles each standard module it imports) with a ``module.pyc`` beside each ``module.py``,
    compiled by that Pyodide; ``zipimport`` takes the ``.pyc``, tracebacks still show the
    source. Cached."""
    out = cache / f"compiled-{PYODIDE_VERSION}" / "python_stdlib.zip"
    if out.exists():
        return out
    work = Path(tempfile.mkdtemp(prefix="sanshe-pyc-"))
    try:
        runtime = unpack_runtime(tgz, work)
        folder = work / "src" / "stdlib"
        with zipfile.ZipFile(runtime / "python_stdlib.zip") as zf:
            folders = [i.filename for i in zf.infolist() if i.is_dir()]
            infos = [i for i in zf.infolist() if not i.is_dir()]
            files = {i.filename: zf.read(i) for i in infos}
            # as the original stores them (a .pyc as its .py)
            packing = {i.filename: i.compress_type for i in infos}
        for name, data in files.items():
            if name.endswith(".py"):
                (folder / name).parent.mkdir(parents=True, exist_ok=True)
                (folder / name).write_bytes(data)
        _byte_compile(runtime, work / "src")
        for pyc in folder.rglob("*.pyc"):
            name = pyc.relative_to(folder).as_posix()
            files[name] = pyc.read_bytes()
            packing[name] = packing[name[:-1]]
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_suffix(".part")
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
            for name in folders:
                zf.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), b"")
            for name in sorted(files):
                info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
                info.compress_type = packing[name]
                zf.writestr(info, files[name])
        tmp.replace(out)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return out


def sourceless_stdlib(compiled: Path, out: Path) -> Path:
    """The compiled standard library without the ``.py`` of a module that has its ``.pyc``
    (a third of the zip's bytes, downloaded at every first visit: ``zipimport`` runs the
    ``.pyc`` alone; a traceback into the standard library then shows no source line)."""
    with zipfile.ZipFile(compiled) as zf, zipfile.ZipFile(out, "w") as dest:
        names = set(zf.namelist())
        for info in zf.infolist():
            if info.filename.endswith(".py") and info.filename + "c" in names:
                continue
            dest.writestr(info, zf.read(info), compress_type=info.compress_type)
    return out


__all__ = [
    "COMPILE_SCRIPT",
    "PYODIDE_SCRIPT",
    "compile_stdlib",
    "compile_wheels",
    "sourceless_stdlib",
]
