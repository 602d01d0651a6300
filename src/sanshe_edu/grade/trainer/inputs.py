"""What the trainer types into the cockpit: a due date, assignment weights."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from ...errors import SansheError


def parse_due(text: str) -> datetime:
    """A due date as the trainer types it (``2025-12-31 23:59``, ``2025/12/31``), in local time."""
    import dateutil.parser

    cleaned = text.replace("年", "-").replace("月", "-").replace("日", " ").replace("：", ":")
    try:
        when = dateutil.parser.parse(cleaned.strip())
    except (ValueError, OverflowError) as exc:
        raise SansheError("grade.cp_due_bad", text=text) from exc
    if when.tzinfo is None:
        when = when.astimezone()  # the machine's time zone
    return when


def due_text(course: Path, assignment: str) -> str:
    """The due date already recorded for ``assignment`` (local time), else ""."""
    import sqlite3
    from datetime import timezone

    db = course / "gradebook.db"
    if not db.is_file():
        return ""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        row = con.execute("select duedate from assignment where name = ?", (assignment,)).fetchone()
    except sqlite3.Error:
        row = None
    finally:
        con.close()
    if not row or not row[0]:
        return ""
    try:
        when = datetime.fromisoformat(str(row[0])).replace(tzinfo=timezone.utc)
    except ValueError:
        return ""
    return when.astimezone().strftime("%Y-%m-%d %H:%M")


def parse_weights(text: str, names: list[str]) -> dict[str, float]:
    """``a1=1, a2_linkage=2`` (short or full names; ，；、 too) as {assignment: weight}.

    >>> parse_weights("a1=1，a3_phases＝2", ["a1_concepts", "a3_phases"])
    {'a1_concepts': 1.0, 'a3_phases': 2.0}
    """
    import unicodedata

    weights: dict[str, float] = {}
    for part in re.split(r"[,;，；、\s]+", unicodedata.normalize("NFKC", text).strip()):
        if not part:
            continue
        key, sep, value = part.partition("=")
        match = [n for n in names if n == key or n.split("_")[0] == key]
        try:
            weight = float(value)
        except ValueError:
            weight = -1.0
        if not sep or len(match) != 1 or weight < 0:
            raise SansheError("grade.cp_weights_bad", part=part)
        weights[match[0]] = weight
    return weights
