"""``sanshe-edu class roster FILE``: add the students of a roster to Unix (in the class group,
which is what the hub admits) and to the gradebook, all or nothing.

A student already in the class is left as they are (so a roster can be re-run after adding a
line); a login that exists on the system but is not in the class stops the whole roster.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from ..errors import SansheError
from . import accounts
from .roster import Student, parse_roster, read_text
from .server import ClassConfig


@dataclass
class RosterResult:
    added: list[tuple[Student, str]]  # (student, first-login password)
    kept: list[Student]
    password_file: Path | None


def plan(cfg: ClassConfig, students: list[Student]) -> tuple[list[Student], list[Student]]:
    """(to add, already in the class); a clash with a non-class account is an error."""
    members = accounts.group_members(cfg.group)
    new, kept = [], []
    for s in students:
        if not accounts.user_exists(s.login):
            new.append(s)
        elif s.login in members:
            kept.append(s)
        else:
            raise SansheError("classroom.user_exists", line=s.line, id=s.student_id, login=s.login)
    return new, kept


def _gradebook(cfg: ClassConfig):
    from nbgrader.api import Gradebook

    from ..grade.pipeline.course import _alembic_on_path

    _alembic_on_path()
    return Gradebook(f"sqlite:///{Path(cfg.course) / 'gradebook.db'}", cfg.course_id)


def add_roster(cfg: ClassConfig, path: Path, prefix: str = "") -> RosterResult:
    accounts.require_root()
    students = parse_roster(read_text(path), prefix=prefix, taken={cfg.trainer})
    new, kept = plan(cfg, students)
    if not accounts.group_exists(cfg.group):
        raise SansheError("classroom.not_set_up", path=cfg.class_dir)
    undo = accounts.Undo()
    added: list[tuple[Student, str]] = []
    gradebook_file = Path(cfg.course) / "gradebook.db"
    had_gradebook = gradebook_file.exists()
    try:
        for s in new:
            password = accounts.new_password()
            accounts.create_user(s.login, f"{s.name} {s.student_id}", cfg.group, undo, password)
            added.append((s, password))
        with _gradebook(cfg) as gb:
            for s in students:
                gb.update_or_create_student(s.login, first_name=s.name, last_name="")
        if not had_gradebook:
            undo.add(lambda: gradebook_file.unlink(missing_ok=True))
        if gradebook_file.exists():
            accounts.chown_tree(gradebook_file, cfg.trainer)
        password_file = None
        if added:
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
            password_file = Path(cfg.class_dir) / "passwords" / f"roster-{stamp}.csv"
            buf = io.StringIO()
            writer = csv.writer(buf)
            writer.writerow(["学号", "姓名", "登录名", "首次登录密码"])
            for s, pw in added:
                writer.writerow([s.student_id, s.name, s.login, pw])
            password_file.write_text("\ufeff" + buf.getvalue(), encoding="utf-8")
            password_file.chmod(0o600)
    except BaseException:
        if added:
            with contextlib.suppress(Exception), _gradebook(cfg) as gb:
                for s, _ in added:
                    gb.remove_student(s.login)
        undo.rollback()
        raise
    return RosterResult(added, kept, password_file)
