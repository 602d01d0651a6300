"""Read a hand-in as data: copy ``submitted/<student>/<assignment>/`` into the grader's scratch
course, refusing what is not a plain file of the student's own.

Symbolic links, hard links (a second name of some other file), FIFOs, sockets and devices are
refused, as are files and folders beyond the size bounds; every check is made on the open
file (``O_NOFOLLOW``, then ``fstat``), so nothing can be swapped in between.  A
``timestamp.txt`` that is not a date nbgrader can read is left out and reported: the
submission is graded as "time unknown" (not late), never failed.

>>> import tempfile, pathlib
>>> src, dest = (pathlib.Path(tempfile.mkdtemp()) for _ in range(2))
>>> _ = (src / "timestamp.txt").write_text("2025年12月31日 12:00")
>>> (src / "link.ipynb").symlink_to("/etc/passwd")
>>> problems, notes = stage(src, dest / "copy", "s1")
>>> len(problems), notes
(1, [])
>>> (src / "link.ipynb").unlink()
>>> problems, notes = stage(src, dest / "copy2", "s1")
>>> problems, len(notes), (dest / "copy2" / "timestamp.txt").exists()
([], 1, False)
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ...i18n import t

MAX_FILE_BYTES = 50 << 20
MAX_TOTAL_BYTES = 200 << 20
MAX_ENTRIES = 500
MAX_DEPTH = 6
SKIP = {".ipynb_checkpoints", "__pycache__"}


class _Refused(Exception):
    def __init__(self, key: str, name: str) -> None:
        super().__init__(key)
        self.key, self.name = key, name


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "grade.handin_link"
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return ""
    return "grade.handin_special"


def _copy_file(src: Path, dest: Path, name: str, budget: list[int]) -> None:
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(src, flags)
    except OSError as exc:
        raise _Refused(
            "grade.handin_link" if os.path.islink(src) else "grade.handin_special", name
        ) from exc
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _Refused("grade.handin_special", name)
        if info.st_nlink > 1:
            raise _Refused("grade.handin_hardlink", name)
        if info.st_size > MAX_FILE_BYTES or info.st_size > budget[0]:
            raise _Refused("grade.handin_too_big", name)
        with os.fdopen(os.dup(fd), "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    finally:
        os.close(fd)
    if len(data) > MAX_FILE_BYTES or len(data) > budget[0]:
        raise _Refused("grade.handin_too_big", name)
    budget[0] -= len(data)
    with open(dest, "xb") as out:
        out.write(data)
    os.chmod(dest, 0o644)


def _copy_tree(src: Path, dest: Path, prefix: str, depth: int, budget: list[int], count: list[int]):
    if depth > MAX_DEPTH:
        raise _Refused("grade.handin_too_big", prefix or ".")
    dest.mkdir(mode=0o755)
    with os.scandir(src) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            if entry.name in SKIP:
                continue
            name = f"{prefix}{entry.name}"
            count[0] += 1
            if count[0] > MAX_ENTRIES:
                raise _Refused("grade.handin_too_big", name)
            mode = entry.stat(follow_symlinks=False).st_mode
            kind = _kind(mode)
            if kind:
                raise _Refused(kind, name)
            if stat.S_ISDIR(mode):
                _copy_tree(
                    Path(entry.path), dest / entry.name, f"{name}/", depth + 1, budget, count
                )
            else:
                _copy_file(Path(entry.path), dest / entry.name, name, budget)


def _timestamp_ok(text: str) -> bool:
    """Whether nbgrader's ``parse_utc`` reads ``text`` (its logic, without importing nbgrader,
    which takes seconds: ``YYYY-MM-DD HH:MM:SS[.ffffff] [ZONE]``, anything dateutil reads).

    >>> _timestamp_ok("2025-12-31 12:00:00.000000 UTC"), _timestamp_ok("2025年12月31日 12:00")
    (True, False)
    """
    import dateutil.parser
    import dateutil.tz

    text = text.strip()
    if not text:
        return False
    try:
        parts = text.split(" ")
        if len(parts) == 3:
            try:
                zone = int(parts[2])
            except ValueError:
                zone = dateutil.tz.gettz(parts[2])
            when = dateutil.parser.parse(" ".join([*parts[:2], "TZ"]), tzinfos={"TZ": zone})
        else:
            when = dateutil.parser.parse(text)
        if when.tzinfo is not None:
            when.utcoffset()
    except Exception:  # dateutil raises several error types
        return False
    return True


#: What each refusal means when the student's code made it while being graded.
_LEFT = {
    "grade.handin_link": "grade.left_link",
    "grade.handin_hardlink": "grade.left_link",
    "grade.handin_special": "grade.left_special",
    "grade.handin_too_big": "grade.left_too_many",
}


def copy_back(src: Path, dest: Path, student: str) -> str:
    """Copy a graded folder (written by nbgrader and the student's kernel) to ``dest``; return
    "" or, when the kernel left something that is not a plain file of its own (a link, a
    FIFO, too many or too large files), one line saying so in the trainer's language.

    >>> import tempfile, pathlib
    >>> src, dest = (pathlib.Path(tempfile.mkdtemp()) for _ in range(2))
    >>> os.mkfifo(src / "pipe")
    >>> "pipe" in copy_back(src, dest / "copy", "s1")
    True
    """
    try:
        _copy_tree(src, dest, "", 0, [MAX_TOTAL_BYTES], [0])
    except _Refused as exc:
        what = t(_LEFT.get(exc.key, "grade.left_special"))
        return t("grade.graded_copy_refused", student=student, file=exc.name, what=what)
    except OSError as exc:
        return t("grade.handin_unreadable", student=student, detail=type(exc).__name__)
    return ""


def stage(src: Path, dest: Path, student: str) -> tuple[list[str], list[str]]:
    """Copy one hand-in; return (problems that fail it, notes for the trainer), translated."""
    for folder in (src.parent, src):
        if _kind(os.lstat(folder).st_mode) or not stat.S_ISDIR(os.lstat(folder).st_mode):
            return [t("grade.handin_link", student=student, file=folder.name)], []
    try:
        _copy_tree(src, dest, "", 0, [MAX_TOTAL_BYTES], [0])
    except _Refused as exc:
        return [t(exc.key, student=student, file=exc.name)], []
    except OSError as exc:
        return [t("grade.handin_unreadable", student=student, detail=type(exc).__name__)], []
    notes = []
    stamp = dest / "timestamp.txt"
    if stamp.is_file():
        text = stamp.read_bytes()[:200].decode("utf-8", "replace")
        if not _timestamp_ok(text):
            stamp.unlink()
            shown = "".join(c for c in " ".join(text.split()) if c.isprintable())[:40]
            notes.append(t("grade.timestamp_unreadable", student=student, text=shown))
    return [], notes
