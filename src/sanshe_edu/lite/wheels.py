"""The site's wheels: read, written again with a fresh ``RECORD``, repacked and patched.

PyYAML is repacked without its C extension (its pure-Python code is complete); the course's own
package becomes a wheel; the kernel's own Python side (piplite, the ipykernel shim,
pyodide-kernel) is taken out of the kernel's front-end wheel. Three third-party modules are
patched so the kernel starts faster in the browser; each patch is a file under ``patches/``
(linted with the rest of the package, read as text here):

- ``patches/piplite.py`` replaces ``piplite/piplite.py`` (:func:`lazy_piplite`);
- ``patches/pyodide_kernel.py`` replaces ``import sys`` in ``pyodide_kernel/__init__.py``
  (:func:`folder_last`);
- ``patches/ipython.py`` replaces the import of ``IPython.terminal.embed`` in
  ``IPython/__init__.py`` (:func:`lazy_ipython`).

Pygments keeps only the lexers the kernel uses (:func:`slim_pygments`), and the course's wheel
only the parts the browser runs (:data:`BROWSER_PARTS`).

Every wheel written here has fixed timestamps, so a build is the same bytes each time.
"""

from __future__ import annotations

import ast
import base64
import hashlib
import zipfile
from pathlib import Path

from ..errors import SansheError
from ..paths import PACKAGE_DIR
from .fetch import installed_version, norm

#: The kernel's own Python side, carried inside the ``jupyterlite-pyodide-kernel`` wheel: when
#: they are not start-up packages the kernel installs them with micropip and piplite at every
#: start (resolving them against its ``all.json``); in the lock Pyodide loads them like the rest.
KERNEL_SHIMS = {
    "piplite": ["piplite"],
    "ipykernel": ["ipykernel"],
    "pyodide-kernel": ["pyodide_kernel"],
}

#: The third-party modules' replacements (not a package: each file is read as text).
PATCHES = Path(__file__).resolve().parent / "patches"


def patch(name: str) -> str:
    """The text of ``patches/<name>``.

    >>> patch("pyodide_kernel.py").startswith("import sys\\n")
    True
    """
    return (PATCHES / name).read_text(encoding="utf-8")


def sha256(path: Path) -> str:
    """The hex SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def write_wheel(path: Path, files: dict[str, bytes], dist_info: str) -> None:
    """A wheel with ``files`` (name → bytes) and a fresh RECORD, with fixed timestamps."""
    names = sorted(files)
    record = [_record_line(n, files[n]) for n in names] + [f"{dist_info}/RECORD,,"]
    files = {**files, f"{dist_info}/RECORD": ("\n".join(record) + "\n").encode()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in [*names, f"{dist_info}/RECORD"]:
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, files[name])


def wheel_files(wheel: Path) -> dict[str, bytes]:
    """A wheel's files by name (no folders, no ``RECORD``: :func:`write_wheel` writes one)."""
    with zipfile.ZipFile(wheel) as zf:
        return {n: zf.read(n) for n in zf.namelist() if not n.endswith(("/", "/RECORD"))}


def dist_info(files: dict[str, bytes]) -> str:
    """The ``….dist-info`` folder among a wheel's file names.

    >>> dist_info({"six.py": b"", "six-1.17.0.dist-info/METADATA": b""})
    'six-1.17.0.dist-info'
    """
    return next(n.split("/")[0] for n in files if ".dist-info/" in n)


def _replace_once(wheel: Path, out: Path, module: str, old: str, new: str) -> Path:
    """``out``: ``wheel`` with the one ``old`` in ``module`` replaced by ``new``; a module
    without exactly one ``old`` (another version) or already rewritten stops the build."""
    files = wheel_files(wheel)
    source = files.get(module, b"").decode()
    if source.count(old) != 1 or new in source:
        raise SansheError("lite.step_failed", step=module, detail=wheel.name)
    files[module] = source.replace(old, new).encode()
    write_wheel(out, files, dist_info(files))
    return out


def pure_pyyaml(wheel: Path, dest: Path) -> Path:
    """PyYAML repacked as ``py3-none-any`` without its C extension (``yaml`` falls back to its
    pure-Python loader when ``_yaml`` is missing)."""
    version = wheel.name.split("-")[1]
    out = dest / f"pyyaml-{version}-py3-none-any.whl"
    if out.exists():
        return out
    info = f"pyyaml-{version}.dist-info"
    files = {}
    with zipfile.ZipFile(wheel) as zf:
        for name in zf.namelist():
            top = name.split("/")[0]
            if name.endswith((".so", ".pyd")) or top == "_yaml" or name.endswith("/RECORD"):
                continue
            data = zf.read(name)
            if top.endswith(".dist-info"):
                name = f"{info}/{name.split('/', 1)[1]}"
                if name.endswith("/WHEEL"):
                    data = (
                        b"Wheel-Version: 1.0\nGenerator: sanshe-edu\nRoot-Is-Purelib: true\n"
                        b"Tag: py3-none-any\n"
                    )
            files[name] = data
    write_wheel(out, files, info)
    return out


#: What of the ``sanshe_edu`` package the browser edition carries: what the lessons, the
#: glossary and the review import (``draw``, ``model``, ``quiz`` and what they import) and the
#: data and messages they read. Grading, the class server, the JupyterLab set-up and this site
#: builder run on a computer only (a test checks that nothing carried imports them).
BROWSER_PARTS = (
    "__init__.py",
    "errors.py",
    "i18n.py",
    "paths.py",
    "data/",
    "draw/",
    "messages/",
    "model/",
    "quiz/",
)


def course_wheel(dest: Path) -> Path:
    """The parts of the ``sanshe_edu`` package the browser runs (:data:`BROWSER_PARTS`) as a
    wheel, made from the installed package."""
    version = installed_version("sanshe-edu")
    info = f"sanshe_edu-{version}.dist-info"
    files: dict[str, bytes] = {}
    for path in sorted(PACKAGE_DIR.rglob("*")):
        rel = path.relative_to(PACKAGE_DIR).as_posix()
        if path.is_dir() or "__pycache__" in rel or path.suffix in (".pyc", ".pyo"):
            continue
        if rel in BROWSER_PARTS or rel.startswith(tuple(p for p in BROWSER_PARTS if p[-1] == "/")):
            files[f"sanshe_edu/{rel}"] = path.read_bytes()
    files[f"{info}/METADATA"] = (
        f"Metadata-Version: 2.1\nName: sanshe-edu\nVersion: {version}\n".encode()
    )
    files[f"{info}/WHEEL"] = (
        b"Wheel-Version: 1.0\nGenerator: sanshe-edu\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    )
    out = dest / f"sanshe_edu-{version}-py3-none-any.whl"
    write_wheel(out, files, info)
    return out


#: What the kernel's worker (pyodide-kernel's ``initKernel``) installs with piplite at each
#: kernel start unless the site preloads it, and the same without jedi (:data:`ON_DEMAND`).
WORKER_INSTALLS = '["ipykernel","comm","pyodide-kernel","jedi","ipython"]'
WORKER_INSTALLS_NO_JEDI = '["ipykernel","comm","pyodide-kernel","ipython"]'
#: What pyodide-kernel's shell sets, and what the site's sets instead (jedi when installed).
USE_JEDI = "self.Completer.use_jedi = True"
USE_JEDI_IF_INSTALLED = (
    'self.Completer.use_jedi = __import__("importlib.util").util.find_spec("jedi") is not None'
)


def kernel_without_jedi(extension_wheel: Path, dest: Path) -> Path:
    """The kernel's front-end wheel, in ``dest``, whose worker does not install jedi at each
    kernel start (the site does not preload it: :data:`ON_DEMAND`; the worker would otherwise
    import micropip and install it, a second at every start). Each of its worker bundles that
    has the list is rewritten; a wheel with none (another version) stops the build."""
    files = wheel_files(extension_wheel)
    old, new = WORKER_INSTALLS.encode(), WORKER_INSTALLS_NO_JEDI.encode()
    workers = [n for n, data in files.items() if n.endswith(".js") and old in data]
    if not workers:
        raise SansheError(
            "lite.step_failed", step="pyodide-kernel worker", detail=extension_wheel.name
        )
    for name in workers:
        files[name] = files[name].replace(old, new)
    out = dest / extension_wheel.name
    write_wheel(out, files, dist_info(files))
    return out


def kernel_shims(extension_wheel: Path, dest: Path) -> dict[str, Path]:
    """The :data:`KERNEL_SHIMS` wheels taken out of the kernel's front-end wheel into ``dest``."""
    wanted = {norm(name): name for name in KERNEL_SHIMS}
    found = {}
    with zipfile.ZipFile(extension_wheel) as zf:
        for member in zf.namelist():
            base = member.rsplit("/", 1)[-1]
            if "/static/pypi/" in member and base.endswith(".whl"):
                name = wanted.get(norm(base.split("-")[0]))
                if name:
                    (dest / base).write_bytes(zf.read(member))
                    found[name] = dest / base
    if "piplite" in found:
        lazy_piplite(found["piplite"])
    if "pyodide-kernel" in found:
        folder_last(found["pyodide-kernel"])
        jedi_if_installed(found["pyodide-kernel"])
    missing = sorted(set(KERNEL_SHIMS) - set(found))
    if missing:
        raise SansheError("lite.step_failed", step="kernel wheels", detail=", ".join(missing))
    return found


def lazy_piplite(wheel: Path) -> Path:
    """Rewrite the piplite wheel in place with ``patches/piplite.py`` as ``piplite.piplite``.

    The kernel imports ``piplite.piplite`` at every start only to set two settings, and the
    original imports micropip and unittest.mock (about half a second in the browser); the
    site's imports the original (kept as ``piplite/_eager.py``) at the first install."""
    files = wheel_files(wheel)
    if "piplite/piplite.py" not in files or "piplite/_eager.py" in files:
        raise SansheError("lite.step_failed", step="piplite", detail=wheel.name)
    files["piplite/_eager.py"] = files.pop("piplite/piplite.py")
    files["piplite/piplite.py"] = patch("piplite.py").encode()
    write_wheel(wheel, files, dist_info(files))
    return wheel


#: What ``patches/pyodide_kernel.py`` replaces in ``pyodide_kernel/__init__.py``.
_EAGER_PATH = "import sys\n"


def folder_last(wheel: Path) -> Path:
    """Rewrite the pyodide-kernel wheel in place with ``patches/pyodide_kernel.py`` in its
    ``__init__``: the notebook's folder last on ``sys.path``.

    The kernel starts in the browser's drive (``/drive``, the learner's files) and Pyodide puts
    that folder (``''``) first on ``sys.path``: before each top-level import finds its module in
    the standard library or site-packages, Python asks whether the folder changed, and in the
    browser every such question is a synchronous request to the page (about 75 of them, a
    second, at each kernel start, and more for each lesson's imports). A learner's own module
    beside the notebook still imports, unless it has the name of an installed one."""
    new = patch("pyodide_kernel.py")
    return _replace_once(wheel, wheel, "pyodide_kernel/__init__.py", _EAGER_PATH, new)


def jedi_if_installed(wheel: Path) -> Path:
    """Rewrite the pyodide-kernel wheel in place so its shell completes with jedi only when
    jedi is installed (it is not preloaded: :data:`ON_DEMAND`); without it IPython's own
    completer answers Tab, where jedi's would fail on every request."""
    return _replace_once(
        wheel, wheel, "pyodide_kernel/interpreter.py", USE_JEDI, USE_JEDI_IF_INSTALLED
    )


#: What ``patches/ipython.py`` replaces in ``IPython/__init__.py``.
EAGER_EMBED = "from .terminal.embed import embed\n"


def lazy_ipython(wheel: Path, dest: Path) -> Path:
    """IPython's wheel with ``patches/ipython.py`` (a module ``__getattr__``) in place of its
    import of the terminal shell, in ``dest``.

    ``IPython/__init__.py`` imports ``IPython.terminal.embed`` for ``IPython.embed()`` — the
    terminal shell and prompt_toolkit, which a kernel in the browser never uses (about a third
    of a second at every kernel start): the site's IPython imports it when ``embed()`` is
    called."""
    new = "\n\n" + patch("ipython.py") + "\n\n"  # a function: two blank lines either side
    return _replace_once(wheel, dest / wheel.name, "IPython/__init__.py", EAGER_EMBED, new)


#: The lexers the kernel's IPython uses: Python (tracebacks, ``?`` help) and plain text.
PYGMENTS_LEXERS = ("python", "special")


def slim_pygments(wheel: Path, dest: Path) -> Path:
    """Pygments with only the :data:`PYGMENTS_LEXERS` (its 250 others, 1.7 MB of a first
    visit's download, highlight languages a notebook kernel never prints), in ``dest``; the
    lexer table (``lexers/_mapping.py``) lists only those kept, so asking for another lexer is
    Pygments' own "no lexer" (``ClassNotFound``), as for an unknown language."""
    files = wheel_files(wheel)
    table = files.get("pygments/lexers/_mapping.py", b"").decode()
    try:
        tree = ast.parse(table)
        [lexers] = [
            ast.literal_eval(node.value)
            for node in tree.body
            if isinstance(node, ast.Assign) and [t.id for t in node.targets] == ["LEXERS"]
        ]
    except (SyntaxError, ValueError):
        lexers = None
    kept_modules = {f"pygments.lexers.{m}" for m in PYGMENTS_LEXERS}
    if not isinstance(lexers, dict) or not kept_modules <= {v[0] for v in lexers.values()}:
        raise SansheError("lite.step_failed", step="pygments/lexers", detail=wheel.name)
    kept = {k: v for k, v in lexers.items() if v[0] in kept_modules}
    files["pygments/lexers/_mapping.py"] = (
        "# sanshe-edu: Pygments' table cut to the lexers the site carries (lite.wheels)\n\n"
        + "LEXERS = {\n"
        + "".join(f"    {name!r}: {entry!r},\n" for name, entry in sorted(kept.items()))
        + "}\n"
    ).encode()
    for name in list(files):
        folder, _, module = name.rpartition("/")
        if (
            folder == "pygments/lexers"
            and module.endswith(".py")
            and module[:-3] not in ("__init__", "_mapping", *PYGMENTS_LEXERS)
        ):
            del files[name]
    out = dest / wheel.name
    write_wheel(out, files, dist_info(files))
    return out


def left_out(member: str) -> bool:
    """What the kernel never uses in a wheel: the package's own test suite (``…/tests/…``,
    ``conftest.py``), its front-end files (``*.data/``, ``labextension/``, ``nbextension/``,
    source maps — the site serves the front ends from ``extensions/``), jedi's stubs for
    Python 2 and Django.

    >>> [left_out(m) for m in ("jedi/third_party/typeshed/stdlib/2/os.pyi",
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


__all__ = [
    "BROWSER_PARTS",
    "EAGER_EMBED",
    "KERNEL_SHIMS",
    "PATCHES",
    "PYGMENTS_LEXERS",
    "USE_JEDI",
    "USE_JEDI_IF_INSTALLED",
    "WORKER_INSTALLS",
    "WORKER_INSTALLS_NO_JEDI",
    "course_wheel",
    "dist_info",
    "folder_last",
    "jedi_if_installed",
    "kernel_shims",
    "kernel_without_jedi",
    "lazy_ipython",
    "lazy_piplite",
    "left_out",
    "patch",
    "pure_pyyaml",
    "sha256",
    "slim_pygments",
    "wheel_files",
    "write_wheel",
]
