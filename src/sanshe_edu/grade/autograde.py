"""Autograde a class, sequentially or in parallel, with one writer to the real gradebook.

nbgrader has no parallel autograde (jupyter/nbgrader#174) and its SQLite gradebook does not
like several writers.  The design here:

1. The parent checks every submission (the expected notebook is there and is a readable
   notebook); a bad one gets a message naming the student and file, a zero and a flag.
2. The parent prepares one *scratch course* per worker: a copy of ``nbgrader_config.py``,
   ``source/<assignment>``, a consistent snapshot of ``gradebook.db`` (SQLite backup API) and the
   worker's students' ``submitted/`` folders.
3. Each worker runs nbgrader's own ``NbGraderAPI.autograde`` for its students inside its
   scratch course — in this process for ``jobs=1``, in ``python -m sanshe_edu.grade.worker``
   processes otherwise.  Students' code therefore runs in a scratch folder: relative paths
   cannot reach the real gradebook or other students' work.
4. The parent alone copies the scores (auto score, manual-grade needs, late penalty, comments)
   and the autograded notebooks back into the real course, through one connection to each
   gradebook for the whole run.

Sequential and parallel runs take the same path, so their results are identical; the only
difference is which process runs a student's kernel.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import SansheError
from ..i18n import t
from . import course as course_mod


@dataclass
class Outcome:
    """What happened to one student's submission."""

    student: str
    ok: bool
    message: str = ""
    problems: list[str] = field(default_factory=list)


def check_submission(course: Path, assignment: str, student: str) -> list[str]:
    """Translated problems that stop a submission from being graded (empty when fine)."""
    import nbformat

    folder = course / "submitted" / student / assignment
    problems = []
    for name in course_mod.notebook_names(course, assignment):
        path = folder / f"{name}.ipynb"
        if not path.is_file():
            found = ", ".join(sorted(p.name for p in folder.iterdir() if p.is_file())) or "-"
            problems.append(
                t("grade.missing_notebook", student=student, file=path.name, found=found)
            )
            continue
        try:
            nb = nbformat.read(str(path), as_version=4)
            nbformat.validate(nb)
        except Exception as exc:  # any unreadable file: JSON error, not a notebook, bad schema
            detail = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
            problems.append(
                t("grade.corrupt_notebook", student=student, file=path.name, detail=detail)
            )
    return problems


def _backup_db(src: Path, dest: Path) -> None:
    source = sqlite3.connect(f"file:{src}?mode=ro", uri=True)
    target = sqlite3.connect(str(dest))
    with target:
        source.backup(target)
    source.close()
    target.close()


def _scratch_db(scratch: Path) -> Path:
    return scratch.parent / "db" / "gradebook.db"


def _prepare_scratch(course: Path, assignment: str, students: list[str], root: Path) -> Path:
    scratch = root / "course"
    (scratch / "source").mkdir(parents=True)
    shutil.copy2(course / course_mod.CONFIG_NAME, scratch / course_mod.CONFIG_NAME)
    shutil.copytree(course / "source" / assignment, scratch / "source" / assignment)
    # The gradebook copy lives OUTSIDE the scratch course, so a student's code (which runs in
    # course/autograded/<student>/<assignment>) cannot reach it by a relative path.
    (root / "db").mkdir()
    _backup_db(course / "gradebook.db", _scratch_db(scratch))
    for student in students:
        shutil.copytree(
            course / "submitted" / student / assignment,
            scratch / "submitted" / student / assignment,
            symlinks=True,
        )
    return scratch


def _short_error(result: dict) -> str:
    text = (result.get("error") or result.get("log") or "").strip().splitlines()
    return text[-1][:200] if text else "?"


def grade_scratch(
    scratch: Path, assignment: str, students: list[str], emit: Callable[[dict], None]
) -> None:
    """Worker body: autograde ``students`` inside the scratch course with nbgrader's API."""
    api = course_mod.make_api(
        scratch, **{"CourseDirectory.db_url": f"sqlite:///{_scratch_db(scratch)}"}
    )
    from sqlalchemy.exc import SAWarning

    for student in students:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", SAWarning)  # nbgrader's gradebook noise
                result = api.autograde(assignment, student, force=True, create=True)
        except Exception as exc:  # nbgrader raised instead of reporting: keep grading others
            result = {"success": False, "error": f"{type(exc).__name__}: {exc}"}
        emit(
            {
                "student": student,
                "ok": bool(result.get("success")),
                "error": "" if result.get("success") else _short_error(result),
            }
        )


def _quiet(func):
    """nbgrader's gradebook code emits SQLAlchemy SAWarnings on every new submission."""

    def wrapper(*args, **kwargs):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return func(*args, **kwargs)

    wrapper.__doc__ = func.__doc__
    return wrapper


class _Merger:
    """Copies students' autograde results from a scratch course into the real one (the parent
    is the only writer to the real gradebook).

    One connection to the real gradebook and one per scratch gradebook for the whole run (the
    earlier design opened both per batch). After each student the scratch session is rolled
    back, so nothing read from one student's records is held over to the next."""

    def __init__(self, course: Path, assignment: str) -> None:
        self.course, self.assignment = course, assignment
        self.course_id = course_mod.load_config(course).CourseDirectory.course_id
        self._gb = None
        self._scratch_gbs: dict[Path, object] = {}

    def _open(self, url: str):
        from nbgrader.api import Gradebook

        return Gradebook(url, self.course_id)

    def merge(self, scratch: Path, student: str) -> str:
        """Merge one graded student; returns an error text, or "" when merged."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # nbgrader's SQLAlchemy SAWarnings
            if self._gb is None:
                self._gb = self._open(f"sqlite:///{self.course / 'gradebook.db'}")
            wg = self._scratch_gbs.get(scratch)
            if wg is None:
                wg = self._scratch_gbs[scratch] = self._open(f"sqlite:///{_scratch_db(scratch)}")
            try:
                _merge_one(wg, self._gb, self.course, scratch, self.assignment, student)
                return ""
            except Exception as exc:  # nothing usable was recorded by the worker
                self._gb.db.rollback()
                return str(exc)[:200] or type(exc).__name__
            finally:
                wg.db.rollback()  # end the read transaction on the worker's gradebook

    def close(self) -> None:
        for gb in [self._gb, *self._scratch_gbs.values()]:
            if gb is not None:
                gb.close()
        self._gb, self._scratch_gbs = None, {}


def _merge_one(wg, gb, course: Path, scratch: Path, assignment: str, student: str) -> None:
    done = wg.find_submission(assignment, student)
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
    target = course / "autograded" / student / assignment
    if target.exists():
        shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(scratch / "autograded" / student / assignment, target, symlinks=True)


@_quiet
def _zero_and_flag(course: Path, assignment: str, student: str) -> None:
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


def ensure_generated(course: Path, assignment: str) -> None:
    """The assignment must be in the gradebook (``sanshe-edu grade generate`` puts it there)."""
    db = course / "gradebook.db"
    if db.is_file():
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            row = con.execute("select 1 from assignment where name = ?", (assignment,)).fetchone()
        except sqlite3.Error:
            row = None
        finally:
            con.close()
        if row:
            return
    raise SansheError("grade.not_generated", assignment=assignment)


def autograde(
    course: Path,
    assignment: str,
    students: list[str] | None = None,
    jobs: int = 1,
    on_result: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """Autograde ``students`` (default: every submission) of ``assignment``; see module doc."""
    course_mod.check_assignment(course, assignment)
    ensure_generated(course, assignment)
    everyone = course_mod.students_submitted(course, assignment)
    if students:
        unknown = [s for s in students if s not in everyone]
        if unknown:
            raise SansheError("grade.no_submission", student=unknown[0], assignment=assignment)
    todo = list(students or everyone)
    # Workers start now, so their nbgrader import overlaps with the checks and scratch copies
    # below; a worker that gets no students exits at once, and every worker is gone on return.
    procs = _spawn_workers(min(max(1, int(jobs)), len(todo))) if jobs > 1 else []
    try:
        outcomes = _autograde(course, assignment, todo, jobs, on_result, procs)
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            for stream in (proc.stdin, proc.stdout):
                if stream and not stream.closed:
                    stream.close()
    for student in todo:
        if not outcomes[student].ok:
            _zero_and_flag(course, assignment, student)
    return [outcomes[s] for s in todo]


def _autograde(course, assignment, todo, jobs, on_result, procs) -> dict[str, Outcome]:
    outcomes: dict[str, Outcome] = {}
    gradable = []
    for student in todo:
        problems = check_submission(course, assignment, student)
        if problems:
            outcomes[student] = Outcome(student, False, problems[0], problems)
            if on_result:
                on_result(outcomes[student])
        else:
            gradable.append(student)
    jobs = max(1, min(int(jobs), len(gradable) or 1))
    batches = [gradable[i::jobs] for i in range(jobs)]
    with tempfile.TemporaryDirectory(prefix="sanshe-grade-") as tmp:
        scratches = []
        for i, batch in enumerate(batches):
            if batch:
                scratches.append(
                    (_prepare_scratch(course, assignment, batch, Path(tmp) / f"w{i}"), batch)
                )

        merger = _Merger(course, assignment)

        def collect(event: dict) -> None:
            outcome = Outcome(event["student"], event["ok"], event.get("error", ""))
            if not outcome.ok:
                outcome.message = t(
                    "grade.autograde_failed", student=outcome.student, detail=outcome.message
                )
            outcomes[outcome.student] = outcome
            if on_result:
                on_result(outcome)

        def merge(scratch: Path, batch: list[str]) -> None:
            for student in batch:
                if student not in outcomes:  # a worker died before reporting this student
                    outcomes[student] = Outcome(
                        student, False, t("grade.autograde_failed", student=student, detail="?")
                    )
                elif outcomes[student].ok:
                    error = merger.merge(scratch, student)
                    if error:
                        outcomes[student].ok = False
                        outcomes[student].message = t(
                            "grade.autograde_failed", student=student, detail=error
                        )

        try:
            if procs:
                # A worker's batch is merged once that worker has exited, while the other may
                # still be grading. (Merging each student as soon as it was reported was
                # measured slower with two workers on two cores: the parent then competes with
                # them for the CPU and for the scratch gradebooks.)
                _run_workers(procs, scratches, assignment, collect, merge)
            else:
                for scratch, batch in scratches:
                    grade_scratch(scratch, assignment, batch, collect)
                    merge(scratch, batch)
        finally:
            merger.close()
    return outcomes


def _spawn_workers(count: int) -> list[subprocess.Popen]:
    procs = []
    try:
        for _ in range(count):
            procs.append(
                subprocess.Popen(
                    [sys.executable, "-m", "sanshe_edu.grade.worker"],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,
                    env=dict(os.environ),
                    text=True,
                )
            )
    except BaseException:
        for proc in procs:
            proc.kill()
            proc.wait()
        raise
    return procs


def _run_workers(procs, scratches, assignment: str, collect, merge) -> None:
    """Hand each worker its spec (idle workers get none and exit), collect the events, and
    merge a worker's batch once its output has ended and the process has exited."""
    import selectors

    sel = selectors.DefaultSelector()
    for i, proc in enumerate(procs):
        if i < len(scratches):
            scratch, batch = scratches[i]
            spec = {"scratch": str(scratch), "assignment": assignment, "students": batch}
            proc.stdin.write(json.dumps(spec))
            sel.register(proc.stdout, selectors.EVENT_READ, (proc, scratch, batch))
        proc.stdin.close()
    # Our own merge needs nbgrader too: import it while the workers grade, not after them.
    if scratches:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import nbgrader.api  # noqa: F401
    open_streams = len(sel.get_map())
    while open_streams:
        for key, _ in sel.select():
            line = key.fileobj.readline()
            if not line:
                sel.unregister(key.fileobj)
                open_streams -= 1
                proc, scratch, batch = key.data
                proc.wait()
                merge(scratch, batch)
                continue
            try:
                event = json.loads(line)
            except ValueError:
                continue
            if isinstance(event, dict) and "student" in event:
                collect(event)
    sel.close()
