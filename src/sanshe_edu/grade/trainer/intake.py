"""``sanshe-edu grade import PATH``: hand-ins from any channel into nbgrader's ``submitted/``.

Students hand in through 学习通, 雨课堂, e-mail or a WeChat group; the trainer ends up with a
folder or a zip of files named like ``2023001_张三_a3_phases.ipynb`` or
``2023002_李四/a3_phases.ipynb``.  Each notebook is placed at
``submitted/<学号>/<assignment>/<notebook>.ipynb`` with the file's time (the zip entry's, else
the file's) as ``timestamp.txt``.  Recognised in the file's name and its folders:

- the student id: a run of 5–20 digits, else a name on the roster (``--roster``), else an
  id-like leading part (``s01_…``) when that id is on the roster;
- the assignment: its full name (``a3_phases``), its short prefix (``a3``, ``A3``), or the one
  given with ``--assignment``.

A ``sanshe_answers.json`` (the widget answers) in the folder of a placed notebook goes with
it.  Nothing is decided silently: every file that could not be placed, every notebook two students
share (same content) and every second copy from one student (the newer one is kept) is listed as
a one-line message.  A zip is read entry by entry: absolute paths, ``..``, links and entries
beyond the size bounds are refused, nothing is unpacked outside ``submitted/``.

>>> recognise("2023001_张三_a3_phases.ipynb", ["a3_phases", "a4_issues"], {})
('2023001', 'a3_phases')
>>> recognise("作业/A4-李四.ipynb", ["a3_phases", "a4_issues"], {"2023002": "李四"})
('2023002', 'a4_issues')
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import stat
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath

from ...i18n import t
from ...quiz.graded import FILENAME as ANSWERS  # the widget answers, handed in by the notebook
from ..pipeline.course import assignments as course_assignments
from ..pipeline.course import notebook_names

MAX_FILE_BYTES = 50 << 20
MAX_TOTAL_BYTES = 500 << 20
MAX_ENTRIES = 5000
DIGITS = re.compile(r"(?<!\d)(\d{5,20})(?!\d)")
SKIP_PARTS = {"__MACOSX", ".ipynb_checkpoints"}


@dataclass
class Intake:
    """What an import did: ``placed`` = [(student, assignment, file)], ``problems`` = lines."""

    placed: list[tuple[str, str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def students(self) -> list[str]:
        return sorted({s for s, _a, _f in self.placed})


def _tokens(text: str) -> list[str]:
    return [x for x in re.split(r"[\s_\-—.,，。()（）\[\]【】/\\+]+", text) if x]


def recognise(name: str, known: list[str], roster: dict[str, str], assignment: str | None = None):
    """``(student id or None, assignment or None)`` from a file's path inside the hand-ins."""
    path = PurePosixPath(name.replace("\\", "/"))
    text = "/".join((*path.parts[:-1], path.stem))
    lower = text.lower()
    found = assignment
    if found is None:
        full = [a for a in known if a.lower() in lower]
        if full:
            found = max(full, key=len)
        else:
            words = {w.lower() for w in _tokens(text)}
            short = [a for a in known if a.split("_")[0].lower() in words]
            found = short[0] if len(short) == 1 else None
    rest = lower.replace(found.lower(), " ") if found else lower
    ids = DIGITS.findall(rest)
    student = ids[0] if len(set(ids)) == 1 else None
    if student is None and roster:
        by_name = [sid for sid, nm in roster.items() if nm and nm in text]
        by_id = [sid for sid in roster if sid.lower() in {w.lower() for w in _tokens(text)}]
        hits = set(by_id) or set(by_name)
        student = hits.pop() if len(hits) == 1 else None
    return student, found


def _zip_name(info: zipfile.ZipInfo) -> str:
    """Entry names of zips made on Chinese Windows are GBK, not flagged as UTF-8."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _utc(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f UTC")


def _entries_of_zip(path: Path, intake: Intake):
    """(name, bytes, timestamp) of each safe entry; problems for the others."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile):
        intake.problems.append(t("grade.import_bad_zip", file=path.name))
        return
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ENTRIES:
            intake.problems.append(t("grade.import_too_many", file=path.name, n=MAX_ENTRIES))
            return
        total = 0
        for info in infos:
            name = _zip_name(info)
            pure = PurePosixPath(name.replace("\\", "/"))
            if info.is_dir() or SKIP_PARTS & set(pure.parts):
                continue
            mode = info.external_attr >> 16
            if pure.is_absolute() or ".." in pure.parts or re.match(r"^[A-Za-z]:", name):
                intake.problems.append(t("grade.import_unsafe", file=name))
                continue
            if stat.S_ISLNK(mode):
                intake.problems.append(t("grade.import_link", file=name))
                continue
            total += info.file_size
            if info.file_size > MAX_FILE_BYTES or total > MAX_TOTAL_BYTES:
                intake.problems.append(t("grade.import_too_big", file=name))
                continue
            try:
                with archive.open(info) as fh:
                    data = fh.read(MAX_FILE_BYTES + 1)
            except (OSError, zipfile.BadZipFile, RuntimeError, NotImplementedError):
                intake.problems.append(t("grade.import_unreadable", file=name))
                continue
            if len(data) > MAX_FILE_BYTES:
                intake.problems.append(t("grade.import_too_big", file=name))
                continue
            when = None
            with contextlib.suppress(ValueError):
                when = _utc(datetime(*info.date_time))
            yield name, data, when


def _entries_of_folder(root: Path, intake: Intake):
    count, total = 0, 0
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_PARTS)
        for fname in sorted(filenames):
            full = Path(dirpath) / fname
            rel = full.relative_to(root).as_posix()
            count += 1
            if count > MAX_ENTRIES:
                intake.problems.append(t("grade.import_too_many", file=root.name, n=MAX_ENTRIES))
                return
            try:
                st = full.lstat()
            except OSError:
                intake.problems.append(t("grade.import_unreadable", file=rel))
                continue
            if stat.S_ISLNK(st.st_mode) or not stat.S_ISREG(st.st_mode):
                intake.problems.append(t("grade.import_link", file=rel))
                continue
            total += st.st_size
            if st.st_size > MAX_FILE_BYTES or total > MAX_TOTAL_BYTES:
                intake.problems.append(t("grade.import_too_big", file=rel))
                continue
            try:
                data = full.read_bytes()
            except OSError:
                intake.problems.append(t("grade.import_unreadable", file=rel))
                continue
            yield rel, data, _utc(datetime.fromtimestamp(st.st_mtime, timezone.utc))


def _entries(path: Path, intake: Intake):
    if path.is_dir():
        for rel, data, when in _entries_of_folder(path, intake):
            if rel.lower().endswith(".zip"):
                yield from _entries_of_zip(path / rel, intake)
            else:
                yield rel, data, when
    elif path.suffix.lower() == ".zip" or zipfile.is_zipfile(path):
        yield from _entries_of_zip(path, intake)
    elif path.is_file():
        yield (
            path.name,
            path.read_bytes(),
            _utc(datetime.fromtimestamp(path.stat().st_mtime, timezone.utc)),
        )


def _readable(data: bytes) -> bool:
    try:
        nb = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        return False
    return isinstance(nb, dict) and isinstance(nb.get("cells"), list)


def import_handins(
    course: Path,
    path: str | os.PathLike,
    assignment: str | None = None,
    roster: dict[str, str] | None = None,
) -> Intake:
    """Place every notebook found in ``path`` (a folder, a .zip, or one notebook)."""
    from ...errors import SansheError

    path = Path(path)
    if not path.exists():
        raise SansheError("grade.import_missing", path=path)
    roster = roster or {}
    known = course_assignments(course)
    intake = Intake()
    chosen: dict[tuple[str, str], tuple[str, bytes, str | None]] = {}
    answers: dict[str, tuple[str, bytes]] = {}  # folder -> its sanshe_answers.json
    for name, data, when in _entries(path, intake):
        pure = PurePosixPath(name.replace("\\", "/"))
        if pure.name == ANSWERS and len(pure.parts) > 1:
            answers[str(pure.parent)] = (name, data)
            continue
        if not name.lower().endswith(".ipynb"):
            intake.problems.append(t("grade.import_not_notebook", file=name))
            continue
        student, found = recognise(name, known, roster, assignment)
        if found is None:
            intake.problems.append(t("grade.import_no_assignment", file=name))
            continue
        if student is None:
            intake.problems.append(t("grade.import_no_id", file=name))
            continue
        key = (student, found)
        if key in chosen:
            older, newer = sorted([chosen[key], (name, data, when)], key=lambda e: e[2] or "")
            chosen[key] = newer
            intake.problems.append(
                t("grade.import_two_copies", student=student, kept=newer[0], file=older[0])
            )
            continue
        chosen[key] = (name, data, when)
    by_hash: dict[str, list[tuple[str, str]]] = {}
    for (student, found), (name, data, when) in sorted(chosen.items()):
        expected = notebook_names(course, found)
        target_name = (expected[0] if len(expected) == 1 else Path(name).stem) + ".ipynb"
        folder = course / "submitted" / student / found
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / target_name
        if target.is_symlink():
            target.unlink()
        target.write_bytes(data)
        stamp = folder / "timestamp.txt"
        if when:
            stamp.write_text(when, encoding="utf-8")
        elif stamp.exists():
            stamp.unlink()
        extra = answers.pop(str(PurePosixPath(name.replace("\\", "/")).parent), None)
        if extra is not None:
            (folder / ANSWERS).write_bytes(extra[1])
        elif (folder / ANSWERS).is_file():
            (folder / ANSWERS).unlink()  # a stale answer file must not be graded with it
        intake.placed.append((student, found, name))
        if not _readable(data):
            intake.problems.append(t("grade.import_corrupt", student=student, file=name))
        by_hash.setdefault(hashlib.sha256(data).hexdigest(), []).append((student, name))
    for name, _data in answers.values():
        intake.problems.append(t("grade.import_not_notebook", file=name))
    for group in by_hash.values():
        if len({s for s, _ in group}) > 1:
            intake.problems.append(
                t(
                    "grade.import_shared",
                    files=t("grade.flag_sep").join(n for _, n in group),
                    students=t("grade.flag_sep").join(s for s, _ in group),
                )
            )
    return intake
