"""Grades as a table Excel opens right on Chinese Windows: one row per student, UTF-8 with a
byte-order mark, columns 学号, 姓名, each question (by its title), total, late and flagged — for
every assignment chosen (the column names carry the assignment when there are several).
"""

from __future__ import annotations

import csv
from pathlib import Path

from ...i18n import t
from .items import question_titles
from .report import collect_rows


def export_table(course: Path, assignments: list[str], roster: dict[str, str]):
    """``(headers, rows)`` of the export: plain strings and numbers."""
    headers = [t("grade.col_id"), t("grade.col_name")]
    table: dict[str, dict] = {sid: {} for sid in roster}
    prefix = len(assignments) > 1
    columns: dict[str, list] = {}
    for name in assignments:
        students, questions = collect_rows(course, name)
        titles = question_titles(course, name)
        keys = [(q["notebook"], q["question"]) for q in questions]
        columns[name] = keys
        lead = f"{name} " if prefix else ""
        headers += [lead + titles.get(k, {}).get("title", k[1]) for k in keys]
        headers += [lead + t(f"grade.col_{c}") for c in ("total", "late", "flagged")]
        for r in students:
            cells = table.setdefault(r["student"], {})
            for k in keys:
                cells[(name, k)] = r["marks"].get(k, "")
            cells[(name, "total")] = r["score"]
            yes, no = t("grade.yes"), t("grade.no")
            cells[(name, "late")] = "" if r["missing"] else (yes if r["late"] else no)
            cells[(name, "flagged")] = "" if r["missing"] else (yes if r["flagged"] else no)
    rows = []
    for sid in sorted(table):
        cells = table[sid]
        row = [sid, roster.get(sid, "")]
        for name in assignments:
            row += [_plain(cells.get((name, k), "")) for k in columns[name]]
            row += [_plain(cells.get((name, c), "")) for c in ("total", "late", "flagged")]
        rows.append(row)
    return headers, rows


def _plain(value):
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def write_export(course: Path, dest: Path, assignments: list[str], roster: dict[str, str]) -> int:
    """Write the CSV at ``dest`` (UTF-8 with BOM); return the number of student rows."""
    headers, rows = export_table(course, assignments, roster)
    dest.parent.mkdir(parents=True, exist_ok=True)
    with dest.open("w", newline="", encoding="utf-8-sig") as fh:
        writer = csv.writer(fh)
        writer.writerow(headers)
        writer.writerows(rows)
    return len(rows)
