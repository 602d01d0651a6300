"""``sanshe-edu doctor`` on the class server: the hub, the proxy, the exchange's permissions,
that students can run the course's Python and cannot read the grading sources, and the
grading sandbox — each failure with its fix."""

from __future__ import annotations

import json
import stat
import subprocess
import urllib.request
from collections.abc import Callable
from pathlib import Path

from ..i18n import t
from ..platform.doctor import Check

# What nbgrader creates (and checks) in the exchange, without groupshared: the root is 777,
# a course's inbound 733 (students drop hand-ins, nobody lists them), feedback 711.
EXCHANGE_MODES = {"": 0o777, "inbound": 0o733, "feedback": 0o711, "outbound": 0o755}


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode) & 0o777


def check_hub(cfg) -> Check:
    name = t("classroom.doctor_hub")
    fix = t("classroom.doctor_hub_fix", dir=cfg.class_dir)
    try:
        with urllib.request.urlopen(f"{cfg.local_url}hub/api/", timeout=5) as resp:
            version = json.loads(resp.read()).get("version", "?")
    except (OSError, ValueError) as exc:
        return Check(name, False, f"{cfg.local_url}: {exc}", fix)
    return Check(name, True, f"JupyterHub {version}, {cfg.local_url}")


def check_proxy(cfg) -> Check:
    name = t("classroom.doctor_proxy")
    fix = t("classroom.doctor_proxy_fix")
    try:
        proc = subprocess.run(
            [cfg.proxy, "--version"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return Check(name, False, f"{cfg.proxy}: {exc}", fix)
    if proc.returncode != 0:
        return Check(name, False, f"{cfg.proxy}: {proc.stderr.strip()[-200:]}", fix)
    return Check(name, True, f"{cfg.proxy} {proc.stdout.strip()}")


def check_exchange(cfg) -> list[Check]:
    root = Path(cfg.exchange)
    out = []
    for sub, want in EXCHANGE_MODES.items():
        path = root / cfg.course_id / sub if sub else root
        if sub and not path.exists():
            continue  # created by the first release / feedback
        name = t("classroom.doctor_exchange", path=path)
        fix = t("classroom.doctor_exchange_fix", path=path, mode=f"{want:o}")
        if not path.is_dir():
            out.append(Check(name, False, t("platform.doctor_missing"), fix))
            continue
        mode = _mode(path)
        out.append(Check(name, mode == want, f"{mode:o}", fix))
    return out


def check_student_python(cfg) -> Check:
    from .server import unreadable_by_others

    blocked = unreadable_by_others(Path(cfg.python))
    return Check(
        t("classroom.doctor_python"),
        blocked is None,
        cfg.python if blocked is None else f"{blocked}",
        t("classroom.doctor_python_fix"),
    )


def check_grading_private(cfg) -> list[Check]:
    from .server import default_course

    out = []
    for path in {Path(cfg.course), default_course()}:
        if not path.is_dir():
            continue
        mode = _mode(path)
        out.append(
            Check(
                t("classroom.doctor_grading", path=path),
                not mode & 0o007,
                f"{mode:o}",
                t("classroom.doctor_grading_fix", path=path),
            )
        )
    return out


def check_sandbox() -> Check:
    """The grading sandbox (its own issue): ``sanshe_edu.grade.pipeline.sandbox`` with a kernel
    of its own user and namespaces on this machine (``mode().root`` and ``.namespaces``)."""
    import importlib

    name = t("classroom.doctor_sandbox")
    fix = t("classroom.doctor_sandbox_fix")
    try:
        sandbox = importlib.import_module("sanshe_edu.grade.pipeline.sandbox")
    except ImportError:
        return Check(name, False, t("classroom.doctor_sandbox_missing"), fix)
    try:
        how = sandbox.mode()
        ok = bool(getattr(how, "root", False) and getattr(how, "namespaces", False))
        detail = sandbox.describe(how) if hasattr(sandbox, "describe") else repr(how)
    except Exception as exc:  # a sandbox that cannot even say how it isolates is not one
        return Check(name, False, f"{type(exc).__name__}: {exc}", fix)
    return Check(name, ok, detail or t("classroom.doctor_sandbox_ok"), fix)


def class_checks(folder: str | None) -> list[Callable[[], Check | list[Check]]]:
    """The class-server checks, when this machine has a class (else none)."""
    from . import probe
    from .server import class_dir, load

    path = class_dir(folder)
    if not (path / "class.json").exists():
        return []
    try:
        cfg = load(path)
    except Exception:
        return [
            lambda: Check(
                t("classroom.doctor_class"),
                False,
                str(path / "class.json"),
                t("classroom.doctor_class_fix"),
            )
        ]
    return [
        lambda: check_hub(cfg),
        lambda: check_proxy(cfg),
        lambda: check_exchange(cfg),
        lambda: check_student_python(cfg),
        lambda: check_grading_private(cfg),
        lambda: probe.check_private_files(cfg),
        # The thorough one: a search of the machine as a student for any key or hidden test
        # (bounded by SANSHE_EDU_LEAK_SECONDS; ``class leaks`` runs it alone).
        lambda: probe.check_no_leaks(cfg),
        check_sandbox,
    ]
