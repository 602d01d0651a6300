"""This machine's checks for ``sanshe-edu doctor``, and the report that prints any checks.

Required (non-zero exit when missing): Python >= 3.10, JupyterLab 4, the widgets / nbgrader
front-end extensions installed and enabled, a Python kernel that starts, a CJK font
for static figures, a writable workspace and progress store.

The command itself is put together in :mod:`sanshe_edu.doctor`, which adds the class server's
checks (:mod:`sanshe_edu.classroom.doctor`) to these: the platform sits below the classroom
and does not import it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..i18n import t

LABEXTENSIONS = {
    "@jupyter-widgets/jupyterlab-manager": "ipywidgets",
    "@jupyter/nbgrader": "nbgrader",
}
# nbgrader panels the course hides on purpose (a student's hub server, self-study): not a fault.
HIDDEN_ON_PURPOSE = {
    "@jupyter/nbgrader:assignment-list",
    "@jupyter/nbgrader:course-list",
    "@jupyter/nbgrader:create-assignment",
    "@jupyter/nbgrader:formgrader",
    "@jupyter/nbgrader:menu",
}


@dataclass
class Check:
    name: str
    ok: bool
    detail: str = ""
    fix: str = ""


def check_python() -> Check:
    v = sys.version_info
    return Check(
        t("platform.doctor_python"),
        v >= (3, 10),
        f"{v.major}.{v.minor}.{v.micro}",
        t("platform.doctor_python_fix"),
    )


def check_jupyterlab() -> Check:
    name = t("platform.doctor_jupyterlab")
    try:
        from importlib.metadata import version

        found = version("jupyterlab")
    except Exception:
        return Check(name, False, t("platform.doctor_missing"), t("platform.doctor_reinstall_fix"))
    major = int(found.split(".")[0]) if found.split(".")[0].isdigit() else 0
    return Check(name, major == 4, found, t("platform.doctor_reinstall_fix"))


def disabled_labextensions() -> set[str]:
    """Names disabled in any ``labconfig/page_config.json`` on Jupyter's config path."""
    from jupyter_core.paths import jupyter_config_path

    disabled: set[str] = set()
    for folder in jupyter_config_path():
        path = Path(folder) / "labconfig" / "page_config.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8")).get("disabledExtensions", {})
        except (OSError, ValueError, AttributeError):
            continue
        if isinstance(data, dict):
            disabled |= {k for k, v in data.items() if v}
        elif isinstance(data, list):
            disabled |= set(map(str, data))
    return disabled


def check_labextensions() -> list[Check]:
    from jupyter_core.paths import jupyter_path

    roots = [Path(p) for p in jupyter_path("labextensions")]
    disabled = disabled_labextensions()
    out = []
    for ext, package in LABEXTENSIONS.items():
        name = t("platform.doctor_labext", ext=ext)
        installed = any((r / ext / "package.json").is_file() for r in roots)
        if not installed:
            out.append(
                Check(
                    name,
                    False,
                    t("platform.doctor_missing"),
                    t("platform.doctor_labext_install_fix", package=package),
                )
            )
        elif ext in disabled or any(
            d.startswith(ext + ":") and d not in HIDDEN_ON_PURPOSE for d in disabled
        ):
            out.append(
                Check(
                    name,
                    False,
                    t("platform.doctor_disabled"),
                    t("platform.doctor_labext_enable_fix", ext=ext),
                )
            )
        else:
            out.append(Check(name, True, t("platform.doctor_enabled")))
    return out


def check_kernel(timeout: float = 60.0) -> Check:
    name = t("platform.doctor_kernel")
    try:
        from jupyter_client.manager import start_new_kernel

        km, kc = start_new_kernel(
            kernel_name="python3", startup_timeout=timeout, stderr=subprocess.DEVNULL
        )
        try:
            reply = kc.execute_interactive("6 * 7", timeout=timeout, output_hook=lambda msg: None)
            ok = reply["content"]["status"] == "ok"
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)
    except Exception as exc:
        return Check(name, False, f"{type(exc).__name__}: {exc}", t("platform.doctor_kernel_fix"))
    return Check(name, ok, "python3", t("platform.doctor_kernel_fix"))


def check_cjk_font() -> Check:
    # The same search the figures use, so doctor and the drawings never disagree.
    from ..draw.fonts import find_cjk_font

    name = t("platform.doctor_font")
    try:
        found = find_cjk_font()
    except Exception as exc:
        return Check(name, False, f"{type(exc).__name__}: {exc}", t("platform.doctor_font_fix"))
    return Check(
        name,
        found is not None,
        found or t("platform.doctor_missing"),
        t("platform.doctor_font_fix"),
    )


def _writable(folder: Path) -> str | None:
    """``None`` when ``folder`` can be written (or created), else the error text.

    Nothing is left behind: a missing folder is not created, its nearest parent is checked.

    >>> _writable(Path(tempfile.gettempdir()) / "no" / "such" / "folder") is None
    True
    """
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        return f"{existing} is not a folder"
    try:
        with tempfile.NamedTemporaryFile(dir=existing, prefix=".sanshe-doctor-"):
            pass
    except OSError as exc:
        return str(exc)
    return None


def check_writable(label_key: str, folder: Path, env: str) -> Check:
    error = _writable(folder)
    return Check(
        t(label_key),
        error is None,
        str(folder) if error is None else f"{folder}: {error}",
        t("platform.doctor_writable_fix", env=env),
    )


def checks() -> list[Callable[[], Check | list[Check]]]:
    from ..paths import data_dir, workspace_dir

    return [
        check_python,
        check_jupyterlab,
        check_labextensions,
        check_kernel,
        check_cjk_font,
        lambda: check_writable(
            "platform.doctor_workspace", workspace_dir(), "SANSHE_EDU_WORKSPACE"
        ),
        lambda: check_writable("platform.doctor_store", data_dir(), "SANSHE_EDU_DATA_DIR"),
    ]


def report(makers: list[Callable[[], Check | list[Check]]]) -> int:
    """Run each check, print a line for each result (and the fix of each failure), where
    JupyterLab's log is, and a summary; the exit status: 1 when anything failed, else 0."""
    failed = 0
    for make in makers:
        results = make()
        for c in results if isinstance(results, list) else [results]:
            mark = "OK  " if c.ok else "FAIL"
            print(f"[{mark}] {c.name}: {c.detail}", flush=True)
            if not c.ok:
                failed += 1
                print(f"       {t('platform.doctor_fix_label')}{c.fix}", flush=True)
    from .invocation import command
    from .serve import log_path

    if log_path().is_file():  # where to look when JupyterLab itself misbehaved
        print(t("platform.doctor_lab_log", log=log_path()), flush=True)
    cmd = command()
    print(
        t("platform.doctor_summary_ok", cmd=cmd)
        if not failed
        else t("platform.doctor_summary_bad", n=failed, cmd=cmd)
    )
    return 1 if failed else 0
