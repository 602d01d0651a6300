"""Put the site together: the runtime, the trimmed ``pyodide-lock.json``, the lessons and
``jupyter-lite.json``, built by ``jupyterlite_core`` into the output folder.

Every Python package is a start-up package of the kernel, listed in a ``pyodide-lock.json``
beside the runtime (no CDN, no PyPI from the browser: ``disablePyPIFallback``). The runtime
ends up in ``static/runtime/<digest of its files>/``. The lessons and the glossary are copied
without outputs, under their Chinese titles, and the site opens on lesson 00
(:mod:`sanshe_edu.lite.pages`); graded sources and solutions (``exercises/``, ``grading/``)
are never part of the site.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import sys
import tarfile
import tempfile
import time
from pathlib import Path

from ..errors import SansheError
from ..paths import course_dir
from .compile import compile_stdlib, compile_wheels, sourceless_stdlib
from .fetch import (
    COURSE_PACKAGES,
    KERNEL_PACKAGES,
    ON_DEMAND,
    PYODIDE_FILES,
    default_cache,
    fetch_all,
    find_wheel,
    norm,
    run_step,
)
from .pages import (
    START,
    add_pages,
    config_data,
    notebook_title_line,
    rename_links,
    settings_overrides,
    site_name,
)
from .runtime import BROWSER_DATA_DIR
from .wheels import (
    KERNEL_SHIMS,
    course_wheel,
    kernel_shims,
    kernel_without_jedi,
    lazy_ipython,
    pure_pyyaml,
    sha256,
    slim_pygments,
)

#: Where the runtime is in the site: ``static/runtime/<digest of its files>/`` (a new build
#: with any change has a new folder, so a browser may keep an old one's files for good; not
#: jupyterlite's ``static/pyodide``, which it checks but serves with the same names each build).
RUNTIME_URL = "static/runtime"
#: The kernel's plugin, whose settings (``litePluginSettings``) carry the runtime's URL.
KERNEL_PLUGIN = "@jupyterlite/pyodide-kernel-extension:kernel"


def tree_digest(folder: Path) -> str:
    """16 hex digits of a digest of every file's name and content in ``folder``: the runtime
    folder's name, so that a browser may keep its files for good (see ``lite.serve``)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(f"{path.relative_to(folder).as_posix()}\0{sha256(path)}\n".encode())
    return digest.hexdigest()[:16]


def _name_runtime_by_digest(out: Path) -> None:
    """Move the built site's runtime (``static/pyodide``, where jupyterlite's Pyodide add-on
    puts it) to ``static/runtime/<digest>`` and point the kernel's settings there."""
    built = out / "static" / "pyodide"
    target = out / RUNTIME_URL / tree_digest(built)
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


def _lock_entry(name: str, wheel: Path, imports: list[str]) -> dict:
    return {
        "name": name,
        "version": wheel.name.split("-")[1],
        "file_name": wheel.name,
        "install_dir": "site",
        "sha256": sha256(wheel),
        "package_type": "package",
        "imports": imports,
        "depends": [],
        "unvendored_tests": False,
    }


def _notebooks() -> list[Path]:
    folder = course_dir()
    books = [*sorted(folder.glob("[0-9][0-9]_*.ipynb")), folder / "glossary.ipynb"]
    books += [folder / "review.ipynb"] if (folder / "review.ipynb").exists() else []
    missing = [p for p in books if not p.exists()]
    if not books or missing:
        raise SansheError("lite.no_course", folder=folder)
    return books


def site_names() -> dict[str, str]:
    """Each lesson's (and the glossary's) name in the course → its name in the site (its
    Chinese title: :func:`sanshe_edu.lite.pages.site_name`)."""
    names = {}
    for book in _notebooks():
        nb = json.loads(book.read_text(encoding="utf-8"))
        names[book.name] = site_name(book.name, notebook_title_line(nb))
    return names


def _clean_notebook(src: Path, dest: Path, names: dict[str, str] | None = None) -> None:
    nb = json.loads(src.read_text(encoding="utf-8"))
    if names:
        rename_links(nb, names)
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"], cell["execution_count"] = [], None
        cell.get("metadata", {}).pop("nbgrader", None)
    dest.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _wheels(got: dict, cache: Path, work: Path, runtime: Path, front: Path) -> dict[str, dict]:
    """Every package of the site, compiled, copied into ``runtime``: lock name → lock entry
    (the kernel's own Python side taken out of ``front``, its front-end wheel)."""
    pinned, wheels_dir = got["lock"]["packages"], cache / "wheels"
    kernel_specs, course_specs = got["kernel"], got["course"]
    sources = {}  # lock name → (source wheel, import names)
    for name in KERNEL_PACKAGES:
        wheel = find_wheel(wheels_dir, kernel_specs[KERNEL_PACKAGES.index(name)])
        if name == "ipython":
            wheel = lazy_ipython(wheel, work)
        elif name == "pygments":
            wheel = slim_pygments(wheel, work)
        sources[name] = (wheel, pinned[name]["imports"])
    for dist, imports in COURSE_PACKAGES.items():
        spec = next(s for s in course_specs if norm(s.split("==")[0]) == norm(dist))
        wheel = find_wheel(wheels_dir, spec)
        if dist == "pyyaml":
            wheel = pure_pyyaml(wheel, cache)
        sources[dist] = (wheel, imports)
    shims = kernel_shims(front, work)
    for name, wheel in shims.items():
        sources[name] = (wheel, KERNEL_SHIMS[name])
    own = course_wheel(work)
    sources["sanshe-edu"] = (own, ["sanshe_edu"])
    compiled = compile_wheels([w for w, _ in sources.values()], got["pyodide"], cache, (own,))
    packages = {}
    for name, (wheel, imports) in sources.items():
        shutil.copy2(compiled[wheel], runtime / wheel.name)
        packages[name] = _lock_entry(name, runtime / wheel.name, imports)
    return packages


def _lite_config(packages: dict) -> dict:
    """The site's ``jupyter-lite.json`` (the runtime's URL is set once it has its digest)."""
    settings = {
        "pyodideUrl": "./static/pyodide/pyodide.mjs",
        "disablePyPIFallback": True,
        "loadPyodideOptions": {
            "packages": sorted(p for p in packages if p not in ON_DEMAND),
            "env": {"HOME": "/home/pyodide", "SANSHE_EDU_DATA_DIR": BROWSER_DATA_DIR},
        },
    }
    return {
        "jupyter-lite-schema-version": 0,
        "jupyter-config-data": {
            "appName": "三社联动 · sanshe-edu",
            "litePluginSettings": {KERNEL_PLUGIN: settings},
            "disabledExtensions": ["@jupyterlab/apputils-extension:announcements"],
            # JupyterLab's own menus in Chinese (the zh_CN language pack, built
            # into api/translations by jupyterlite from the installed pack); autosave.
            "settingsOverrides": {
                "@jupyterlab/translation-extension:plugin": {"locale": "zh_CN"},
                **settings_overrides(),
            },
            # The learner's storage under names that never change (see lite.pages).
            **config_data(),
        },
    }


def build_site(out: Path, cache: Path | None = None, extra_files: list[Path] = ()) -> dict:
    """Build the site into ``out`` (replaced); return ``{"out", "size_mb", "seconds"}``.

    ``extra_files`` are put beside the lessons (tests use it for a practice notebook)."""
    if importlib.util.find_spec("jupyterlite_core") is None:
        raise SansheError("lite.needs_extra")
    start = time.perf_counter()
    cache = cache or default_cache()
    out = out.resolve()
    got = fetch_all(cache)
    tgz, lock = got["pyodide"], got["lock"]
    work = Path(tempfile.mkdtemp(prefix="sanshe-lite-"))
    try:
        lite = work / "lite"
        pyodide_dir = lite / "static" / "pyodide"  # jupyterlite's add-on copies it; moved below
        pyodide_dir.mkdir(parents=True)
        with tarfile.open(tgz) as tf:
            for name in PYODIDE_FILES:
                member = tf.extractfile(f"package/{name}")
                (pyodide_dir / name).write_bytes(member.read())
        sourceless_stdlib(compile_stdlib(tgz, cache), pyodide_dir / "python_stdlib.zip")
        # the kernel's front-end wheel as the site carries it (its worker installs no jedi)
        front = kernel_without_jedi(find_wheel(cache / "extensions", got["front"][0]), work)
        packages = _wheels(got, cache, work, pyodide_dir, front)
        (pyodide_dir / "pyodide-lock.json").write_text(
            json.dumps({"info": lock["info"], "packages": packages}, indent=1), encoding="utf-8"
        )
        files = lite / "files"
        files.mkdir()
        names = site_names()
        for book in _notebooks():
            _clean_notebook(book, files / names[book.name], names)
        for extra in extra_files:
            shutil.copy2(extra, files / Path(extra).name)
        (lite / "jupyter-lite.json").write_text(
            json.dumps(_lite_config(packages), ensure_ascii=False, indent=1), encoding="utf-8"
        )
        extensions = [str(front)]
        extensions += [str(find_wheel(cache / "extensions", s)) for s in got["front"][1:]]
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
        cmd = [sys.executable, "-m", "jupyterlite_core", "build"]
        cmd += ["--lite-dir", str(lite), "--output-dir", str(out)]
        run_step(cmd, "jupyter lite build", cwd=lite, env=env)
        _name_runtime_by_digest(out)
        add_pages(out, names[START])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    return {"out": out, "size_mb": size / 1e6, "seconds": time.perf_counter() - start}


def site_files(out: Path) -> list[str]:
    """Every file of a built site, relative, sorted (for checks)."""
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())


__all__ = [
    "KERNEL_PLUGIN",
    "RUNTIME_URL",
    "build_site",
    "kernel_settings",
    "runtime_dir",
    "site_files",
    "site_names",
    "tree_digest",
]
