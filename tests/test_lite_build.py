"""``sanshe-edu lite build``: the site is self-contained (the runtime and every wheel inside,
nothing pointing at a CDN or PyPI), carries the lessons without outputs and nothing graded,
and ``lite serve`` serves it on loopback with the MIME types the browser needs.

The downloads come from the build cache (``SANSHE_EDU_LITE_CACHE``, filled by scripts/test.sh)."""

from __future__ import annotations

import ast
import hashlib
import json
import re
import shutil
import threading
import urllib.error
import urllib.request
import zipfile
from urllib.parse import quote

import pytest

from sanshe_edu.cli import main
from sanshe_edu.errors import SansheError
from sanshe_edu.lite.build import (
    BROWSER_DATA_DIR,
    PYODIDE_PYTHON,
    PYODIDE_VERSION,
    default_cache,
    kernel_settings,
    runtime_dir,
    site_files,
    site_names,
    slim_pygments,
)
from sanshe_edu.lite.fetch import ON_DEMAND
from sanshe_edu.lite.serve import make_server
from sanshe_edu.lite.wheels import WORKER_INSTALLS
from sanshe_edu.paths import course_dir

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("lite") / "site"
    assert main(["--lang", "en", "lite", "build", str(out)]) == 0
    return out


def test_kernel_uses_the_local_runtime_and_never_pypi(site):
    settings = kernel_settings(site)
    assert re.fullmatch(r"\./static/runtime/[0-9a-f]{16}/pyodide\.mjs", settings["pyodideUrl"])
    assert settings["disablePyPIFallback"] is True
    assert settings["loadPyodideOptions"]["env"]["SANSHE_EDU_DATA_DIR"] == BROWSER_DATA_DIR
    assert BROWSER_DATA_DIR.startswith("/drive/")  # the folder kept in the browser's storage
    runtime = runtime_dir(site)
    for name in ("pyodide.mjs", "pyodide.asm.wasm", "python_stdlib.zip"):
        assert (runtime / name).stat().st_size > 1000, name
    package = json.loads((runtime / "package.json").read_text())
    assert package["name"] == "pyodide" and package["version"] == PYODIDE_VERSION


def test_every_locked_package_is_in_the_site_with_its_checksum(site):
    runtime = runtime_dir(site)
    lock = json.loads((runtime / "pyodide-lock.json").read_text())["packages"]
    preload = set(kernel_settings(site)["loadPyodideOptions"]["packages"])
    # all but jedi, parso and prompt_toolkit load at each start; those stay in the lock
    assert preload == set(lock) - set(ON_DEMAND)
    assert set(ON_DEMAND) <= set(lock)
    course = ("sanshe-edu", "ipywidgets", "comm", "networkx", "drawsvg", "pyyaml")
    for name in (*course, "fsrs", "typing-extensions"):  # fsrs: the spaced review
        assert name in lock, name
    assert not {"numpy", "matplotlib", "pillow", "kiwisolver"} & set(lock)
    for name, entry in lock.items():
        wheel = runtime / entry["file_name"]
        assert wheel.name.endswith("-none-any.whl"), name  # pure Python only
        assert hashlib.sha256(wheel.read_bytes()).hexdigest() == entry["sha256"], name


def test_the_kernel_installs_nothing_at_start(site):
    """The kernel's own wheels (piplite, the ipykernel shim, pyodide-kernel) are start-up
    packages: otherwise micropip and piplite resolve and install them at every kernel start."""
    runtime = runtime_dir(site)
    lock = json.loads((runtime / "pyodide-lock.json").read_text())["packages"]
    preload = kernel_settings(site)["loadPyodideOptions"]["packages"]
    for name, module in (
        ("piplite", "piplite"),
        ("ipykernel", "ipykernel"),
        ("pyodide-kernel", "pyodide_kernel"),
    ):
        assert name in preload, name
        assert lock[name]["imports"] == [module], name
    # The kernel's worker installs (with micropip, a second at each start) what is not
    # preloaded of ipykernel, comm, pyodide-kernel, jedi and ipython: the site's worker leaves
    # jedi out of that list (its Tab completion is IPython's own; jedi is not preloaded).
    assert "jedi" not in preload
    static = site / "extensions" / "@jupyterlite" / "pyodide-kernel-extension" / "static"
    bundles = [p.read_text(encoding="utf-8") for p in static.glob("*.js")]
    assert not [b for b in bundles if WORKER_INSTALLS in b or '"jedi"' in b]
    assert [b for b in bundles if 'of["ipykernel","comm","pyodide-kernel","ipython"])' in b]


def test_piplite_imports_micropip_only_at_the_first_install(site, tmp_path, monkeypatch):
    """The kernel imports ``piplite.piplite`` at every start to set two settings: the site's
    module leaves micropip (the original, ``piplite._eager``) until a ``%pip`` runs, and hands
    it the settings then."""
    import sys

    from sanshe_edu.lite.wheels import patch

    runtime = runtime_dir(site)
    names = zipfile.ZipFile(next(runtime.glob("piplite-*.whl"))).namelist()
    assert {"piplite/piplite.pyc", "piplite/_eager.pyc", "piplite/cli.pyc"} <= set(names)
    package = tmp_path / "piplite"
    package.mkdir()
    (package / "__init__.py").write_text("from .piplite import install\n")
    (package / "piplite.py").write_text(patch("piplite.py"))
    (package / "_eager.py").write_text(
        "_PIPLITE_URLS = None\n_PIPLITE_DISABLE_PYPI = None\n_PIPLITE_INDICES = {'x': 1}\n"
        "def install(*a, **k):\n    return (a, k, _PIPLITE_URLS, _PIPLITE_DISABLE_PYPI)\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in [m for m in sys.modules if m == "piplite" or m.startswith("piplite.")]:
        monkeypatch.delitem(sys.modules, name)
    import piplite.piplite  # as the kernel does at start

    assert "piplite._eager" not in sys.modules
    piplite.piplite._PIPLITE_DISABLE_PYPI = True
    piplite.piplite._PIPLITE_URLS = ["./all.json"]
    assert "piplite._eager" not in sys.modules
    assert piplite.install("comm", keep_going=True) == (
        ("comm",),
        {"keep_going": True},
        ["./all.json"],
        True,
    )
    assert piplite.piplite._PIPLITE_INDICES == {"x": 1}
    for name in [m for m in sys.modules if m == "piplite" or m.startswith("piplite.")]:
        del sys.modules[name]  # the stand-in package goes with the test


def test_ipython_imports_the_terminal_shell_only_for_embed(tmp_path, monkeypatch):
    """The site's IPython leaves ``IPython.terminal.embed`` (prompt_toolkit…) until
    ``IPython.embed`` is asked for; a stand-in package checks the rewritten ``__init__``."""
    import sys

    from sanshe_edu.lite.build import default_cache, lazy_ipython
    from sanshe_edu.lite.wheels import EAGER_EMBED

    source = next((default_cache() / "wheels").glob("ipython-*.whl"))
    out = tmp_path / "out"
    out.mkdir()
    with zipfile.ZipFile(lazy_ipython(source, out)) as zf:
        init = zf.read("IPython/__init__.py").decode()
        assert "IPython/terminal/embed.py" in zf.namelist()
    assert "\n" + EAGER_EMBED not in init  # no longer at the top level
    assert "def __getattr__(name):" in init
    lazy = init[init.index("def __getattr__(name):") :].split("\n\n\n")[0]
    package = tmp_path / "fakeipy"
    (package / "terminal").mkdir(parents=True)
    (package / "__init__.py").write_text(lazy + "\n")
    (package / "terminal" / "__init__.py").write_text("")
    (package / "terminal" / "embed.py").write_text("def embed():\n    return 'embedded'\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        import fakeipy

        assert "fakeipy.terminal.embed" not in sys.modules
        from fakeipy import embed

        assert embed() == "embedded" and "fakeipy.terminal.embed" in sys.modules
        with pytest.raises(AttributeError):
            fakeipy.nothing  # noqa: B018
    finally:
        for name in [m for m in sys.modules if m.split(".")[0] == "fakeipy"]:
            del sys.modules[name]


def test_every_module_is_byte_compiled_for_the_sites_python(site):
    """Every module comes compiled for the site's Python (3.14), so the kernel imports it without
    compiling it: the course's own package beside its sources (``__pycache__``), the others
    as ``.pyc`` alone, like Pyodide's own packages; their test suites and front-end files
    (served from ``extensions/``) are left out."""
    runtime = runtime_dir(site)
    lock = json.loads((runtime / "pyodide-lock.json").read_text())["packages"]
    tag = "cpython-" + PYODIDE_PYTHON.replace(".", "")
    for name, entry in lock.items():
        names = set(zipfile.ZipFile(runtime / entry["file_name"]).namelist())
        sources = [n for n in names if n.endswith(".py")]
        if name == "sanshe-edu":
            assert sources
            for source in sources:
                folder, _, module = source.rpartition("/")
                pyc = f"{folder}/__pycache__/{module[:-3]}.{tag}.pyc".lstrip("/")
                assert pyc in names, (name, source)
        else:
            assert not sources, (name, sources[:3])
            assert [n for n in names if n.endswith(".pyc") and "__pycache__" not in n], name
        assert not [n for n in names if "/tests/" in n or n.endswith(".map")], name
        assert not [n for n in names if n.split("/")[0].endswith(".data")], name
    with zipfile.ZipFile(next(runtime.glob("sanshe_edu-*.whl"))) as zf:
        pyc = zf.read(f"sanshe_edu/__pycache__/__init__.{tag}.pyc")
    assert int.from_bytes(pyc[4:8], "little") == 0b01  # hash-based, not checked against source
    with zipfile.ZipFile(next(runtime.glob("ipython-*.whl"))) as zf:
        assert "IPython/__init__.pyc" in zf.namelist()


def test_the_standard_library_comes_compiled_without_its_sources(site):
    """Pyodide's npm package has the standard library as sources only; the site's has the
    ``.pyc`` (hash-based, for 3.14) instead, which ``zipimport`` takes alone: fewer bytes."""
    with zipfile.ZipFile(runtime_dir(site) / "python_stdlib.zip") as zf:
        names = set(zf.namelist())
        compiled = [n for n in names if n.endswith(".pyc")]
        assert len(compiled) > 300 and "json/__init__.pyc" in names
        assert not [n for n in names if n.endswith(".py") and n + "c" in names]
        pyc = zf.read("encodings/__init__.pyc")
    assert int.from_bytes(pyc[4:8], "little") == 0b01


def test_pyyaml_is_pure_python_and_the_course_wheel_carries_what_the_browser_runs(site):
    runtime = runtime_dir(site)
    yaml_wheel = next(runtime.glob("pyyaml-*.whl"))
    names = zipfile.ZipFile(yaml_wheel).namelist()
    assert "yaml/__init__.pyc" in names and not [n for n in names if n.endswith(".so")]
    wheel = zipfile.ZipFile(next(runtime.glob("sanshe_edu-*.whl")))
    own = wheel.namelist()
    for name in ("draw/svg.py", "quiz/types/order.py", "model/__init__.py", "messages/lite.json"):
        assert f"sanshe_edu/{name}" in own
    assert [n for n in own if n.startswith("sanshe_edu/data/banks/")]
    tops = {n.split("/")[1] for n in own if n.startswith("sanshe_edu/")}
    assert not tops & {"grade", "classroom", "platform", "lite", "cli.py", "_course"}, tops
    # No byte code of the Python that built the site: only the site's own (3.14).
    tag = ".cpython-" + PYODIDE_PYTHON.replace(".", "") + ".pyc"
    assert not [n for n in own if n.endswith((".pyc", ".pyo")) and not n.endswith(tag)]
    # Every import of the carried modules, at the top or inside a function, resolves in the
    # wheel or outside the package: nothing the lessons run can reach a left-out module.
    modules = {n[:-3].replace("/", ".").removesuffix(".__init__") for n in own if n.endswith(".py")}
    lessons = {
        m.group(1)
        for nb in course_dir().glob("*.ipynb")
        for m in re.finditer(r"(?:from|import) (sanshe_edu[\w.]*)", nb.read_text(encoding="utf-8"))
    }
    assert lessons and lessons <= modules, lessons - modules
    unresolved = []
    for name in own:
        if not name.endswith(".py"):
            continue
        package = name[:-3].replace("/", ".")
        package = package.removesuffix(".__init__") if name.endswith("__init__.py") else package
        package = package if name.endswith("__init__.py") else package.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(wheel.read(name))):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            elif isinstance(node, ast.ImportFrom):
                target = node.module or ""
            elif isinstance(node, ast.Import):
                target = node.names[0].name
            else:
                continue
            if target.startswith("sanshe_edu") and target not in modules:
                unresolved.append(f"{name}:{node.lineno} {target}")
    assert unresolved == []


def test_pygments_keeps_the_python_lexer_and_a_table_of_what_it_keeps(site):
    """The site's Pygments has the Python and plain-text lexers and a lexer table naming only
    those (asking it for another language is its own ``ClassNotFound``)."""
    wheel = zipfile.ZipFile(next(runtime_dir(site).glob("pygments-*.whl")))
    lexers = sorted(n for n in wheel.namelist() if n.startswith("pygments/lexers/"))
    assert lexers == [
        f"pygments/lexers/{m}.pyc" for m in ("__init__", "_mapping", "python", "special")
    ]
    assert "pygments/formatters/terminal256.pyc" in wheel.namelist()
    original = next((default_cache() / "wheels").glob("pygments-*.whl"))
    slim = slim_pygments(original, site.parent)
    table = zipfile.ZipFile(slim).read("pygments/lexers/_mapping.py").decode()
    [assign] = ast.parse(table).body
    lexers = ast.literal_eval(assign.value)
    assert {entry[0] for entry in lexers.values()} == {
        "pygments.lexers.python",
        "pygments.lexers.special",
    }
    assert {"PythonLexer", "PythonTracebackLexer", "TextLexer"} <= set(lexers)
    assert len(lexers) < 15


def test_site_has_the_lessons_without_outputs_and_nothing_graded(site):
    files = site / "files"
    names = site_names()
    expected = sorted(p.name for p in course_dir().glob("[0-9][0-9]_*.ipynb"))
    assert sorted(names) == sorted([*expected, "glossary.ipynb", "review.ipynb"])
    assert sorted(p.name for p in files.glob("*.ipynb")) == sorted(names.values())
    for book in files.glob("*.ipynb"):
        nb = json.loads(book.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            assert "nbgrader" not in cell.get("metadata", {}), book.name
            assert not cell.get("outputs"), book.name
    everything = site_files(site)
    assert not [f for f in everything if re.search(r"(^|/)(exercises|grading|source)/", f)]
    for f in everything:
        if f.endswith((".ipynb", ".json")) and f.startswith("files/"):
            text = (site / f).read_text(encoding="utf-8")
            assert "BEGIN SOLUTION" not in text and "### BEGIN HIDDEN TESTS" not in text, f
    # The widgets' front end is in; nbgrader's (a server extension) is not, nor ipysigma's
    # (lesson 05's network is the course's own SVG).
    extensions = {p.name for p in (site / "extensions").iterdir()}
    assert {"@jupyter-widgets", "@jupyterlite"} <= extensions
    assert "ipysigma" not in extensions
    assert not any("nbgrader" in f for f in everything)


def test_lessons_have_chinese_names_and_their_links_follow(site):
    names = site_names()
    assert names["00_start_here.ipynb"] == "00_开始这里.ipynb"
    assert names["05_subject_element_linkage.ipynb"] == "05_主体联动与要素联动.ipynb"
    assert names["glossary.ipynb"] == "术语表.ipynb"
    assert len(set(names.values())) == len(names)
    start = json.loads((site / "files" / names["00_start_here.ipynb"]).read_text("utf-8"))
    text = "".join("".join(c["source"]) for c in start["cells"] if c["cell_type"] == "markdown")
    assert f"]({quote(names['01_origins.ipynb'])})" in text
    assert not re.search(r"\]\([0-9a-z_]+\.ipynb", text)


def test_the_site_opens_on_lesson_00_and_keeps_the_learners_storage(site):
    from sanshe_edu.lite.pages import SCRIPT

    start = quote(site_names()["00_start_here.ipynb"])
    front = (site / "index.html").read_text(encoding="utf-8")
    assert f'window.location.replace("lab/index.html?path={start}"' in front
    lab = (site / "lab" / "index.html").read_text(encoding="utf-8")
    # The script comes before JupyterLab's own (its beforeunload handler must be first).
    assert lab.index(f'<script src="../{SCRIPT}">') < lab.index("<script id=")
    script = (site / SCRIPT).read_text(encoding="utf-8")
    assert "navigator.storage.persist()" in script and "beforeunload" in script
    data = json.loads((site / "jupyter-lite.json").read_text(encoding="utf-8"))
    data = data["jupyter-config-data"]
    # Fixed names: not JupyterLite's default, which carries the path the site is served at.
    assert data["contentsStorageName"] == "sanshe-edu"
    assert data["settingsStorageName"] == "sanshe-edu-settings"
    autosave = data["settingsOverrides"]["@jupyterlab/docmanager-extension:plugin"]
    assert autosave["autosaveInterval"] <= 10


def test_jupyterlab_itself_is_in_chinese(site):
    config = json.loads((site / "jupyter-lite.json").read_text(encoding="utf-8"))
    overrides = config["jupyter-config-data"]["settingsOverrides"]
    assert overrides["@jupyterlab/translation-extension:plugin"]["locale"] == "zh_CN"
    pack = json.loads((site / "api" / "translations" / "zh_CN.json").read_text(encoding="utf-8"))
    assert pack["data"]["jupyterlab"]["Run All Cells"] == ["运行所有单元格"]


def test_nothing_in_the_site_config_points_to_another_host(site):
    for name in ("jupyter-lite.json", "lab/jupyter-lite.json"):
        path = site / name
        if path.exists():
            text = path.read_text(encoding="utf-8")
            assert "cdn.jsdelivr" not in text and "pypi.org" not in text, name


def test_serve_on_loopback_with_wasm_mime_type(site):
    server = make_server(site, port=0)
    assert server.server_address[0] == "127.0.0.1"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        wasm = runtime_dir(site).relative_to(site).as_posix() + "/pyodide.asm.wasm"
        with urllib.request.urlopen(f"{base}/{wasm}") as r:
            assert r.headers["Content-Type"] == "application/wasm"
        with urllib.request.urlopen(f"{base}/lab/index.html") as r:
            assert r.status == 200 and b"<html" in r.read().lower()
    finally:
        server.shutdown()
        server.server_close()


def test_serve_lets_the_browser_keep_the_site(site):
    """A second visit downloads nothing that did not change: hashed chunks and the runtime's
    folder (named by a digest of its files) are immutable, the rest (settings, lessons) is
    revalidated with its ETag and answered ``304``."""
    chunk = next((site / "build").glob("*.*.js"))
    assert re.fullmatch(r"\d+\.[0-9a-f]{7,}\.js", chunk.name), chunk.name
    runtime = runtime_dir(site).relative_to(site).as_posix()
    server = make_server(site, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        for path in (
            f"build/{chunk.name}",
            f"{runtime}/pyodide.asm.wasm",
            f"{runtime}/pyodide-lock.json",
        ):
            with urllib.request.urlopen(f"{base}/{path}") as r:
                assert r.headers["Cache-Control"] == "public, max-age=31536000, immutable", path
        start = site_names()["00_start_here.ipynb"]
        lesson = f"{base}/files/{quote(start)}"
        with urllib.request.urlopen(lesson) as r:
            assert r.headers["Cache-Control"] == "no-cache"
            etag = r.headers["ETag"]
        assert etag
        request = urllib.request.Request(lesson, headers={"If-None-Match": etag})
        with pytest.raises(urllib.error.HTTPError) as answer:
            urllib.request.urlopen(request)
        assert answer.value.code == 304 and answer.value.headers["ETag"] == etag
        (site / "files" / start).touch()  # a rebuild: a new ETag
        request = urllib.request.Request(lesson, headers={"If-None-Match": etag})
        with urllib.request.urlopen(request) as r:
            assert r.status == 200 and r.headers["ETag"] != etag
    finally:
        server.shutdown()
        server.server_close()


def test_the_runtime_folder_is_named_by_its_files(site):
    """The runtime's folder name is a digest of every file in it, so a rebuild with any change
    (a new course wheel) is a new folder a browser has never kept: no learner gets a stale
    runtime from an ``immutable`` cache."""
    from sanshe_edu.lite.site import tree_digest

    runtime = runtime_dir(site)
    assert runtime.name == tree_digest(runtime)
    assert [p.name for p in runtime.parent.iterdir()] == [runtime.name]
    copy = site.parent / "digest-copy"
    shutil.copytree(runtime, copy)
    try:
        wheel = next(copy.glob("sanshe_edu-*.whl"))
        wheel.write_bytes(wheel.read_bytes() + b"\0")
        assert tree_digest(copy) != runtime.name
    finally:
        shutil.rmtree(copy)


def test_serve_refuses_a_folder_without_a_site(tmp_path):
    from sanshe_edu.i18n import use_lang

    with use_lang("en"), pytest.raises(SansheError, match="run sanshe-edu lite build first"):
        make_server(tmp_path)


def test_build_without_jupyterlite_says_what_to_install(tmp_path, monkeypatch):
    import importlib.util

    from sanshe_edu.i18n import use_lang
    from sanshe_edu.lite.build import build_site

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda n, *a: None if n == "jupyterlite_core" else real(n, *a)
    )
    with use_lang("en"), pytest.raises(SansheError, match=r"sanshe-edu\[lite\]"):
        build_site(tmp_path / "site")
    assert not (tmp_path / "site").exists()


def test_serve_compresses_what_compresses(site):
    import gzip

    server = make_server(site, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        runtime = runtime_dir(site).relative_to(site).as_posix()
        wasm = f"{base}/{runtime}/pyodide.asm.wasm"
        ask = {"Accept-Encoding": "gzip, deflate"}
        with urllib.request.urlopen(urllib.request.Request(wasm, headers=ask)) as r:
            assert r.headers["Content-Encoding"] == "gzip"
            assert r.headers["Content-Type"] == "application/wasm"
            body = r.read()
            etag = r.headers["ETag"]
        original = (runtime_dir(site) / "pyodide.asm.wasm").read_bytes()
        assert gzip.decompress(body) == original and len(body) < 0.6 * len(original)
        again = urllib.request.Request(wasm, headers={**ask, "If-None-Match": etag})
        with pytest.raises(urllib.error.HTTPError) as answer:
            urllib.request.urlopen(again)
        assert answer.value.code == 304
        with urllib.request.urlopen(wasm) as r:  # a client that does not accept gzip
            assert r.headers["Content-Encoding"] is None and r.read() == original
        stdlib = f"{base}/{runtime}/python_stdlib.zip"
        with urllib.request.urlopen(urllib.request.Request(stdlib, headers=ask)) as r:
            assert r.headers["Content-Encoding"] is None  # a zip: compressed already
    finally:
        server.shutdown()
        server.server_close()
