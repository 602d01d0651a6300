"""Widget exercises: eight question types built from question-bank records.

``ask("l04.org_kinds")`` shows a question (it is a cell's last expression); answers and scores
are saved to the per-user progress store and restored when the notebook is run again.
``ask("a2.phases", graded=True)`` also writes the answer to ``sanshe_answers.json`` in the
current folder, shows "saved" rather than right/wrong, and is restored when nbgrader
re-executes the notebook; a hidden test reads it with ``recorded_answer("a2.phases")``.
``progress_overview()`` shows done / score / what is left per lesson.

Importing this package does not import ipywidgets; :func:`ask` does.

>>> from sanshe_edu.quiz import TYPES
>>> len(TYPES)
8
>>> recorded_answer("a2.never", folder="/nonexistent") is None
True
"""

from __future__ import annotations

import os
from typing import Any

from .graded import recorded_answer
from .records import TYPES

__all__ = ["TYPES", "ask", "progress_overview", "progress_summary", "recorded_answer"]


def ask(qid: str, *, graded: bool = False, folder: str | os.PathLike = ".") -> Any:
    """The widget for question ``qid`` (``"<bank>.<id>"``), ready to display.

    An unknown id gives a widget that says so (in the user's language), not a traceback.
    """
    import ipywidgets as W

    from ..errors import SansheError
    from ..i18n import t
    from .bank import question
    from .widgets import QuestionWidget, _esc

    try:
        q = question(qid)
    except SansheError as exc:
        return W.HTML(
            f"<div style='color:#a00'>{_esc(t('quiz.unknown_question', qid=qid, detail=exc))}</div>"
        )
    try:
        return QuestionWidget(q, graded=graded, folder=str(folder))
    except Exception as exc:  # e.g. a network question naming an organisation the case lacks
        return W.HTML(
            f"<div style='color:#a00'>{_esc(t('quiz.unknown_question', qid=qid, detail=exc))}</div>"
        )


def progress_summary() -> list[dict]:
    """Per lesson bank: ``bank, title, done, total, score, max, left`` (qids not done yet)."""
    from .bank import bank_ids, load_bank, tx
    from .check import max_points
    from .store import ProgressStore

    store = ProgressStore()
    records = store.load()
    out = []
    for bank_id in bank_ids():
        if bank_id == "example":
            continue
        bank = load_bank(bank_id)
        qs = [q for q in bank["questions"] if not q.get("graded")]
        if not qs:
            continue
        done, score, maximum, left = 0, 0.0, 0.0, []
        for q in qs:
            rec = records.get(f"{bank_id}.{q['id']}")
            maximum += max_points(q)
            if isinstance(rec, dict) and rec.get("done"):
                done += 1
                s = rec.get("score")
                if isinstance(s, (int, float)) and not isinstance(s, bool):
                    score += min(max(s, 0), max_points(q))
            else:
                left.append(f"{bank_id}.{q['id']}")
        out.append(
            {
                "bank": bank_id,
                "title": tx(bank["title"]),
                "done": done,
                "total": len(qs),
                "score": round(score, 2),
                "max": round(maximum, 2),
                "left": left,
                "messages": list(store.messages),
            }
        )
        store.messages.clear()
    return out


def progress_overview() -> Any:
    """A widget with one row per lesson: done, score and what is left; a Refresh button."""
    from .overview import ProgressOverview

    return ProgressOverview()
