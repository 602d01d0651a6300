"""Check a trainer's question record (plain YAML source) and report every problem clearly.

One validator: the JSON Schema of :mod:`quiz.schema` (built from the types), whose errors are
put into the course's words, then the few cross-field rules a schema cannot say (ids unique in
a list, a key naming an entry that exists, a keyed question having its key), which each type
states in ``rules``. Cross-field rules run on questions the schema accepts. Each problem names
the file, the question id and the field, in the user's language:

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
from functools import cache
from typing import Any

from ..errors import SansheError, unknown_choice
from ..i18n import LANGS, t
from . import types
from .schema import COMMON, ID_PATTERN, TEXT_DESCRIPTION, bank_schema

ID_RE = re.compile(ID_PATTERN)


class BankError(SansheError):
    """One or more ill-formed records; ``.problems`` lists each as one translated line."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("quiz.bank_invalid", count=len(problems), details="\n".join(problems))


class Reporter:
    """Collects problems of one file; ``qid`` is the question being looked at."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.out: list[str] = []
        self.qid = "-"

    def add_text(self, field: str, problem: str) -> None:
        line = t(
            "quiz.record_problem", file=self.source, qid=self.qid, field=field, problem=problem
        )
        if line not in self.out:
            self.out.append(line)

    def add(self, field: str, key: str, **fields: Any) -> None:
        self.add_text(field, t(f"quiz.problem_{key}", **fields))

    def choice(self, field: str, what: str, value: Any, choices: list[str]) -> None:
        """``value`` is not one of ``choices``: say so, with did-you-mean."""
        self.add_text(field, str(unknown_choice(t(what), value, choices)))


@cache
def _validator(_names: tuple[str, ...]):
    """The schema validator for the registered types (rebuilt when a type is registered)."""
    import jsonschema

    return jsonschema.Draft202012Validator(bank_schema())


def _field(root: Any, path: list) -> str:
    """``options[community].text``: a list entry is named by its id when that is a valid id
    not used before it in the list, else by its position."""
    out, node = "", root
    for step in path:
        if isinstance(step, int) and isinstance(node, list):
            entry = node[step]
            eid = entry.get("id") if isinstance(entry, dict) else None
            earlier = [e.get("id") for e in node[:step] if isinstance(e, dict)]
            good = isinstance(eid, str) and ID_RE.match(eid) and eid not in earlier
            out += f"[{eid if good else step}]"
        else:
            out += f".{step}" if out else str(step)
        node = node[step]
    return out or "-"


_TYPE_WORDS = {"object": "not_mapping", "array": "not_list", "boolean": "not_bool"}


def _schema_problem(c: Reporter, err: Any, root: Any, path: list) -> None:
    kind, inst, sch = err.validator, err.instance, err.schema
    field = _field(root, path)
    is_text = sch.get("description") == TEXT_DESCRIPTION or (len(path) and path[-1] in LANGS)
    if kind == "required":
        for name in [n for n in err.validator_value if n not in inst]:
            if is_text:
                c.add(field, "missing_translation", which=name)
            else:
                c.add(_field(root, path) + f".{name}" if path else name, "missing")
    elif kind in ("additionalProperties", "unevaluatedProperties"):
        names = re.findall(r"'([^']*)'", err.message)
        if kind == "unevaluatedProperties" and not path:  # a question: its type's fields are
            qt = types.get(root["type"])  # "unevaluated" too when one of them is wrong
            names = [n for n in names if n not in COMMON and n not in qt.fields]
        if names:
            c.add(field, "unknown_field", names=", ".join(names))
    elif path and path[-1] in LANGS and kind in ("type", "minLength", "pattern"):
        c.add(_field(root, path[:-1]), "missing_translation", which=path[-1])
    elif kind == "type" and is_text:
        c.add(field, "not_text")
    elif kind == "type" and err.validator_value in _TYPE_WORDS:
        c.add(field, _TYPE_WORDS[err.validator_value])
    elif (kind == "type" and err.validator_value in ("number", "integer")) or kind in (
        "minimum",
        "maximum",
    ):
        c.add(field, "bad_points", value=inst)
    elif kind in ("type", "pattern", "maxLength") and "pattern" in sch:
        c.add(field, "bad_id", value=inst)
    elif kind == "minItems":
        c.add(field, "too_few", n=err.validator_value)
    elif kind == "enum" and path and path[-1] == "type":
        c.choice(field, "quiz.what_type", inst, list(types.names()))
    else:
        c.add_text(field, err.message)


def problems(bank: Any, source: str) -> list[str]:
    """Every problem in a plain bank (as loaded from YAML), one translated line each."""
    c = Reporter(source)
    if not isinstance(bank, dict):
        c.add("-", "not_mapping")
        return c.out
    by_question: dict[int, list] = {}
    for err in sorted(
        _validator(types.names()).iter_errors(bank), key=lambda e: list(map(str, e.path))
    ):
        path = list(err.absolute_path)
        if len(path) >= 2 and path[0] == "questions" and isinstance(path[1], int):
            by_question.setdefault(path[1], []).append(err)
        else:
            _schema_problem(c, err, bank, path)
    questions = bank.get("questions")
    if not isinstance(questions, list):
        return c.out
    seen: set[str] = set()
    for i, q in enumerate(questions):
        c.qid = f"#{i + 1}"
        if not isinstance(q, dict):
            c.add("-", "not_mapping")
            continue
        if isinstance(q.get("id"), str) and ID_RE.match(q["id"]):
            c.qid = q["id"]
            if q["id"] in seen:
                c.add("id", "repeated_id", value=q["id"])
            seen.add(q["id"])
        errors = by_question.get(i, [])
        if q.get("type") not in types.names():  # only the id and the type are worth saying
            errors = [e for e in errors if list(e.absolute_path)[2:3] == ["id"]]
            c.choice("type", "quiz.what_type", q.get("type"), list(types.names()))
        for err in errors:
            _schema_problem(c, err, q, list(err.absolute_path)[2:])
        if not errors and q.get("type") in types.names():
            _rules(c, q)
    return c.out


def _rules(c: Reporter, q: dict) -> None:
    qt = types.get(q["type"])
    for name in qt.lists:
        ids: set[str] = set()
        for i, entry in enumerate(q.get(name, [])):
            if entry["id"] in ids:
                c.add(f"{name}[{i}].id", "repeated_id", value=entry["id"])
            ids.add(entry["id"])
    qt.rules(c, q, keyed=not q.get("graded", False))


def validate(bank: Any, source: str) -> None:
    """Raise :class:`BankError` listing every problem, or return quietly."""
    found = problems(bank, source)
    if found:
        raise BankError(found)
