"""A double-clickable launcher for the cockpit, made once at set-up
(``sh scripts/start.sh --trainer`` or ``sanshe-edu teach --make-launcher``).

Linux: ``评分驾驶舱.desktop`` (opens a terminal window that shows the address and keeps the
server running until it is closed); Windows: ``评分驾驶舱.bat``; macOS: ``评分驾驶舱.command``.
Each runs ``<this Python> -m sanshe_edu teach --course <course>``, so it works without an
activated environment.  It goes onto the desktop (``xdg-user-dir DESKTOP``, ``~/Desktop`` or
``~/桌面``), else into the home folder.

>>> import tempfile, pathlib
>>> out = launcher_text("linux", "/v/bin/python", pathlib.Path("/c/grading"))
>>> "Exec=" in out and "-m sanshe_edu teach --course" in out
True
>>> "chcp 65001" in launcher_text("windows", r"C:\\v\\python.exe", pathlib.Path("C:/c"))
True
"""

from __future__ import annotations

import contextlib
import os
import shlex
import subprocess
import sys
from pathlib import Path

from ...i18n import t


def desktop_folder() -> Path:
    """Where a double-clickable file is found: the desktop, else the home folder."""
    home = Path.home()
    try:
        found = subprocess.run(
            ["xdg-user-dir", "DESKTOP"], capture_output=True, text=True, timeout=5
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        found = ""
    for candidate in [found, home / "Desktop", home / "桌面"]:
        if candidate and Path(candidate).is_dir() and Path(candidate) != home:
            return Path(candidate)
    return home


def platform_name() -> str:
    if os.name == "nt":
        return "windows"
    return "mac" if sys.platform == "darwin" else "linux"


def launcher_text(system: str, python: str, course: Path) -> str:
    title = t("grade.launcher_name")
    if system == "windows":
        return (
            "@echo off\r\nchcp 65001 >nul\r\n"
            f'"{python}" -m sanshe_edu teach --course "{course}"\r\npause\r\n'
        )
    command = f"{shlex.quote(python)} -m sanshe_edu teach --course {shlex.quote(str(course))}"
    if system == "mac":
        return f"#!/bin/sh\n{command}\n"
    return (
        "[Desktop Entry]\nType=Application\n"
        f"Name={title}\nComment={t('grade.launcher_comment')}\n"
        f"Exec=sh -c {shlex.quote(command)}\nTerminal=true\nIcon=applications-education\n"
    )


def make_launcher(course: Path, folder: Path | None = None, system: str | None = None) -> Path:
    """Write the launcher for ``course`` into ``folder`` (the desktop); return its path."""
    system = system or platform_name()
    folder = folder or desktop_folder()
    suffix = {"windows": ".bat", "mac": ".command"}.get(system, ".desktop")
    path = folder / f"{t('grade.launcher_name')}{suffix}"
    text = launcher_text(system, sys.executable, course.resolve())
    path.write_bytes(text.encode("utf-8"))
    if system != "windows":
        path.chmod(0o755)
    if system == "linux":  # GNOME asks before running an untrusted launcher otherwise
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            subprocess.run(
                ["gio", "set", str(path), "metadata::trusted", "true"],
                capture_output=True,
                timeout=5,
            )
    return path
