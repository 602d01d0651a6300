"""The question banks of lessons 00–04 can be answered right, and wrong answers are not right.

For every question of ``questions/l00_*.yaml`` … ``l04_*.yaml`` the trainer's plain key is turned
into a student's answer and judged by the shipped, hashed bank through the same ``evaluate``
the widgets use; so a typo in a key or a bank that was not rebuilt fails here. Every wrong option
of a choice question must also lose points (otherwise the check would pass for any answer), and
the right option must not always sit in the same place.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from sanshe_edu.quiz.bank import question
from sanshe_edu.quiz.build import plain_answer
from sanshe_edu.quiz.check import evaluate

REPO = Path(__file__).resolve().parents[1]
SOURCES = sorted((REPO / "questions").glob("l0[0-4]_*.yaml"))


def _records() -> list[tuple[str, dict]]:
    out = []
    for path in SOURCES:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        out.extend((f"{data['bank']}.{q['id']}", q) for q in data["questions"])
    return out


RECORDS = _records()
SCORED = [(i, q) for i, q in RECORDS if q["type"] != "text"]
TEXTS = [(i, q) for i, q in RECORDS if q["type"] == "text"]


def right_answer(q: dict):
    """The key as the YAML source states it (the widget checks it against the hashed bank)."""
    key = plain_answer(q)
    assert key is not None, f"no key rule for type {q['type']}"
    return key


def wrong_answers(q: dict) -> list:
    """Complete answers that each get at least one part wrong."""
    kind = q["type"]
    right = right_answer(q)
    if kind == "single":
        return [o["id"] for o in q["options"] if not o.get("correct")]
    if kind == "multiple":
        wrong = [o["id"] for o in q["options"] if not o.get("correct")]
        return [right[:-1], sorted([*right, wrong[0]])]
    if kind in ("categorise", "match"):
        choices = [b["id"] for b in q["bins"]] if kind == "categorise" else q["right"]
        choices = [c if isinstance(c, str) else c["id"] for c in choices]
        out = []
        for item, target in right.items():
            other = next(c for c in choices if c != target)
            out.append({**right, item: other})
        return out
    if kind == "order":
        return [right[1:] + right[:1], list(reversed(right))]
    raise AssertionError(kind)


def test_all_five_banks_are_present():
    assert {q.split(".")[0] for q, _ in RECORDS} == {"l00", "l01", "l02", "l03", "l04"}


@pytest.mark.parametrize("qid,q", SCORED, ids=[i for i, _ in SCORED])
def test_key_scores_full_marks(qid, q):
    result = evaluate(question(qid), right_answer(q))
    assert result.correct and result.score == result.max_score > 0, (qid, result.headline)


@pytest.mark.parametrize("qid,q", SCORED, ids=[i for i, _ in SCORED])
def test_every_wrong_answer_loses_points(qid, q):
    shipped = question(qid)
    for answer in wrong_answers(q):
        result = evaluate(shipped, answer)
        assert not result.correct and result.score < result.max_score, (qid, answer)


@pytest.mark.parametrize("qid,q", TEXTS, ids=[i for i, _ in TEXTS])
def test_short_answers_are_saved_with_guidance_not_scored(qid, q):
    shipped = question(qid)
    need = q["min_chars"]
    assert evaluate(shipped, "联" * (need - 1)).status == "incomplete"
    saved = evaluate(shipped, "联" * need)
    assert saved.status == "saved" and saved.score == 0 and saved.lines, qid


def test_right_option_is_not_always_first():
    """Options are shown in file order: the key must not give itself away by position."""
    firsts = [bool(q["options"][0].get("correct")) for _, q in RECORDS if q["type"] in ("single",)]
    assert sum(firsts) < len(firsts) / 2, f"right answer first in {sum(firsts)}/{len(firsts)}"
    for qid, q in RECORDS:
        if q["type"] == "match":
            lefts = [entry["match"] for entry in q["left"]]
            rights = [entry["id"] for entry in q["right"]][: len(lefts)]
            assert lefts != rights, f"{qid}: the right column is in answer order"
