"""Autograde a class, sequentially or in parallel, with one writer to the real gradebook.

nbgrader has no parallel autograde (jupyter/nbgrader#174) and its SQLite gradebook does not
like several writers; student code must not reach any of it (docs/threat-model.md).  The design:

1. The parent reads every hand-in as data (:mod:`sanshe_edu.grade.handin`: no links, FIFOs or
   devices, bounded sizes) into a root-only scratch folder, under an alias (``_sb0001``…, so
   folder names with glob characters do no harm), and checks the notebooks; a bad one gets a
   message naming the student and file, a zero and a flag.
2. Each worker (``python -m sanshe_edu.grade.worker``, one for ``jobs=1`` too) gets a *scratch
   course*: a copy of ``nbgrader_config.py``, ``source/<assignment>``, a snapshot of
   ``gradebook.db`` and its students' staged hand-ins.  It runs nbgrader's own
   ``NbGraderAPI.autograde`` with each kernel in that submission's sandbox
   (:mod:`sanshe_edu.grade.sandbox`: its own user when root, a private folder outside the
   course, a PID namespace, a time limit for the whole submission).
3. Workers report on a pipe only they hold (never their stdout, which a kernel could write);
   their stdout and stderr, and every kernel's, go to ``/dev/null``.
4. The parent alone copies the scores (auto score, manual-grade needs, late penalty, comments)
   and the autograded notebooks into the real course, one student at a time; anything odd in
   one submission fails that submission (0, flagged, one line), never the batch.

Sequential and parallel runs take the same path, so their results are identical.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import selectors
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ...errors import SansheError
from ...i18n import t
from . import course as course_mod
from . import handin, sandbox

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


def _backup_db(src: Path, dest: Path) -> None:
    source = sqlite3.connect(f"file:{src}?mode=ro", uri=True)
    target = sqlite3.connect(str(dest))
    with target:
        source.backup(target)
    source.close()
    target.close()


def _scratch_db(scratch: Path) -> Path:
    return scratch.parent / "db" / "gradebook.db"


def _prepare_scratch(course: Path, assignment: str, staged: dict[str, Path], root: Path) -> Path:
    """A scratch course in ``root`` (root-only) with the staged hand-ins ``{alias: folder}``."""
    scratch = root / "course"
    (scratch / "source").mkdir(parents=True)
    shutil.copy2(course / course_mod.CONFIG_NAME, scratch / course_mod.CONFIG_NAME)
    shutil.copytree(course / "source" / assignment, scratch / "source" / assignment)
    (root / "db").mkdir()
    _backup_db(course / "gradebook.db", _scratch_db(scratch))
    for alias, folder in staged.items():
        target = scratch / "submitted" / alias / assignment
        target.parent.mkdir(parents=True)
        os.rename(folder, target)
    return scratch


_NAME = re.compile(r"\b([A-Z][A-Za-z]{2,40}(?:Error|Exception|Interrupt|Timeout))\b")


def _reason(result: dict) -> dict:
    """What went wrong, as our own words (never text the student's code could have chosen)."""
    text = f"{result.get('error') or ''}\n{result.get('log') or ''}"
    if "DeadKernelError" in text or "Kernel died" in text:
        return {"reason": "kernel_died"}
    if "MarksRemovedError" in text:
        return {"reason": "marks_removed"}
    names = _NAME.findall(text)
    return {"reason": "nbgrader", "name": names[-1] if names else "?"}


def grade_scratch(
    scratch: Path, assignment: str, boxes: list[sandbox.Box], emit: Callable[[dict], None]
) -> None:
    """Worker body: autograde each box's submission inside the scratch course."""
    from nbgrader.converters import Autograde
    from nbgrader.preprocessors import Execute
    from sqlalchemy.exc import SAWarning

    cfg = course_mod.load_config(scratch)
    execute = sandbox.sandbox_execute_class()
    steps = cfg.Autograde.get("autograde_preprocessors") or list(
        Autograde.class_traits()["autograde_preprocessors"].default()
    )
    plain_execute = (
        Execute,
        "nbgrader.preprocessors.Execute",
        "nbgrader.preprocessors.execute.Execute",
    )
    if not any(step in plain_execute for step in steps):
        raise RuntimeError("no Execute step to sandbox")  # never run kernels unsandboxed
    steps = [execute if step in plain_execute else step for step in steps]
    overrides = {
        "CourseDirectory.db_url": f"sqlite:///{_scratch_db(scratch)}",
        "Autograde.autograde_preprocessors": steps,
    }
    api = course_mod.make_api(scratch, **overrides)
    for box in boxes:
        api.coursedir.autograded_directory = str(box.path)
        sandbox.CURRENT.box = box
        try:
            with warnings.catch_warnings(), sandbox.Watchdog(box):
                warnings.simplefilter("ignore", SAWarning)  # nbgrader's gradebook noise
                result = api.autograde(assignment, box.alias, force=True, create=True)
        except Exception as exc:  # nbgrader raised instead of reporting: keep grading others
            result = {"success": False, "error": f"{type(exc).__name__}"}
        finally:
            sandbox.CURRENT.box = None
            for proc in box.procs:  # a kernel nbgrader did not stop: end it and its namespace
                box_kill(proc)
        event = {"alias": box.alias, "ok": bool(result.get("success")) and not box.expired}
        if not event["ok"]:
            event.update({"reason": "time_limit"} if box.expired else _reason(result))
        emit(event)


def box_kill(proc) -> None:
    import signal

    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


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

    One connection to the real gradebook and one per scratch gradebook for the whole run.
    After each student the scratch session is rolled back, so nothing read from one student's
    records is held over to the next."""

    def __init__(self, course: Path, assignment: str) -> None:
        self.course, self.assignment = course, assignment
        self.course_id = course_mod.load_config(course).CourseDirectory.course_id
        self._gb = None
        self._scratch_gbs: dict[Path, object] = {}

    def _open(self, url: str):
        from nbgrader.api import Gradebook

        return Gradebook(url, self.course_id)

    def merge(self, scratch: Path, box: sandbox.Box, student: str) -> str:
        """Merge one graded student; returns an error text, or "" when merged."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # nbgrader's SQLAlchemy SAWarnings
            wg = None
            try:
                if self._gb is None:
                    self._gb = self._open(f"sqlite:///{self.course / 'gradebook.db'}")
                wg = self._scratch_gbs.get(scratch)
                if wg is None:
                    url = f"sqlite:///{_scratch_db(scratch)}"
                    wg = self._scratch_gbs[scratch] = self._open(url)
                _merge_one(wg, self._gb, self.course, box, self.assignment, student)
                return ""
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


def _merge_one(wg, gb, course: Path, box: sandbox.Box, assignment: str, student: str) -> None:
    done = wg.find_submission(assignment, box.alias)
    # The graded copy first (into a fresh folder, as data), then the scores.
    target = course / "autograded" / student / assignment
    fresh = target.parent / f".{assignment}.sanshe-new"
    if fresh.exists():
        shutil.rmtree(fresh)
    target.parent.mkdir(parents=True, exist_ok=True)
    problems, _notes = handin.stage(box.path / box.alias / assignment, fresh, student)
    if problems:
        shutil.rmtree(fresh, ignore_errors=True)
        raise RuntimeError("graded copy")
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
    workers = _spawn_workers(min(max(1, int(jobs)), max(len(todo), 1)))
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
                _zero_and_flag(course, assignment, student)
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
        sandbox.check_python(boxes[0])
    box_of = {box.alias: box for box in boxes}
    jobs_specs = []
    for i, batch in enumerate(batches):
        if batch:
            scratch = _prepare_scratch(
                course, assignment, {aliases[s]: staged[s] for s in batch}, tmp / f"w{i}"
            )
            jobs_specs.append((scratch, [box_of[aliases[s]] for s in batch]))
    merger = _Merger(course, assignment)

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
                error = merger.merge(scratch, box, student)
                if error:
                    outcomes[student].ok = False
                    outcomes[student].message = t(
                        "grade.autograde_failed", student=student, detail=t("grade.detail_merge")
                    )
                    outcomes[student].problems = [outcomes[student].message]

    try:
        _run_workers(workers, jobs_specs, assignment, collect, merge, limit)
    finally:
        merger.close()
    return outcomes


class _Worker:
    """One ``python -m sanshe_edu.grade.worker`` process and the pipe it reports on (its
    stdout and stderr, which a kernel might write to, go to /dev/null)."""

    def __init__(self) -> None:
        read, write = os.pipe()
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "sanshe_edu.grade.pipeline.worker", str(write)],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                pass_fds=(write,),
                env=dict(os.environ),
                text=True,
            )
        except BaseException:
            os.close(read)
            raise
        finally:
            os.close(write)
        self.results = os.fdopen(read, "r", encoding="utf-8")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for stream in (self.proc.stdin, self.results):
            if stream and not stream.closed:
                stream.close()


def _spawn_workers(count: int) -> list[_Worker]:
    workers: list[_Worker] = []
    try:
        for _ in range(count):
            workers.append(_Worker())
    except BaseException:
        for worker in workers:
            worker.stop()
        raise
    return workers


def _run_workers(workers, jobs_specs, assignment: str, collect, merge, limit: int) -> None:
    """Hand each worker its spec (idle workers get none and exit), collect the events, and
    merge a worker's batch once its reports have ended and the process has exited.  A worker
    that outlives its students' time limits (plus start-up) is ended."""
    sel = selectors.DefaultSelector()
    deadline: dict[int, float] = {}
    for i, worker in enumerate(workers):
        try:
            if i < len(jobs_specs):
                scratch, batch = jobs_specs[i]
                spec = {
                    "scratch": str(scratch),
                    "assignment": assignment,
                    "boxes": [box.to_json() for box in batch],
                }
                worker.proc.stdin.write(json.dumps(spec))
                sel.register(worker.results, selectors.EVENT_READ, (worker, scratch, batch))
                deadline[i] = time.monotonic() + 120 + len(batch) * (limit + 30)
            worker.proc.stdin.close()
        except OSError:  # the worker died already: its students are reported below
            pass
    # Our own merge needs nbgrader too: import it while the workers grade, not after them.
    if jobs_specs:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import nbgrader.api  # noqa: F401
    index = {id(w): i for i, w in enumerate(workers)}
    while sel.get_map():
        now = time.monotonic()
        for key in list(sel.get_map().values()):
            worker = key.data[0]
            if now > deadline[index[id(worker)]] and worker.proc.poll() is None:
                worker.proc.kill()
        for key, _ in sel.select(timeout=5):
            worker, scratch, batch = key.data
            line = key.fileobj.readline()
            if not line:
                sel.unregister(key.fileobj)
                worker.proc.wait()
                merge(scratch, batch)
                continue
            try:
                event = json.loads(line)
            except ValueError:
                continue
            if isinstance(event, dict):
                collect(event)
    sel.close()
