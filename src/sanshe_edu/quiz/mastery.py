"""Mastery per concept: Bayesian Knowledge Tracing over the learner's answers.

Why BKT (Corbett & Anderson 1995; OATutor uses it per skill, mastered at 0.85): an answer is
right-or-wrong evidence about one hidden yes/no state per concept, the four parameters mean
something a trainer can set by judgement (a new course has no data to fit a richer model), and
the update is a two-line rule anyone can check by hand. The parameters are in
``data/concepts.yaml``.

For an answer, with ``p`` the probability the learner holds the concept before it::

    right:  p' = p (1 - S) / (p (1 - S) + (1 - p) G)
    wrong:  p' = p S / (p S + (1 - p) (1 - G))
    then    p_next = p' + (1 - p') T          (learning from the answer and its feedback)

>>> params = {"p_init": 0.2, "p_learn": 0.15, "p_guess": 0.2, "p_slip": 0.1}
>>> round(bkt_update(0.2, True, params), 4)
0.6
>>> round(bkt_update(0.2, False, params), 4)
0.1758

The evidence is kept, not only the estimate: each scored practice answer is an event
``{qid, correct, at}`` in the progress store's ``concepts`` section, and the estimate is the
replay of a concept's events. Resetting a lesson deletes its events, so its concepts forget it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from . import concepts as C
from .store import ProgressStore

#: The states a concept is shown in (each has a text label, not a colour alone).
STATES = ("mastered", "learning", "weak", "unseen")


def bkt_update(p: float, correct: bool, params: dict[str, float]) -> float:
    """One BKT step: the posterior after the answer, then the chance of learning."""
    g, s, tr = params["p_guess"], params["p_slip"], params["p_learn"]
    if correct:
        post = p * (1 - s) / (p * (1 - s) + (1 - p) * g)
    else:
        post = p * s / (p * s + (1 - p) * (1 - g))
    return post + (1 - post) * tr


def replay(answers: list[bool], params: dict[str, float]) -> float:
    """P(holds the concept) after ``answers`` (right/wrong, oldest first).

    >>> params = {"p_init": 0.2, "p_learn": 0.15, "p_guess": 0.2, "p_slip": 0.1}
    >>> replay([], params)
    0.2
    >>> replay([True, True, True], params) > 0.85 > replay([True, False, True], params)
    True
    """
    p = params["p_init"]
    for right in answers:
        p = bkt_update(p, right, params)
    return p


def state_of(p: float, n: int, params: dict[str, float]) -> str:
    if n == 0:
        return "unseen"
    if p >= params["mastered"]:
        return "mastered"
    if p < params["weak"]:
        return "weak"
    return "learning"


def events(store: ProgressStore) -> list[dict]:
    return [e for e in store.section("concepts").get("events", []) if isinstance(e, dict)]


def record(
    store: ProgressStore,
    qid: str,
    correct: bool,
    answer: Any = None,
    *,
    review_as: str | None = None,
    when: datetime | None = None,
) -> None:
    """One scored answer: an event for its concepts and a review of its card (the card of
    ``review_as`` when it is another variant of a question under review), in one write."""
    from . import review

    when = when or review.now()
    section = store.section("concepts")
    section["events"] = [
        *section.get("events", []),
        {"qid": qid, "correct": bool(correct), "at": when.isoformat()},
    ]
    queue = store.section("review")
    review.on_answer(queue, review_as or qid, bool(correct), answer, when)
    store.save_sections({"concepts": section, "review": queue})


def mastery_from_events(evts: list[dict]) -> dict[str, dict[str, Any]]:
    """concept id -> ``{p, n, right, state}`` for every concept of the course."""
    by_concept: dict[str, list[bool]] = {cid: [] for cid in C.ids()}
    for e in evts:
        for cid in C.concepts_of(str(e.get("qid"))):
            if cid in by_concept:
                by_concept[cid].append(bool(e.get("correct")))
    out = {}
    for cid, answers in by_concept.items():
        params = C.bkt_params(cid)
        p = replay(answers, params)
        out[cid] = {
            "p": p,
            "n": len(answers),
            "right": sum(answers),
            "state": state_of(p, len(answers), params),
        }
    return out


def learner_mastery(store: ProgressStore | None = None) -> dict[str, dict[str, Any]]:
    """The learner's mastery of every concept, from the evidence in their progress store."""
    return mastery_from_events(events(store or ProgressStore()))


def weak_concepts(m: dict[str, dict[str, Any]]) -> list[str]:
    return [cid for cid, v in m.items() if v["state"] == "weak"]
