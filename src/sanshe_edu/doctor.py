"""``sanshe-edu doctor``: check that this machine can run the course, with a fix for each problem.

The checks come from the layers that know them: this machine's (Python, JupyterLab, the
front-end extensions, a kernel, a CJK font, writable folders) from
:mod:`sanshe_edu.platform.doctor`, and, on a class server (a ``class.json`` in ``--class-dir``,
default ``/srv/sanshe-edu``, readable: run as root), the hub, the proxy, the exchange's
permissions, that students can run the course's Python, and the grading sandbox from
:mod:`sanshe_edu.classroom.doctor`. They are put together here, at the top of the package, so
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

    return report([*checks(), *class_checks(getattr(args, "class_dir", None))])
