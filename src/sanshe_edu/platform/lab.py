"""``sanshe-edu lab [DIR] [--port N] [--no-browser]``: open JupyterLab on the learner's workspace.

The first run copies the course into the workspace (default ``~/sanshe-edu-course``, or DIR);
later runs never overwrite edited notebooks (see :mod:`sanshe_edu.platform.workspace`).

JupyterLab starts in Chinese when the course language is ``zh`` (the zh-CN language pack is
part of the install; a learner who picks another language in JupyterLab keeps it).  Without an
nbgrader exchange on this machine (self-study), nbgrader's Assignment List, Course List,
Formgrader and its menu are left out — they could only say "Error fetching courses!" — and
their server parts are off (no ``ExchangeError`` tracebacks).  nbgrader's Validate button is
left out for learners too: its dialog is English and never names the cell at fault; each
assignment's own self-check cell (Chinese, names every unfinished question) takes its place.
A notebook starts its preferred kernel without asking (``autoStartDefaultKernel``), and
widget messages go to the kernel's main shell (``commsOverSubshells: disabled``: JupyterLab's
default sent a click to another kernel's subshell once two kernels were open, and the kernel
dropped it — jupyterlab#17633).
Graded assignments reach students through the trainer's class server (README).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..errors import SansheError
from ..i18n import t
from .serve import port_is_free

START_NOTEBOOK = "00_start_here.ipynb"
HERE = Path(__file__).resolve().parent
# Jupyter configuration folders put on JUPYTER_CONFIG_PATH by ``sanshe-edu lab``.
ZH_CONFIG = HERE / "jupyter_zh"  # JupyterLab's default locale zh_CN
SELF_STUDY_CONFIG = HERE / "jupyter_self_study"  # no exchange: no assignment/course lists
LEARNER_CONFIG = HERE / "jupyter_learner"  # no "receive Jupyter news?" pop-up, no update checks
STUDENT_CONFIG = HERE / "jupyter_student"  # a student's lab: no nbgrader Validate button
DEFAULT_EXCHANGE = Path("/usr/local/share/nbgrader/exchange")


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "lab", help=t("platform.lab_help"), description=t("platform.lab_help")
    )
    p.add_argument("dir", nargs="?", metavar="DIR", help=t("platform.lab_dir_help"))
    p.add_argument("--port", type=int, metavar="N", help=t("platform.lab_port_help"))
    p.add_argument("--no-browser", action="store_true", help=t("platform.lab_no_browser_help"))
    p.set_defaults(func=run)


def prepare_workspace(target: Path) -> Path:
    """Copy/refresh the course in ``target`` and print what happened; returns ``target``."""
    from .. import __version__
    from ..paths import course_dir
    from .invocation import command
    from .workspace import kernel_metadata, sync_course, trust

    if target.exists() and not target.is_dir():
        raise SansheError("platform.not_a_folder", path=target)
    src = course_dir()
    if not (src / START_NOTEBOOK).is_file():
        raise SansheError("platform.course_missing", path=src)
    try:
        report = sync_course(src, target, version=__version__, metadata=kernel_metadata())
    except OSError as exc:
        raise SansheError(
            "platform.workspace_not_writable", path=target, detail=exc, cmd=command()
        ) from exc
    written = [*report.copied, *report.updated, *report.unchanged]
    written += [beside for _, beside in report.offered]
    trust([target / rel for rel in written if rel.endswith(".ipynb")])
    if report.copied:
        print(t("platform.lab_copied", n=len(report.copied), path=target))
    if report.updated:
        print(t("platform.lab_updated", n=len(report.updated)))
    for mine, beside in report.offered:
        print(t("platform.lab_offered", mine=mine, beside=beside))
    return target


def exchange_root(workspace: Path) -> Path | None:
    """The nbgrader exchange this learner's JupyterLab would use, if it exists on this machine.

    ``Exchange.root`` from any ``nbgrader_config.py`` on Jupyter's config path or in the
    workspace, else nbgrader's default; ``None`` when that folder does not exist.

    >>> exchange_root(Path("/nonexistent")) is None or DEFAULT_EXCHANGE.is_dir()
    True
    """
    from jupyter_core.paths import jupyter_config_path
    from traitlets.config.loader import PyFileConfigLoader

    root = DEFAULT_EXCHANGE
    # Lowest priority first, so the last one found wins (as nbgrader reads them).
    for folder in [*reversed(jupyter_config_path()), str(workspace)]:
        if not (Path(folder) / "nbgrader_config.py").is_file():
            continue
        try:
            cfg = PyFileConfigLoader("nbgrader_config.py", path=folder).load_config()
        except Exception:  # a broken config file is nbgrader's to report, not ours
            continue
        if "root" in cfg.get("Exchange", {}):
            root = Path(str(cfg.Exchange.root))
    return root if root.is_dir() else None


def lab_environment(workspace: Path, lang: str) -> dict[str, str]:
    """The environment for JupyterLab: Chinese by default for ``zh``; no exchange panels
    when there is no exchange."""
    env = dict(os.environ)
    extra = [str(LEARNER_CONFIG), str(STUDENT_CONFIG)]
    if lang == "zh":
        extra.append(str(ZH_CONFIG))
    if exchange_root(workspace) is None:
        extra.append(str(SELF_STUDY_CONFIG))
    if extra:
        rest = env.get("JUPYTER_CONFIG_PATH")
        env["JUPYTER_CONFIG_PATH"] = os.pathsep.join([*extra, *([rest] if rest else [])])
    return env


def run(args: argparse.Namespace) -> int:
    from ..paths import workspace_dir

    if args.port is not None and not (1 <= args.port <= 65535):
        raise SansheError("platform.bad_port", port=args.port)
    if args.port is not None and not port_is_free(args.port):
        raise SansheError("platform.port_busy", port=args.port, other=args.port + 1)
    target = Path(args.dir).expanduser().resolve() if args.dir else workspace_dir()
    prepare_workspace(target)
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--ServerApp.root_dir={target}",
        f"--LabApp.default_url=/lab/tree/{START_NOTEBOOK}",
    ]
    if args.no_browser:
        cmd.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    print(t("platform.lab_starting", path=target), flush=True)
    from ..i18n import get_lang
    from .serve import serve

    env = lab_environment(target, get_lang())
    return serve(cmd, cwd=target, env=env, port=args.port, start=START_NOTEBOOK)
