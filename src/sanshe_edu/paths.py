"""Where things live: the shipped course, the learner's workspace, the progress store.

Environment variables override the defaults (tests use them to stay isolated):

- ``SANSHE_EDU_DATA_DIR``: per-user data (progress store); default ``$XDG_DATA_HOME/sanshe-edu``
  or ``~/.local/share/sanshe-edu`` (``%APPDATA%\\sanshe-edu`` on Windows).
- ``SANSHE_EDU_WORKSPACE``: the learner's course workspace; default ``~/sanshe-edu-course``.
- ``SANSHE_EDU_CACHE_DIR``: what a build can make again (releases by digest); default
  ``$XDG_CACHE_HOME/sanshe-edu`` or ``~/.cache/sanshe-edu`` (``%LOCALAPPDATA%`` on Windows).

>>> course_dir().joinpath("00_start_here.ipynb").name
'00_start_here.ipynb'
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def course_dir() -> Path:
    """The shipped course notebooks: inside the installed wheel, or ``course/`` of a checkout."""
    packaged = PACKAGE_DIR / "_course"
    if packaged.is_dir():
        return packaged
    return PACKAGE_DIR.parent.parent / "course"


def data_dir() -> Path:
    """Per-user data folder (not created here)."""
    env = os.environ.get("SANSHE_EDU_DATA_DIR")
    if env:
        return Path(env).expanduser()
    if sys.platform == "win32" and os.environ.get("APPDATA"):
        return Path(os.environ["APPDATA"]) / "sanshe-edu"
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "sanshe-edu"


def cache_dir() -> Path:
    """Per-user cache folder (not created here): safe to delete at any time."""
    env = os.environ.get("SANSHE_EDU_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "sanshe-edu" / "cache"
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "sanshe-edu"


def workspace_dir() -> Path:
    """Default course workspace of the learner (not created here)."""
    env = os.environ.get("SANSHE_EDU_WORKSPACE")
    return Path(env).expanduser() if env else Path.home() / "sanshe-edu-course"
