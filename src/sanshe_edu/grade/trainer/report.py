"""``sanshe-edu grade report ASSIGNMENT``: the class report a trainer looks at after grading.

Written into one folder: ``scores.csv`` (one row per student on the roster), ``questions.csv``
(one row per graded question), ``report.svg`` (score distribution and per-question success rate)
``report.html`` (the picture, the hardest questions and who is missing, flagged or late, then
the item analysis), ``items.svg`` (facility and discrimination per question) and
``distractors.csv`` (what the class chose on each widget question) and ``concepts.csv`` (the
class's mastery per concept, ``grade.trainer.concept_report``; also a section of the page);
on the class server also ``practice.csv``, the lessons' practice answers from the live class
service (:mod:`~sanshe_edu.grade.trainer.practice`; also a section of the page). CSV
files are UTF-8 with a BOM, so Excel on Chinese Windows reads them.

The numbers come from nbgrader's gradebook (:func:`collect_rows`, plain data), the drawing is a
separate step (:func:`sanshe_edu.draw.draw_class_report`, SVG; no matplotlib), and the page
comes from the autoescaped jinja2 templates ``templates/report.html.j2`` and ``items.html.j2``.
"""

from __future__ import annotations

import csv
import functools
import html
from pathlib import Path

from ...draw import draw_class_report
from ...i18n import get_lang, t
from ..pipeline.course import load_config
from . import concept_report


def collect_rows(course: Path, assignment: str) -> tuple[list[dict], list[dict]]:
    """``(students, questions)`` as plain dicts, read from the gradebook."""
    from nbgrader.api import Gradebook, MissingEntry

    cfg = load_config(course)
    students, questions = [], {}
    with Gradebook(cfg.CourseDirectory.db_url, cfg.CourseDirectory.course_id) as gb:
        spec = gb.find_assignment(assignment)
        for nb in spec.notebooks:
            # Graded cells and task cells (a short answer given in a widget, marked by hand),
            # in the order the notebook has them.
            order = {cell.name: i for i, cell in enumerate(nb.source_cells)}
            cells = sorted([*nb.grade_cells, *nb.task_cells], key=lambda c: order.get(c.name, 0))
            for cell in cells:
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
                "marks": {},
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
                        row["marks"][(nb.name, grade.name)] = float(grade.score)
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


def _csv(path: Path, rows: list[dict], fields: list[str], headers: list[str] | None = None) -> None:
    """A CSV Excel opens right on Chinese Windows: UTF-8 with a byte-order mark."""
    with path.open("w", newline="", encoding="utf-8-sig") as fh:
        writer = csv.writer(fh)
        writer.writerow(headers or fields)
        for row in rows:
            writer.writerow(["" if row.get(f) is None else row.get(f, "") for f in fields])


def analyse(course: Path, assignment: str, students: list[dict], questions: list[dict]) -> dict:
    """Titles, item statistics and distractor tables, added to ``questions`` in place.

    An item enters the statistics when every student who handed in has an automatic mark on
    it (a question still waiting for the trainer's mark is left out and named)."""
    from . import itemstats
    from .items import distractors, misconceptions, question_titles

    titles = question_titles(course, assignment)
    for q in questions:
        info = titles.get((q["notebook"], q["question"]), {})
        q["title"] = info.get("title") or q["question"]
        q["qid"] = info.get("qid") or ""
    present = [r for r in students if not r["missing"]]
    keys = [(q["notebook"], q["question"]) for q in questions]
    used = [i for i, k in enumerate(keys) if present and all(k in r["marks"] for r in present)]
    marks = [[r["marks"][keys[i]] for i in used] for r in present]
    stats = itemstats.item_stats(marks, [questions[i]["points"] for i in used]) if used else []
    for q in questions:
        q.update({"facility": None, "sd": None, "di": None, "de": None, "flags": ""})
    for i, st in zip(used, stats, strict=True):
        questions[i].update({k: st[k] for k in ("facility", "sd", "di", "de")})
        questions[i]["flags"] = itemstats.flag_text(st["flags"])
    left_out = [questions[i]["title"] for i in range(len(questions)) if i not in used]
    tables = distractors(course, assignment, [r["student"] for r in present])
    return {
        "alpha": itemstats.cronbach_alpha(marks) if used else None,
        "k": len(used),
        "n": len(present),
        "left_out": left_out,
        "tables": tables,
        "misconceptions": misconceptions(tables),
    }


def draw_items(questions: list[dict], assignment: str):
    """One row per question: facility F (bar) and discrimination DI (bar, red when flagged),
    with the 30 and 50 lines of Moodle's flags."""
    from ...draw.svg import SvgFigure
    from ...i18n import get_lang

    rows = [q for q in questions if q.get("facility") is not None]
    title = t("grade.items_picture")
    desc = "; ".join(
        f"{q['title']}: F {q['facility'] * 100:.0f}%, DI "
        + ("—" if q["di"] is None else f"{q['di']:.0f}")
        for q in rows
    )
    height = 120 + 30 * max(len(rows), 1)
    fig = SvgFigure(1000, height, f"{assignment} — {title}", desc or title, get_lang())
    fig.text(500, 28, f"{assignment} — {title}", size=17, anchor="middle", bold=True)
    fx, dx, bw, top = 420.0, 700.0, 240.0, 80.0
    fig.text(fx + bw / 2, 60, t("grade.item_f") + " (%)", size=13, anchor="middle", bold=True)
    fig.text(dx + bw / 2, 60, t("grade.item_di"), size=13, anchor="middle", bold=True)
    for k, q in enumerate(rows):
        y = top + 30 * k
        name = q["title"] if len(q["title"]) <= 26 else q["title"][:25] + "…"
        fig.text(fx - 12, y + 9, name, size=13, anchor="end")
        fig.rect(fx, y, bw * q["facility"], 18, fill="#4c72b0")
        fig.text(fx + bw * q["facility"] + 5, y + 9, f"{q['facility'] * 100:.0f}", size=12)
        if q["di"] is None:
            fig.text(dx, y + 9, "—", size=12)
            continue
        di = max(min(q["di"], 100.0), 0.0)
        colour = "#c44e52" if q["di"] < 30 else "#dd8452" if q["di"] < 50 else "#55a868"
        fig.rect(dx, y, bw * di / 100, 18, fill=colour)
        fig.text(dx + bw * di / 100 + 5, y + 9, f"{q['di']:.0f}", size=12)
    bottom = top + 30 * max(len(rows), 1)
    for mark in (30, 50):
        x = dx + bw * mark / 100
        fig.line(x, top - 6, x, bottom, stroke="#999999", stroke_dasharray="4 3")
        fig.text(x, bottom + 14, str(mark), size=11, anchor="middle")
    return fig


def _pct(value) -> str:
    return "—" if value is None or value == "" else f"{value * 100:.0f}%"


def _num(value) -> str:
    return "—" if value is None else f"{value:g}"


TEMPLATES = Path(__file__).resolve().parent / "templates"


@functools.cache
def _templates():
    """The report's jinja2 templates (``templates/*.html.j2``), autoescaped."""
    import jinja2
    import markupsafe

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(pct=_pct, num=_num)
    env.globals["t"] = t
    env.globals["lang"] = lambda: "en" if get_lang() == "en" else "zh-CN"
    env.globals["items_img"] = lambda: markupsafe.Markup(items_img())
    return env


def items_img() -> str:
    """The report's item picture with its text alternative: the line the cockpit replaces by
    the SVG itself (which carries its own title and description)."""
    alt = html.escape(t("grade.items_heading"))
    return f'<img src="items.svg" alt="{alt}" style="max-width:100%">'


def items_html(questions: list[dict], analysis: dict) -> str:
    """The item-analysis part of the report (also shown inline in the cockpit)."""
    page = _templates().get_template("items.html.j2").render(questions=questions, analysis=analysis)
    return page.removesuffix("\n")


def practice_html(practice: list[dict] | None) -> str:
    """课堂练习: the lessons' practice answers (``None``: no live data, no section)."""
    page = _templates().get_template("practice.html.j2").render(practice=practice)
    return page.removesuffix("\n")


SCORE_FIELDS = ["student", "name", "score", "max_score", "missing", "late", "flagged"]
SCORE_FIELDS.append("needs_manual_grade")
QUESTION_FIELDS = [
    "question",
    "notebook",
    "points",
    "graded",
    "success_rate",
    "mean_score",
    "title",
    "facility",
    "sd",
    "di",
    "de",
    "flags",
]


def write_report(
    course: Path,
    assignment: str,
    out: Path,
    roster: dict[str, str] | None = None,
    live: dict | None = None,
) -> dict:
    """Write the report files; return the numbers of the one-line summary (and the tables).

    ``roster`` ({id: name}, by default the course's ``roster.csv``) names the students.
    ``live``: the live class service's export (:mod:`.practice`): the lessons' practice
    answers then get a section of the page and ``practice.csv``."""
    from ..pipeline.gradebook import ensure_generated
    from . import practice as practice_mod
    from .items import missing_widget_answers
    from .roster import course_roster

    ensure_generated(course, assignment)
    roster = course_roster(course) if roster is None else roster
    students, questions = collect_rows(course, assignment)
    for r in students:
        r["name"] = roster.get(r["student"], "")
    analysis = analyse(course, assignment, students, questions)
    concepts = concept_report.section(students, questions, assignment)
    out.mkdir(parents=True, exist_ok=True)
    _csv(out / "concepts.csv", concepts["rows"], concept_report.FIELDS, concept_report.headers())
    _csv(
        out / "scores.csv",
        students,
        SCORE_FIELDS,
    )
    _csv(out / "questions.csv", questions, QUESTION_FIELDS)
    _csv(
        out / "distractors.csv",
        [
            {
                **r,
                "qid": tb["qid"],
                "title": tb["title"],
                "correct": t("grade.yes") if r["correct"] else t("grade.no"),
            }
            for tb in analysis["tables"]
            for r in tb["rows"]
        ],
        ["qid", "title", "part", "choice", "count", "share", "correct", "reason"],
        [t("grade.item_title") + " id", t("grade.item_title")]
        + [t(f"grade.d_{k}") for k in ("part", "choice", "count", "share", "correct", "reason")],
    )
    practice = None if live is None else practice_mod.rows(live)
    if practice is not None:
        _csv(out / "practice.csv", practice, practice_mod.FIELDS, practice_mod.headers())
    chart = [{**q, "question": q["title"]} for q in questions]
    draw_class_report(students, chart, assignment).save(out / "report.svg")
    draw_items(questions, assignment).save(out / "items.svg")
    rated = [q for q in questions if q["success_rate"] != ""]
    hardest = sorted(rated, key=lambda q: (q["success_rate"], q["question"]))[:3]

    def who(r: dict) -> str:
        return f"{r['student']} {r['name']}" if r["name"] else r["student"]

    missing = [who(r) for r in students if r["missing"]]
    flagged = [who(r) for r in students if r["flagged"]]
    names = {r["student"]: who(r) for r in students}
    no_widget = [
        t("grade.report_no_widget_one", student=names.get(s, s), question=q)
        for s, q in missing_widget_answers(
            course, assignment, [r["student"] for r in students if not r["missing"]]
        )
    ]
    late = [who(r) for r in students if r["late"]]
    scores = [r["score"] for r in students if r["score"] != ""]
    mean = round(sum(scores) / len(scores), 2) if scores else 0

    page = (
        _templates()
        .get_template("report.html.j2")
        .render(
            assignment=assignment,
            n=len(scores),
            mean=mean,
            hardest=hardest,
            missing=missing,
            flagged=flagged,
            no_widget=no_widget,
            late=late,
            students=students,
            questions=questions,
            analysis=analysis,
            concepts=concepts["html"],
            practice=practice,
        )
    )
    (out / "report.html").write_text(page, encoding="utf-8")
    return {
        "n": len(scores),
        "mean": mean,
        "missing": len(missing),
        "flagged": len(flagged),
        "no_widget": no_widget,
        "hardest": ", ".join(q["title"] for q in hardest) or "—",
        "analysis": analysis,
        "concepts": concepts["rows"],
        "questions": questions,
        "students": students,
        "practice": practice,
    }
