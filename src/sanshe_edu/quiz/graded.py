"""Answers of graded questions, kept in the assignment folder so nbgrader can grade them.

``ask(qid, graded=True)`` writes each answer into ``sanshe_answers.json`` in the current
working folder (where the notebook runs: the assignment folder). ``nbgrader collect`` and
``autograde`` copy it with the notebook; when nbgrader re-executes the notebook
(``NBGRADER_EXECUTION`` set) the widget reads it back, and a hidden test calls
:func:`recorded_answer`.

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
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from .store import atomic_write_json, read_json_or_move_aside

FILENAME = "sanshe_answers.json"
FORMAT = "sanshe-edu-answers/1"


def answers_path(folder: str | os.PathLike = ".") -> Path:
    return Path(folder) / FILENAME


def under_nbgrader() -> bool:
    """True while nbgrader validates or autogrades (it sets ``NBGRADER_EXECUTION``)."""
    return bool(os.environ.get("NBGRADER_EXECUTION"))


def load_answers(folder: str | os.PathLike = ".") -> tuple[dict, str | None]:
    return read_json_or_move_aside(answers_path(folder), FORMAT, "answers", "quiz.answers_corrupt")


def record_answer(qid: str, qtype: str, answer: Any, folder: str | os.PathLike = ".") -> None:
    """Store ``answer`` for ``qid`` in the folder's answers file (atomic write)."""
    answers, _ = load_answers(folder)
    answers[qid] = {
        "type": qtype,
        "answer": answer,
        "updated": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    atomic_write_json(answers_path(folder), {"format": FORMAT, "answers": answers})


def forget(qid: str, folder: str | os.PathLike = ".") -> None:
    """Remove the answer to ``qid`` from the folder's answers file (Reset), if it is there."""
    answers, _ = load_answers(folder)
    if qid in answers:
        del answers[qid]
        atomic_write_json(answers_path(folder), {"format": FORMAT, "answers": answers})


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
