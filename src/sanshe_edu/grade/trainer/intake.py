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

A ``sanshe_answers.json`` (the widget answers) goes with a notebook only when its owner is
certain: it lies in a folder whose notebooks are all one student's, or its own name carries
the student (``2023001_张三_sanshe_answers.json``); otherwise it is listed, never guessed.
Names are read as they were meant: full-width digits as digits, zip entry names as UTF-8 when
they are (macOS and Info-ZIP leave out the flag), else GBK.  With a roster, only its ids are
ids (an 11-digit phone number in a file name is not a new student); without one, the name in
``2023001_张三_a1_concepts.ipynb`` is kept in ``names_from_files.csv`` for the export.

Nothing is decided silently: every file that could not be placed, every notebook two students
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
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath

from ...i18n import t
from ...quiz.graded import FILENAME as ANSWERS  # the widget answers, handed in by the notebook
from ..pipeline.course import assignments as course_assignments
from ..pipeline.course import notebook_names
from .names import FOUND_NAMES, save_found_names

MAX_FILE_BYTES = 50 << 20
MAX_TOTAL_BYTES = 500 << 20
MAX_ENTRIES = 5000
DIGITS = re.compile(r"(?<!\d)(\d{5,20})(?!\d)")
SKIP_PARTS = {"__MACOSX", ".ipynb_checkpoints"}
HAN_NAME = re.compile(r"^[\u4e00-\u9fff·]{2,6}$")


@dataclass
class Intake:
    """What an import did: ``placed`` = [(student, assignment, file)], ``problems`` = lines."""

    placed: list[tuple[str, str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # names read from file names

    @property
    def students(self) -> list[str]:
        return sorted({s for s, _a, _f in self.placed})


def _tokens(text: str) -> list[str]:
    return [x for x in re.split(r"[\s_\-—.,，。()（）\[\]【】/\\+]+", text) if x]


def recognise(name: str, known: list[str], roster: dict[str, str], assignment: str | None = None):
    """``(student id or None, assignment or None)`` from a file's path inside the hand-ins."""
    path = PurePosixPath(unicodedata.normalize("NFKC", name).replace("\\", "/"))
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
    if roster:  # with a roster, only its ids are ids (not a phone number or a date)
        ids = [x for x in ids if x in roster]
    student = ids[0] if len(set(ids)) == 1 else None
    if student is None and roster:
        by_name = [sid for sid, nm in roster.items() if nm and nm in text]
        by_id = [sid for sid in roster if sid.lower() in {w.lower() for w in _tokens(text)}]
        hits = set(by_id) or set(by_name)
        student = hits.pop() if len(hits) == 1 else None
    return student, found


def name_in_file(name: str, student: str, assignment: str | None) -> str:
    """The Chinese name beside the id in an LMS file name, else ``""``.

    >>> name_in_file("2023001_张三_a1_concepts.ipynb", "2023001", "a1_concepts")
    '张三'
    >>> name_in_file("2023001/a1_concepts.ipynb", "2023001", "a1_concepts")
    ''
    """
    path = PurePosixPath(unicodedata.normalize("NFKC", name).replace("\\", "/"))
    text = "/".join((*path.parts[:-1], path.stem))
    if assignment:
        text = re.sub(re.escape(assignment), " ", text, flags=re.IGNORECASE)
    found = {w for w in _tokens(text) if HAN_NAME.match(w) and w != student}
    return found.pop() if len(found) == 1 else ""


def _zip_name(info: zipfile.ZipInfo) -> str:
    """An entry's name: as flagged (UTF-8), else UTF-8 when the bytes are UTF-8 (macOS and
    Info-ZIP do not set the flag), else GBK (zips made on Chinese Windows)."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    for codec in ("utf-8", "gb18030"):
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            continue
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
        for d in sorted(dirnames):
            if os.path.islink(os.path.join(dirpath, d)):  # never followed, always said
                rel = (Path(dirpath) / d).relative_to(root).as_posix()
                intake.problems.append(t("grade.import_link", file=rel))
        dirnames[:] = sorted(
            d
            for d in dirnames
            if d not in SKIP_PARTS and not os.path.islink(os.path.join(dirpath, d))
        )
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
    answers: list[tuple[str, bytes]] = []  # every answers file, matched once all are read
    for name, data, when in _entries(path, intake):
        pure = PurePosixPath(name.replace("\\", "/"))
        if pure.name.lower().endswith(ANSWERS):
            answers.append((name, data))
            continue
        if not name.lower().endswith(".ipynb"):
            intake.problems.append(t("grade.import_not_notebook", file=name))
            continue
        student, found = recognise(name, known, roster, assignment)
        if found is None:
            intake.problems.append(t("grade.import_no_assignment", file=name))
            continue
        if student is None:
            key = "grade.import_not_on_roster" if roster else "grade.import_no_id"
            intake.problems.append(t(key, file=name))
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
    owners = _answer_owners(answers, chosen, known, roster, intake)
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
        extra = owners.get(student)
        if (folder / ANSWERS).is_symlink():
            (folder / ANSWERS).unlink()
        if extra is not None:
            (folder / ANSWERS).write_bytes(extra)
        elif (folder / ANSWERS).is_file():
            (folder / ANSWERS).unlink()  # a stale answer file must not be graded with it
        intake.placed.append((student, found, name))
        if not roster.get(student):
            found_name = name_in_file(name, student, found)
            if found_name:
                intake.names[student] = found_name
        if not _readable(data):
            intake.problems.append(t("grade.import_corrupt", student=student, file=name))
        by_hash.setdefault(hashlib.sha256(data).hexdigest(), []).append((student, name))
    for group in by_hash.values():
        if len({s for s, _ in group}) > 1:
            intake.problems.append(
                t(
                    "grade.import_shared",
                    files=t("grade.flag_sep").join(n for _, n in group),
                    students=t("grade.flag_sep").join(s for s, _ in group),
                )
            )
    if intake.names:
        save_found_names(course, intake.names)
    return intake


def summary(course: Path, intake: Intake) -> list[str]:
    """The import's summary lines for the trainer (what was placed, names taken from files)."""
    lines = [
        t(
            "grade.summary_import",
            placed=len(intake.placed),
            students=len(intake.students),
            path=Path(course) / "submitted",
            problems=len(intake.problems),
        )
    ]
    if intake.names:
        sid, name = sorted(intake.names.items())[0]
        lines.append(
            t(
                "grade.import_names_found",
                n=len(intake.names),
                example=f"{sid} {name}",
                file=Path(course) / FOUND_NAMES,
            )
        )
    return lines


def _answer_owners(answers, chosen, known, roster, intake: Intake) -> dict[str, bytes]:
    """``{student: answers file}`` for every answers file whose owner is certain: its own name
    carries one student, or every notebook in its folder is one student's.  The others are
    listed (a file is never given to a student by a guess)."""
    folders: dict[str, set[str]] = {}
    for (student, _a), (name, _d, _w) in chosen.items():
        parent = str(PurePosixPath(name.replace("\\", "/")).parent)
        folders.setdefault(parent, set()).add(student)
    owners: dict[str, bytes] = {}
    for name, data in answers:
        pure = PurePosixPath(name.replace("\\", "/"))
        own = None
        if pure.name.lower() != ANSWERS:  # 2023001_张三_sanshe_answers.json
            own, _found = recognise(pure.name, known, roster, "-")
        students = {own} if own else folders.get(str(pure.parent), set())
        if own is None and len(pure.parts) == 1 and not students:
            students = folders.get(".", set())
        if len(students) == 1:
            student = next(iter(students))
            if student in owners:
                intake.problems.append(t("grade.import_answers_twice", student=student, file=name))
            else:
                owners[student] = data
            continue
        if students:
            listed = t("grade.flag_sep").join(sorted(students))
            intake.problems.append(t("grade.import_answers_unsure", file=name, students=listed))
        else:
            intake.problems.append(t("grade.import_answers_alone", file=name))
    return owners
