"""Check a trainer's question record (plain YAML source) and report every problem clearly.

Each problem names the file, the question id and the field, in the user's language:

>>> from sanshe_edu.i18n import use_lang
>>> bank = {"bank": "demo", "title": {"zh": "示例", "en": "Demo"}, "questions": [
...     {"id": "q1", "type": "singel", "prompt": {"zh": "问？", "en": "Q?"}}]}
>>> with use_lang("en"):
...     for problem in problems(bank, "demo.yaml"):
...         print(problem)
demo.yaml: question q1, field type: unknown question type 'singel'; ... (did you mean: single)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from ..errors import SansheError, unknown_choice
from ..i18n import LANGS, t

TYPES = ("single", "multiple", "categorise", "match", "order", "network", "matrix", "text")
KEYED_TYPES = ("single", "multiple", "categorise", "match", "order", "matrix")
ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")

_COMMON = {"id", "type", "prompt", "points", "graded", "hints", "explanation"}
_FIELDS: dict[str, set[str]] = {
    "single": {"options"},
    "multiple": {"options"},
    "categorise": {"bins", "items"},
    "match": {"left", "right"},
    "order": {"steps"},
    "network": {"organisations", "require"},
    "matrix": {"rows", "columns", "outcomes", "cells"},
    "text": {"min_chars", "guidance"},
}
_REQUIRE_KEYS = ("categories", "connected", "linked", "min_bridges", "min_links")


class BankError(SansheError):
    """One or more ill-formed records; ``.problems`` lists each as one translated line."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("quiz.bank_invalid", count=len(problems), details="\n".join(problems))


class _Checker:
    def __init__(self, source: str) -> None:
        self.source = source
        self.out: list[str] = []
        self.qid = "-"

    def add(self, field: str, key: str, **fields: Any) -> None:
        self.out.append(
            t(
                "quiz.record_problem",
                file=self.source,
                qid=self.qid,
                field=field,
                problem=t(f"quiz.problem_{key}", **fields),
            )
        )

    def add_text(self, field: str, problem: str) -> None:
        self.out.append(
            t("quiz.record_problem", file=self.source, qid=self.qid, field=field, problem=problem)
        )

    def text(self, value: Any, field: str, required: bool = True) -> None:
        if value is None:
            if required:
                self.add(field, "missing")
            return
        if not isinstance(value, dict):
            self.add(field, "not_text")
            return
        for lang in LANGS:
            v = value.get(lang)
            if not isinstance(v, str) or not v.strip():
                self.add(field, "missing_translation", which=lang)
        extra = sorted(set(value) - set(LANGS))
        if extra:
            self.add(field, "unknown_field", names=", ".join(map(str, extra)))

    def ident(self, value: Any, field: str) -> bool:
        if not isinstance(value, str) or not ID_RE.match(value):
            self.add(field, "bad_id", value=value)
            return False
        return True

    def entries(
        self,
        q: dict,
        name: str,
        extra: Iterable[str] = (),
        min_len: int = 1,
        text_key: str = "text",
        needs_text: bool = True,
    ) -> list[dict]:
        """Check a list of ``{id, text, ...}``; report repeats; return the good entries."""
        value = q.get(name)
        if value is None:
            self.add(name, "missing")
            return []
        if not isinstance(value, list):
            self.add(name, "not_list")
            return []
        if len(value) < min_len:
            self.add(name, "too_few", n=min_len)
        seen: set[str] = set()
        good = []
        allowed = {"id", text_key, *extra}
        for i, entry in enumerate(value):
            where = f"{name}[{i}]"
            if not isinstance(entry, dict):
                self.add(where, "not_mapping")
                continue
            ok = self.ident(entry.get("id"), f"{where}.id")
            if ok and entry["id"] in seen:
                self.add(f"{where}.id", "repeated_id", value=entry["id"])
                ok = False
            if ok:
                seen.add(entry["id"])
                where = f"{name}[{entry['id']}]"
            if needs_text:
                self.text(entry.get(text_key), f"{where}.{text_key}")
            unknown = sorted(set(entry) - allowed)
            if unknown:
                self.add(where, "unknown_field", names=", ".join(map(str, unknown)))
            if "feedback" in entry:
                self.text(entry["feedback"], f"{where}.feedback")
            if ok:
                good.append(entry)
        return good


def _check_question(c: _Checker, q: dict) -> None:
    qtype = q.get("type")
    if qtype not in TYPES:
        c.add_text("type", str(unknown_choice(t("quiz.what_type"), qtype, TYPES)))
        return
    graded = q.get("graded", False)
    if not isinstance(graded, bool):
        c.add("graded", "not_bool")
    keyed = not graded
    c.text(q.get("prompt"), "prompt")
    unknown = sorted(set(q) - _COMMON - _FIELDS[qtype])
    if unknown:
        c.add("-", "unknown_field", names=", ".join(map(str, unknown)))
    points = q.get("points", 1)
    if isinstance(points, bool) or not isinstance(points, (int, float)) or not 0 <= points <= 100:
        c.add("points", "bad_points", value=points)
    hints = q.get("hints", [])
    if not isinstance(hints, list):
        c.add("hints", "not_list")
    else:
        for i, hint in enumerate(hints):
            c.text(hint, f"hints[{i}]")
    if "explanation" in q:
        c.text(q["explanation"], "explanation")

    if qtype in ("single", "multiple"):
        options = c.entries(q, "options", ("correct", "feedback"), min_len=2)
        for o in options:
            if "correct" in o and not isinstance(o["correct"], bool):
                c.add(f"options[{o['id']}].correct", "not_bool")
            if keyed and "feedback" not in o and "explanation" not in q:
                c.add(f"options[{o['id']}].feedback", "missing")
        n_correct = sum(1 for o in options if o.get("correct") is True)
        if keyed and options and qtype == "single" and n_correct != 1:
            c.add("options", "single_needs_one", n=n_correct)
        if keyed and options and qtype == "multiple" and n_correct < 1:
            c.add("options", "no_correct")
    elif qtype == "categorise":
        bins = {b["id"] for b in c.entries(q, "bins", min_len=2)}
        for item in c.entries(q, "items", ("bin", "feedback")):
            where = f"items[{item['id']}].bin"
            if "bin" not in item:
                if keyed:
                    c.add(where, "no_bin")
            elif item["bin"] not in bins:
                c.add_text(
                    where, str(unknown_choice(t("quiz.what_bin"), item["bin"], sorted(bins)))
                )
    elif qtype == "match":
        right = {r["id"] for r in c.entries(q, "right", min_len=2)}
        for left in c.entries(q, "left", ("match", "feedback")):
            where = f"left[{left['id']}].match"
            if "match" not in left:
                if keyed:
                    c.add(where, "missing")
            elif left["match"] not in right:
                c.add_text(
                    where, str(unknown_choice(t("quiz.what_right"), left["match"], sorted(right)))
                )
    elif qtype == "order":
        c.entries(q, "steps", ("feedback",), min_len=2)
    elif qtype == "matrix":
        rows = {r["id"] for r in c.entries(q, "rows")}
        cols = {r["id"] for r in c.entries(q, "columns")}
        outcomes = {r["id"] for r in c.entries(q, "outcomes", min_len=2)}
        cells = q.get("cells")
        if not isinstance(cells, list) or not cells:
            c.add("cells", "not_list" if cells is not None else "missing")
            cells = []
        seen: set[tuple] = set()
        for i, cell in enumerate(cells):
            where = f"cells[{i}]"
            if not isinstance(cell, dict):
                c.add(where, "not_mapping")
                continue
            row, col = cell.get("row"), cell.get("column")
            if row not in rows:
                c.add_text(
                    f"{where}.row", str(unknown_choice(t("quiz.what_row"), row, sorted(rows)))
                )
            if col not in cols:
                c.add_text(
                    f"{where}.column", str(unknown_choice(t("quiz.what_column"), col, sorted(cols)))
                )
            if (row, col) in seen:
                c.add(where, "repeated_id", value=f"{row}/{col}")
            seen.add((row, col))
            if "answer" not in cell:
                if keyed:
                    c.add(f"{where}.answer", "missing")
            elif cell["answer"] not in outcomes:
                c.add_text(
                    f"{where}.answer",
                    str(unknown_choice(t("quiz.what_outcome"), cell["answer"], sorted(outcomes))),
                )
            if "feedback" in cell:
                c.text(cell["feedback"], f"{where}.feedback")
            unknown = sorted(set(cell) - {"row", "column", "answer", "feedback"})
            if unknown:
                c.add(where, "unknown_field", names=", ".join(map(str, unknown)))
    elif qtype == "network":
        orgs = q.get("organisations")
        if not isinstance(orgs, list) or len(orgs) < 2:
            c.add("organisations", "too_few", n=2)
            orgs = []
        seen_ids: set[str] = set()
        for i, org in enumerate(orgs):
            where = f"organisations[{i}]"
            oid = org if isinstance(org, str) else org.get("id") if isinstance(org, dict) else None
            if not c.ident(oid, where):
                continue
            if oid in seen_ids:
                c.add(where, "repeated_id", value=oid)
            seen_ids.add(oid)
            if isinstance(org, dict):
                c.text(org.get("name"), f"{where}.name")
                c.ident(org.get("kind"), f"{where}.kind")
        require = q.get("require")
        if not isinstance(require, dict):
            c.add("require", "missing")
        else:
            unknown = sorted(set(require) - set(_REQUIRE_KEYS))
            if unknown:
                c.add("require", "unknown_field", names=", ".join(map(str, unknown)))
            cats = require.get("categories", [])
            if not isinstance(cats, list) or not all(isinstance(x, str) for x in cats):
                c.add("require.categories", "not_list")
    elif qtype == "text":
        mc = q.get("min_chars", 1)
        if isinstance(mc, bool) or not isinstance(mc, int) or mc < 1:
            c.add("min_chars", "bad_points", value=mc)
        if "guidance" in q:
            c.text(q["guidance"], "guidance")


def problems(bank: Any, source: str) -> list[str]:
    """Every problem in a plain bank (as loaded from YAML), one translated line each."""
    c = _Checker(source)
    if not isinstance(bank, dict):
        c.add("-", "not_mapping")
        return c.out
    unknown = sorted(set(bank) - {"bank", "title", "questions"})
    if unknown:
        c.add("-", "unknown_field", names=", ".join(map(str, unknown)))
    c.ident(bank.get("bank"), "bank")
    c.text(bank.get("title"), "title")
    questions = bank.get("questions")
    if not isinstance(questions, list) or not questions:
        c.add("questions", "not_list")
        return c.out
    seen: set[str] = set()
    for i, q in enumerate(questions):
        c.qid = f"#{i + 1}"
        if not isinstance(q, dict):
            c.add("-", "not_mapping")
            continue
        if c.ident(q.get("id"), "id"):
            c.qid = q["id"]
            if q["id"] in seen:
                c.add("id", "repeated_id", value=q["id"])
            seen.add(q["id"])
        _check_question(c, q)
    return c.out


def validate(bank: Any, source: str) -> None:
    """Raise :class:`BankError` listing every problem, or return quietly."""
    found = problems(bank, source)
    if found:
        raise BankError(found)
