"""The question banks as the trainer's build reads them: plain YAML, keys included.

One reader for bank files (:func:`sanshe_edu.quiz.build.load_yaml`, which names the file of a
YAML typo), and the two look-ups the assignment kinds need: a question by id, and the
equivalent questions of its ``group`` (each student gets one of them).
"""

from __future__ import annotations

from pathlib import Path


def plain_banks(questions: Path) -> dict[str, dict]:
    """bank id -> its plain YAML source (keys included)."""
    from ..quiz.build import load_yaml

    banks = {}
    for path in sorted(Path(questions).glob("*.yaml")):
        data = load_yaml(path)
        if isinstance(data, dict) and data.get("bank"):
            banks[str(data["bank"])] = data
    return banks


def bank_question(banks: dict, qid: str) -> dict | None:
    """The plain record of ``qid`` (``bank.name``), or ``None``.

    >>> bank_question({"a1": {"questions": [{"id": "x", "type": "single"}]}}, "a1.x")
    {'id': 'x', 'type': 'single'}
    """
    bank, _, name = str(qid).partition(".")
    for q in banks.get(bank, {}).get("questions", []):
        if q.get("id") == name:
            return q
    return None


def variants(banks: dict, qid: str) -> list[str]:
    """``qid`` and the questions of its bank in the same ``group`` (equivalent questions, each
    student gets one), sorted; just ``[qid]`` for a question without a group.

    >>> banks = {"b": {"questions": [{"id": "y", "group": "g"}, {"id": "x", "group": "g"}]}}
    >>> variants(banks, "b.y")
    ['b.x', 'b.y']
    """
    q = bank_question(banks, qid)
    group = q.get("group") if q else None
    if not group:
        return [qid]
    bank = qid.partition(".")[0]
    return sorted(f"{bank}.{x['id']}" for x in banks[bank]["questions"] if x.get("group") == group)
