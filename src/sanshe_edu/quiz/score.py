"""The one computation of a lesson's score, from the progress store's records.

Used by the running score under every widget and by :func:`progress_summary` (the overview,
``sanshe-edu progress``).
A question counts when its record says ``done``; a stored score is capped to the question's
points (a hand-edited store cannot raise it).
"""

from __future__ import annotations

from typing import Any

from .bank import load_bank
from .check import max_points


def lesson_score(bank_id: str, records: dict[str, Any]) -> dict:
    """``score, max, done, correct, total, left`` of the bank's ungraded questions: ``done`` is
    answered (a wrong attempt too), ``correct`` answered wholly right; ``left``: qids not
    answered yet, in bank order."""
    score = maximum = 0.0
    done, correct, left, total = 0, 0, [], 0
    for q in load_bank(bank_id)["questions"]:
        if q.get("graded"):
            continue
        total += 1
        qid, most = f"{bank_id}.{q['id']}", max_points(q)
        maximum += most
        rec = records.get(qid)
        if isinstance(rec, dict) and rec.get("done"):
            done += 1
            correct += rec.get("correct") is True
            s = rec.get("score")
            if isinstance(s, (int, float)) and not isinstance(s, bool):
                score += min(max(s, 0), most)
        else:
            left.append(qid)
    return {
        "score": round(score, 2),
        "max": round(maximum, 2),
        "done": done,
        "correct": correct,
        "total": total,
        "left": left,
    }


def bank_score(bank_id: str, store: Any) -> dict:
    """:func:`lesson_score` from a :class:`~sanshe_edu.quiz.store.ProgressStore` (or ``None``)."""
    return lesson_score(bank_id, store.load() if store is not None else {})


def progress_summary() -> list[dict]:
    """Per lesson bank: ``bank, title, done, total, score, max, left`` (qids not done yet)."""
    from ..i18n import pick
    from .bank import bank_ids
    from .store import ProgressStore

    store = ProgressStore()
    records = store.load()
    out = []
    for bank_id in bank_ids():
        if bank_id == "example":
            continue
        score = lesson_score(bank_id, records)
        if not score["total"]:
            continue
        title = pick(load_bank(bank_id)["title"])
        out.append({"bank": bank_id, "title": title, **score, "messages": store.take_messages()})
    return out
