"""Unix users and groups for the class, created all-or-nothing.

Every change is recorded in an :class:`Undo` log; when a later step fails, what was done is
undone in reverse order, so a roster never ends up half added.
"""

from __future__ import annotations

import contextlib
import grp
import os
import pwd
import secrets
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from ..errors import SansheError

# Letters and digits a student can read off a printed list without confusing them.
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def require_root() -> None:
    if os.geteuid() != 0:
        raise SansheError("classroom.not_root")


def user_exists(login: str) -> bool:
    try:
        pwd.getpwnam(login)
    except KeyError:
        return False
    return True


def group_exists(name: str) -> bool:
    try:
        grp.getgrnam(name)
    except KeyError:
        return False
    return True


def group_members(name: str) -> set[str]:
    """Members of Unix group ``name`` (its member list plus users whose primary group it is)."""
    try:
        g = grp.getgrnam(name)
    except KeyError:
        return set()
    return set(g.gr_mem) | {p.pw_name for p in pwd.getpwall() if p.pw_gid == g.gr_gid}


def new_password(length: int = 10) -> str:
    """A first-login password.

    >>> p = new_password(); len(p), set(p) <= set(PASSWORD_ALPHABET)
    (10, True)
    """
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(length))


def _run(cmd: list[str], stdin: str | None = None) -> None:
    proc = subprocess.run(cmd, input=stdin, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        detail = (proc.stderr or proc.stdout).strip().splitlines()
        raise SansheError(
            "classroom.system_command_failed",
            cmd=" ".join(cmd[:2]),
            detail=detail[-1] if detail else proc.returncode,
        )


class Undo:
    """Steps to undo, run in reverse order by :meth:`rollback`."""

    def __init__(self) -> None:
        self.steps: list[Callable[[], None]] = []

    def add(self, step: Callable[[], None]) -> None:
        self.steps.append(step)

    def rollback(self) -> None:
        for step in reversed(self.steps):
            # Undo as much as possible; the first error is the one reported.
            with contextlib.suppress(Exception):
                step()
        self.steps.clear()


def ensure_group(name: str, undo: Undo) -> None:
    if group_exists(name):
        return
    _run(["groupadd", name])
    undo.add(lambda: _run(["groupdel", name]))


def create_user(
    login: str, comment: str, group: str | None, undo: Undo, password: str | None
) -> None:
    """A Unix user with a private home (mode 700), in ``group`` when given; ``password`` set
    when given."""
    extra = ["--groups", group] if group else []
    _run(["useradd", "--create-home", "--shell", "/bin/bash", "--comment", comment, *extra, login])
    undo.add(lambda: remove_user(login))
    home = Path(pwd.getpwnam(login).pw_dir)
    home.chmod(0o700)
    if password is not None:
        _run(["chpasswd"], stdin=f"{login}:{password}\n")


def remove_user(login: str) -> None:
    """Remove a user, their home and everything they own in ``/tmp`` is left to the system."""
    if not user_exists(login):
        return
    home = Path(pwd.getpwnam(login).pw_dir)
    subprocess.run(["pkill", "-KILL", "-u", login], capture_output=True, check=False)
    subprocess.run(["userdel", "--force", login], capture_output=True, check=False)
    if home.is_dir() and home != Path("/"):
        shutil.rmtree(home, ignore_errors=True)


def chown_tree(path: Path, login: str) -> None:
    entry = pwd.getpwnam(login)
    os.chown(path, entry.pw_uid, entry.pw_gid)
    for root, dirs, files in os.walk(path):
        os.chown(root, entry.pw_uid, entry.pw_gid)
        for name in dirs + files:
            os.chown(os.path.join(root, name), entry.pw_uid, entry.pw_gid, follow_symlinks=False)
