"""A worker's *scratch course*: a copy of ``nbgrader_config.py``, ``source/<assignment>``, a
snapshot of ``gradebook.db`` and its students' staged hand-ins, in a root-only folder.

nbgrader runs there, never in the real course (:mod:`sanshe_edu.grade.pipeline.autograde`).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from . import course as course_mod
from .gradebook import backup_db


def scratch_db(scratch: Path) -> Path:
    """The scratch course's gradebook (beside the course folder, not in it)."""
    return scratch.parent / "db" / "gradebook.db"


def prepare_scratch(course: Path, assignment: str, staged: dict[str, Path], root: Path) -> Path:
    """A scratch course in ``root`` (root-only) with the staged hand-ins ``{alias: folder}``."""
    scratch = root / "course"
    (scratch / "source").mkdir(parents=True)
    shutil.copy2(course / course_mod.CONFIG_NAME, scratch / course_mod.CONFIG_NAME)
    shutil.copytree(course / "source" / assignment, scratch / "source" / assignment)
    (root / "db").mkdir()
    backup_db(course / "gradebook.db", scratch_db(scratch))
    for alias, folder in staged.items():
        target = scratch / "submitted" / alias / assignment
        target.parent.mkdir(parents=True)
        os.rename(folder, target)
    return scratch
