"""``sanshe-edu grade report ASSIGNMENT``: the class report a trainer looks at after grading.

Written into one folder: ``scores.csv`` (one row per student on the roster), ``questions.csv``
(one row per graded question), ``report.svg`` (score distribution and per-question success rate)
and ``report.html`` (the picture, the hardest questions and who is missing, flagged or late).

The numbers come from nbgrader's gradebook (:func:`collect_rows`, plain data), the drawing is a
separate step (:func:`sanshe_edu.draw.draw_class_report`, SVG; no matplotlib).
"""

from __future__ import annotations

import csv
import html
from pathlib import Path

from ..draw import draw_class_report
from ..i18n import t
from .course import load_config


def collect_rows(course: Path, assignment: str) -> tuple[list[dict], list[dict]]:
    """``(students, questions)`` as plain dicts, read from the gradebook."""
    from nbgrader.api import Gradebook, MissingEntry

    cfg = load_config(course)
    students, questions = [], {}
    with Gradebook(cfg.CourseDirectory.db_url, cfg.CourseDirectory.course_id) as gb:
        spec = gb.find_assignment(assignment)
        for nb in spec.notebooks:
            for cell in nb.grade_cells:
                questions[(nb.name, cell.name)] = {
                    "question": cell.name,
                    "notebook": nb.name,
                    "points": float(cell.max_score),
                    "scores": [],
                }
        max_total = float(spec.max_score)
        for student in sorted(gb.students, key=lambda s: s.id):
            row = {
                "student": student.id,
                "score": "",
                "max_score": max_total,
                "missing": False,
                "late": False,
                "flagged": False,
                "needs_manual_grade": False,
            }
            try:
                sub = gb.find_submission(assignment, student.id)
            except MissingEntry:
                row["missing"] = True
                students.append(row)
                continue
            row["score"] = round(float(sub.score), 2)
            row["late"] = bool(sub.total_seconds_late and sub.total_seconds_late > 0)
            row["flagged"] = any(nb.flagged for nb in sub.notebooks)
            row["needs_manual_grade"] = bool(sub.needs_manual_grade)
            for nb in sub.notebooks:
                for grade in nb.grades:
                    q = questions.get((nb.name, grade.name))
                    if q is not None and grade.score is not None and not grade.needs_manual_grade:
                        q["scores"].append(float(grade.score))
            students.append(row)
    rows = []
    for q in questions.values():
        scores = q.pop("scores")
        full = sum(1 for s in scores if s >= q["points"])
        q["graded"] = len(scores)
        q["success_rate"] = round(full / len(scores), 3) if scores else ""
        q["mean_score"] = round(sum(scores) / len(scores), 2) if scores else ""
        rows.append(q)
    return students, rows


def _csv(path: Path, rows: list[dict], fields: list[str]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def write_report(course: Path, assignment: str, out: Path) -> dict:
    """Write the four report files; return the numbers of the one-line summary."""
    from .autograde import ensure_generated

    ensure_generated(course, assignment)
    students, questions = collect_rows(course, assignment)
    out.mkdir(parents=True, exist_ok=True)
    _csv(
        out / "scores.csv",
        students,
        ["student", "score", "max_score", "missing", "late", "flagged", "needs_manual_grade"],
    )
    _csv(
        out / "questions.csv",
        questions,
        ["question", "notebook", "points", "graded", "success_rate", "mean_score"],
    )
    draw_class_report(students, questions, assignment).save(out / "report.svg")
    rated = [q for q in questions if q["success_rate"] != ""]
    hardest = sorted(rated, key=lambda q: (q["success_rate"], q["question"]))[:3]
    missing = [r["student"] for r in students if r["missing"]]
    flagged = [r["student"] for r in students if r["flagged"]]
    late = [r["student"] for r in students if r["late"]]
    scores = [r["score"] for r in students if r["score"] != ""]
    mean = round(sum(scores) / len(scores), 2) if scores else 0

    def items(values: list[str]) -> str:
        return ", ".join(html.escape(v) for v in values) or "—"

    hard_html = "".join(
        f"<li>{html.escape(q['question'])}: {q['success_rate'] * 100:.0f}%</li>" for q in hardest
    )
    rows_html = "".join(
        "<tr>"
        + "".join(f"<td>{html.escape(str(r[k]))}</td>" for k in ("student", "score", "late"))
        + "</tr>"
        for r in students
    )
    page = f"""<!doctype html><html><head><meta charset="utf-8">
<title>{html.escape(assignment)}</title></head><body>
<h1>{html.escape(t("grade.report_title", assignment=assignment))}</h1>
<p>{html.escape(t("grade.report_line", n=len(scores), mean=mean))}</p>
<img src="report.svg" alt="{html.escape(t("grade.report_success"))}" style="max-width:100%">
<h2>{html.escape(t("grade.report_hardest"))}</h2><ul>{hard_html}</ul>
<h2>{html.escape(t("grade.report_attention"))}</h2>
<p>{html.escape(t("grade.report_missing"))}: {items(missing)}</p>
<p>{html.escape(t("grade.report_flagged"))}: {items(flagged)}</p>
<p>{html.escape(t("grade.report_late"))}: {items(late)}</p>
<table border="1" cellpadding="4"><tr><th>student</th><th>score</th><th>late</th></tr>
{rows_html}</table></body></html>
"""
    (out / "report.html").write_text(page, encoding="utf-8")
    return {
        "n": len(scores),
        "mean": mean,
        "missing": len(missing),
        "flagged": len(flagged),
        "hardest": ", ".join(q["question"] for q in hardest) or "—",
    }
