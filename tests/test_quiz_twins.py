"""No graded question has a practice twin whose key ships (issue 29).

Practice questions (lesson banks l00–l09 and the example bank) ship their keys: as salted
digests that can be brute-forced offline when the answer space is small, and as per-choice
feedback that says which choices are wrong. Graded questions (``graded: true``) ship without a
key. A graded question whose parts, *with their right answers*, also appear in a practice
question therefore gives its answer away to anyone who does the practice question first.

What leaks is the pair (part → right answer), not shared wording alone: a graded question may
reuse a term of the lesson if the practice questions never pair it with the answer the graded
question wants. So every question is read as a set of such pairs, by the zh text of the part
and of its answer, normalised (NFKC, no whitespace, punctuation or symbols):

- single / multiple: (option → right or wrong);
- categorise: (item → its bin's text); match: (left → its right's text);
- matrix: (row + column → outcome's text);
- order: (step A → before step B), for every two steps of a practice question and every two
  neighbouring steps of a graded one (the neighbours fix the whole order).

A graded question fails when

1. its answer is recoverable whole from practice keys: every one of its pairs is in some
   practice question (for a single choice: its right option's pair, or every wrong option's
   pair, is); or
2. more than a third of its pairs are. A third is the line because below it the part a student
   can copy is worth less than a guess is already worth on most of our questions (a single
   choice of three or four options, a categorise of two to four bins gives a third or more by
   chance), so copying moves the score no further than luck; above it, copying half the table
   of a match or a categorise turns a graded question into a check of the practice page.
"""

from __future__ import annotations

import unicodedata
from difflib import SequenceMatcher
from itertools import combinations, pairwise
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
BANKS = sorted((ROOT / "questions").glob("*.yaml"))
THRESHOLD = 1 / 3
FUZZY, FUZZY_MIN = 0.6, 6


def norm(text: object) -> str:
    """zh text of a part, NFKC, without whitespace, punctuation and symbols."""
    if isinstance(text, dict):
        text = text.get("zh", "")
    s = unicodedata.normalize("NFKC", str(text))
    return "".join(c for c in s if unicodedata.category(c)[0] not in "PSZC")


def pairs(q: dict, graded: bool) -> set[tuple[str, str]]:
    """The (part → right answer) pairs of one question."""
    kind = q.get("type")
    if kind in ("single", "multiple"):
        return {(norm(o["text"]), "✓" if o.get("correct") else "✗") for o in q["options"]}
    if kind == "categorise":
        bins = {b["id"]: norm(b["text"]) for b in q["bins"]}
        return {(norm(i["text"]), bins[i["bin"]]) for i in q["items"]}
    if kind == "match":
        right = {r["id"]: norm(r["text"]) for r in q["right"]}
        return {(norm(i["text"]), right[i["match"]]) for i in q["left"]}
    if kind == "matrix":
        rows = {r["id"]: norm(r["text"]) for r in q["rows"]}
        cols = {c["id"]: norm(c["text"]) for c in q["columns"]}
        outs = {o["id"]: norm(o["text"]) for o in q["outcomes"]}
        return {(rows[c["row"]] + "|" + cols[c["column"]], outs[c["answer"]]) for c in q["cells"]}
    if kind == "order":
        steps = [norm(s["text"]) for s in q["steps"]]
        twos = pairwise(steps) if graded else combinations(steps, 2)
        return {(a, "<" + b) for a, b in twos}
    return set()  # text, network: nothing a key of the practice side could give away


def load() -> tuple[dict[str, dict], dict[str, set[tuple[str, str]]]]:
    graded, practice = {}, {}
    for path in BANKS:
        bank = yaml.safe_load(path.read_text(encoding="utf-8"))
        for q in bank["questions"]:
            qid = f"{bank['bank']}.{q['id']}"
            if q.get("graded"):
                graded[qid] = q
            else:
                practice[qid] = pairs(q, graded=False)
    return graded, practice


GRADED, PRACTICE = load()

# Twins not yet resolved, each with why (issue 29). The mark is strict: once a question stops
# leaking, its entry must go. Resolve a twin on the practice side by practising the idea another
# way (a1 is pinned by the exact-score grading tests), not by a rewording that merely slips under
# the similarity line. Empty since a1.scholar_match's twins (l02, example.scholars) were rewritten.
KNOWN: dict[str, str] = {}


def similar(a: str, b: str) -> bool:
    """Same text, or a paraphrase: both at least FUZZY_MIN long and SequenceMatcher >= FUZZY."""
    if a == b:
        return True
    if min(len(a), len(b)) < FUZZY_MIN:
        return False
    return SequenceMatcher(None, a, b, autojunk=False).ratio() >= FUZZY


def same_pair(p: tuple[str, str], o: tuple[str, str]) -> bool:
    if p[0].startswith("<"):  # an order pair: compare both steps
        return similar(p[0], o[0]) and similar(p[1], o[1])
    return similar(p[0], o[0]) and similar(p[1], o[1])


def found(mine: set, theirs: set) -> set:
    return {p for p in mine if any(same_pair(p, o) for o in theirs)}


def leaks(q: dict) -> tuple[set, dict[str, set]]:
    """The graded question's pairs found in practice keys, and where."""
    mine = pairs(q, graded=True)
    where = {pid: found(mine, theirs) for pid, theirs in PRACTICE.items()}
    where = {pid: got for pid, got in where.items() if got}
    shared = set().union(*where.values()) if where else set()
    return shared, where


def recoverable_whole(q: dict, shared: set) -> bool:
    mine = pairs(q, graded=True)
    if not mine:
        return False
    if q["type"] == "single":
        right = {p for p in mine if p[1] == "✓"}
        wrong = mine - right
        return right <= shared or (bool(wrong) and wrong <= shared)
    return mine <= shared


def test_the_banks_have_both_kinds():
    assert len(GRADED) >= 20 and len(PRACTICE) >= 40


@pytest.mark.parametrize(
    "qid",
    [
        pytest.param(q, marks=pytest.mark.xfail(reason=KNOWN[q], strict=True)) if q in KNOWN else q
        for q in sorted(GRADED)
    ],
)
def test_graded_question_has_no_practice_twin(qid):
    q = GRADED[qid]
    mine = pairs(q, graded=True)
    shared, where = leaks(q)
    detail = {pid: sorted(p[0] for p in got) for pid, got in where.items()}
    assert not recoverable_whole(q, shared), f"{qid}: answer recoverable from {detail}"
    assert len(shared) <= THRESHOLD * len(mine), (
        f"{qid}: {len(shared)}/{len(mine)} parts with their answers in {detail}"
    )


def test_the_check_can_fail():
    """A graded copy of a practice question is caught, and so is one sharing half its pairs."""
    pid, q = next(
        (pid, q)
        for path in BANKS
        for bank in [yaml.safe_load(path.read_text(encoding="utf-8"))]
        if not any(x.get("graded") for x in bank["questions"])
        for q in bank["questions"]
        if q["type"] == "categorise" and len(q["items"]) >= 4
        for pid in [f"{bank['bank']}.{q['id']}"]
    )
    shared, _ = leaks(q)
    assert recoverable_whole(q, shared), pid
    half = dict(
        q,
        items=q["items"][:2]
        + [dict(i, text={"zh": f"新{n}"}) for n, i in enumerate(q["items"][2:])],
    )
    shared, _ = leaks(half)
    assert len(shared) > THRESHOLD * len(pairs(half, graded=True))
