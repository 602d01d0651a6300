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

    def get(self, qid: str) -> dict | None:
        rec = self.load().get(qid)
        return rec if isinstance(rec, dict) else None

    def save(self, qid: str, record: dict) -> None:
        records = self.load()
        records[qid] = {**record, "updated": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
        atomic_write_json(self.path, {"format": FORMAT, "questions": records})

    def forget(self, qid: str) -> None:
        records = self.load()
        if qid in records:
            del records[qid]
            atomic_write_json(self.path, {"format": FORMAT, "questions": records})

    def reset_bank(self, bank: str) -> int:
        """Delete every record of ``bank``; return how many there were."""
        records = self.load()
        gone = [k for k in records if k.split(".", 1)[0] == bank]
        for k in gone:
            del records[k]
        if gone:
            atomic_write_json(self.path, {"format": FORMAT, "questions": records})
        return len(gone)

    def count_bank(self, bank: str) -> int:
        return sum(1 for k in self.load() if k.split(".", 1)[0] == bank)
