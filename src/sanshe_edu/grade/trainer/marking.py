"""Marking written answers by hand, read from and written to nbgrader's gradebook — the same
records nbgrader's Formgrader shows, so every report, export and Formgrader agree.

A *written item* is a graded cell nbgrader leaves to the trainer: a task cell (a short answer
given in a widget, read from the student's saved answers) or an answer cell the student writes
in (read from the graded copy in ``autograded/``).  Its rubric is the text the trainer wrote
into the source notebook's cell (the rubric of a task, the reference points of an answer).
"""

from __future__ import annotations

import contextlib
import json
import warnings
from dataclasses import dataclass
from pathlib import Path

from ...errors import SansheError
from ..pipeline.course import load_config
from .items import _source_nb, handed_in_answers, question_titles


@dataclass
class WrittenItem:
    notebook: str
    grade_id: str
    title: str
    points: float
    rubric: str
    qid: str | None  # the widget holding the answer (task cells), else None


def written_items(course: Path, assignment: str, lang=None) -> list[WrittenItem]:
    """The items of ``assignment`` the trainer marks by hand, in notebook order."""
    titles = question_titles(course, assignment, lang)
    items = []
    for nb_name, nb in _source_nb(course, assignment):
        for cell in nb.get("cells", []):
            meta = cell.get("metadata", {}).get("nbgrader", {})
            by_hand = meta.get("task") or (
                meta.get("solution") and meta.get("grade") and cell.get("cell_type") == "markdown"
            )
            if not by_hand or not meta.get("grade_id"):
                continue
            info = titles.get((nb_name, meta["grade_id"]), {})
            items.append(
                WrittenItem(
                    nb_name,
                    meta["grade_id"],
                    info.get("title") or meta["grade_id"],
                    float(meta.get("points") or 0),
                    "".join(cell.get("source", "")),
                    info.get("qid"),
                )
            )
    return items


def student_answer(course: Path, assignment: str, student: str, item: WrittenItem) -> str:
    """What the student wrote for ``item`` ("" when nothing)."""
    if item.qid:
        rec = handed_in_answers(course, assignment, student).get(item.qid)
        answer = rec.get("answer") if isinstance(rec, dict) else None
        return answer if isinstance(answer, str) else ("" if answer is None else str(answer))
    path = course / "autograded" / student / assignment / f"{item.notebook}.ipynb"
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    for cell in nb.get("cells", []):
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == item.grade_id:
            return "".join(cell.get("source", ""))
    return ""


def _gradebook(course: Path):
    from nbgrader.api import Gradebook

    cfg = load_config(course)
    return Gradebook(cfg.CourseDirectory.db_url, cfg.CourseDirectory.course_id)


def marks(course: Path, assignment: str, item: WrittenItem) -> list[dict]:
    """For every student who handed in: ``student``, ``score`` (the manual score, ``None``
    until marked) and ``comment`` (the trainer's)."""
    from nbgrader.api import MissingEntry

    out = []
    with warnings.catch_warnings(), _gradebook(course) as gb:
        warnings.simplefilter("ignore")
        for sub in sorted(gb.assignment_submissions(assignment), key=lambda s: s.student.id):
            row = {"student": sub.student.id, "score": None, "comment": ""}
            try:
                grade = gb.find_grade(item.grade_id, item.notebook, assignment, sub.student.id)
                row["score"] = grade.manual_score
            except MissingEntry:
                continue
            try:
                comment = gb.find_comment(item.grade_id, item.notebook, assignment, row["student"])
                row["comment"] = comment.manual_comment or ""
            except MissingEntry:
                pass
            out.append(row)
    return out


def save_mark(
    course: Path,
    assignment: str,
    student: str,
    item: WrittenItem,
    score: float | None,
    comment: str = "",
) -> None:
    """Record the trainer's score (0 … the item's points; ``None`` clears it) and comment in
    the gradebook, as Formgrader does."""
    from nbgrader.api import MissingEntry

    if score is not None and not 0 <= score <= item.points:
        raise SansheError("grade.mark_out_of_range", score=score, points=_n(item.points))
    with warnings.catch_warnings(), _gradebook(course) as gb:
        warnings.simplefilter("ignore")
        try:
            grade = gb.find_grade(item.grade_id, item.notebook, assignment, student)
        except MissingEntry as exc:
            raise SansheError("grade.mark_no_submission", student=student) from exc
        grade.manual_score = score
        grade.needs_manual_grade = score is None and grade.auto_score is None
        with contextlib.suppress(MissingEntry):  # a cell nbgrader keeps no comment for
            found = gb.find_comment(item.grade_id, item.notebook, assignment, student)
            found.manual_comment = comment.strip() or None
        gb.db.commit()


def progress(course: Path, assignment: str, items: list[WrittenItem]) -> tuple[int, int]:
    """``(marked, to mark)`` over every written item and every student who handed in."""
    done = total = 0
    for item in items:
        rows = marks(course, assignment, item)
        total += len(rows)
        done += sum(1 for r in rows if r["score"] is not None)
    return done, total


def _n(value: float):
    return int(value) if float(value).is_integer() else value
