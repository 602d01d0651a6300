"""Can the grading sandbox run the kernel's Python on this machine?  ``sanshe-edu doctor`` asks
(:func:`sandbox_check`) and ``sanshe-edu grade autograde`` says which folder is in the way.

As root, each kernel runs as an unprivileged user of its own (:mod:`.sandbox`), which must be
able to enter every folder on the way to the kernel's Python and the packages it imports.  A
checkout under ``/root`` (mode 700) is the usual case: the user cannot pass ``/root``, so every
notebook would fail.  :func:`probe_sandbox` starts the sandbox's own probe (through the
sandbox's API, exactly as grading does) and, when it fails, names the first folder others
cannot enter; ``sh scripts/start.sh`` (as root) opens such folders for passing through only
(``chmod o+x``: nothing can be listed).

>>> import tempfile, pathlib
>>> top = pathlib.Path(tempfile.mkdtemp())
>>> (top / "venv" / "bin").mkdir(parents=True)
>>> top.chmod(0o700)
>>> blocked_folder([top / "venv" / "bin"]) in [top, *top.parents]
True
>>> top.chmod(0o755)
>>> blocked_folder([top / "venv" / "bin"]) != top
True
"""

from __future__ import annotations

import importlib.util
import os
import stat
import sys
from pathlib import Path

from ...errors import SansheError
from ...i18n import t
from . import sandbox


def kernel_paths() -> list[Path]:
    """What a sandboxed kernel must reach: this Python and the modules the probe imports."""
    paths = [Path(sys.executable), Path(sys.executable).resolve()]
    for name in ("ipykernel", "sanshe_edu", "nbformat"):
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin:
            paths.append(Path(spec.origin))
    return paths


def blocked_folder(paths: list[Path]) -> Path | None:
    """The first folder on the way to any of ``paths`` that a user who is neither its owner nor
    in its group may not enter (no ``o+x``), else ``None``."""
    for path in paths:
        for folder in [*reversed(Path(os.path.abspath(path)).parents), Path(path)]:
            try:
                info = os.stat(folder)
            except OSError:
                break
            if stat.S_ISDIR(info.st_mode) and not info.st_mode & stat.S_IXOTH:
                return folder
    return None


def probe_sandbox() -> tuple[bool, str]:
    """``(ok, one line)``: run the sandbox's probe of the kernel's Python in a fresh box."""
    try:
        how = sandbox.mode()
    except SansheError as exc:
        return False, str(exc)
    box = sandbox.make_boxes(["_probe0001"], [], 60)[0]
    try:
        sandbox.check_python(box)
    except SansheError:
        line = blocked_message(how.root)
        return False, line or t("grade.probe_failed", python=sys.executable)
    finally:
        sandbox.remove_box(box)
    return True, t("grade.probe_ok") if how.root else sandbox.describe(how)


def blocked_message(root: bool = True) -> str:
    """The line naming the folder that keeps the sandbox's user out ("" when none is found)."""
    folder = blocked_folder(kernel_paths()) if root else None
    if folder is None:
        return ""
    return t("grade.probe_blocked", folder=folder, python=sys.executable)


def sandbox_check():
    """``sanshe-edu doctor``'s check: a sandboxed kernel's Python actually starts."""
    from ...platform.doctor import Check

    ok, line = probe_sandbox()
    return Check(t("grade.probe_name"), ok, line, "" if ok else t("grade.probe_fix"))
