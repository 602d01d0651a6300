"""The per-user progress store: every answer and score, saved as the student answers.

One JSON file, ``progress.json`` under :func:`sanshe_edu.paths.data_dir`. Writes go to a
temporary file in the same folder and then ``os.replace`` it, so a crash never leaves half a
file. A file that cannot be read is moved aside (``progress.json.corrupt-<time>``) with a
message, never silently dropped.

>>> import tempfile, os
>>> folder = tempfile.mkdtemp()
>>> s = ProgressStore(Path(folder) / "progress.json")
>>> s.save("l04.org_kinds", {"answer": "a", "score": 1, "max": 1, "done": True})
>>> ProgressStore(Path(folder) / "progress.json").get("l04.org_kinds")["answer"]
'a'
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from ..i18n import t
from ..paths import data_dir

FORMAT = "sanshe-edu-progress/1"
FILENAME = "progress.json"
#: Sections kept in the same file beside ``questions``: the evidence per concept
#: (``quiz.mastery``) and the spaced-review queue (``quiz.review``). One file, so whatever
#: copies the learner's progress (export, import, the browser's storage) carries them too.
SECTIONS = ("concepts", "review")


def store_path() -> Path:
    return data_dir() / FILENAME


def atomic_write_json(path: Path, data: Any) -> None:
    """Write ``data`` as JSON via a temp file in the same folder and ``os.replace``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=1, sort_keys=True)
            fh.write("\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def read_json_or_move_aside(
    path: Path, fmt: str, key: str, corrupt_message: str, max_bytes: int | None = None
):
    """Read a ``{"format": fmt, key: {...}}`` file.

    Returns ``(records, message)``; a damaged file is renamed aside and ``message`` says where.
    With ``max_bytes``, a link or a file larger than that counts as damaged too.
    """
    if not path.exists() and not path.is_symlink():
        return {}, None
    try:
        if max_bytes is not None and (path.is_symlink() or path.stat().st_size > max_bytes):
            raise ValueError("a link, or too large")
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("format") != fmt:
            raise ValueError("unexpected content")
        records = data.get(key)
        if not isinstance(records, dict):
            raise ValueError(f"no {key}")
        return records, None
    except (OSError, ValueError, UnicodeDecodeError):
        stamp = time.strftime("%Y%m%d-%H%M%S")
        moved = path.with_name(f"{path.name}.corrupt-{stamp}")
        n = 1
        while moved.exists():
            n += 1
            moved = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
        try:
            path.replace(moved)
        except OSError:
            moved = path
        return {}, t(corrupt_message, file=path, moved=moved)


class ProgressStore:
    """Read-modify-write access to the progress file (re-read on every call, so several
    notebooks open at once do not overwrite each other's answers)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or store_path()
        self.messages: list[str] = []

    def load(self) -> dict[str, dict]:
        records, message = read_json_or_move_aside(
            self.path, FORMAT, "questions", "quiz.store_corrupt"
        )
        if message:
            self.messages.append(message)
        return records

    def take_messages(self) -> list[str]:
        """The messages so far (a damaged file set aside), emptied once read."""
        out, self.messages[:] = list(self.messages), []
        return out

    def _doc(self, records: dict | None = None) -> dict:
        """The whole file as it will be written: ``questions`` and every kept section."""
        records = self.load() if records is None else records
        doc: dict[str, Any] = {"format": FORMAT}
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError, UnicodeDecodeError):
            raw = {}
        for name in SECTIONS:
            if isinstance(raw, dict) and isinstance(raw.get(name), dict):
                doc[name] = raw[name]
        doc["questions"] = records
        return doc

    def section(self, name: str) -> dict:
        """A kept section (``concepts`` or ``review``), ``{}`` when there is none yet."""
        self.load()  # a damaged file is set aside first
        return dict(self._doc({}).get(name, {}))

    def save_sections(self, sections: dict[str, dict]) -> None:
        """Replace kept sections (one write)."""
        doc = self._doc()
        doc.update({k: v for k, v in sections.items() if k in SECTIONS})
        atomic_write_json(self.path, doc)

    def get(self, qid: str) -> dict | None:
        rec = self.load().get(qid)
        return rec if isinstance(rec, dict) else None

    def save(self, qid: str, record: dict) -> None:
        records = self.load()
        records[qid] = {**record, "updated": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
        atomic_write_json(self.path, self._doc(records))

    def forget(self, qid: str) -> None:
        records = self.load()
        if qid in records:
            del records[qid]
            atomic_write_json(self.path, self._doc(records))

    def reset_bank(self, bank: str) -> int:
        """Delete every record of ``bank``, with its evidence about concepts and its review
        cards; return how many records there were."""
        records = self.load()
        gone = [k for k in records if k.split(".", 1)[0] == bank]
        for k in gone:
            del records[k]
        doc = self._doc(records)
        of_bank = self._of_bank(bank)
        concepts = doc.get("concepts", {})
        events = [e for e in concepts.get("events", []) if not of_bank(e.get("qid"))]
        dropped = len(concepts.get("events", [])) - len(events)
        review = {k: v for k, v in doc.get("review", {}).items() if not of_bank(k)}
        dropped += len(doc.get("review", {})) - len(review)
        if gone or dropped:
            if "concepts" in doc:
                doc["concepts"] = {**concepts, "events": events}
            if "review" in doc:
                doc["review"] = review
            atomic_write_json(self.path, doc)
        return len(gone)

    @staticmethod
    def _of_bank(bank: str):
        return lambda qid: isinstance(qid, str) and qid.split(".", 1)[0] == bank

    def count_bank(self, bank: str) -> int:
        return sum(1 for k in self.load() if k.split(".", 1)[0] == bank)
