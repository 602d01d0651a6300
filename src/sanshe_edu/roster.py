"""The roster: a CSV of 学号 and 姓名, read the same way by every command that takes one
(``grade export/import --roster``, the cockpit, the report, ``class roster``), so that a
trainer's one ``roster.csv`` serves them all.

- Encoding: UTF-8 (with or without BOM), else GB18030 (GBK, as Excel on Chinese Windows saves).
- Separator: ``,`` ``;`` tab or the full-width ``，``, whichever the first line holds most of.
- Columns, in any order, by their header (case does not matter): the id column is one of
  :data:`ID_HEADERS`, the name column one of :data:`NAME_HEADERS`.  Without such a header the
  first two columns are taken, and the first line is a header when its first cell is not a
  number — unless the caller needs a header (``header_required``), as the class server does.
- Blank lines are skipped; every row keeps its line number, for messages.

What a row must hold beyond that is the caller's: the grade commands skip rows without an id,
the class server refuses them and adds its Unix-login rules (``classroom/roster.py``).

>>> r = parse("学号;学生姓名\\n2024001;张三\\n\\n2024002;李四\\n")
>>> [(row.line, row.student_id, row.name) for row in r.rows]
[(2, '2024001', '张三'), (4, '2024002', '李四')]
>>> parse("姓名，学号\\n张三，2024001\\n").names()
{'2024001': '张三'}
>>> parse("2024001\\t张三\\n").names()
{'2024001': '张三'}
>>> from sanshe_edu.i18n import use_lang
>>> with use_lang("en"):
...     parse("a,b\\n1,x\\n", header_required=True)
Traceback (most recent call last):
...
sanshe_edu.errors.SansheError: the roster's first line must be the header 学号,姓名 (it is: a,b)
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from .errors import SansheError

ROSTER_NAME = "roster.csv"  # the course folder's default roster
ID_HEADERS = ("学号", "学生学号", "编号", "student_id", "student", "id")
NAME_HEADERS = ("姓名", "学生姓名", "名字", "name", "full_name")
SEPARATORS = (",", ";", "\t", "，")
MAX_BYTES = 5 << 20  # a roster of thousands of students is far smaller


@dataclass(frozen=True)
class Row:
    line: int  # line in the file, from 1
    student_id: str  # stripped; "" when empty
    name: str  # stripped; "" when empty
    short: bool = False  # the line has too few columns to hold both


@dataclass(frozen=True)
class Roster:
    rows: tuple[Row, ...]
    header: tuple[str, ...]  # the first line's cells (whether it named the columns or not)
    named: bool  # the first line named the id and name columns

    def names(self) -> dict[str, str]:
        """``{student id: name}`` of the rows that have an id (a later line wins)."""
        return {r.student_id: r.name for r in self.rows if r.student_id and not r.short}


def read_text(path: str | Path) -> str:
    """The roster file's text; a missing, unreadable, oversized or undecodable file is refused
    with one line saying what to do."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise SansheError("roster.too_big", path=path)
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise SansheError("roster.missing", path=path) from exc
    except OSError as exc:
        raise SansheError("roster.unreadable", path=path, detail=exc) from exc
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SansheError("roster.encoding", path=path)


def separator(line: str) -> str:
    """The separator the line holds most of (a comma when it holds none).

    >>> separator("学号\\t姓名"), separator("a,b;c;d"), separator("学号")
    ('\\t', ';', ',')
    """
    return max(SEPARATORS, key=line.count) if any(s in line for s in SEPARATORS) else ","


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    wanted = {n.lower() for n in names}
    return next((i for i, cell in enumerate(header) if cell.strip().lower() in wanted), None)


def parse(text: str, path: str | Path = "", header_required: bool = False) -> Roster:
    """The rows of a roster's text (``path`` only names the file in messages)."""
    text = text.removeprefix("\ufeff")
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    reader = csv.reader(io.StringIO(text), delimiter=separator(first))
    lines: list[tuple[int, list[str]]] = []
    for cells in reader:
        if any(c.strip() for c in cells):
            lines.append((reader.line_num, cells))
    if not lines:
        return Roster((), (), False)
    header = lines[0][1]
    id_col, name_col = _column(header, ID_HEADERS), _column(header, NAME_HEADERS)
    named = id_col is not None and name_col is not None
    if named:
        body = lines[1:]
    elif header_required:
        raise SansheError("roster.header", header=",".join(c.strip() for c in header))
    elif len(header) < 2:
        raise SansheError("roster.columns", path=path or "?")
    else:
        id_col, name_col = 0, 1
        body = lines if header[0].strip().isdigit() else lines[1:]
    rows = []
    for line, cells in body:
        short = len(cells) <= max(id_col, name_col)
        rows.append(
            Row(
                line,
                cells[id_col].strip() if id_col < len(cells) else "",
                cells[name_col].strip() if name_col < len(cells) else "",
                short,
            )
        )
    return Roster(tuple(rows), tuple(c.strip() for c in header), named)


def load(path: str | Path, header_required: bool = False) -> Roster:
    """The roster file at ``path`` (see :func:`read_text` and :func:`parse`)."""
    return parse(read_text(path), path, header_required)


def load_roster(path: str | Path) -> dict[str, str]:
    """``{student id: name}`` from the roster file at ``path``.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "r.csv"
    >>> _ = p.write_bytes("学号,姓名\\n2023001,张三\\n".encode("gbk"))
    >>> load_roster(p)
    {'2023001': '张三'}
    """
    return load(path).names()


def course_roster(course: Path, path: str | Path | None = None) -> dict[str, str]:
    """The roster given, else the course folder's ``roster.csv`` if there, else ``{}``."""
    if path:
        return load_roster(path)
    default = Path(course) / ROSTER_NAME
    return load_roster(default) if default.is_file() else {}
