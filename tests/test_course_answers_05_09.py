"""The question banks of lessons 05–09 can be answered right, and a wrong answer is not right.

For every question of ``questions/l05_*.yaml`` … ``l09_*.yaml`` the plain key written by the
trainer is turned into a student's answer and judged by the shipped, hashed bank (the same
``evaluate`` the widgets use). So a typo in a key, a bank that was not rebuilt, or a network
task that cannot be met shows up here. A deliberately wrong answer must lose points, otherwise
the check would pass for any answer.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from sanshe_edu.quiz.bank import question
from sanshe_edu.quiz.build import plain_answer
from sanshe_edu.quiz.check import evaluate

REPO = Path(__file__).resolve().parents[1]
SOURCES = sorted((REPO / "questions").glob("l0[5-9]_*.yaml"))

# Networks that meet the requirements of the network tasks (there is no single key).
NETWORKS = {
    # jwh community, sg social work, lv non-profit: every pair linked, connected, 3 links.
    "l05.build_network": [["jwh", "sg"], ["sg", "lv"], ["jwh", "lv"]],
}
# ... and ones that do not: sg and jwh only (no non-profit; a single link).
BAD_NETWORKS = {"l05.build_network": [["jwh", "sg"]]}


def _records() -> list[tuple[str, dict]]:
    out = []
    for path in SOURCES:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        out.extend((f"{data['bank']}.{q['id']}", q) for q in data["questions"])
    return out


RECORDS = _records()


def right_answer(qid: str, q: dict):
    """The key as the YAML source states it; a network question has no single key, so the
    network this test knows to meet its requirements stands in for it."""
    if q["type"] == "network":
        return NETWORKS[qid]
    key = plain_answer(q)
    assert key is not None, f"no key rule for type {q['type']}"
    return key


def wrong_answer(qid: str, q: dict):
    """A complete answer with at least one part wrong."""
    kind = q["type"]
    right = right_answer(qid, q)
    if kind == "single":
        return next(o["id"] for o in q["options"] if not o.get("correct"))
    if kind == "multiple":
        return right[:-1]
    if kind in ("categorise", "match", "matrix"):
        choices = {
            "categorise": [b["id"] for b in q.get("bins", [])],
            "match": [r["id"] for r in q.get("right", [])],
            "matrix": [o["id"] for o in q.get("outcomes", [])],
        }[kind]
        first = next(iter(right))
        other = next(c for c in choices if c != right[first])
        return {**right, first: other}
    if kind == "order":
        return right[1:] + right[:1]
    if kind == "network":
        return BAD_NETWORKS[qid]
    raise AssertionError(kind)


def test_all_five_banks_are_present():
    assert {q.split(".")[0] for q, _ in RECORDS} == {"l05", "l06", "l07", "l08", "l09"}


@pytest.mark.parametrize(
    "qid,q",
    [(i, q) for i, q in RECORDS if q["type"] != "text"],
    ids=lambda x: x if isinstance(x, str) else "",
)
def test_key_scores_full_marks_and_a_wrong_answer_does_not(qid, q):
    shipped = question(qid)
    good = evaluate(shipped, right_answer(qid, q))
    assert good.correct and good.score == good.max_score, (qid, good.headline, good.lines)
    bad = evaluate(shipped, wrong_answer(qid, q))
    assert bad.status == "checked" and not bad.correct and bad.score < bad.max_score, qid


@pytest.mark.parametrize(
    "qid,q",
    [(i, q) for i, q in RECORDS if q["type"] == "text"],
    ids=lambda x: x if isinstance(x, str) else "",
)
def test_reflections_are_saved_not_scored(qid, q):
    shipped = question(qid)
    need = q.get("min_chars", 1)
    assert need >= 20, f"{qid}: a reflection should ask for a few sentences (min_chars {need})"
    too_short = evaluate(shipped, "联" * (need - 1))
    assert too_short.status == "incomplete", (qid, too_short)
    long_enough = evaluate(shipped, "联" * need)
    assert long_enough.status == "saved" and long_enough.score == 0, (qid, long_enough)
    assert long_enough.lines, f"{qid}: guidance is shown after saving"
