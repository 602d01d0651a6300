"""Judge an answer against a shipped (hashed) record, and say why — no widgets here.

``evaluate(q, answer) -> Result``. Answers are plain data (the shapes ``recorded_answer``
returns): single ``str``; multiple ``list[str]``; categorise ``{item: bin}``; match
``{left: right}``; order ``[step ids, first to last]``; network ``[[a, b], ...]``; matrix
``{"row/column": outcome}``; text ``str``. What each type checks is in its module in
``quiz/types``; the flow (empty, incomplete, graded, judged) is the same for all.

>>> from sanshe_edu.quiz.bank import question
>>> q = question("example.rc_nature")
>>> r = evaluate(q, "grassroots_self_gov")
>>> r.correct, r.score, r.max_score, r.head.key, r.headline_in("en")
(True, 1, 1, 'quiz.all_right', '✔ Correct!')
>>> evaluate(q, "company").score
0
"""

from __future__ import annotations

from typing import Any

from . import types
from .result import Msg, Result
from .types import Sealer
from .types.network import network_graph, organisations

__all__ = [
    "Result",
    "evaluate",
    "hint_texts",
    "max_points",
    "network_graph",
    "normalise",
    "organisations",
]


def max_points(q: dict) -> float:
    """What the question can score (graded and text questions score nothing here)."""
    return 0 if q.get("graded") or not types.get(q["type"]).scored else q.get("points", 1)


def _round(x: float) -> float:
    x = round(x, 2)
    return int(x) if x == int(x) else x


def normalise(q: dict, answer: Any) -> Any:
    """Keep only what fits the record (ids it knows); ``None`` when nothing usable is left.

    Protects against stale or hand-edited stores: a restored answer never breaks a widget.
    """
    try:
        return types.get(q["type"]).normalise(q, answer)
    except (TypeError, KeyError, AttributeError, ValueError):
        return None


def evaluate(q: dict, answer: Any, *, normalised: bool = False) -> Result:
    """Judge ``answer`` for the shipped record ``q`` (pass ``normalised=True`` when it already
    went through :func:`normalise`, so it is not done twice)."""
    qt = types.get(q["type"])
    if not normalised:
        answer = normalise(q, answer)
    res = Result(status="empty", max_score=max_points(q))
    if answer is None or qt.is_empty(answer):
        res.head = Msg(qt.empty_key)
        return res
    why_not = qt.incomplete(q, answer)
    if why_not is not None:
        res.status, res.head = "incomplete", why_not
        return res
    if q.get("graded"):
        res.status, res.head = "saved", Msg("quiz.saved_graded")
        return res
    s = Sealer(q)
    res.status = "checked"
    right, total = qt.judge(q, answer, res, s)
    if res.status != "checked":  # a type that only saves (text) has said so itself
        return res
    res.right, res.parts = right, total
    res.correct = total > 0 and right == total
    res.score = _round(res.max_score * right / total) if total else 0
    if res.correct:
        res.head = Msg("quiz.all_right")
        res.explanation = qt.explanation(q, answer, s)
    elif right and qt.partial:
        res.head = Msg("quiz.partly", {"right": right, "total": total})
    else:
        res.head = Msg("quiz.wrong")
    return res


def hint_texts(q: dict, shown: int) -> list[dict]:
    """The first ``shown`` hints of a shipped record, opened (``{zh, en}`` each)."""
    s = Sealer(q)
    return [s.open(blob, "hint", str(i)) or {} for i, blob in enumerate(q.get("hints", [])[:shown])]
