"""The class roster: a CSV with the columns 学号 and 姓名, checked as a whole before use.

The login name of a student is their 学号 (lowercased), optionally with a prefix, because it is
also their Unix user name: Unix wants a letter first, then letters, digits, ``_`` or ``-``.
Names (姓名) may be anything, Chinese included.  Files saved by Excel in GBK are read too.

>>> from sanshe_edu.i18n import use_lang
>>> text = "学号,姓名\\n2024001,张三\\n2024002,李四\\n"
>>> [(s.login, s.name) for s in parse_roster(text, prefix="s")]
[('s2024001', '张三'), ('s2024002', '李四')]
>>> with use_lang("en"):
...     parse_roster("学号,姓名\\nab1,张三\\nAB1,李四\\n")
Traceback (most recent call last):
...
sanshe_edu.errors.SansheError: roster line 3: student id 'AB1' appears twice (also on line 2)
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import SansheError

ID_HEADERS = ("学号", "id", "student_id")
NAME_HEADERS = ("姓名", "name")
UNIX_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")
# Names a student may not take: system accounts and the hub's own words.
RESERVED = {"root", "admin", "hub", "jupyterhub", "nobody", "daemon", "bin", "sys", "user"}


@dataclass(frozen=True)
class Student:
    login: str  # Unix and hub user name
    student_id: str  # the 学号 as written in the roster
    name: str  # 姓名
    line: int  # line in the CSV (for messages)


def read_text(path: Path) -> str:
    """The roster file's text: UTF-8 (with or without BOM), else GB18030 (Excel on Chinese
    Windows); a file that is neither is refused."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SansheError("classroom.roster_unreadable", path=path, detail=exc) from exc
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SansheError("classroom.roster_encoding", path=path)


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    wanted = {n.lower() for n in names}
    for i, cell in enumerate(header):
        if cell.strip().lower() in wanted:
            return i
    return None


def parse_roster(text: str, prefix: str = "", taken: set[str] = frozenset()) -> list[Student]:
    """Every student of the roster, or a :class:`SansheError` naming the first bad line.

    ``taken`` holds login names that must not be used (e.g. the trainer's).
    """
    if prefix and not UNIX_NAME.match(prefix + "a"):
        raise SansheError("classroom.bad_prefix", prefix=prefix)
    rows = list(csv.reader(io.StringIO(text)))
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
    if not rows:
        raise SansheError("classroom.roster_empty")
    header = rows[0]
    id_col, name_col = _column(header, ID_HEADERS), _column(header, NAME_HEADERS)
    if id_col is None or name_col is None:
        raise SansheError("classroom.roster_header", header=",".join(header))
    students: list[Student] = []
    seen: dict[str, int] = {}
    for lineno, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) <= max(id_col, name_col):
            raise SansheError("classroom.roster_short_line", line=lineno)
        sid, name = row[id_col].strip(), row[name_col].strip()
        if not sid:
            raise SansheError("classroom.roster_no_id", line=lineno)
        if not name:
            raise SansheError("classroom.roster_no_name", line=lineno, id=sid)
        login = (prefix + sid).lower()
        if login in seen:
            raise SansheError("classroom.roster_duplicate", line=lineno, id=sid, first=seen[login])
        if not UNIX_NAME.match(login):
            raise SansheError("classroom.roster_bad_id", line=lineno, id=sid)
        if login in RESERVED or login in taken:
            raise SansheError("classroom.roster_reserved", line=lineno, id=sid)
        seen[login] = lineno
        students.append(Student(login, sid, name, lineno))
    if not students:
        raise SansheError("classroom.roster_empty")
    return students
