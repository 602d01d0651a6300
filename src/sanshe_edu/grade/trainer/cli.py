"""``sanshe-edu grade …``: the trainer's commands, on nbgrader's Python API.

Every command shows a progress bar on a terminal and ends with a one-line summary; bad input
(unknown assignment, missing course folder, unreadable submission) gives a message in the
user's language, and one student's broken submission never stops the others being graded.

>>> import argparse
>>> parser = argparse.ArgumentParser(prog="sanshe-edu")
>>> register(parser.add_subparsers())
>>> args = parser.parse_args(["grade", "autograde", "a1_concepts", "--jobs", "2"])
>>> args.grade_command, args.assignment, args.jobs
('autograde', 'a1_concepts', 2)
"""

from __future__ import annotations

import argparse
import glob
import os
import shutil
import sys
from pathlib import Path

from ...errors import SansheError
from ...i18n import t


class Progress:
    """A one-line progress bar on stderr (only on a terminal, or with SANSHE_EDU_PROGRESS=1)."""

    def __init__(self, total: int, label: str) -> None:
        self.total = max(total, 1)
        self.done = 0
        self.label = label
        self.show = sys.stderr.isatty() or os.environ.get("SANSHE_EDU_PROGRESS") == "1"
        self._draw("")

    def _draw(self, item: str) -> None:
        if not self.show:
            return
        width = 24
        filled = int(width * self.done / self.total)
        bar = "#" * filled + "." * (width - filled)
        sys.stderr.write(f"\r{self.label} [{bar}] {self.done}/{self.total} {item[:30]:30}")
        sys.stderr.flush()

    def step(self, item: str = "") -> None:
        self.done += 1
        self._draw(item)

    def close(self) -> None:
        if self.show:
            sys.stderr.write("\n")
            sys.stderr.flush()


def _course(args) -> Path:
    from ..pipeline.course import find_course

    return find_course(args.course)


def _warn(message: str) -> None:
    print(f"sanshe-edu: {message}", file=sys.stderr)


def _assignments_arg(course: Path, names: list[str]) -> list[str]:
    from ..pipeline.course import assignments, check_assignment

    if not names:
        return assignments(course)
    return [check_assignment(course, n) for n in names]


def cmd_generate(args) -> int:
    from ..pipeline.course import make_api

    course = _course(args)
    names = _assignments_arg(course, args.assignment)
    due = _parse_due(args.due) if args.due else None
    api = make_api(course)
    bar = Progress(len(names), t("grade.bar_generate"))
    failed = 0
    for name in names:
        result = api.generate_assignment(name, force=True, create=True)
        if not result.get("success"):
            failed += 1
            _warn(t("grade.step_failed", what=name, detail=_last_line(result)))
            bar.step(name)
            continue
        if due is not None:
            _set_due(api, name, due)
        if args.exercises:
            dest = Path(args.exercises) / name
            if dest.exists():
                shutil.rmtree(dest)
            shutil.copytree(course / "release" / name, dest)
        bar.step(name)
    bar.close()
    print(t("grade.summary_generate", ok=len(names) - failed, total=len(names)))
    return 1 if failed else 0


def _parse_due(text: str):
    from nbgrader.utils import parse_utc

    try:
        return parse_utc(text)
    except Exception as exc:  # dateutil's many error types
        raise SansheError("grade.bad_due", value=text) from exc


def _set_due(api, name: str, due) -> None:
    from nbgrader.api import Gradebook

    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gb:
        gb.update_or_create_assignment(name, duedate=due)


def _last_line(result: dict) -> str:
    text = (result.get("error") or result.get("log") or "").strip().splitlines()
    return text[-1][:200] if text else "?"


def _exchange_ready(api) -> None:
    root = Path(api.config.Exchange.root)
    if not root.is_dir():
        raise SansheError("grade.no_exchange", path=str(root))


def cmd_release(args) -> int:
    from ..pipeline.course import check_assignment, make_api

    course = _course(args)
    name = check_assignment(course, args.assignment)
    api = make_api(course)
    _exchange_ready(api)
    if not (course / "release" / name).is_dir():
        raise SansheError("grade.not_generated", assignment=name)
    bar = Progress(1, t("grade.bar_release"))
    result = api.release_assignment(name)
    bar.step(name)
    bar.close()
    if not result.get("success"):
        _warn(t("grade.step_failed", what=name, detail=_last_line(result)))
        return 1
    print(t("grade.summary_release", assignment=name))
    return 0


def cmd_collect(args) -> int:
    from ..pipeline.course import check_assignment, make_api, students_submitted

    course = _course(args)
    name = check_assignment(course, args.assignment)
    api = make_api(course)
    _exchange_ready(api)
    bar = Progress(1, t("grade.bar_collect"))
    result = api.collect(name, update=True)
    bar.step(name)
    bar.close()
    if not result.get("success"):
        _warn(t("grade.step_failed", what=name, detail=_last_line(result)))
        return 1
    print(t("grade.summary_collect", assignment=name, n=len(students_submitted(course, name))))
    return 0


def cmd_autograde(args) -> int:
    from ..pipeline.autograde import autograde
    from ..pipeline.course import check_assignment, students_submitted

    course = _course(args)
    name = check_assignment(course, args.assignment)
    if args.jobs < 1:
        raise SansheError("grade.bad_jobs", jobs=args.jobs)
    total = len(args.student or students_submitted(course, name))
    bar = Progress(total, t("grade.bar_autograde"))

    def say(text: str) -> None:
        if bar.show:
            sys.stderr.write("\n")
        _warn(text)

    def on_result(outcome) -> None:
        bar.step(outcome.student)
        for note in outcome.notes:
            say(note)
        if not outcome.ok:
            for problem in outcome.problems or [outcome.message]:
                say(problem)

    outcomes = autograde(
        course, name, args.student, jobs=args.jobs, on_result=on_result, on_note=say
    )
    bar.close()
    bad = [o for o in outcomes if not o.ok]
    print(
        t(
            "grade.summary_autograde",
            assignment=name,
            ok=len(outcomes) - len(bad),
            total=len(outcomes),
            bad=len(bad),
            jobs=args.jobs,
        )
    )
    return 1 if bad else 0


def cmd_feedback(args) -> int:
    from ..pipeline.course import check_assignment, make_api

    course = _course(args)
    name = check_assignment(course, args.assignment)
    folder = course / "autograded"
    students = args.student or sorted(p.name for p in folder.glob("*") if (p / name).is_dir())
    if not students:
        raise SansheError("grade.nothing_autograded", assignment=name)
    api = make_api(course)
    bar = Progress(len(students), t("grade.bar_feedback"))
    failed = 0
    for student in students:
        if glob.has_magic(student):  # nbgrader globs the student's folder: use an alias
            result = _feedback_under_alias(course, name, student)
        else:
            result = api.generate_feedback(name, student, force=True)
        if not result.get("success"):
            failed += 1
            _warn(t("grade.step_failed", what=f"{student}/{name}", detail=_last_line(result)))
        bar.step(student)
    bar.close()
    print(
        t(
            "grade.summary_feedback",
            ok=len(students) - failed,
            total=len(students),
            path=course / "feedback",
        )
    )
    return 1 if failed else 0


def _feedback_under_alias(course: Path, assignment: str, student: str) -> dict:
    """Feedback for a student whose folder name has glob characters (``李雷 [2023001]``):
    nbgrader would look for it with ``glob`` and find nothing, so it is made in a scratch copy
    (gradebook, config, graded notebook) where the student is called ``_sb0001``."""
    import sqlite3
    import tempfile

    from ..pipeline.autograde import _backup_db
    from ..pipeline.course import CONFIG_NAME, make_api

    alias = "_sb0001"
    with tempfile.TemporaryDirectory(prefix="sanshe-feedback-") as tmp:
        scratch = Path(tmp) / "course"
        scratch.mkdir()
        shutil.copy2(course / CONFIG_NAME, scratch / CONFIG_NAME)
        shutil.copytree(
            course / "autograded" / student / assignment,
            scratch / "autograded" / alias / assignment,
        )
        _backup_db(course / "gradebook.db", scratch / "gradebook.db")
        con = sqlite3.connect(str(scratch / "gradebook.db"))
        with con:
            con.execute("delete from student where id = ?", (alias,))
            con.execute(
                "update submitted_assignment set student_id = ? where student_id = ?",
                (alias, student),
            )
            con.execute("update student set id = ? where id = ?", (alias, student))
        con.close()
        result = make_api(scratch).generate_feedback(assignment, alias, force=True)
        made = scratch / "feedback" / alias / assignment
        if result.get("success") and made.is_dir():
            target = course / "feedback" / student / assignment
            if target.exists():
                shutil.rmtree(target)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copytree(made, target)
            import html

            for page in target.rglob("*.html"):  # the page names the student, not the alias
                text = page.read_text(encoding="utf-8")
                page.write_text(text.replace(alias, html.escape(student)), encoding="utf-8")
    return result


def cmd_export(args) -> int:
    from ..pipeline.course import check_assignment
    from .export import write_export
    from .roster import course_roster

    course = _course(args)
    if not (course / "gradebook.db").is_file():
        raise SansheError("grade.no_gradebook", path=str(course))
    from ..pipeline.autograde import ensure_generated

    if args.assignment:
        names = [check_assignment(course, n) for n in args.assignment]
        for name in names:
            ensure_generated(course, name)
    else:
        names = [n for n in _assignments_arg(course, []) if _generated(course, n)]
    roster = course_roster(course, args.roster)
    dest = Path(args.to).resolve()
    bar = Progress(1, t("grade.bar_export"))
    rows = write_export(course, dest, names, roster)
    bar.step()
    bar.close()
    print(t("grade.summary_export", rows=rows, path=dest))
    return 0


def _generated(course: Path, name: str) -> bool:
    from ..pipeline.autograde import ensure_generated

    try:
        ensure_generated(course, name)
    except SansheError:
        return False
    return True


def cmd_import(args) -> int:
    from ..pipeline.course import check_assignment
    from .intake import import_handins
    from .roster import course_roster

    course = _course(args)
    name = check_assignment(course, args.assignment) if args.assignment else None
    roster = course_roster(course, args.roster)
    result = import_handins(course, args.path, name, roster)
    for line in result.problems:
        _warn(line)
    print(
        t(
            "grade.summary_import",
            placed=len(result.placed),
            students=len(result.students),
            path=course / "submitted",
            problems=len(result.problems),
        )
    )
    return 1 if result.problems else 0


def cmd_validate(args) -> int:
    from ..pipeline.validate import validate_paths

    return validate_paths([Path(p) for p in args.path], course_path=args.course)


def cmd_report(args) -> int:
    from ..pipeline.course import check_assignment
    from .report import write_report

    course = _course(args)
    name = check_assignment(course, args.assignment)
    out = Path(args.out) if args.out else course / "reports" / name
    bar = Progress(1, t("grade.bar_report"))
    from .roster import course_roster

    summary = write_report(course, name, out, course_roster(course, args.roster))
    bar.step(name)
    bar.close()
    print(t("grade.summary_report", path=out, **summary))
    return 0


def cmd_build(args) -> int:
    """Assignment files -> nbgrader sources, model answers, release and exercises/."""
    from ..assignments import AssignmentError, Layout, build

    layout = Layout()
    if args.root:
        root = Path(args.root)
        layout = Layout(root / "grading", root / "questions", root / "exercises")
    try:
        messages, stale = build(layout, check_only=args.check)
    except AssignmentError as exc:
        for line in exc.problems:
            print(line, file=sys.stderr)
        return 2
    for line in messages:
        print(line)
    for line in stale:
        print(line, file=sys.stderr)
    return 1 if stale else 0


COMMANDS = {
    "build": cmd_build,
    "generate": cmd_generate,
    "release": cmd_release,
    "collect": cmd_collect,
    "autograde": cmd_autograde,
    "feedback": cmd_feedback,
    "export": cmd_export,
    "import": cmd_import,
    "validate": cmd_validate,
    "report": cmd_report,
}


def register(subparsers) -> None:
    """Add ``grade`` and its sub-commands to the ``sanshe-edu`` parser."""
    grade = subparsers.add_parser("grade", help=t("grade.help"), description=t("grade.help"))
    grade.add_argument("--course", metavar="PATH", help=t("grade.help_course"))
    sub = grade.add_subparsers(dest="grade_command", metavar="COMMAND")
    p = sub.add_parser("build", help=t("grade.help_build"))
    p.add_argument("--check", action="store_true", help=t("grade.help_build_check"))
    p.add_argument("--root", metavar="DIR", help=t("grade.help_build_root"))
    p = sub.add_parser("generate", help=t("grade.help_generate"))
    p.add_argument("assignment", nargs="*", help=t("grade.help_assignment_all"))
    p.add_argument("--exercises", metavar="DIR", help=t("grade.help_exercises"))
    p.add_argument("--due", metavar="'YYYY-MM-DD HH:MM'", help=t("grade.help_due"))
    for name in ("release", "collect"):
        p = sub.add_parser(name, help=t(f"grade.help_{name}"))
        p.add_argument("assignment", help=t("grade.help_assignment"))
    p = sub.add_parser("autograde", help=t("grade.help_autograde"))
    p.add_argument("assignment", help=t("grade.help_assignment"))
    p.add_argument("--student", action="append", metavar="ID", help=t("grade.help_student"))
    p.add_argument("--jobs", "-j", type=int, default=1, metavar="N", help=t("grade.help_jobs"))
    p = sub.add_parser("feedback", help=t("grade.help_feedback"))
    p.add_argument("assignment", help=t("grade.help_assignment"))
    p.add_argument("--student", action="append", metavar="ID", help=t("grade.help_student"))
    p = sub.add_parser("export", help=t("grade.help_export"))
    p.add_argument("--to", default="grades.csv", metavar="FILE", help=t("grade.help_to"))
    p.add_argument("--assignment", action="append", metavar="NAME", help=t("grade.help_assignment"))
    p.add_argument("--roster", metavar="CSV", help=t("grade.help_roster"))
    p = sub.add_parser("import", help=t("grade.help_import"))
    p.add_argument("path", help=t("grade.help_import_path"))
    p.add_argument("--assignment", metavar="NAME", help=t("grade.help_import_assignment"))
    p.add_argument("--roster", metavar="CSV", help=t("grade.help_roster"))
    p = sub.add_parser("validate", help=t("grade.help_validate"))
    p.add_argument("path", nargs="+", help=t("grade.help_path"))
    p = sub.add_parser("report", help=t("grade.help_report"))
    p.add_argument("assignment", help=t("grade.help_assignment"))
    p.add_argument("--out", metavar="DIR", help=t("grade.help_out"))
    p.add_argument("--roster", metavar="CSV", help=t("grade.help_roster"))
    grade.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Dispatch ``sanshe-edu grade <command>``."""
    command = COMMANDS.get(getattr(args, "grade_command", None) or "")
    if command is None:
        raise SansheError("grade.no_command", commands=", ".join(COMMANDS))
    return command(args)
