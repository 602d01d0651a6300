"""The class roster: a CSV of 学号 and 姓名 (UTF-8, with or without BOM, or GBK as Excel on
Chinese Windows saves it) that gives names to student ids in every view and export.

Header names recognised: 学号 / id / student_id / student; 姓名 / name / 名字.  Without a
known header the first two columns are taken.  By default the course's ``roster.csv``.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "r.csv"
>>> _ = p.write_bytes("学号,姓名\\n2023001,张三\\n".encode("gbk"))
>>> load_roster(p)
{'2023001': '张三'}
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ...errors import SansheError

ROSTER_NAME = "roster.csv"
ID_HEADERS = {"学号", "id", "student_id", "student", "学生学号", "编号"}
NAME_HEADERS = {"姓名", "name", "名字", "学生姓名", "full_name"}
MAX_BYTES = 5 << 20


def _decode(raw: bytes, path: Path) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SansheError("grade.roster_unreadable", file=path)


def load_roster(path: str | Path) -> dict[str, str]:
    """``{student id: name}`` from the roster CSV at ``path``."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise SansheError("grade.roster_unreadable", file=path)
        raw = path.read_bytes()
    except OSError as exc:
        raise SansheError("grade.roster_missing", file=path) from exc
    text = _decode(raw, path)
    try:
        dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t，")
    except csv.Error:
        dialect = csv.excel
    rows = [r for r in csv.reader(io.StringIO(text), dialect) if any(c.strip() for c in r)]
    if not rows:
        return {}
    head = [c.strip().lower() for c in rows[0]]
    id_col = next((i for i, h in enumerate(head) if h in ID_HEADERS), None)
    name_col = next((i for i, h in enumerate(head) if h in NAME_HEADERS), None)
    if id_col is None or name_col is None:
        if len(head) < 2:
            raise SansheError("grade.roster_columns", file=path)
        id_col, name_col = 0, 1
        body = rows[1:] if not rows[0][0].strip().isdigit() else rows
    else:
        body = rows[1:]
    out = {}
    for row in body:
        if len(row) > max(id_col, name_col) and row[id_col].strip():
            out[row[id_col].strip()] = row[name_col].strip()
    return out


def course_roster(course: Path, path: str | Path | None = None) -> dict[str, str]:
    """The roster given, else the course's ``roster.csv`` if there, else ``{}``."""
    if path:
        return load_roster(path)
    default = course / ROSTER_NAME
    return load_roster(default) if default.is_file() else {}
