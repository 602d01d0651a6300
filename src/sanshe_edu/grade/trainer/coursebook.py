"""The course gradebook a trainer hands to the school: every assignment, one row per student.

One row per roster student (every graded student when there is no roster), for each
assignment its score — ``缺交`` when nothing was handed in — and whether it came late (是/否,
from the due date set in the cockpit or with ``sanshe-edu grade`` and nbgrader's hand-in
time), then the course total: the weighted mean of the assignments' percentages (a missing
hand-in counts 0; weights default to 1) and, on the class server, the participation columns
from the live class service (practice questions answered, poll answers).  Written as a CSV
with a byte-order mark (Excel on Chinese Windows opens it) and a real ``.xlsx`` beside it; an
earlier export is never overwritten (the new files get a number).
"""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

from ...i18n import t
from ..pipeline.course import load_config
from .items import assignment_title
from .names import class_names


def course_rows(course: Path, assignments: list[str], roster: dict[str, str]) -> list[dict]:
    """One dict per student: ``student``, ``name``, ``scores`` ({assignment: float or None
    when missing}), ``late`` ({assignment: bool}), ``max`` ({assignment: max score})."""
    from nbgrader.api import Gradebook, MissingEntry

    cfg = load_config(course)
    names = class_names(course, roster)
    rows: dict[str, dict] = {}
    maxima: dict[str, float] = {}
    with Gradebook(cfg.CourseDirectory.db_url, cfg.CourseDirectory.course_id) as gb:
        students = set(roster) or {s.id for s in gb.students}
        for sid in sorted(students):
            rows[sid] = {"student": sid, "name": names.get(sid, ""), "scores": {}, "late": {}}
        for name in assignments:
            try:
                maxima[name] = float(gb.find_assignment(name).max_score)
            except MissingEntry:
                maxima[name] = 0.0
            for sid, row in rows.items():
                try:
                    sub = gb.find_submission(name, sid)
                except MissingEntry:
                    row["scores"][name], row["late"][name] = None, False
                    continue
                row["scores"][name] = round(float(sub.score), 2)
                row["late"][name] = bool(sub.total_seconds_late and sub.total_seconds_late > 0)
    for row in rows.values():
        row["max"] = maxima
    return list(rows.values())


def course_total(row: dict, weights: dict[str, float]) -> float:
    """The weighted mean of the assignments' percentages (missing = 0), out of 100.

    >>> row = {"scores": {"a": 8.0, "b": None}, "max": {"a": 10.0, "b": 20.0}}
    >>> course_total(row, {"a": 1, "b": 1}), course_total(row, {"a": 3, "b": 1})
    (40.0, 60.0)
    """
    num = den = 0.0
    for name, score in row["scores"].items():
        w = float(weights.get(name, 1.0))
        top = row["max"].get(name) or 0.0
        if w <= 0 or top <= 0:
            continue
        num += w * ((score or 0.0) / top)
        den += w
    return round(100 * num / den, 1) if den else 0.0


def course_table(
    course: Path, assignments: list[str], roster: dict[str, str], weights=None,
    participation: dict[str, dict] | None = None,
) -> tuple[list[str], list[list]]:  # fmt: skip
    """``(headers, rows)``: 学号, 姓名, each assignment's score and 迟交, the course total;
    with ``participation`` (``{login: row}`` of the live class service,
    :func:`.practice.by_student`) also 课堂练习 (practice questions answered) and 课堂提问
    (poll answers), not part of the total."""
    weights = weights or {}
    rows = course_rows(course, assignments, roster)
    headers = [t("grade.col_id"), t("grade.col_name")]
    for name in assignments:
        title = assignment_title(course, name)
        w = weights.get(name, 1)
        headers += [
            t("grade.book_score", title=title, weight=_num(w)),
            t("grade.book_late", title=title),
        ]
    headers.append(t("grade.book_total"))
    if participation is not None:
        headers += [t("grade.book_practice"), t("grade.book_votes")]
    yes, no, missing = t("grade.yes"), t("grade.no"), t("grade.report_missing")
    table = []
    for row in rows:
        line = [row["student"], row["name"]]
        for name in assignments:
            score = row["scores"][name]
            if score is None:
                line += [missing, ""]
            else:
                line += [_num(score), yes if row["late"][name] else no]
        line.append(_num(course_total(row, weights)))
        if participation is not None:
            mine = participation.get(row["student"], {})
            line += [int(mine.get("questions", 0)), int(mine.get("poll_votes", 0))]
        table.append(line)
    return headers, table


def _num(value):
    value = float(value)
    return int(value) if value.is_integer() else value


def _free(path: Path) -> Path:
    """``path``, or ``stem (2).ext`` … when it is taken (never overwrite an export)."""
    n = 2
    candidate = path
    while candidate.exists():
        candidate = path.with_name(f"{path.stem} ({n}){path.suffix}")
        n += 1
    return candidate


def write_course_book(
    course: Path,
    folder: Path,
    assignments: list[str],
    roster: dict[str, str],
    weights: dict[str, float] | None = None,
    when: datetime | None = None,
    participation: dict[str, dict] | None = None,
) -> tuple[Path, Path, int]:
    """Write ``成绩汇总_<date>.csv`` and ``.xlsx`` into ``folder``; return both paths and the
    number of student rows (``participation``: the live columns, see :func:`course_table`)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    headers, rows = course_table(course, assignments, roster, weights, participation)
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{t('grade.book_stem')}_{(when or datetime.now()).strftime('%Y%m%d-%H%M')}"
    csv_path = _free(folder / f"{stem}.csv")
    xlsx_path = _free(csv_path.with_suffix(".xlsx"))
    with csv_path.open("w", newline="", encoding="utf-8-sig") as fh:
        writer = csv.writer(fh)
        writer.writerow(headers)
        writer.writerows(rows)
    book = Workbook()
    sheet = book.active
    sheet.title = t("grade.book_sheet")
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    missing = t("grade.report_missing")
    mark = PatternFill("solid", fgColor="FDE2E1")
    for line in rows:
        sheet.append(line)
        for cell in sheet[sheet.max_row]:
            if cell.value == missing or cell.value == t("grade.yes"):
                cell.fill = mark
    sheet.freeze_panes = "C2"
    for i, head in enumerate(headers, start=1):
        sheet.column_dimensions[sheet.cell(1, i).column_letter].width = max(10, len(head) * 2)
    book.save(xlsx_path)
    return csv_path, xlsx_path, len(rows)
