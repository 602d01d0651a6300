"""Copy the shipped course into the learner's workspace without losing the learner's edits.

A manifest (``.sanshe-edu-manifest.json`` in the workspace) records the hash of the shipped
version each workspace file came from, which tells an edited file from an unedited one:

- a file that is missing is copied;
- an unedited file (its hash equals the manifest's) is updated in place to the new version;
- an edited file is kept as it is; a newer shipped version is put beside it as
  ``<name> (新版 v<version>)<suffix>`` and reported, never over it.

Notebooks are written with this machine's kernel metadata (``kernelspec`` and
``language_info``, Python version included): JupyterLab fills these in from the kernel when a
notebook opens and marks the tab modified (●) whenever they differ, so a lesson the learner
has not touched would otherwise open as "changed".  Hashes are taken of what is written.

>>> import tempfile, pathlib
>>> src, dst = (pathlib.Path(tempfile.mkdtemp()) for _ in range(2))
>>> _ = (src / "a.ipynb").write_text("v1")
>>> sync_course(src, dst, version="0.1").copied
['a.ipynb']
>>> _ = (dst / "a.ipynb").write_text("my answers")          # the learner edits it
>>> _ = (src / "a.ipynb").write_text("v2")                  # a newer course ships
>>> report = sync_course(src, dst, version="0.2")
>>> report.offered, (dst / "a.ipynb").read_text()
([('a.ipynb', 'a (新版 v0.2).ipynb')], 'my answers')
>>> sync_course(src, dst, version="0.2").offered                # offered once, not again
[]
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST = ".sanshe-edu-manifest.json"
_SKIP_PARTS = {".ipynb_checkpoints", "__pycache__", ".git"}
# Teaching notes are for trainers (they read them in the repository); a learner's workspace
# holds the lessons only, so discussion prompts and misconception lists are not spoiled.
TRAINER_ONLY = {"instructor_notes.md"}


@dataclass
class SyncReport:
    """What :func:`sync_course` did; paths are relative to the workspace (posix style)."""

    copied: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    offered: list[tuple[str, str]] = field(default_factory=list)


def file_hash(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def shipped_files(src: Path) -> list[Path]:
    """Course files to copy (relative paths), skipping caches, hidden files and trainer notes.

    >>> import tempfile, pathlib
    >>> src = pathlib.Path(tempfile.mkdtemp())
    >>> for name in ("01.ipynb", "instructor_notes.md", ".hidden"):
    ...     _ = (src / name).write_text("x")
    >>> [p.name for p in shipped_files(src)]
    ['01.ipynb']
    """
    out = []
    for path in sorted(src.rglob("*")):
        rel = path.relative_to(src)
        if rel.as_posix() in TRAINER_ONLY:
            continue
        if path.is_file() and not any(p in _SKIP_PARTS or p.startswith(".") for p in rel.parts):
            out.append(rel)
    return out


def offered_name(rel: Path, version: str) -> Path:
    """Name of a newer version put beside an edited file.

    >>> offered_name(Path("sub/01_origins.ipynb"), "0.2").as_posix()
    'sub/01_origins (新版 v0.2).ipynb'
    """
    return rel.with_name(f"{rel.stem} (新版 v{version}){rel.suffix}")


def kernel_metadata() -> dict:
    """The notebook metadata JupyterLab writes for this Python's ``python3`` kernel.

    >>> meta = kernel_metadata()
    >>> meta["kernelspec"]["name"], meta["language_info"]["version"] == sys.version.split()[0]
    ('python3', True)
    """
    from ipykernel.ipkernel import IPythonKernel
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec("python3")
        display, language = spec.display_name, spec.language
    except NoSuchKernel:  # ipykernel's built-in spec, what the server falls back to
        display, language = "Python 3 (ipykernel)", "python"
    info = dict(IPythonKernel.language_info)
    info["version"] = sys.version.split()[0]
    return {
        "kernelspec": {"display_name": display, "language": language, "name": "python3"},
        "language_info": info,
    }


def shipped_bytes(source: Path, metadata: dict | None) -> bytes:
    """What goes into the workspace for ``source``: notebooks get ``metadata``'s kernel fields.

    >>> import tempfile, pathlib
    >>> nb = pathlib.Path(tempfile.mkdtemp()) / "a.ipynb"
    >>> _ = nb.write_text('{"cells": [], "metadata": {"kernelspec": {"name": "python3"}},'
    ...                   ' "nbformat": 4, "nbformat_minor": 5}')
    >>> json.loads(shipped_bytes(nb, {"language_info": {"name": "python"}}))["metadata"]
    {'kernelspec': {'name': 'python3'}, 'language_info': {'name': 'python'}}
    """
    data = source.read_bytes()
    if source.suffix != ".ipynb" or not metadata:
        return data
    try:
        nb = json.loads(data.decode("utf-8"))
    except ValueError:
        return data
    nb.setdefault("metadata", {}).update(metadata)
    return (json.dumps(nb, indent=1, ensure_ascii=False, sort_keys=True) + "\n").encode()


def trust(paths: list[Path]) -> None:
    """Sign these notebooks (in Jupyter's signature store), as ``jupyter trust`` would.

    The shipped lessons have no outputs, so trusting them only stops JupyterLab from
    logging "Notebook … is not trusted" each time one opens.
    """
    import nbformat
    from nbformat.sign import NotebookNotary

    notary = NotebookNotary()
    for path in paths:
        try:
            notary.sign(nbformat.read(path, as_version=4))
        except Exception:  # a notebook that does not parse stays untrusted, nothing else
            continue


def _read_manifest(dest: Path) -> dict[str, str]:
    try:
        data = json.loads((dest / MANIFEST).read_text(encoding="utf-8"))
        files = data.get("files", {})
        return {str(k): str(v) for k, v in files.items()} if isinstance(files, dict) else {}
    except (OSError, ValueError):
        return {}


def sync_course(src: Path, dest: Path, version: str, metadata: dict | None = None) -> SyncReport:
    """Bring ``dest`` up to the course in ``src`` without overwriting edited files.

    ``metadata`` (e.g. :func:`kernel_metadata`) is merged into every notebook written.
    """
    report = SyncReport()
    dest.mkdir(parents=True, exist_ok=True)
    manifest = _read_manifest(dest)
    for rel in shipped_files(src):
        key = rel.as_posix()
        target = dest / rel
        content = shipped_bytes(src / rel, metadata)
        new = hashlib.sha256(content).hexdigest()
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
            report.copied.append(key)
        else:
            current = file_hash(target)
            if current == new:
                report.unchanged.append(key)
            elif manifest.get(key) == current:
                target.write_bytes(content)  # unedited: safe to update in place
                report.updated.append(key)
            elif manifest.get(key) == new:
                report.kept.append(key)  # edited, and no newer version than it came from
            else:
                beside = offered_name(rel, version)
                if not (dest / beside).exists() or file_hash(dest / beside) != new:
                    (dest / beside).write_bytes(content)
                report.offered.append((key, beside.as_posix()))
        manifest[key] = new
    (dest / MANIFEST).write_text(
        json.dumps({"version": version, "files": manifest}, indent=1, sort_keys=True),
        encoding="utf-8",
    )
    return report
