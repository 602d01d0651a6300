"""Build the self-contained JupyterLite site of the course.

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
standard library (``python_stdlib.zip``, sources only in the npm package) gets its ``.pyc``
beside each ``.py`` the same way.
numpy and matplotlib have no offline WebAssembly build, so the course needs neither. PyYAML
is repacked without its C extension (its pure-Python code is complete).

Downloads are cached (``--cache``, default ``~/.cache/sanshe-edu/lite``), so a second build
needs no network at all. The lessons and the glossary are copied without outputs; graded
sources and solutions (``exercises/``, ``grading/``) are never part of the site.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from importlib import metadata
from pathlib import Path

from ..errors import SansheError
from ..paths import PACKAGE_DIR, course_dir
from .runtime import BROWSER_DATA_DIR

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
#: What the lessons import (beyond the kernel's): distribution name → import names.
COURSE_PACKAGES = {
    "comm": ["comm"],
    "ipywidgets": ["ipywidgets"],
    "networkx": ["networkx"],
    "ipysigma": ["ipysigma"],
    "drawsvg": ["drawsvg"],
    "pyyaml": ["yaml"],
}
#: Front-end (JupyterLab) extensions the site carries, as wheels from PyPI.
FRONT_ENDS = ["jupyterlite-pyodide-kernel", "jupyterlab-widgets", "ipysigma"]
#: The kernel's own Python side, carried inside the ``jupyterlite-pyodide-kernel`` wheel: when
#: they are not start-up packages the kernel installs them with micropip and piplite at every
#: start (resolving them against its ``all.json``); in the lock Pyodide loads them like the rest.
KERNEL_SHIMS = {
    "piplite": ["piplite"],
    "ipykernel": ["ipykernel"],
    "pyodide-kernel": ["pyodide_kernel"],
}

#: Where the runtime is in the site: ``static/runtime/<digest of its files>/`` (a new build
#: with any change has a new folder, so a browser may keep an old one's files for good; not
#: jupyterlite's ``static/pyodide``, which it checks but serves with the same names each build).
RUNTIME_URL = "static/runtime"
#: The kernel's plugin, whose settings (``litePluginSettings``) carry the runtime's URL.
KERNEL_PLUGIN = "@jupyterlite/pyodide-kernel-extension:kernel"

_PYODIDE_FILES = (
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


def _run(cmd: list[str], what: str, **kwargs) -> None:
    try:
        subprocess.run(cmd, check=True, capture_output=True, text=True, **kwargs)
    except FileNotFoundError as exc:
        raise SansheError("lite.tool_missing", tool=cmd[0]) from exc
    except subprocess.CalledProcessError as exc:
        detail = (exc.stderr or exc.stdout or "").strip().splitlines()[-1:] or [""]
        raise SansheError("lite.step_failed", step=what, detail=detail[0]) from exc


#: The third-party modules' replacements (not a package: each file is read as text).
_PATCHES = Path(__file__).resolve().parent / "patches"


def _patch(name: str) -> str:
    """The text of ``patches/<name>``."""
    return (_PATCHES / name).read_text(encoding="utf-8")


def fetch_pyodide(cache: Path) -> Path:
    """``pyodide-<version>.tgz`` from npm (``npm pack``), once per cache."""
    tgz = cache / f"pyodide-{PYODIDE_VERSION}.tgz"
    if not tgz.exists():
        cache.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=cache))
        try:
            npm = shutil.which("npm") or "npm"  # npm.cmd on Windows
            _run([npm, "pack", f"pyodide@{PYODIDE_VERSION}", "--silent"], "npm pack", cwd=tmp)
            (tmp / tgz.name).replace(tgz)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return tgz


def _pip_download(specs: list[str], dest: Path, python: str | None) -> None:
    missing = [s for s in specs if not _find_wheel(dest, s)]
    if not missing:
        return
    dest.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", str(dest)]
    if python:
        cmd += ["--only-binary=:all:", "--python-version", python]
    _run(cmd + missing, "pip download")


def _norm(name: str) -> str:
    return name.lower().replace("-", "_").replace(".", "_")


def _find_wheel(folder: Path, spec: str) -> Path | None:
    name, _, version = spec.partition("==")
    if not folder.is_dir():
        return None
    for path in sorted(folder.glob("*.whl")):
        dist, ver = path.name.split("-")[:2]
        if _norm(dist) == _norm(name) and (not version or ver == version):
            return path
    return None


def _version(dist: str) -> str:
    return metadata.version(dist)


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def _write_wheel(path: Path, files: dict[str, bytes], dist_info: str) -> None:
    """A wheel with ``files`` (name → bytes) and a fresh RECORD, with fixed timestamps."""
    names = sorted(files)
    record = [_record_line(n, files[n]) for n in names] + [f"{dist_info}/RECORD,,"]
    files = {**files, f"{dist_info}/RECORD": ("\n".join(record) + "\n").encode()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in [*names, f"{dist_info}/RECORD"]:
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, files[name])


def _wheel_files(wheel: Path) -> dict[str, bytes]:
    """A wheel's files by name (no folders, no ``RECORD``: :func:`_write_wheel` writes one)."""
    with zipfile.ZipFile(wheel) as zf:
        return {n: zf.read(n) for n in zf.namelist() if not n.endswith(("/", "/RECORD"))}


def _dist_info(files: dict[str, bytes]) -> str:
    """The ``….dist-info`` folder among a wheel's file names."""
    return next(n.split("/")[0] for n in files if ".dist-info/" in n)


def _replace_once(wheel: Path, out: Path, module: str, old: str, new: str) -> Path:
    """``out``: ``wheel`` with the one ``old`` in ``module`` replaced by ``new``; a module
    without exactly one ``old`` (another version) or already rewritten stops the build."""
    files = _wheel_files(wheel)
    source = files.get(module, b"").decode()
    if source.count(old) != 1 or new in source:
        raise SansheError("lite.step_failed", step=module, detail=wheel.name)
    files[module] = source.replace(old, new).encode()
    _write_wheel(out, files, _dist_info(files))
    return out


def pure_pyyaml(wheel: Path, dest: Path) -> Path:
    """PyYAML repacked as ``py3-none-any`` without its C extension (``yaml`` falls back to its
    pure-Python loader when ``_yaml`` is missing)."""
    version = wheel.name.split("-")[1]
    out = dest / f"pyyaml-{version}-py3-none-any.whl"
    if out.exists():
        return out
    dist_info = f"pyyaml-{version}.dist-info"
    files = {}
    with zipfile.ZipFile(wheel) as zf:
        for name in zf.namelist():
            top = name.split("/")[0]
            if name.endswith((".so", ".pyd")) or top == "_yaml" or name.endswith("/RECORD"):
                continue
            data = zf.read(name)
            if top.endswith(".dist-info"):
                name = f"{dist_info}/{name.split('/', 1)[1]}"
                if name.endswith("/WHEEL"):
                    data = (
                        b"Wheel-Version: 1.0\nGenerator: sanshe-edu\nRoot-Is-Purelib: true\n"
                        b"Tag: py3-none-any\n"
                    )
            files[name] = data
    _write_wheel(out, files, dist_info)
    return out


def course_wheel(dest: Path) -> Path:
    """The ``sanshe_edu`` package as a wheel (made from the installed package; lessons ship as
    site files, so ``_course`` is left out)."""
    version = _version("sanshe-edu")
    dist_info = f"sanshe_edu-{version}.dist-info"
    files: dict[str, bytes] = {}
    for path in sorted(PACKAGE_DIR.rglob("*")):
        rel = path.relative_to(PACKAGE_DIR.parent).as_posix()
        if path.is_dir() or "__pycache__" in rel or path.suffix in (".pyc", ".pyo"):
            continue
        if rel.startswith("sanshe_edu/_course/"):
            continue
        files[rel] = path.read_bytes()
    files[f"{dist_info}/METADATA"] = (
        f"Metadata-Version: 2.1\nName: sanshe-edu\nVersion: {version}\n".encode()
    )
    files[f"{dist_info}/WHEEL"] = (
        b"Wheel-Version: 1.0\nGenerator: sanshe-edu\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    )
    out = dest / f"sanshe_edu-{version}-py3-none-any.whl"
    _write_wheel(out, files, dist_info)
    return out


def kernel_shims(extension_wheel: Path, dest: Path) -> dict[str, Path]:
    """The :data:`KERNEL_SHIMS` wheels taken out of the kernel's front-end wheel into ``dest``."""
    wanted = {_norm(name): name for name in KERNEL_SHIMS}
    found = {}
    with zipfile.ZipFile(extension_wheel) as zf:
        for member in zf.namelist():
            base = member.rsplit("/", 1)[-1]
            if "/static/pypi/" in member and base.endswith(".whl"):
                name = wanted.get(_norm(base.split("-")[0]))
                if name:
                    (dest / base).write_bytes(zf.read(member))
                    found[name] = dest / base
    if "piplite" in found:
        lazy_piplite(found["piplite"])
    if "pyodide-kernel" in found:
        folder_last(found["pyodide-kernel"])
    missing = sorted(set(KERNEL_SHIMS) - set(found))
    if missing:
        raise SansheError("lite.step_failed", step="kernel wheels", detail=", ".join(missing))
    return found


#: ``patches/piplite.py`` is ``piplite/piplite.py`` of the site: the kernel imports it at every
#: start only to set two settings, and the original imports micropip and unittest.mock (about
#: half a second in the browser); this one imports the original (kept as ``piplite/_eager.py``)
#: at the first install.


def lazy_piplite(wheel: Path) -> Path:
    """Rewrite the piplite wheel in place with ``patches/piplite.py`` as ``piplite.piplite``."""
    files = _wheel_files(wheel)
    if "piplite/piplite.py" not in files or "piplite/_eager.py" in files:
        raise SansheError("lite.step_failed", step="piplite", detail=wheel.name)
    files["piplite/_eager.py"] = files.pop("piplite/piplite.py")
    files["piplite/piplite.py"] = _patch("piplite.py").encode()
    _write_wheel(wheel, files, _dist_info(files))
    return wheel


#: The kernel starts in the browser's drive (``/drive``, the learner's files) and Pyodide puts
#: that folder (``''``) first on ``sys.path``: before each top-level import finds its module in
#: the standard library or site-packages, Python asks whether the folder changed, and in the
#: browser every such question is a synchronous request to the page (about 75 of them, a second,
#: at each kernel start, and more for each lesson's imports). The site's ``pyodide_kernel``
#: moves the folder to the end first (``patches/pyodide_kernel.py`` in place of ``import sys``):
#: a learner's own module beside the notebook still imports, unless it has the name of an
#: installed one.
_EAGER_PATH = "import sys\n"


def folder_last(wheel: Path) -> Path:
    """Rewrite the pyodide-kernel wheel in place with ``patches/pyodide_kernel.py`` in its
    ``__init__``."""
    new = _patch("pyodide_kernel.py")
    return _replace_once(wheel, wheel, "pyodide_kernel/__init__.py", _EAGER_PATH, new)


#: ``IPython/__init__.py`` imports ``IPython.terminal.embed`` for ``IPython.embed()`` — the
#: terminal shell and prompt_toolkit, which a kernel in the browser never uses (about a third of
#: a second at every kernel start): the site's IPython imports it when ``embed()`` is called.
_EAGER_EMBED = "from .terminal.embed import embed\n"


def lazy_ipython(wheel: Path, dest: Path) -> Path:
    """IPython's wheel with ``patches/ipython.py`` (a module ``__getattr__``) in place of its
    import of the terminal shell."""
    new = "\n\n" + _patch("ipython.py") + "\n\n"  # a function: two blank lines either side
    return _replace_once(wheel, dest / wheel.name, "IPython/__init__.py", _EAGER_EMBED, new)


def _left_out(member: str) -> bool:
    """What the kernel never uses in a wheel: the package's own test suite (``…/tests/…``,
    ``conftest.py``), its front-end files (``*.data/``, ``labextension/``, ``nbextension/``,
    source maps — the site serves the front ends from ``extensions/``), jedi's stubs for
    Python 2 and Django.

    >>> [_left_out(m) for m in ("jedi/third_party/typeshed/stdlib/2/os.pyi",
    ...  "jedi/third_party/typeshed/stdlib/3/os/__init__.pyi", "networkx/tests/test_x.py")]
    [True, False, True]
    """
    parts = member.split("/")
    return (
        # jedi's type stubs for Python 2 and for Django: never read by a Python 3 kernel without
        # Django (a third of jedi's 1,900 files, each one a file to unpack at every start)
        (
            member.startswith(("jedi/third_party/django-stubs/", "jedi/third_party/typeshed/"))
            and (parts[2] == "django-stubs" or parts[4:5] == ["2"])
        )
        or parts[0].endswith(".data")
        or any(p in ("tests", "test", "labextension", "nbextension") for p in parts[1:-1])
        or parts[-1] == "conftest.py"
        or parts[-1].endswith(".map")
    )


#: The Node.js script that byte-compiles with the site's Pyodide, and the Python it runs there
#: (it reads it from beside itself): see both files.
_COMPILE_SCRIPT = Path(__file__).resolve().parent / "compile.mjs"
_PYODIDE_SCRIPT = _COMPILE_SCRIPT.with_name("compile_in_pyodide.py")


def _packing() -> str:
    """A digest of how wheels are compiled and trimmed: a cached wheel of other rules is stale."""
    import inspect

    scripts = _COMPILE_SCRIPT.read_text(encoding="utf-8") + _PYODIDE_SCRIPT.read_text(
        encoding="utf-8"
    )
    try:
        rules = inspect.getsource(_left_out) + scripts
    except OSError:  # no sources (an install of .pyc only): the package's version stands in
        rules = _version("sanshe-edu") + scripts
    return hashlib.sha256(rules.encode()).hexdigest()[:8]


def _byte_compile(runtime: Path, src: Path) -> None:
    """Every ``.py`` under ``src`` (one sub-folder per wheel) compiled by the Pyodide in
    ``runtime`` (see ``compile_in_pyodide.py``)."""
    node = shutil.which("node") or "node"
    _run([node, str(_COMPILE_SCRIPT), str(runtime), str(src)], "byte-compile")


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
        out = store / f"{_sha256(wheel)[:16]}-{kind}-{_packing()}" / wheel.name
        result[wheel] = out
        if not out.exists():
            todo.append(wheel)
    if not todo:
        return result
    work = Path(tempfile.mkdtemp(prefix="sanshe-pyc-"))
    try:
        runtime = _unpack_runtime(tgz, work)
        src = work / "src"
        members, folders = {}, {}
        for i, wheel in enumerate(todo):
            folders[wheel] = src / (f"{i}-src" if wheel in keep_sources else str(i))
            with zipfile.ZipFile(wheel) as zf:
                members[wheel] = {
                    n: zf.read(n)
                    for n in zf.namelist()
                    if not n.endswith("/") and not _left_out(n) and not n.endswith("/RECORD")
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
            dist_info = _dist_info(files)
            out = result[wheel]
            out.parent.mkdir(parents=True, exist_ok=True)
            tmp = out.with_suffix(".part")
            _write_wheel(tmp, files, dist_info)
            tmp.replace(out)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return result


def _unpack_runtime(tgz: Path, work: Path) -> Path:
    """The Pyodide runtime files of the npm package, in ``work/runtime`` (for compiling)."""
    runtime = work / "runtime"
    runtime.mkdir()
    with tarfile.open(tgz) as tf:
        for name in (*_PYODIDE_FILES, "pyodide-lock.json"):
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
        runtime = _unpack_runtime(tgz, work)
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


def _tree_digest(folder: Path) -> str:
    """16 hex digits of a digest of every file's name and content in ``folder``: the runtime
    folder's name, so that a browser may keep its files for good (see ``lite.serve``)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(f"{path.relative_to(folder).as_posix()}\0{_sha256(path)}\n".encode())
    return digest.hexdigest()[:16]


def _name_runtime_by_digest(out: Path) -> None:
    """Move the built site's runtime (``static/pyodide``, where jupyterlite's Pyodide add-on
    puts it) to ``static/runtime/<digest>`` and point the kernel's settings there."""
    built = out / "static" / "pyodide"
    target = out / RUNTIME_URL / _tree_digest(built)
    target.parent.mkdir(parents=True)
    built.rename(target)
    config_path = out / "jupyter-lite.json"
    config = json.loads(config_path.read_text(encoding="utf-8"))
    url = f"./{target.relative_to(out).as_posix()}/pyodide.mjs"
    _kernel_settings(config)["pyodideUrl"] = url
    config_path.write_text(json.dumps(config, ensure_ascii=False, indent=2), encoding="utf-8")


def _kernel_settings(config: dict) -> dict:
    """The Pyodide kernel's settings inside a ``jupyter-lite.json`` (the dict itself)."""
    return config["jupyter-config-data"]["litePluginSettings"][KERNEL_PLUGIN]


def kernel_settings(site: Path) -> dict:
    """The Pyodide kernel's settings of a built site (its ``jupyter-lite.json``)."""
    config = json.loads((Path(site) / "jupyter-lite.json").read_text(encoding="utf-8"))
    return _kernel_settings(config)


def runtime_dir(site: Path) -> Path:
    """The folder of a built site's Pyodide runtime and wheels, ``static/runtime/<digest>``."""
    url = kernel_settings(site)["pyodideUrl"]
    return Path(site) / url.removeprefix("./").rsplit("/", 1)[0]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _lock_entry(name: str, wheel: Path, imports: list[str]) -> dict:
    return {
        "name": name,
        "version": wheel.name.split("-")[1],
        "file_name": wheel.name,
        "install_dir": "site",
        "sha256": _sha256(wheel),
        "package_type": "package",
        "imports": imports,
        "depends": [],
        "unvendored_tests": False,
    }


def _notebooks() -> list[Path]:
    folder = course_dir()
    books = [*sorted(folder.glob("[0-9][0-9]_*.ipynb")), folder / "glossary.ipynb"]
    missing = [p for p in books if not p.exists()]
    if not books or missing:
        raise SansheError("lite.no_course", folder=folder)
    return books


def _clean_notebook(src: Path, dest: Path) -> None:
    nb = json.loads(src.read_text(encoding="utf-8"))
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"], cell["execution_count"] = [], None
        cell.get("metadata", {}).pop("nbgrader", None)
    dest.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


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
        *(f"{d}=={_version(d)}" for d in ("comm", "ipywidgets", "ipysigma", "drawsvg")),
    ]
    _pip_download(kernel_specs + course_specs, cache / "wheels", PYODIDE_PYTHON)
    front_specs = [f"jupyterlite-pyodide-kernel=={KERNEL_VERSION}"] + [
        f"{d}=={_version(d)}" for d in FRONT_ENDS[1:]
    ]
    _pip_download(front_specs, cache / "extensions", None)
    return {
        "pyodide": tgz,
        "lock": lock,
        "kernel": kernel_specs,
        "course": course_specs,
        "front": front_specs,
    }


def build_site(out: Path, cache: Path | None = None, extra_files: list[Path] = ()) -> dict:
    """Build the site into ``out`` (replaced); return ``{"out", "size_mb", "seconds"}``.

    ``extra_files`` are put beside the lessons (tests use it for a practice notebook)."""
    import importlib.util

    if importlib.util.find_spec("jupyterlite_core") is None:
        raise SansheError("lite.needs_extra")
    start = time.perf_counter()
    cache = cache or default_cache()
    out = out.resolve()
    got = fetch_all(cache)
    tgz, pinned, lock = got["pyodide"], got["lock"]["packages"], got["lock"]
    kernel_specs, course_specs, front_specs = got["kernel"], got["course"], got["front"]
    wheels_dir = cache / "wheels"
    work = Path(tempfile.mkdtemp(prefix="sanshe-lite-"))
    try:
        lite = work / "lite"
        pyodide_dir = lite / "static" / "pyodide"  # jupyterlite's add-on copies it; moved below
        pyodide_dir.mkdir(parents=True)
        with tarfile.open(tgz) as tf:
            for name in _PYODIDE_FILES:
                member = tf.extractfile(f"package/{name}")
                (pyodide_dir / name).write_bytes(member.read())
        shutil.copy2(compile_stdlib(tgz, cache), pyodide_dir / "python_stdlib.zip")
        sources = {}  # lock name → (source wheel, import names)
        for name in KERNEL_PACKAGES:
            wheel = _find_wheel(wheels_dir, kernel_specs[KERNEL_PACKAGES.index(name)])
            if name == "ipython":
                wheel = lazy_ipython(wheel, work)
            sources[name] = (wheel, pinned[name]["imports"])
        for dist, imports in COURSE_PACKAGES.items():
            spec = next(s for s in course_specs if _norm(s.split("==")[0]) == _norm(dist))
            wheel = _find_wheel(wheels_dir, spec)
            if dist == "pyyaml":
                wheel = pure_pyyaml(wheel, cache)
            sources[dist] = (wheel, imports)
        shims = kernel_shims(_find_wheel(cache / "extensions", front_specs[0]), work)
        for name, wheel in shims.items():
            sources[name] = (wheel, KERNEL_SHIMS[name])
        own = course_wheel(work)
        sources["sanshe-edu"] = (own, ["sanshe_edu"])
        compiled = compile_wheels([w for w, _ in sources.values()], tgz, cache, (own,))
        packages = {}
        for name, (wheel, imports) in sources.items():
            shutil.copy2(compiled[wheel], pyodide_dir / wheel.name)
            packages[name] = _lock_entry(name, pyodide_dir / wheel.name, imports)
        (pyodide_dir / "pyodide-lock.json").write_text(
            json.dumps({"info": lock["info"], "packages": packages}, indent=1), encoding="utf-8"
        )
        files = lite / "files"
        files.mkdir()
        for book in _notebooks():
            _clean_notebook(book, files / book.name)
        for extra in extra_files:
            shutil.copy2(extra, files / Path(extra).name)
        settings = {
            "pyodideUrl": "./static/pyodide/pyodide.mjs",
            "disablePyPIFallback": True,
            "loadPyodideOptions": {
                "packages": sorted(packages),
                "env": {"HOME": "/home/pyodide", "SANSHE_EDU_DATA_DIR": BROWSER_DATA_DIR},
            },
        }
        (lite / "jupyter-lite.json").write_text(
            json.dumps(
                {
                    "jupyter-lite-schema-version": 0,
                    "jupyter-config-data": {
                        "appName": "三社联动 · sanshe-edu",
                        "litePluginSettings": {KERNEL_PLUGIN: settings},
                        "disabledExtensions": ["@jupyterlab/apputils-extension:announcements"],
                        # JupyterLab's own menus in Chinese (the zh_CN language pack, built
                        # into api/translations by jupyterlite from the installed pack).
                        "settingsOverrides": {
                            "@jupyterlab/translation-extension:plugin": {"locale": "zh_CN"}
                        },
                    },
                },
                ensure_ascii=False,
                indent=1,
            ),
            encoding="utf-8",
        )
        extensions = [str(_find_wheel(cache / "extensions", s)) for s in front_specs]
        (lite / "jupyter_lite_config.json").write_text(
            json.dumps(
                {
                    "LiteBuildConfig": {
                        "federated_extensions": extensions,
                        # JupyterLab extensions only from the wheels above (not nbgrader's);
                        # the language pack from the environment.
                        "ignore_sys_prefix": ["federated_extensions"],
                        "contents": [str(files)],
                        "no_sourcemaps": True,
                        "no_unused_shared_packages": True,
                    }
                },
                indent=1,
            ),
            encoding="utf-8",
        )
        if out.exists():
            shutil.rmtree(out)
        env = {**os.environ, "JUPYTER_PLATFORM_DIRS": "1"}
        _run(
            [
                sys.executable,
                "-m",
                "jupyterlite_core",
                "build",
                "--lite-dir",
                str(lite),
                "--output-dir",
                str(out),
            ],
            "jupyter lite build",
            cwd=lite,
            env=env,
        )
        _name_runtime_by_digest(out)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    return {"out": out, "size_mb": size / 1e6, "seconds": time.perf_counter() - start}


def site_files(out: Path) -> list[str]:
    """Every file of a built site, relative, sorted (for checks)."""
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())


def main(argv: list[str] | None = None) -> int:
    """``python -m sanshe_edu.lite.build --fetch-only``: fill the cache (``scripts/test.sh``)."""
    import argparse

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
    "build_site",
    "compile_stdlib",
    "compile_wheels",
    "course_wheel",
    "fetch_all",
    "fetch_pyodide",
    "folder_last",
    "kernel_settings",
    "kernel_shims",
    "lazy_ipython",
    "lazy_piplite",
    "pure_pyyaml",
    "runtime_dir",
    "site_files",
]
