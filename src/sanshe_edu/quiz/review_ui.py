"""The review notebook's widget ("复习"): the questions due today, each with what the learner
chose last time and why it was not right, then the question again (another variant when the
bank has one) to answer afresh. "今天没有要复习的题" when nothing is due.
"""

from __future__ import annotations

from datetime import datetime, timezone
from html import escape
from typing import Any

from ..i18n import pick, t
from . import concepts as C
from .store import ProgressStore


def variant_of(qid: str, reviews: int = 0) -> str:
    """Another question of the same ``group`` in the bank (taking turns with each review), or
    the question itself.

    >>> variant_of("l05.folds_into")
    'l05.folds_into'
    """
    from .bank import load_bank, split_qid

    bank, qname = split_qid(qid)
    questions = load_bank(bank)["questions"]
    group = next((q.get("group") for q in questions if q["id"] == qname), None)
    if not group:
        return qid
    others = [q["id"] for q in questions if q.get("group") == group and q["id"] != qname]
    return f"{bank}.{others[reviews % len(others)]}" if others else qid


def last_time_html(qid: str, answer: Any) -> str:
    """What the learner answered last time, and the feedback on that choice (why not)."""
    from .bank import question
    from .check import evaluate, normalise
    from .types import get

    q = question(qid)
    parts = ["<div class='sanshe-last-time' style='color:#555;margin:4px 0'>"]
    answer = normalise(q, answer)
    if answer is None:
        return ""
    words = get(q["type"]).readable(q, answer)
    parts.append(f"<div><b>{escape(t('mastery.last_answer'))}</b> {escape(words)}</div>")
    res = evaluate(q, answer, normalised=True)
    reasons = []
    for m in res.lines:
        reason = m.reason_in() if hasattr(m, "reason_in") else ""
        why = f" — {escape(reason)}" if reason else ""
        reasons.append(f"<li>{escape(m.text())}{why}</li>")
    if reasons:
        parts.append(f"<ul style='margin:2px 0'>{''.join(reasons)}</ul>")
    if res.explanation:
        parts.append(f"<div>{escape(t('quiz.why', text=res.explanation_in()))}</div>")
    parts.append("</div>")
    return "".join(parts)


def review_today(today: datetime | str | None = None, store: ProgressStore | None = None) -> Any:
    """A widget with today's due questions (``today``: a date, ``"2026-03-02"``, or the clock /
    ``SANSHE_EDU_NOW``)."""
    import ipywidgets as W

    from . import review
    from .bank import question
    from .persist import Practice
    from .widgets import QuestionWidget

    store = store or ProgressStore()
    if isinstance(today, str):
        today = datetime.fromisoformat(today)
    if today is not None and today.tzinfo is None:
        today = today.replace(tzinfo=timezone.utc)
    when = today or review.now()  # also the time of the answers given here
    queue = store.section("review")
    due = review.due_qids(queue, when)
    day = when.date().isoformat()
    if not due:
        note = t("mastery.nothing_due", day=day)
        upcoming = sorted(d for d in map(review.due_or_none, queue.values()) if d)
        if upcoming:
            note += " " + t("mastery.next_due", day=upcoming[0].date().isoformat())
        box = W.VBox([W.HTML(f"<p class='sanshe-review-empty'><b>{escape(note)}</b></p>")])
        box.add_class("sanshe-review")
        return box
    count = escape(t("mastery.due", n=len(due), day=day))
    children: list[Any] = [W.HTML(f"<p class='sanshe-review-count'><b>{count}</b></p>")]
    for i, qid in enumerate(due, 1):
        entry = queue[qid]
        shown = variant_of(qid, int(entry.get("reviews", 0)))
        names = "、".join(C.name(c, short=True) for c in C.concepts_of(qid))
        head = t("mastery.review_item", i=i, n=len(due), concepts=names)
        children.append(W.HTML(f"<h4 style='margin:10px 0 2px'>{escape(head)}</h4>"))
        if "last_answer" in entry:
            children.append(W.HTML(last_time_html(qid, entry["last_answer"])))
        if shown != qid:
            children.append(W.HTML(f"<div style='color:#555'>{escape(t('mastery.variant'))}</div>"))
        keeper = Practice(store, review_as=qid, when=when)
        widget = QuestionWidget(question(shown), store=store, keeper=keeper)
        children.append(widget)
    box = W.VBox(children)
    box.add_class("sanshe-review")
    return box


def my_mastery(store: ProgressStore | None = None) -> Any:
    """The learner's concept map, for a notebook cell."""
    from .conceptmap import ConceptMap

    return ConceptMap(store)


__all__ = ["my_mastery", "pick", "review_today", "variant_of"]
