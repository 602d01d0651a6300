"""The course's concepts as data: ``data/concepts.yaml`` (ids, names, lessons, what each builds
on, the mastery model's parameters) and the tags of the bank questions that test them.

>>> concepts_of("l05.element_roles")
['element_roles']
>>> concept("subject_linkage")["lesson"]
'05'
>>> concepts_of("l05.no_such_question")
[]
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from ..i18n import pick, t

DATA = Path(__file__).resolve().parents[1] / "data" / "concepts.yaml"
FORMAT = "sanshe-edu-concepts/1"


@cache
def data() -> dict:
    """The parsed data file (read once)."""
    import yaml

    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


def all_concepts() -> list[dict]:
    """Every concept, in the file's order (lesson by lesson)."""
    return list(data()["concepts"])


def ids() -> list[str]:
    return [c["id"] for c in all_concepts()]


def concept(cid: str) -> dict:
    """One concept by id (``KeyError`` if there is none)."""
    for c in all_concepts():
        if c["id"] == cid:
            return c
    raise KeyError(cid)


def bkt_params(cid: str | None = None) -> dict[str, float]:
    """The mastery model's parameters: the file's defaults, with the concept's own ``bkt``."""
    params = dict(data()["bkt"])
    if cid is not None:
        params.update(concept(cid).get("bkt") or {})
    return params


def name(cid: str, lang: str | None = None, short: bool = False) -> str:
    c = concept(cid)
    return pick(c["short" if short else "name"], lang)


def lessons_of(cid: str) -> list[str]:
    """The lesson that teaches a concept, then those that come back to it."""
    c = concept(cid)
    return [c["lesson"], *c.get("also", [])]


@cache
def _tags() -> dict[str, tuple[str, ...]]:
    """``bank.qid`` -> the concepts it tests, from the shipped banks."""
    from .bank import bank_ids, load_bank

    out: dict[str, tuple[str, ...]] = {}
    for bank in bank_ids():
        for q in load_bank(bank)["questions"]:
            out[f"{bank}.{q['id']}"] = tuple(q.get("concepts") or ())
    return out


def concepts_of(qid: str) -> list[str]:
    """The seed concepts question ``qid`` (``"<bank>.<id>"``) tests; ``[]`` for an unknown id.

    For the live class (issue 26): an answer event names the concepts its question tests."""
    return list(_tags().get(qid, ()))


def questions_of(cid: str, practice_only: bool = False) -> list[str]:
    """The qids (``bank.id``) tagged with ``cid``, practice questions of the lessons first."""
    from .bank import bank_ids

    lessons = [b for b in bank_ids() if b.startswith("l")]
    tagged = [q for q, cs in _tags().items() if cid in cs and q.split(".")[0] != "example"]
    if practice_only:
        tagged = [q for q in tagged if q.split(".")[0] in lessons]
    return sorted(tagged, key=lambda q: (q.split(".")[0] not in lessons, q))


def tag_problems(plain: Any, source: str) -> list[str]:
    """The build's rule: every question names at least one known concept (one line each,
    naming the file and the question, in the user's language)."""
    from ..errors import unknown_choice

    known = ids()
    out: list[str] = []
    if not isinstance(plain, dict) or not isinstance(plain.get("questions"), list):
        return out
    for i, q in enumerate(plain["questions"]):
        if not isinstance(q, dict):
            continue
        qid = q.get("id") or f"#{i + 1}"
        tags = q.get("concepts")
        if not tags:
            out.append(t("mastery.untagged", file=source, qid=qid))
            continue
        for tag in tags if isinstance(tags, list) else [tags]:
            if tag not in known:
                problem = str(unknown_choice(t("mastery.what_concept"), tag, known))
                where = {"file": source, "qid": qid, "field": "concepts"}
                out.append(t("quiz.record_problem", **where, problem=problem))
    return out


def data_problems() -> list[str]:
    """What is wrong with the data file itself (unknown ``builds_on``, a cycle, a repeated id)."""
    out: list[str] = []
    if data().get("format") != FORMAT:
        out.append(t("mastery.data_format", file=DATA.name))
    seen: set[str] = set()
    for c in all_concepts():
        if c["id"] in seen:
            out.append(t("mastery.data_repeated", file=DATA.name, cid=c["id"]))
        seen |= {c["id"]}
        for key in ("name", "short"):
            text = c.get(key)
            if not isinstance(text, dict) or set(text) != {"zh", "en"}:
                out.append(t("mastery.data_text", file=DATA.name, cid=c["id"], key=key))
        for b in c.get("builds_on", []):
            if b not in ids():
                out.append(t("mastery.data_unknown", file=DATA.name, cid=c["id"], other=b))
    order = ordered()
    if len(order) != len(seen):
        out.append(t("mastery.data_cycle", file=DATA.name))
    return out


def ordered() -> list[str]:
    """The concepts in an order where each comes after what it builds on (Kahn's algorithm;
    a cycle leaves its members out)."""
    deps = {c["id"]: [b for b in c.get("builds_on", []) if b != c["id"]] for c in all_concepts()}
    out: list[str] = []
    placed: set[str] = set()
    while True:
        ready = [c for c in deps if c not in placed and all(b in placed for b in deps[c])]
        if not ready:
            return out
        for c in ready:
            out.append(c)
            placed.add(c)
