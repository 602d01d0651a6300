"""Answers of graded questions: kept in the notebook itself, and in the assignment folder.

``ask(qid, graded=True)`` shows, under the widget, an output holding the saved answer
(MIME type :data:`NOTEBOOK_MIME`, kept up to date with a display id), so saving the notebook
saves the answer and the notebook alone is a whole submission. The grader reads those outputs
before it clears them (``CollectWidgetAnswers``). The answer is also written to
``sanshe_answers.json`` in the current working folder (the assignment folder), a fallback for
a notebook saved before the answer. When nbgrader re-executes the notebook
(``NBGRADER_EXECUTION`` set) ``ask`` shows a :class:`GradedRecord` (the prompt and the saved
answer, read back from that file, which the grader fills with what it collected) instead of a
widget.

File format::

    {"format": "sanshe-edu-answers/1",
     "answers": {"a2.phases": {"type": "order", "answer": ["needs", "plan", ...],
                               "updated": "2026-11-28T13:00:00+0000"}}}

>>> import tempfile
>>> folder = tempfile.mkdtemp()
>>> recorded_answer("a2.phases", folder) is None
True
>>> record_answer("a2.phases", "order", ["needs", "plan"], folder)
>>> recorded_answer("a2.phases", folder)
['needs', 'plan']

This module owns the file: its name, format, size bound, readers and writer (the grader's
modules read and write it only through them).
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .store import atomic_write_json, read_json_or_move_aside

FILENAME = "sanshe_answers.json"
FORMAT = "sanshe-edu-answers/1"
NOTEBOOK_MIME = "application/vnd.sanshe-edu.answer+json"
MAX_BYTES = 1 << 20  # a larger answers file (or a link) is not read
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S%z"  # a record's "updated": local time with its UTC offset
_CURRENT: dict[str, Any] = {}  # qid -> the answer saved in this kernel (None after Reset)


def answers_path(folder: str | os.PathLike = ".") -> Path:
    return Path(folder) / FILENAME


def under_nbgrader() -> bool:
    """True while nbgrader validates or autogrades (it sets ``NBGRADER_EXECUTION``)."""
    return bool(os.environ.get("NBGRADER_EXECUTION"))


def load_answers(folder: str | os.PathLike = ".") -> tuple[dict, str | None]:
    """The folder's answers (``{}`` if none) and a message when the file was damaged (moved
    aside: the student's own folder, where answering goes on)."""
    return read_json_or_move_aside(
        answers_path(folder), FORMAT, "answers", "quiz.answers_corrupt", max_bytes=MAX_BYTES
    )


def read_answers(path: str | os.PathLike) -> dict:
    """The answers of an answers file (a folder: its ``sanshe_answers.json``), read only, for
    the grader reading hand-ins: ``{}`` when it is missing, a link, not a plain file, larger
    than :data:`MAX_BYTES` or not an answers file. Never changes anything, never raises.

    >>> read_answers("/nonexistent")
    {}
    """
    path = Path(path)
    if path.is_dir():
        path = answers_path(path)
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > MAX_BYTES:
            return {}
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format", FORMAT) != FORMAT:
        return {}
    answers = data.get("answers")
    return answers if isinstance(answers, dict) else {}


def write_answers(path: str | os.PathLike, answers: dict) -> None:
    """Write ``answers`` as an answers file (a folder: its ``sanshe_answers.json``; atomic)."""
    path = Path(path)
    if path.is_dir():
        path = answers_path(path)
    atomic_write_json(path, {"format": FORMAT, "answers": answers})


def record_answer(qid: str, qtype: str, answer: Any, folder: str | os.PathLike = ".") -> None:
    """Store ``answer`` for ``qid`` in the folder's answers file (atomic write)."""
    _CURRENT[qid] = answer
    answers, _ = load_answers(folder)
    answers[qid] = record(qtype, answer)
    write_answers(answers_path(folder), answers)


def record(qtype: str, answer: Any) -> dict:
    now = datetime.now(timezone.utc).astimezone()  # local time, with its offset on every OS
    return {"type": qtype, "answer": answer, "updated": now.strftime(TIME_FORMAT)}


def saved_at(rec: dict | None) -> datetime | None:
    """When a record was saved, as a time (``None``: no readable time). Records saved in
    different time zones compare as times, never as text.

    >>> saved_at({"updated": "2026-11-28T13:00:00+0800"}) < saved_at(
    ...     {"updated": "2026-11-28T06:00:00+0000"})
    True
    """
    text = rec.get("updated") if isinstance(rec, dict) else None
    if not isinstance(text, str):
        return None
    try:
        when = datetime.strptime(text.strip(), TIME_FORMAT)
    except ValueError:
        try:
            when = datetime.fromisoformat(text.strip())
        except ValueError:
            return None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def newer(old: dict | None, new: dict) -> bool:
    """Whether record ``new`` replaces ``old``: there is no ``old``, or ``new`` was saved at
    the same time or later (a record without a readable time is the oldest).

    >>> newer({"updated": "2026-11-28T13:00:00+0800"}, {"updated": "2026-11-28T06:00:00+0000"})
    True
    >>> newer({"updated": "2026-11-28T06:00:00+0000"}, {"updated": "2026-11-28T13:00:00+0800"})
    False
    """
    if old is None:
        return True
    a, b = saved_at(old), saved_at(new)
    return a is None or (b is not None and b >= a)


def check_display_id(qid: str) -> str:
    """The display id of the line a graded widget's check cell shows while it is not saved."""
    return f"sanshe-check-{qid}"


def show_not_saved(qids: list[str]) -> None:
    """The check cell's "not answered yet", shown with the display id the widget's Save
    updates (:func:`announce_saved`; for a group, the variant this student was given);
    printed where there is no IPython display."""
    from html import escape

    from ..i18n import t

    qid = qids[0]
    if len(qids) > 1:
        try:
            qid = choose_variant(qids, student_id(), ".")
        except Exception:  # no variant to be found: the first one's id
            qid = qids[0]
    text = t("assign.widget_not_saved")
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:
        get_ipython = None
    if get_ipython is None or get_ipython() is None:
        print(text)
        return
    html = f"<span style='color:#a00;font-weight:bold'>✘ {escape(text)}</span>"
    display({"text/plain": text, "text/html": html}, raw=True, display_id=check_display_id(qid))


def announce_saved(qid: str) -> None:
    """The check cell under the widget ``qid`` stops saying "not answered yet": its line (shown
    with :func:`check_display_id`) now says the answer is saved. Outside a kernel, nothing."""
    try:
        from html import escape

        from IPython.display import update_display

        from ..i18n import t

        text = t("assign.widget_saved")
        html = f"<span style='color:#070'>{escape(text)}</span>"
        bundle = {"text/plain": text, "text/html": html}
        update_display(bundle, raw=True, display_id=check_display_id(qid))
    except Exception:  # no kernel, no front-end: the check says it when run again
        return


def remember(qid: str, answer: Any) -> None:
    """The answer on show in this kernel (restored or saved), for the assignment's checks."""
    _CURRENT[qid] = answer


def current_answer(qid: str, folder: str | os.PathLike = ".") -> Any:
    """The answer saved for ``qid`` in this kernel, else in the folder's file, else ``None``."""
    if qid in _CURRENT:
        return _CURRENT[qid]
    return recorded_answer(qid, folder)


def forget(qid: str, folder: str | os.PathLike = ".") -> None:
    """Remove the answer to ``qid`` from the folder's answers file (Reset), if it is there."""
    _CURRENT[qid] = None
    answers, _ = load_answers(folder)
    if qid in answers:
        del answers[qid]
        write_answers(answers_path(folder), answers)


def recorded_answer(qid: str, folder: str | os.PathLike = ".") -> Any:
    """The student's plain answer to ``qid``, or ``None`` if never answered (never raises).

    Shapes: single ``str``; multiple sorted ``list``; categorise ``{item: bin}``; match
    ``{left: right}``; order ``[step ids]``; network sorted ``[[a, b], ...]``; matrix
    ``{"row/column": outcome}``; text ``str``.
    """
    try:
        answers, _ = load_answers(folder)
    except Exception:  # a hidden test must get None, not an error
        return None
    rec = answers.get(qid)
    return rec.get("answer") if isinstance(rec, dict) else None


def answer_bundle(q: dict, saved: dict | None) -> dict:
    """The output that keeps a graded answer in the notebook: the record for the grader, and
    the answer in words for the student (and the trainer reading the graded copy)."""
    from html import escape

    from ..i18n import t
    from . import types

    if saved is None:
        text = t("quiz.answer_record_none")
        data = {"format": FORMAT, "qid": q["qid"], "type": q["type"], "answer": None}
    else:
        text = t("quiz.answer_record", answer=types.get(q["type"]).readable(q, saved.get("answer")))
        data = {"format": FORMAT, "qid": q["qid"], **saved}
    html = (
        f"<div class='sanshe-answer-record' style='color:#555;font-size:90%'>{escape(text)}</div>"
    )
    return {NOTEBOOK_MIME: data, "text/html": html, "text/plain": text}


# ----- per-student variants ---------------------------------------------------------------------
STUDENT_VARS = ("SANSHE_EDU_STUDENT", "JUPYTERHUB_USER")
SHUFFLED = ("options", "items", "left", "right")  # never steps: their order is the answer


def student_id() -> str | None:
    """Who is answering: ``SANSHE_EDU_STUDENT``, else the class server's user, else the login
    name of the machine (``None`` when there is none, as in the grading sandbox)."""
    for var in STUDENT_VARS:
        if os.environ.get(var):
            return os.environ[var]
    try:
        import getpass

        return getpass.getuser() or None
    except Exception:  # no user name (a uid without a passwd entry)
        return None


def _rng(student: str, *parts: str):
    import hashlib
    import random

    blob = "\x1f".join(["sanshe-edu/variant/1", student, *parts]).encode("utf-8")
    return random.Random(int.from_bytes(hashlib.sha256(blob).digest()[:8], "big"))


def for_student(q: dict, student: str | None) -> dict:
    """The question as this student sees it: options, items and both sides of a match in an
    order of their own (stable: the same student always sees the same order). Answers are ids,
    so grading never depends on the order.

    >>> q = {"qid": "a1.q", "options": [{"id": c} for c in "abcdef"]}
    >>> [o["id"] for o in for_student(q, None)["options"]]
    ['a', 'b', 'c', 'd', 'e', 'f']
    >>> for_student(q, "s1") == for_student(q, "s1"), for_student(q, "s1") != for_student(q, "s2")
    (True, True)
    """
    if not student:
        return q
    out = dict(q)
    for field in SHUFFLED:
        if isinstance(q.get(field), list) and len(q[field]) > 1:
            entries = list(q[field])
            _rng(student, q["qid"], field).shuffle(entries)
            out[field] = entries
    return out


def choose_variant(qids: list[str], student: str | None, folder: str | os.PathLike = ".") -> str:
    """Which of equivalent questions this student answers: the one already answered (in this
    kernel or the folder's file: a re-run, or nbgrader re-executing the hand-in), else one
    chosen by the student id (the first without one).

    >>> choose_variant(["a1.x", "a1.y"], None, "/nonexistent")
    'a1.x'
    >>> len({choose_variant(["a1.x", "a1.y"], f"s{i}", "/nonexistent") for i in range(8)})
    2
    """
    for qid in qids:
        if current_answer(qid, folder) is not None:
            return qid
    if not student:
        return qids[0]
    return _rng(student, *sorted(qids)).choice(sorted(qids))


class GradedRecord:
    """What ``ask(qid, graded=True)`` shows while nbgrader re-runs a hand-in: the question's
    prompt and the answer saved for it (the same output a widget keeps in the notebook, so it
    is collected and shown alike). Static HTML: a feedback page cannot run widgets anyway."""

    def __init__(self, qid: str, folder: str | os.PathLike = ".") -> None:
        self.qid, self.folder = qid, folder
        answers, _ = load_answers(folder)
        rec = answers.get(qid)
        self.saved = rec if isinstance(rec, dict) and rec.get("answer") is not None else None
        remember(qid, None if self.saved is None else self.saved["answer"])

    def answer(self):
        """The saved answer (plain data), or ``None``: as a widget's ``answer()``."""
        return None if self.saved is None else self.saved["answer"]

    def _ipython_display_(self) -> None:
        from html import escape

        from IPython.display import display

        from ..i18n import pick, t
        from .bank import question

        try:
            q = question(self.qid)
        except Exception:  # an unknown question: say so, grading goes on
            display({"text/plain": t("quiz.unknown_question", qid=self.qid, detail="")}, raw=True)
            return
        saved = self.saved
        prompt = pick(q["prompt"])
        display(
            {"text/html": f"<div><b>{escape(prompt)}</b></div>", "text/plain": prompt}, raw=True
        )
        display(answer_bundle(q, saved), raw=True)
