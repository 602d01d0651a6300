"""``sanshe-edu doctor``: check that this machine can run the course, with a fix for each problem.

The checks come from the layers that know them: this machine's (Python, JupyterLab, the
front-end extensions, a kernel, a CJK font, writable folders) from
:mod:`sanshe_edu.platform.doctor`, and, on a class server (a ``class.json`` in ``--class-dir``,
default ``/srv/sanshe-edu``, readable: run as root), the hub, the proxy, the exchange's
permissions, that students can run the course's Python, and the grading sandbox from
:mod:`sanshe_edu.classroom.doctor`; with a grading course in reach (the trainer's checkout), a
kernel is started in the grading sandbox (:mod:`sanshe_edu.grade.pipeline.probe`), naming any
folder its user cannot enter. They are put together here, at the top of the package, so
that the platform (a lower layer) never imports the classroom (a higher one).
"""

from __future__ import annotations

import argparse

from .i18n import t


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "doctor", help=t("platform.doctor_help"), description=t("platform.doctor_help")
    )
    p.add_argument(
        "--class-dir",
        metavar="DIR",
        help=t("platform.doctor_class_dir_help", default="/srv/sanshe-edu"),
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from .classroom.doctor import class_checks
    from .platform.doctor import checks, report

    return report([*checks(), *grading_checks(), *class_checks(getattr(args, "class_dir", None))])


def grading_checks() -> list:
    """With a grading course here (``./grading`` or the current folder), the grading sandbox
    is tried for real: a kernel's Python started in it (:mod:`sanshe_edu.grade.pipeline.probe`)."""
    from .errors import SansheError
    from .grade.pipeline.course import find_course

    try:
        find_course(None)
    except SansheError:
        return []
    from .grade.pipeline.probe import sandbox_check

    return [sandbox_check]
