"""The end of a term: ``sanshe-edu class archive`` and ``sanshe-edu class remove``.

- :func:`archive` packs what the school keeps — the gradebook, the hand-ins (collected, graded
  and any still waiting in the exchange), the feedback and the exported grade tables — into
  one ``.tar.gz`` next to the class folder, owned by root, mode 600.
- :func:`remove` archives first, then stops the class's processes and removes the students'
  and the trainer's Unix users, their homes, the class group and the class folder, and gives
  the checkout setup made private its mode back.  What is left is the archive.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import signal
import subprocess
import tarfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import SansheError
from . import accounts
from .server import ClassConfig

# In the trainer's course folder: what nbgrader keeps of a term (and grade exports).
KEEP = ("gradebook.db", "submitted", "autograded", "feedback")
EXPORTS = ("*.csv", "*.xlsx")


def _members(cfg: ClassConfig) -> list[Path]:
    course = Path(cfg.course)
    found = [course / name for name in KEEP if (course / name).exists()]
    for pattern in EXPORTS:
        found += sorted(course.glob(pattern))
    inbound = Path(cfg.exchange) / cfg.course_id / "inbound"
    if inbound.is_dir():
        found.append(inbound)
    return found


def archive(cfg: ClassConfig, dest: Path | None = None) -> Path:
    """Write the archive (root only, 600) and return its path."""
    accounts.require_root()
    folder = Path(cfg.class_dir)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    dest = dest or folder.parent / f"{folder.name}-archive-{stamp}.tar.gz"
    dest.parent.mkdir(parents=True, exist_ok=True)
    course = Path(cfg.course)
    old_umask = os.umask(0o077)
    try:
        with tarfile.open(dest, "w:gz") as tar:
            for path in _members(cfg):
                if path.is_relative_to(course):
                    name = Path("course") / path.relative_to(course)
                else:
                    name = Path("exchange-inbound")
                tar.add(path, arcname=str(name))
            tar.add(folder / "class.json", arcname="class.json")
    except OSError as exc:
        with contextlib.suppress(OSError):
            dest.unlink()
        raise SansheError("classroom.archive_failed", path=dest, detail=exc) from exc
    finally:
        os.umask(old_umask)
    os.chown(dest, 0, 0)
    dest.chmod(0o600)
    return dest


@dataclass
class Removed:
    archive: Path
    users: list[str] = field(default_factory=list)
    group: str = ""
    restored: list[Path] = field(default_factory=list)


def class_users(cfg: ClassConfig) -> list[str]:
    """The students (members of the class group, all made by ``class roster``) and the
    trainer if ``setup`` created that user (an account that existed before is left alone)."""
    students = sorted(accounts.group_members(cfg.group) - {cfg.trainer})
    trainer = cfg.trainer_created and accounts.user_exists(cfg.trainer)
    return [*students, *([cfg.trainer] if trainer else [])]


def _stop_hub(folder: Path, wait: float = 20) -> None:
    """Stop a hub still running from this class folder (SIGINT, as Ctrl-C would: it stops its
    proxy and every server), SIGKILL if it has not ended after ``wait`` seconds."""
    with contextlib.suppress(OSError, ValueError):
        pid = int((folder / "jupyterhub.pid").read_text().strip())
        if b"jupyterhub" not in Path(f"/proc/{pid}/cmdline").read_bytes():
            return  # a stale pid file: that number is some other process now
        os.kill(pid, signal.SIGINT)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            os.kill(pid, 0)  # ProcessLookupError (an OSError) once it has ended
            time.sleep(0.2)
        os.kill(pid, signal.SIGKILL)


def remove(cfg: ClassConfig, dest: Path | None = None) -> Removed:
    """Archive, then remove every user, home, group and file of the class (see module doc)."""
    accounts.require_root()
    folder = Path(cfg.class_dir)
    if not (folder / "class.json").is_file():
        raise SansheError("classroom.not_set_up", path=folder)
    done = Removed(archive(cfg, dest))
    _stop_hub(folder)
    for login in class_users(cfg):
        home = Path(accounts.pwd.getpwnam(login).pw_dir)
        uid = accounts.pwd.getpwnam(login).pw_uid
        accounts.remove_user(login)
        _remove_owned_in_tmp(uid)
        with contextlib.suppress(FileNotFoundError):
            Path("/var/mail", login).unlink()
        if home.is_dir() and home.name == login:
            shutil.rmtree(home, ignore_errors=True)
        done.users.append(login)
    if accounts.user_exists(cfg.trainer):  # a trainer setup did not create stays
        from .classenv import take_off_path

        take_off_path(cfg.trainer, folder / "venv")
    if cfg.group_created and accounts.group_exists(cfg.group):
        subprocess.run(["groupdel", cfg.group], capture_output=True, check=False)
        done.group = cfg.group
    for path, mode in cfg.private_modes.items():
        with contextlib.suppress(OSError):
            Path(path).chmod(mode)
            done.restored.append(Path(path))
    shutil.rmtree(folder, ignore_errors=True)
    return done


def _remove_owned_in_tmp(uid: int) -> None:
    """What the user's kernels and servers left in /tmp and /var/tmp."""
    for tmp in (Path("/tmp"), Path("/var/tmp")):
        with contextlib.suppress(OSError):
            for entry in tmp.iterdir():
                with contextlib.suppress(OSError):
                    if entry.lstat().st_uid != uid:
                        continue
                    if entry.is_dir() and not entry.is_symlink():
                        shutil.rmtree(entry)
                    else:
                        entry.unlink()
