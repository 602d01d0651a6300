"""``sanshe-edu grade …``: the trainer's commands, on nbgrader's Python API; this module
parses them, :mod:`sanshe_edu.grade.trainer.commands` runs them.

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

from ...errors import SansheError
from ...i18n import t
from .commands import (
    cmd_autograde,
    cmd_build,
    cmd_collect,
    cmd_export,
    cmd_feedback,
    cmd_generate,
    cmd_import,
    cmd_release,
    cmd_report,
    cmd_validate,
)

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
    p.add_argument("--hand-back", action="store_true", help=t("grade.help_hand_back"))
    p.add_argument("--show-right", action="store_true", help=t("grade.help_show_right"))
    p = sub.add_parser("export", help=t("grade.help_export"))
    p.add_argument("--to", default="grades.csv", metavar="FILE", help=t("grade.help_to"))
    p.add_argument("--assignment", action="append", metavar="NAME", help=t("grade.help_assignment"))
    p.add_argument("--roster", metavar="CSV", help=t("grade.help_roster"))
    p.add_argument("--book", action="store_true", help=t("grade.help_book"))
    p.add_argument("--weights", metavar="a1=1,a3=2", default="", help=t("grade.help_weights"))
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
