"""The student release of the assignments, made by nbgrader in a scratch course and cached.

nbgrader takes seconds per assignment, and the build (``--check`` included) runs many times a
day in a course's life and about ten times in the test suite; a release is kept in the user's
cache (:func:`sanshe_edu.paths.cache_dir`) under a digest of everything it is made from.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from ..errors import SansheError
from ..paths import cache_dir


def release(layout: Any, sources: dict[Path, bytes], names: list[str]) -> dict[Path, bytes]:
    """The student release of each assignment, made by nbgrader from the new sources.

    nbgrader takes seconds per assignment, so a release is kept in the user's cache under a
    digest of everything it is made from (the sources, the course's nbgrader config, nbgrader's
    version and this package's code): ``--check`` and a build with nothing changed reuse it."""
    key = _release_digest(layout, sources, names)
    cached = cache_dir() / "release" / key
    if (cached / "done").is_file():
        os.utime(cached)  # the newest-used stay when the cache is pruned
    else:
        _make_release(layout, sources, names, cached)
    out = {}
    for name in names:
        for f in sorted((cached / name).rglob("*")):
            if f.is_file():
                out[layout.exercises / name / f.relative_to(cached / name)] = f.read_bytes()
    return out


def _release_digest(layout: Any, sources: dict[Path, bytes], names: list[str]) -> str:
    import hashlib
    from importlib.metadata import version

    h = hashlib.sha256(b"sanshe-edu/release/1\0" + version("nbgrader").encode() + b"\0")
    h.update((layout.grading / "nbgrader_config.py").read_bytes())
    for path, data in sorted(sources.items()):
        h.update(f"\0{path.parent.name}/{path.name}\0".encode() + data)
    package = Path(__file__).resolve().parents[1]  # sanshe_edu/
    for code in sorted(package.rglob("*.py")):
        h.update(f"\0{code.relative_to(package)}\0".encode() + code.read_bytes())
    h.update(json.dumps(names).encode())
    return h.hexdigest()[:32]


def _make_release(layout: Any, sources: dict[Path, bytes], names: list[str], cached: Path) -> None:
    from .pipeline.course import make_api

    cached.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="sanshe-build-") as tmp:
        course = Path(tmp) / "grading"
        (course / "source").mkdir(parents=True)
        shutil.copy2(layout.grading / "nbgrader_config.py", course)
        for path, data in sources.items():
            target = course / "source" / path.parent.name / path.name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        api = make_api(course)
        for name in names:
            result = api.generate_assignment(name, force=True, create=True)
            if not result.get("success"):
                raise SansheError("assign.generate_failed", name=name, detail=result.get("log", ""))
        (course / "release" / "done").write_text("")
        shutil.rmtree(cached, ignore_errors=True)
        try:
            (course / "release").rename(cached)
        except OSError:  # another file system: copy, then mark it complete last
            shutil.copytree(course / "release", cached, ignore=shutil.ignore_patterns("done"))
            (cached / "done").write_text("")
    _prune(cached.parent, keep=12)


def _prune(folder: Path, keep: int) -> None:
    """Only the ``keep`` newest releases stay in the cache."""
    entries = sorted(folder.iterdir(), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[keep:]:
        shutil.rmtree(old, ignore_errors=True)
