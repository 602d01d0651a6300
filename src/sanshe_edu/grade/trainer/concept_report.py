"""The class's mastery per concept, for the trainer's class report: which ideas most of the
class has not got.

Each student's graded marks are replayed through the same Bayesian Knowledge Tracing as a
learner's practice answers (``quiz.mastery``; a mark is right when it is full marks): a widget
item counts for the concepts its bank question is tagged with, a task or written item for the
concepts that list it under ``items`` in ``data/concepts.yaml``. Per concept: how many students
have evidence, how many hold it (mastered) and how many are weak, and the mean estimate.

>>> rows = class_mastery(
...     [{"missing": False, "marks": {("a2", "two_levels"): 0.0}},
...      {"missing": False, "marks": {("a2", "two_levels"): 1.0}}],
...     [{"notebook": "a2", "question": "two_levels", "points": 1.0, "qid": "a2.two_levels"}],
...     "a2_linkage")
>>> [(r["concept"], r["students"], r["weak"]) for r in rows]
[('subject_in_element', 2, 1)]
"""

from __future__ import annotations

from html import escape
from typing import Any

from ...i18n import pick, t
from ...quiz import concepts as C
from ...quiz.mastery import replay, state_of


def item_concepts(q: dict, assignment: str) -> list[str]:
    """The concepts a graded question of the report tests.

    >>> item_concepts({"question": "term_years_check"}, "a1_concepts")
    ['term_years']
    """
    if q.get("qid"):
        found = C.concepts_of(q["qid"])
        if found:
            return found
    item = q["question"].removesuffix("_check")  # a test cell is named <item>_check
    name = f"{assignment}.{item}"
    return [c["id"] for c in C.all_concepts() if name in c.get("items", [])]


def class_mastery(students: list[dict], questions: list[dict], assignment: str) -> list[dict]:
    """One row per concept the assignment tests, the least held first."""
    tests: dict[str, list[tuple[tuple[str, str], float]]] = {}
    for q in questions:
        for cid in item_concepts(q, assignment):
            tests.setdefault(cid, []).append(((q["notebook"], q["question"]), q["points"]))
    rows = []
    for cid, items in tests.items():
        params = C.bkt_params(cid)
        ps, states = [], []
        for r in students:
            if r.get("missing"):
                continue
            answers = [r["marks"][k] >= pts for k, pts in items if k in r["marks"]]
            if answers:
                p = replay(answers, params)
                ps.append(p)
                states.append(state_of(p, len(answers), params))
        rows.append(
            {
                "concept": cid,
                "name": pick(C.concept(cid)["name"]),
                "lesson": C.concept(cid)["lesson"],
                "students": len(ps),
                "mastered": states.count("mastered"),
                "weak": states.count("weak"),
                "mean": round(sum(ps) / len(ps), 3) if ps else None,
            }
        )
    return sorted(rows, key=lambda r: (r["mean"] is None, r["mean"] or 0, r["concept"]))


FIELDS = ["concept", "name", "lesson", "students", "mastered", "weak", "mean"]


def headers() -> list[str]:
    return [t(f"mastery.class_{f}") for f in FIELDS]


def class_mastery_html(rows: list[dict]) -> str:
    """The report's section: a table, the least held concept first, the state in words."""
    if not rows:
        return ""
    body = []
    for r in rows:
        share = f"{r['mastered']}/{r['students']}"
        mean = "—" if r["mean"] is None else f"{r['mean'] * 100:.0f}%"
        most_weak = r["students"] and r["weak"] * 2 > r["students"]
        flag = f" <b>{escape(t('mastery.class_most_weak'))}</b>" if most_weak else ""
        body.append(
            "<tr class='sanshe-class-concept'>"
            f"<td>{escape(r['name'])}{flag}</td><td>{escape(r['lesson'])}</td>"
            f"<td>{escape(share)}</td><td>{r['weak']}</td><td>{escape(mean)}</td></tr>"
        )
    heads = "".join(
        f"<th>{escape(t(f'mastery.class_{f}'))}</th>"
        for f in ("name", "lesson", "mastered", "weak", "mean")
    )
    return (
        f"<h2>{escape(t('mastery.class_title'))}</h2>"
        f"<p>{escape(t('mastery.class_intro'))}</p>"
        f"<table border='1' cellpadding='4'><tr>{heads}</tr>{''.join(body)}</table>"
    )


def section(students: list[dict], questions: list[dict], assignment: str) -> dict[str, Any]:
    rows = class_mastery(students, questions, assignment)
    return {"rows": rows, "html": class_mastery_html(rows)}
