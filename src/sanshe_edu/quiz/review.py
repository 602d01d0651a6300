"""Spaced review ("复习"): missed questions come back on the day FSRS schedules them.

The scheduler is the ``fsrs`` package (FSRS, the scheduler behind Anki; pure Python, so it runs
in the browser edition too) with no learning steps and no fuzz: a course is reviewed across
days, not minutes, and the same answers always give the same dates. A practice question
answered wrong gets a card rated *Again*; every later answer to it (in the lesson or in the
review notebook) is a review rated *Good* when right and *Again* when wrong, so the interval
grows after each right answer and starts again after a wrong one. The cards are kept in the
progress store's ``review`` section (``{qid: {card, last_answer, reviews}}``).

"Now" is the clock, or ``SANSHE_EDU_NOW`` (``2026-03-01``, ``2026-03-01T09:00`` or ``+1d``,
a day after the clock): tests and a trainer's demonstration move time with it, never by
sleeping.

>>> from datetime import datetime, timezone
>>> queue = {}
>>> t0 = datetime(2026, 3, 1, 9, tzinfo=timezone.utc)
>>> on_answer(queue, "l05.folds_into", False, "a", t0)
>>> due_qids(queue, t0), due_qids(queue, datetime(2026, 3, 2, 9, tzinfo=timezone.utc))
([], ['l05.folds_into'])
"""

from __future__ import annotations

import os
import re
from datetime import datetime, timedelta, timezone
from typing import Any

NOW_VAR = "SANSHE_EDU_NOW"


def now() -> datetime:
    """The current time in UTC, or the one ``SANSHE_EDU_NOW`` sets.

    >>> os.environ[NOW_VAR] = "2026-03-01"
    >>> now().isoformat()
    '2026-03-01T00:00:00+00:00'
    >>> del os.environ[NOW_VAR]
    """
    real = datetime.now(timezone.utc)
    value = (os.environ.get(NOW_VAR) or "").strip()
    if not value:
        return real
    shift = re.fullmatch(r"\+(\d+)d", value)
    if shift:
        return real + timedelta(days=int(shift.group(1)))
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return real
    if when.tzinfo is None:
        return when.replace(tzinfo=timezone.utc)
    return when.astimezone(timezone.utc)


def scheduler():
    from fsrs import Scheduler

    return Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)


def on_answer(queue: dict, qid: str, correct: bool, answer: Any, when: datetime) -> None:
    """Update the review queue (in place) for one scored answer to ``qid``."""
    from fsrs import Card, Rating

    entry = queue.get(qid)
    if entry is None and correct:
        return  # a question never missed has nothing to review
    try:
        card = Card.from_dict(entry["card"]) if entry else Card()
    except (KeyError, TypeError, ValueError):  # a damaged card starts again
        entry, card = None, Card()
    card, _log = scheduler().review_card(card, Rating.Good if correct else Rating.Again, when)
    entry = dict(entry or {"added": when.isoformat(), "reviews": 0})
    entry["card"] = card.to_dict()
    entry["reviews"] = int(entry.get("reviews", 0)) + 1
    if not correct:
        entry["last_answer"] = answer
    queue[qid] = entry


def due_at(entry: dict) -> datetime:
    from fsrs import Card

    return Card.from_dict(entry["card"]).due


def due_or_none(entry: Any) -> datetime | None:
    """When a queue entry is due, ``None`` for a damaged one."""
    try:
        return due_at(entry)
    except (KeyError, TypeError, ValueError):
        return None


def due_qids(queue: dict, when: datetime) -> list[str]:
    """The questions due on ``when``'s day (UTC) or before, the longest overdue first."""
    out = []
    for qid, entry in queue.items():
        due = due_or_none(entry)
        if due is not None and due.date() <= when.date():
            out.append((due, qid))
    return [qid for _due, qid in sorted(out)]
