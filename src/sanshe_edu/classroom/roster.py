"""The class roster: the course's roster CSV (read by :mod:`sanshe_edu.roster`, as the grade
commands read it: the same headers, separators and encodings), checked as a whole before use.

On top of the reader: the first line must name the 学号 and 姓名 columns, and every line needs
both.  The login name of a student is their 学号 (lowercased), optionally with a prefix,
because it is also their Unix user name: Unix wants a letter first, then letters, digits, ``_``
or ``-``.  Names (姓名) may be anything, Chinese included.

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

import re
from dataclasses import dataclass

from ..errors import SansheError
from ..roster import parse, read_text

__all__ = ["RESERVED", "UNIX_NAME", "Student", "parse_roster", "read_text"]

UNIX_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")
# Names a student may not take: system accounts and the hub's own words.
RESERVED = {"root", "admin", "hub", "jupyterhub", "nobody", "daemon", "bin", "sys", "user"}


@dataclass(frozen=True)
class Student:
    login: str  # Unix and hub user name
    student_id: str  # the 学号 as written in the roster
    name: str  # 姓名
    line: int  # line in the CSV (for messages)


def parse_roster(text: str, prefix: str = "", taken: set[str] = frozenset()) -> list[Student]:
    """Every student of the roster, or a :class:`SansheError` naming the first bad line.

    ``taken`` holds login names that must not be used (e.g. the trainer's).
    """
    if prefix and not UNIX_NAME.match(prefix + "a"):
        raise SansheError("classroom.bad_prefix", prefix=prefix)
    roster = parse(text, header_required=True)
    students: list[Student] = []
    seen: dict[str, int] = {}
    for row in roster.rows:
        lineno, sid, name = row.line, row.student_id, row.name
        if row.short:
            raise SansheError("classroom.roster_short_line", line=lineno)
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
