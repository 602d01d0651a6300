"""The real course's ``gradebook.db``, which only the parent process reads and writes.

Student code never reaches it (docs/threat-model.md): workers grade against a snapshot
(:func:`backup_db`), and :class:`Merger` copies their results in, one student at a time; an
ungradable submission gets :func:`zero_and_flag`.  :func:`ensure_generated` reads it with plain
SQLite, so it needs no nbgrader import.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import warnings
from pathlib import Path

from ...errors import SansheError
from . import course as course_mod
from . import handin
from .sandbox import Box


def backup_db(src: Path, dest: Path) -> None:
    """A consistent copy of the gradebook ``src`` at ``dest`` (SQLite's online backup)."""
    source = sqlite3.connect(f"file:{src}?mode=ro", uri=True)
    target = sqlite3.connect(str(dest))
    with target:
        source.backup(target)
    source.close()
    target.close()


def is_generated(course: Path, assignment: str) -> bool:
    """Whether ``sanshe-edu grade generate`` has put the assignment in the gradebook."""
    db = course / "gradebook.db"
    if not db.is_file():
        return False
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        row = con.execute("select 1 from assignment where name = ?", (assignment,)).fetchone()
    except sqlite3.Error:
        row = None
    finally:
        con.close()
    return bool(row)


def ensure_generated(course: Path, assignment: str) -> None:
    """The assignment must be in the gradebook (``sanshe-edu grade generate`` puts it there)."""
    if not is_generated(course, assignment):
        raise SansheError("grade.not_generated", assignment=assignment)


def set_due(db_url: str, course_id: str, assignment: str, due) -> None:
    """Record ``assignment``'s due date (nbgrader counts late submissions from it)."""
    from nbgrader.api import Gradebook

    with Gradebook(db_url, course_id) as gb:
        gb.update_or_create_assignment(assignment, duedate=due)


def _quiet(func):
    """nbgrader's gradebook code emits SQLAlchemy SAWarnings on every new submission."""

    def wrapper(*args, **kwargs):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return func(*args, **kwargs)

    wrapper.__doc__ = func.__doc__
    return wrapper


class Merger:
    """Copies students' autograde results from a scratch course into the real one (the parent
    is the only writer to the real gradebook).

    One connection to the real gradebook and one per scratch gradebook for the whole run.
    After each student the scratch session is rolled back, so nothing read from one student's
    records is held over to the next."""

    def __init__(self, course: Path, assignment: str) -> None:
        self.course, self.assignment = course, assignment
        self.course_id = course_mod.load_config(course).CourseDirectory.course_id
        self._gb = None
        self._scratch_gbs: dict[Path, object] = {}
        #: the last merge's refusal in the trainer's words ("" when none)
        self.problem = ""

    def _open(self, url: str):
        from nbgrader.api import Gradebook

        return Gradebook(url, self.course_id)

    def merge(self, scratch_db: Path, box: Box, student: str) -> str:
        """Merge one graded student from the worker's gradebook ``scratch_db``; returns an
        error text, or "" when merged."""
        self.problem = ""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # nbgrader's SQLAlchemy SAWarnings
            wg = None
            try:
                if self._gb is None:
                    self._gb = self._open(f"sqlite:///{self.course / 'gradebook.db'}")
                wg = self._scratch_gbs.get(scratch_db)
                if wg is None:
                    url = f"sqlite:///{scratch_db}"
                    wg = self._scratch_gbs[scratch_db] = self._open(url)
                _merge_one(wg, self._gb, self.course, box, self.assignment, student)
                return ""
            except GradedCopyRefused as exc:  # the kernel left a link, FIFO, too many files
                self.problem = str(exc)
                if self._gb is not None:
                    self._gb.db.rollback()
                return type(exc).__name__
            except Exception as exc:  # nothing usable was recorded by the worker
                if self._gb is not None:
                    self._gb.db.rollback()
                return type(exc).__name__
            finally:
                if wg is not None:
                    wg.db.rollback()  # end the read transaction on the worker's gradebook

    def close(self) -> None:
        for gb in [self._gb, *self._scratch_gbs.values()]:
            if gb is not None:
                gb.close()
        self._gb, self._scratch_gbs = None, {}


class GradedCopyRefused(Exception):
    """The graded folder holds what no graded copy may (its text says what, translated)."""


def _merge_one(wg, gb, course: Path, box: Box, assignment: str, student: str) -> None:
    done = wg.find_submission(assignment, box.alias)
    # The graded copy first (into a fresh folder, as data), then the scores.
    target = course / "autograded" / student / assignment
    fresh = target.parent / f".{assignment}.sanshe-new"
    if fresh.exists():
        shutil.rmtree(fresh)
    target.parent.mkdir(parents=True, exist_ok=True)
    problem = handin.copy_back(box.path / box.alias / assignment, fresh, student)
    if problem:
        shutil.rmtree(fresh, ignore_errors=True)
        raise GradedCopyRefused(problem)
    gb.update_or_create_student(student)
    kwargs = {"timestamp": done.timestamp} if done.timestamp else {}
    gb.update_or_create_submission(assignment, student, **kwargs)
    for nb_done in done.notebooks:
        nb = gb.find_submission_notebook(nb_done.name, assignment, student)
        nb.flagged = nb_done.flagged
        nb.late_submission_penalty = nb_done.late_submission_penalty
        for g_done in nb_done.grades:
            g = gb.find_grade(g_done.name, nb_done.name, assignment, student)
            g.auto_score = g_done.auto_score
            g.needs_manual_grade = g_done.needs_manual_grade
        for c_done in nb_done.comments:
            c = gb.find_comment(c_done.name, nb_done.name, assignment, student)
            c.auto_comment = c_done.auto_comment
    gb.db.commit()
    if target.exists():
        shutil.rmtree(target)
    os.rename(fresh, target)


@_quiet
def zero_and_flag(course: Path, assignment: str, student: str) -> None:
    """An ungradable submission: score zero everywhere and flag it for the trainer."""
    from nbgrader.api import Gradebook

    cfg = course_mod.load_config(course)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", cfg.CourseDirectory.course_id) as gb:
        gb.update_or_create_student(student)
        submission = gb.update_or_create_submission(assignment, student)
        for nb in submission.notebooks:
            nb.flagged = True
            for grade in nb.grades:
                grade.auto_score = 0
                grade.needs_manual_grade = False
        gb.db.commit()
