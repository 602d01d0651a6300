"""The bodies of the ``sanshe-edu grade …`` commands (:mod:`sanshe_edu.grade.trainer.cli` parses
the arguments): each shows a :class:`~sanshe_edu.grade.trainer.progress.Progress` bar, ends with
a one-line summary, and returns the exit status.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from ...errors import SansheError
from ...i18n import t
from .progress import Progress


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
    from ..pipeline.gradebook import set_due

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
            set_due(api.coursedir.db_url, api.coursedir.course_id, name, due)
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


def _last_line(result: dict) -> str:
    text = (result.get("error") or result.get("log") or "").strip().splitlines()
    return text[-1][:200] if text else "?"


def _exchange_ready(api) -> None:
    from ..pipeline.course import exchange_root

    root = exchange_root(api.config)
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
    from ..pipeline.exchange import collect_class, refused_lines

    course = _course(args)
    name = check_assignment(course, args.assignment)
    api = make_api(course)
    _exchange_ready(api)
    bar = Progress(1, t("grade.bar_collect"))
    result, refused = collect_class(api, name)
    bar.step(name)
    bar.close()
    for line in refused_lines(refused):
        _warn(line)
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
    from ..pipeline.feedback import generate_feedback

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
        result = generate_feedback(api, course, name, student)
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
    from ..pipeline.exchange import release_feedback

    if release_feedback(api, name):  # on a class server: students fetch their own page
        print(t("grade.feedback_released", assignment=name))
    if getattr(args, "hand_back", False):
        from .handback import hand_back
        from .roster import course_roster

        made, class_zip = hand_back(course, name, course_roster(course, None), args.show_right)
        if class_zip is not None:
            print(t("grade.summary_handback", n=len(made), folder=class_zip.parent, zip=class_zip))
    return 1 if failed else 0


def cmd_export(args) -> int:
    from ..pipeline.course import check_assignment
    from .export import write_export
    from .roster import course_roster

    course = _course(args)
    if not (course / "gradebook.db").is_file():
        raise SansheError("grade.no_gradebook", path=str(course))
    from ..pipeline.gradebook import ensure_generated, is_generated

    if args.assignment:
        names = [check_assignment(course, n) for n in args.assignment]
        for name in names:
            ensure_generated(course, name)
    else:
        names = [n for n in _assignments_arg(course, []) if is_generated(course, n)]
    roster = course_roster(course, args.roster)
    if getattr(args, "book", False):  # the course gradebook, as the cockpit writes it
        from .coursebook import write_course_book
        from .inputs import parse_weights
        from .practice import by_student, fetch

        weights = parse_weights(args.weights, names)
        live, problem = fetch()  # on the class server: the participation columns
        csv_path, xlsx_path, rows = write_course_book(
            course, course / "exports", names, roster, weights,
            participation=None if live is None else by_student(live),
        )  # fmt: skip
        if problem:
            print(problem)
        print(t("grade.summary_book", rows=rows, n=len(names), csv=csv_path, xlsx=xlsx_path))
        return 0
    dest = Path(args.to).resolve()
    bar = Progress(1, t("grade.bar_export"))
    rows = write_export(course, dest, names, roster)
    bar.step()
    bar.close()
    print(t("grade.summary_export", rows=rows, path=dest))
    return 0


def cmd_import(args) -> int:
    from ..pipeline.course import check_assignment
    from .intake import import_handins, summary
    from .roster import course_roster

    course = _course(args)
    name = check_assignment(course, args.assignment) if args.assignment else None
    roster = course_roster(course, args.roster)
    result = import_handins(course, args.path, name, roster)
    for line in result.problems:
        _warn(line)
    print("\n".join(summary(course, result)))
    return 1 if result.problems else 0


def cmd_validate(args) -> int:
    from ..pipeline.validate import validate_paths

    return validate_paths([Path(p) for p in args.path], course_path=args.course)


def cmd_report(args) -> int:
    from ..pipeline.course import check_assignment
    from .practice import fetch
    from .report import write_report
    from .roster import course_roster

    course = _course(args)
    name = check_assignment(course, args.assignment)
    out = Path(args.out) if args.out else course / "reports" / name
    bar = Progress(1, t("grade.bar_report"))

    live, problem = fetch()  # on the class server: the lessons' practice answers
    summary = write_report(course, name, out, course_roster(course, args.roster), live=live)
    bar.step(name)
    bar.close()
    if problem:
        print(problem)
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
