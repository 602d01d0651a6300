"""A learner's whole progress as one file, to move it between the browser edition and JupyterLab
(or another computer): ``sanshe-edu progress --export FILE`` / ``--import FILE``, and the
buttons of :func:`sanshe_edu.quiz.progress_transfer` in the start-here notebook (both editions).

The file is JSON::

    {"format": "sanshe-edu-transfer/1", "exported": "2026-12-06T07:00:00+0000",
     "files": {"progress.json": {"json": {...}}, "learner.json": {"json": {...}}, ...}}

``files`` holds **every file of the progress store** (:func:`sanshe_edu.paths.data_dir`, its
sub-folders too), by its path relative to the store: a JSON file as its parsed content, any
other file as UTF-8 ``text`` or ``base64``. A file added to the store later (concept mastery,
…) travels with no change here. Left out: temporary files, files set aside as damaged
(``*.corrupt-*``), earlier import backups (``before-import-*/``).

Importing puts each file back. A file of the store that is also in the export is first copied
to ``before-import-<time>/`` in the store; then ``progress.json`` is merged question by
question (the newer ``updated`` wins, so answers given here since the export are kept) and any
other file is replaced, unless a merge function for it is registered in :data:`MERGERS`
(``name -> f(here, imported) -> merged``, both parsed JSON). A newer format version than this
code knows, a damaged file, or a path outside the store is refused with a message, and nothing
is written.

>>> import os, tempfile
>>> os.environ["SANSHE_EDU_DATA_DIR"] = tempfile.mkdtemp()
>>> from sanshe_edu.quiz.store import ProgressStore
>>> ProgressStore().save("l01.q", {"answer": "a", "done": True})
>>> blob = export_bytes()
>>> os.environ["SANSHE_EDU_DATA_DIR"] = tempfile.mkdtemp()
>>> import_bytes(blob)["questions"]
1
>>> ProgressStore().get("l01.q")["answer"]
'a'
>>> del os.environ["SANSHE_EDU_DATA_DIR"]
"""

from __future__ import annotations

import base64
import json
import shutil
import time
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any

from ..errors import SansheError
from ..paths import data_dir
from .store import FILENAME as PROGRESS_FILE
from .store import FORMAT as PROGRESS_FORMAT
from .store import atomic_write_json

FORMAT_NAME = "sanshe-edu-transfer"
VERSION = 1
FORMAT = f"{FORMAT_NAME}/{VERSION}"
#: The largest export read (a learner's answers are a few hundred kB at most).
MAX_BYTES = 50_000_000
BACKUP_PREFIX = "before-import-"

#: How a file of the store is combined with the imported one, by its path in the store; the
#: others are replaced. ``f(here, imported) -> merged`` on parsed JSON.
MERGERS: dict[str, Callable[[Any, Any], Any]] = {}


def _left_out(rel: PurePosixPath) -> bool:
    name = rel.name
    return (
        rel.parts[0].startswith(BACKUP_PREFIX)
        or ".corrupt-" in name
        or name.endswith(".tmp")
        or name.startswith(".")
    )


def store_files(root: Path | None = None) -> list[PurePosixPath]:
    """Every file of the progress store that an export carries, relative, sorted."""
    root = root or data_dir()
    if not root.is_dir():
        return []
    found = []
    for p in root.rglob("*"):
        if p.is_file() and not p.is_symlink():
            rel = PurePosixPath(p.relative_to(root).as_posix())
            if not _left_out(rel):
                found.append(rel)
    return sorted(found)


def _pack(path: Path) -> dict:
    raw = path.read_bytes()
    if path.suffix == ".json":
        try:
            return {"json": json.loads(raw.decode("utf-8"))}
        except (ValueError, UnicodeDecodeError):
            pass
    try:
        return {"text": raw.decode("utf-8")}
    except UnicodeDecodeError:
        return {"base64": base64.b64encode(raw).decode("ascii")}


def export_data(root: Path | None = None) -> dict:
    """The export as a dict (see the module's doc)."""
    root = root or data_dir()
    return {
        "format": FORMAT,
        "exported": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "files": {rel.as_posix(): _pack(root / rel) for rel in store_files(root)},
    }


def export_bytes(root: Path | None = None) -> bytes:
    return (json.dumps(export_data(root), ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def export_file(path: Path, root: Path | None = None) -> dict:
    """Write the export to ``path``; return ``{"file", "files", "questions"}``."""
    data = export_bytes(root)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return {"file": path, **_counts(json.loads(data))}


def default_name() -> str:
    """``sanshe-edu-progress-20261206-0700.json``."""
    return f"sanshe-edu-progress-{time.strftime('%Y%m%d-%H%M')}.json"


def _counts(data: dict) -> dict:
    progress = data["files"].get(PROGRESS_FILE, {}).get("json") or {}
    questions = progress.get("questions") if isinstance(progress, dict) else None
    return {"files": len(data["files"]), "questions": len(questions or {})}


def _bad(detail: str) -> SansheError:
    return SansheError("quiz.transfer_bad_file", detail=detail)


def read_export(blob: bytes) -> dict:
    """The export in ``blob``, checked: format and version, every path inside the store, every
    entry one of json/text/base64. Raises :class:`SansheError` with the reason."""
    if len(blob) > MAX_BYTES:
        raise _bad(f"> {MAX_BYTES // 1_000_000} MB")
    try:
        data = json.loads(blob.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise _bad(f"JSON: {exc}") from None
    fmt = data.get("format") if isinstance(data, dict) else None
    if not isinstance(fmt, str) or not fmt.startswith(FORMAT_NAME + "/"):
        raise _bad("format")
    try:
        version = int(fmt.split("/", 1)[1])
    except ValueError:
        raise _bad(f"format {fmt}") from None
    if version > VERSION:
        raise SansheError("quiz.transfer_newer", version=version, known=VERSION)
    files = data.get("files")
    if not isinstance(files, dict):
        raise _bad("files")
    for rel, entry in files.items():
        p = PurePosixPath(rel) if isinstance(rel, str) else None
        if (
            p is None
            or not rel
            or p.is_absolute()
            or "\\" in rel
            or any(part in ("", ".", "..") for part in rel.split("/"))
            or _left_out(p)
        ):
            raise _bad(f"path {rel!r}")
        if (
            not isinstance(entry, dict)
            or len(entry) != 1
            or next(iter(entry))
            not in (
                "json",
                "text",
                "base64",
            )
        ):
            raise _bad(f"entry {rel!r}")
        if rel == PROGRESS_FILE:
            prog = entry.get("json")
            if (
                not isinstance(prog, dict)
                or prog.get("format") != PROGRESS_FORMAT
                or not isinstance(prog.get("questions"), dict)
            ):
                raise _bad(PROGRESS_FILE)
    return data


def merge_progress(here: Any, imported: dict) -> dict:
    """Question by question, the newer record (``updated``, compared as a time) wins; a question
    only on one side is kept. The concept evidence (``concepts.events``) of both sides is kept
    once each, in time order; a question's review card from the side that reviewed it last
    wins; any other section comes from the import when it has it."""
    from .graded import newer

    here = here if isinstance(here, dict) else {}
    mine = here.get("questions")
    merged = dict(mine) if isinstance(mine, dict) else {}
    for qid, rec in imported["questions"].items():
        old = merged.get(qid)
        if not isinstance(old, dict) or newer(old, rec):
            merged[qid] = rec
    out = {**here, **{k: v for k, v in imported.items() if k not in _MERGED}}
    out.update({"format": PROGRESS_FORMAT, "questions": merged})
    events = {}
    for side in (here, imported):
        section = side.get("concepts") if isinstance(side.get("concepts"), dict) else {}
        for e in section.get("events", []) if isinstance(section.get("events"), list) else []:
            if isinstance(e, dict):
                events[json.dumps(e, sort_keys=True, ensure_ascii=False)] = e
    if events or "concepts" in here or "concepts" in imported:
        concepts = {**_dict(here.get("concepts")), **_dict(imported.get("concepts"))}
        concepts["events"] = sorted(events.values(), key=lambda e: str(e.get("at", "")))
        out["concepts"] = concepts
    if "review" in here or "review" in imported:
        cards = dict(_dict(here.get("review")))
        for qid, entry in _dict(imported.get("review")).items():
            if _last_review(entry) >= _last_review(cards.get(qid)):
                cards[qid] = entry
        out["review"] = cards
    return out


_MERGED = ("format", "questions", "concepts", "review")


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _last_review(entry: Any) -> str:
    """When a review card was last reviewed (ISO text; "" when unknown)."""
    card = _dict(_dict(entry).get("card"))
    return str(card.get("last_review") or "")


def _unpack(entry: dict) -> bytes:
    if "json" in entry:
        return (json.dumps(entry["json"], ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    if "text" in entry:
        return str(entry["text"]).encode("utf-8")
    return base64.b64decode(entry["base64"])


def import_bytes(blob: bytes, root: Path | None = None) -> dict:
    """Put an export back into the store; return ``{"files", "questions", "backup"}``
    (``backup``: the folder holding the files it replaced, or ``None``)."""
    data = read_export(blob)
    root = root or data_dir()
    root.mkdir(parents=True, exist_ok=True)
    backup = None
    replaced = [rel for rel in data["files"] if (root / rel).is_file()]
    if replaced:
        backup = root / f"{BACKUP_PREFIX}{time.strftime('%Y%m%d-%H%M%S')}"
        n = 1
        while backup.exists():
            n += 1
            backup = root / f"{BACKUP_PREFIX}{time.strftime('%Y%m%d-%H%M%S')}-{n}"
        for rel in replaced:
            (backup / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(root / rel, backup / rel)
    for rel, entry in data["files"].items():
        target = root / rel
        merger = MERGERS.get(rel) or (merge_progress if rel == PROGRESS_FILE else None)
        if merger is not None and "json" in entry:
            here = None
            if target.is_file():
                try:
                    here = json.loads(target.read_text(encoding="utf-8"))
                except (OSError, ValueError, UnicodeDecodeError):
                    here = None
            atomic_write_json(target, merger(here, entry["json"]))
            continue
        if "json" in entry:
            atomic_write_json(target, entry["json"])
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(_unpack(entry))
    return {**_counts(data), "backup": backup}


def import_file(path: Path, root: Path | None = None) -> dict:
    path = Path(path)
    try:
        blob = path.read_bytes()
    except OSError as exc:
        raise SansheError("quiz.transfer_cannot_read", file=path, detail=exc) from None
    return import_bytes(blob, root)


__all__ = [
    "FORMAT",
    "MERGERS",
    "VERSION",
    "default_name",
    "export_bytes",
    "export_data",
    "export_file",
    "import_bytes",
    "import_file",
    "merge_progress",
    "read_export",
    "store_files",
]
