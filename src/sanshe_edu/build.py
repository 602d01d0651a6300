"""``sanshe-edu build [--check] [--root DIR]``: everything derived from the course's sources.

One command, in the order each step needs the one before: the question banks
(``questions/*.yaml`` -> the package's ``data/banks/*.json`` and ``questions/schema.json``),
then the assignments (``grading/assignments/*.yaml`` -> ``grading/assignments/schema.json``,
the nbgrader sources and model answers in ``grading/source/``, and the student release in
``exercises/``), then ``docs/assessment-map.md`` from the concepts and the banks' tags.
``--check`` writes nothing: it lists what is stale and exits with 1 (a test runs it; the
release is cached by a digest of its inputs, so a check takes seconds).

The course folder is ``--root``, else the current folder when it holds
``grading/assignments/``, else this checkout. A project folder other than this checkout has
its banks built into the package only when it holds the package's sources
(``src/sanshe_edu/data/banks``); otherwise its assignments are built against its own banks'
YAML.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .errors import SansheError
from .i18n import t

ROOT = Path(__file__).resolve().parents[2]


def run_build(root: Path | None, check_only: bool) -> int:
    """Build (or check) the banks and the assignments; print what happened; the exit status."""
    from .grade.assignments import AssignmentError, Layout, build
    from .quiz import build as banks
    from .quiz.records import BankError

    root = Path(root) if root else _default_root()
    messages: list[str] = []
    stale: list[str] = []
    out = root / "src" / "sanshe_edu" / "data" / "banks"
    if out.is_dir() or root == ROOT:
        try:
            done, problems = banks.build(root / "questions", banks.DEFAULT_OUT, check_only)
        except BankError as exc:
            return _fail(exc.problems)
        if problems and not check_only:
            return _fail(problems)
        messages += [m for m in done if check_only is False]
        stale += problems
    layout = Layout(root / "grading", root / "questions", root / "exercises")
    try:
        done, problems = build(layout, check_only=check_only)
    except AssignmentError as exc:
        return _fail(exc.problems)
    messages += done
    stale += problems
    if root == ROOT or (root / "docs" / "assessment-map.md").is_file():  # a course that has one
        from .grade import assessment_map

        done, problems = assessment_map.write(root, check_only)
        messages += done
        stale += problems
    for line in messages:
        print(line)
    for line in stale:
        print(line, file=sys.stderr)
    return 1 if stale else 0


def _default_root() -> Path:
    """The course folder: the current folder when it is one, else this checkout (an installed
    wheel has no ``grading/`` beside it)."""
    for folder in (Path.cwd(), ROOT):
        if (folder / "grading" / "assignments").is_dir():
            return folder
    raise SansheError("cli.no_course_folder", folder=Path.cwd())


def _fail(problems: list) -> int:
    for line in problems:
        print(line, file=sys.stderr)
    return 2


def _run(args) -> int:
    return run_build(Path(args.root) if args.root else None, args.check)


def register(subparsers) -> None:
    p = subparsers.add_parser("build", help=t("cli.help_build"), description=t("cli.help_build"))
    p.add_argument("--check", action="store_true", help=t("cli.help_build_check"))
    p.add_argument("--root", metavar="DIR", help=t("cli.help_build_root"))
    p.set_defaults(func=_run)
