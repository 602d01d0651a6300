"""Autograde a class, sequentially or in parallel, with one writer to the real gradebook.

nbgrader has no parallel autograde (jupyter/nbgrader#174) and its SQLite gradebook does not
like several writers; student code must not reach any of it (docs/threat-model.md).  The design:

1. The parent reads every hand-in as data (:mod:`~sanshe_edu.grade.pipeline.handin`: no
   links, FIFOs or devices, bounded sizes) into a root-only scratch folder, under an alias
   (``_sb0001``…, so folder names with glob characters do no harm), and checks the notebooks;
   a bad one gets a message naming the student and file, a zero and a flag.
2. Each worker (:mod:`~sanshe_edu.grade.pipeline.worker`, one for ``jobs=1`` too, started and
   read by :mod:`~sanshe_edu.grade.pipeline.pool`) gets a *scratch course*
   (:mod:`~sanshe_edu.grade.pipeline.scratch`): a copy of ``nbgrader_config.py``,
   ``source/<assignment>``, a snapshot of ``gradebook.db`` and its students' staged hand-ins.
   It runs nbgrader's own ``NbGraderAPI.autograde`` with each kernel in that submission's
   sandbox (:mod:`~sanshe_edu.grade.pipeline.sandbox`: its own user when root, a private
   folder outside the course, a PID namespace, a time limit for the whole submission).
3. Workers report on a pipe only they hold (never their stdout, which a kernel could write);
   their stdout and stderr, and every kernel's, go to ``/dev/null``.
4. The parent alone copies the scores (auto score, manual-grade needs, late penalty, comments)
   and the autograded notebooks into the real course, one student at a time
   (:mod:`~sanshe_edu.grade.pipeline.gradebook`); anything odd in one submission fails that
   submission (0, flagged, one line), never the batch.

Sequential and parallel runs take the same path, so their results are identical.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ...errors import SansheError
from ...i18n import t
from . import course as course_mod
from . import handin, sandbox
from .gradebook import Merger, ensure_generated, zero_and_flag
from .pool import run_workers, spawn_workers
from .scratch import prepare_scratch, scratch_db

DEFAULT_SUBMISSION_LIMIT = 300


@dataclass
class Outcome:
    """What happened to one student's submission."""

    student: str
    ok: bool
    message: str = ""
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def check_submission(
    course: Path, assignment: str, student: str, folder: Path | None = None
) -> list[str]:
    """Translated problems that stop a submission from being graded (empty when fine)."""
    import nbformat

    folder = folder or course / "submitted" / student / assignment
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


def submission_limit(course: Path) -> int:
    """Seconds allowed for one whole submission (``c.SansheSandbox.submission_timeout``)."""
    cfg = course_mod.load_config(course)
    try:
        value = int(cfg.SansheSandbox.get("submission_timeout", DEFAULT_SUBMISSION_LIMIT))
    except (TypeError, ValueError):
        value = DEFAULT_SUBMISSION_LIMIT
    return max(value, 5)


def autograde(
    course: Path,
    assignment: str,
    students: list[str] | None = None,
    jobs: int = 1,
    on_result: Callable[[Outcome], None] | None = None,
    on_note: Callable[[str], None] | None = None,
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
    mode = sandbox.mode()
    if not mode.root and on_note:
        on_note(sandbox.describe(mode))
    limit = submission_limit(course)
    with _terminate_as_interrupt():
        return _autograde_run(course, assignment, todo, jobs, on_result, limit)


@contextlib.contextmanager
def _terminate_as_interrupt():
    """SIGTERM (``kill``, a closing terminal) ends the run like Ctrl-C: workers, kernels and
    the sandboxes' temporary folders are all removed (only possible in the main thread)."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _autograde_run(course, assignment, todo, jobs, on_result, limit) -> list[Outcome]:
    # Workers start now, so their nbgrader import overlaps with the checks and scratch copies
    # below; a worker that gets no students exits at once, and every worker is gone on return.
    workers = spawn_workers(min(max(1, int(jobs)), max(len(todo), 1)))
    boxes: list[sandbox.Box] = []
    try:
        with tempfile.TemporaryDirectory(prefix="sanshe-grade-") as tmp:
            os.chmod(tmp, 0o700)
            outcomes = _autograde(
                course, assignment, todo, jobs, on_result, workers, Path(tmp), limit, boxes
            )
    finally:
        for worker in workers:
            worker.stop()
        for box in boxes:
            sandbox.remove_box(box)
    for student in todo:
        if not outcomes[student].ok:
            with contextlib.suppress(Exception):  # a broken gradebook: the message says 0
                zero_and_flag(course, assignment, student)
    return [outcomes[s] for s in todo]


def _covers(course: Path, scratch_root: Path) -> list[str]:
    """Folders hidden from the kernels by absolute path: the course, the scratch folder and,
    for a source checkout, its ``grading/`` — unless the kernel needs something inside."""
    import sanshe_edu

    needed = [Path(sys.executable).parent, Path(sanshe_edu.__file__).resolve().parent]
    needed.append(Path(tempfile.gettempdir()).resolve())
    candidates = [course.resolve(), scratch_root.resolve()]
    checkout = Path(sanshe_edu.__file__).resolve().parents[2] / "grading"
    try:
        if (checkout / course_mod.CONFIG_NAME).is_file():
            candidates.append(checkout)
    except PermissionError:  # closed to this user (a class server's root-only grading/), and so
        pass  # to the kernels, which run as this user: nothing to hide
    covers = []
    for path in candidates:
        if any(n == path or path in n.parents for n in needed):
            continue
        covers.append(str(path))
    return covers


def _fail(student: str, key: str, **fields) -> Outcome:
    message = t(key, student=student, **fields)
    return Outcome(student, False, message, [message])


def _detail(event: dict, limit: int) -> str:
    reason = event.get("reason")
    if reason == "time_limit":
        return t("grade.detail_time_limit", seconds=limit)
    if reason == "kernel_died":
        return t("grade.detail_kernel_died")
    if reason == "marks_removed":
        return t("grade.detail_marks_removed")
    name = str(event.get("name") or "?")
    if not re.fullmatch(r"[A-Za-z]{1,60}|\?", name):
        name = "?"
    return t("grade.detail_nbgrader", name=name)


def _autograde(
    course, assignment, todo, jobs, on_result, workers, tmp, limit, boxes
) -> dict[str, Outcome]:
    outcomes: dict[str, Outcome] = {}
    aliases = {student: f"_sb{i + 1:04d}" for i, student in enumerate(todo)}
    staged: dict[str, Path] = {}
    notes: dict[str, list[str]] = {}

    def report(outcome: Outcome) -> None:
        outcomes[outcome.student] = outcome
        if on_result:
            on_result(outcome)

    (tmp / "staged").mkdir()
    for student in todo:
        alias = aliases[student]
        folder = tmp / "staged" / alias
        problems, notes[student] = handin.stage(
            course / "submitted" / student / assignment, folder, student
        )
        if not problems:
            problems = check_submission(course, assignment, student, folder)
        if problems:
            report(Outcome(student, False, problems[0], problems, notes[student]))
        else:
            staged[student] = folder
    gradable = [s for s in todo if s in staged]
    jobs = max(1, min(int(jobs), len(gradable) or 1))
    batches = [gradable[i::jobs] for i in range(jobs)]
    by_alias = {aliases[s]: s for s in gradable}
    if gradable:
        boxes.extend(
            sandbox.make_boxes([aliases[s] for s in gradable], _covers(course, tmp), limit)
        )
        try:
            sandbox.check_python(boxes[0])
        except SansheError as exc:  # name the folder in the way, when one is
            from .probe import blocked_message

            line = blocked_message(sandbox.mode().root)
            if line:
                raise SansheError("grade.probe_stops", detail=line) from exc
            raise
    box_of = {box.alias: box for box in boxes}
    jobs_specs = []
    for i, batch in enumerate(batches):
        if batch:
            scratch = prepare_scratch(
                course, assignment, {aliases[s]: staged[s] for s in batch}, tmp / f"w{i}"
            )
            jobs_specs.append((scratch, [box_of[aliases[s]] for s in batch]))
    merger = Merger(course, assignment)

    def collect(event: dict) -> None:
        student = by_alias.get(str(event.get("alias")))
        if student is None or student in outcomes:
            return
        if event.get("ok"):
            report(Outcome(student, True, notes=notes[student]))
        else:
            detail = _detail(event, limit)
            outcome = _fail(student, "grade.autograde_failed", detail=detail)
            outcome.notes = notes[student]
            report(outcome)

    def merge(scratch: Path, batch: list[sandbox.Box]) -> None:
        for box in batch:
            student = by_alias[box.alias]
            if student not in outcomes:  # the worker stopped before reporting this student
                report(_fail(student, "grade.autograde_failed", detail=t("grade.detail_worker")))
            elif outcomes[student].ok:
                error = merger.merge(scratch_db(scratch), box, student)
                if error:
                    outcomes[student].ok = False
                    outcomes[student].message = merger.problem or t(
                        "grade.autograde_failed", student=student, detail=t("grade.detail_merge")
                    )
                    outcomes[student].problems = [outcomes[student].message]

    try:
        run_workers(workers, jobs_specs, assignment, collect, merge, limit)
    finally:
        merger.close()
    return outcomes
