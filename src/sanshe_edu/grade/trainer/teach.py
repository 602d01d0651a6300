"""``sanshe-edu teach``: JupyterLab on the grading course with the cockpit open.

The server's root is the course folder itself (it holds ``nbgrader_config.py``), so nbgrader's
Formgrader in that lab shows this course — not the student workspace.  ``cockpit.ipynb`` is
written into the course when it is not there yet (a trainer's edits are kept).

>>> import argparse
>>> parser = argparse.ArgumentParser(prog="sanshe-edu")
>>> register(parser.add_subparsers())
>>> args = parser.parse_args(["teach", "--course", "grading", "--no-browser"])
>>> args.course, args.no_browser
('grading', True)
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ...i18n import t

NOTEBOOK = "cockpit.ipynb"


# Where the cockpit was before grade/ had trainer/: a cockpit.ipynb written then names it.
OLD_IMPORT = "from sanshe_edu.grade.cockpit import"


def ensure_cockpit(course: Path) -> Path:
    """``course/cockpit.ipynb``, written if missing (and its import brought up to date)."""
    import nbformat

    from .cockpit import COCKPIT_SOURCE, cockpit_notebook

    path = course / NOTEBOOK
    if not path.is_file():
        nbformat.write(nbformat.from_dict(cockpit_notebook()), str(path))
        return path
    text = path.read_text(encoding="utf-8")
    if OLD_IMPORT in text:
        new_import = COCKPIT_SOURCE.splitlines()[0].removesuffix(" Cockpit")
        path.write_text(text.replace(OLD_IMPORT, new_import), encoding="utf-8")
    return path


def lab_command(course: Path, no_browser: bool = False) -> list[str]:
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--ServerApp.root_dir={course}",
        f"--LabApp.default_url=/lab/tree/{NOTEBOOK}",
    ]
    if no_browser:
        cmd.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    return cmd


def lab_environment() -> dict[str, str]:
    """JupyterLab in the course language, no news pop-up; the nbgrader panels stay (unlike a
    learner's lab: Formgrader is the point here)."""
    from ...i18n import get_lang
    from ...platform.lab import LEARNER_CONFIG, ZH_CONFIG

    env = dict(os.environ)
    extra = [str(LEARNER_CONFIG), *([str(ZH_CONFIG)] if get_lang() == "zh" else [])]
    rest = env.get("JUPYTER_CONFIG_PATH")
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join([*extra, *([rest] if rest else [])])
    return env


def run(args) -> int:
    from ...platform.serve import serve
    from ..pipeline.course import find_course

    course = find_course(args.course)
    ensure_cockpit(course)
    if getattr(args, "make_launcher", False):
        from .launcher import make_launcher

        print(t("grade.launcher_made", path=make_launcher(course)), flush=True)
        return 0
    print(t("grade.teach_starting", path=course / NOTEBOOK), flush=True)
    # The same quiet terminal as ``sanshe-edu lab``: our lines and the address; Jupyter's log
    # goes to a file.
    cmd = lab_command(course, args.no_browser)
    return serve(
        cmd,
        cwd=course,
        env=lab_environment(),
        port=args.port,
        start=NOTEBOOK,
        log_message="grade.teach_log",
    )


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "teach", help=t("grade.help_teach"), description=t("grade.help_teach")
    )
    p.add_argument("--course", metavar="PATH", help=t("grade.help_course"))
    p.add_argument("--no-browser", action="store_true", help=t("platform.lab_no_browser_help"))
    p.add_argument("--port", type=int, metavar="N", help=t("platform.lab_port_help"))
    p.add_argument("--make-launcher", action="store_true", help=t("grade.help_make_launcher"))
    p.set_defaults(func=run)
