"""Feedback pages for one student, made by nbgrader — under an alias when the student's folder
name has glob characters (``李雷 [2023001]``), which nbgrader would look for with ``glob`` and
not find.
"""

from __future__ import annotations

import glob
import html
import shutil
import sqlite3
import tempfile
from pathlib import Path

from .course import CONFIG_NAME, make_api
from .gradebook import backup_db

ALIAS = "_sb0001"


def generate_feedback(api, course: Path, assignment: str, student: str) -> dict:
    """nbgrader's ``generate_feedback`` result (``success``, ``error``, ``log``) for one student
    of ``course``, whose ``NbGraderAPI`` is ``api``."""
    if glob.has_magic(student):
        return _feedback_under_alias(course, assignment, student)
    return api.generate_feedback(assignment, student, force=True)


def _feedback_under_alias(course: Path, assignment: str, student: str) -> dict:
    """The feedback made in a scratch copy (gradebook, config, graded notebook) where the
    student is called ``_sb0001``, then copied back under the student's own name."""
    with tempfile.TemporaryDirectory(prefix="sanshe-feedback-") as tmp:
        scratch = Path(tmp) / "course"
        scratch.mkdir()
        shutil.copy2(course / CONFIG_NAME, scratch / CONFIG_NAME)
        shutil.copytree(
            course / "autograded" / student / assignment,
            scratch / "autograded" / ALIAS / assignment,
        )
        backup_db(course / "gradebook.db", scratch / "gradebook.db")
        _rename_student(scratch / "gradebook.db", student, ALIAS)
        result = make_api(scratch).generate_feedback(assignment, ALIAS, force=True)
        made = scratch / "feedback" / ALIAS / assignment
        if result.get("success") and made.is_dir():
            target = course / "feedback" / student / assignment
            if target.exists():
                shutil.rmtree(target)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copytree(made, target)
            for page in target.rglob("*.html"):  # the page names the student, not the alias
                text = page.read_text(encoding="utf-8")
                page.write_text(text.replace(ALIAS, html.escape(student)), encoding="utf-8")
    return result


def _rename_student(db: Path, student: str, alias: str) -> None:
    """In the gradebook copy ``db``, ``student`` and their submissions become ``alias``."""
    con = sqlite3.connect(str(db))
    with con:
        con.execute("delete from student where id = ?", (alias,))
        con.execute(
            "update submitted_assignment set student_id = ? where student_id = ?",
            (alias, student),
        )
        con.execute("update student set id = ? where id = ?", (alias, student))
    con.close()
