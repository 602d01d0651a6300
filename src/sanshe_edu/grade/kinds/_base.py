"""What every assignment item kind provides, the schema fragments they share, and the problem
list their checks write to.

A kind is an :class:`ItemKind` in its own module of this package, registered in
``kinds/__init__.py``. An item is of the kind whose field it has (``task:`` makes a task). The
authoring module (``grade/assignments.py``) only ever calls these methods; it never asks which
kind an item is.

Schema fragments may carry ``x-problem``: the message key said for any schema error at or
inside that field (a title that is not ``{zh, en}`` is "want_text", whatever exactly is wrong).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any, ClassVar

from ...i18n import t
from ...quiz.result import Msg

TEXT = {
    "type": "object",
    "required": ["zh", "en"],
    "additionalProperties": False,
    "properties": {
        "zh": {"type": "string", "pattern": r"\S"},
        "en": {"type": "string", "pattern": r"\S"},
    },
    "description": "{zh: …, en: …}",
    "x-problem": "want_text",
}
ID = {"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$", "x-problem": "bad_id"}
POINTS = {"type": "number", "exclusiveMinimum": 0, "maximum": 100, "x-problem": "want_points"}
CODE = {"type": "string", "pattern": r"\S", "x-problem": "want_code"}
RUBRIC = {
    "type": "array",
    "minItems": 1,
    "x-problem": "want_rubric",
    "items": {
        "type": "object",
        "required": ["points", "zh", "en"],
        "additionalProperties": False,
        "properties": {"points": POINTS, "zh": {"type": "string"}, "en": {"type": "string"}},
        "x-problem": "want_rubric_line",
    },
}


def mapping(properties: dict, required: tuple[str, ...] = ()) -> dict:
    """A ``field: value`` part with exactly these fields."""
    out: dict = {"type": "object", "additionalProperties": False, "properties": properties}
    if required:
        out["required"] = list(required)
    return out


@dataclass(frozen=True)
class Problem:
    """One problem of an assignment file: where it is, and what (a message key with fields)."""

    file: str
    line: int
    field: str
    msg: Msg

    @property
    def key(self) -> str:
        return self.msg.key

    def text(self, lang: str | None = None) -> str:
        return t(
            "assign.problem",
            lang=lang,
            file=self.file,
            line=self.line,
            field=self.field,
            text=self.msg.text(lang),
        )

    def __str__(self) -> str:
        return self.text()


@dataclass
class Problems:
    """The problems found in one file, each placed on the line of its field."""

    file: str
    lines: dict[str, int]
    found: list[Problem] = field(default_factory=list)

    def add(self, where: str, key: str, **fields: Any) -> None:
        line = self.lines.get(where) or self.lines.get(where.rsplit(".", 1)[0], 0)
        problem = Problem(self.file, line, where, Msg(f"assign.{key}", fields))
        if problem not in self.found:
            self.found.append(problem)

    def unknown(self, where: str, key: str, value: Any, known: list[str], **fields: Any) -> None:
        """``value`` is none of ``known``: say so with "did you mean"."""
        self.add(where, key, hint=did_you_mean(str(value), known), **fields)


def did_you_mean(word: str, known: list[str]) -> Msg | str:
    close = difflib.get_close_matches(word, [str(k) for k in known], n=1)
    return Msg("assign.did_you_mean", {"word": close[0]}) if close else ""


def points_of(value: Any) -> Any:
    """``2.0`` -> ``2``: points as a trainer writes them."""
    return int(value) if float(value).is_integer() else value


class ItemKind:
    """One kind of assignment item. Subclasses set ``name`` and override what differs."""

    name: ClassVar[str] = ""
    #: counted and numbered (``False`` for plain text between items)
    scored: ClassVar[bool] = True
    #: its check cell tells the self-check of it when run (else the notebook lists it)
    reports_itself: ClassVar[bool] = True
    #: the kind's fields at the item's level, as JSON Schema (the kind's own field included)
    fields: ClassVar[dict[str, dict]] = {}

    def schema(self) -> dict:
        """The JSON Schema of an item of this kind (fields of other kinds are not its business:
        the item-level check names every field no kind knows)."""
        base = {"id": ID, "title": TEXT} if self.scored else {}
        props = {**base, **self.fields}
        return {"type": "object", "required": list(self.required()), "properties": props}

    def required(self) -> tuple[str, ...]:
        return ("id", "title", self.name) if self.scored else (self.name,)

    def rules(self, p: Problems, where: str, item: dict, banks: dict) -> None:
        """Cross-field checks a schema cannot say; run only on an item the schema accepts."""

    def points(self, item: dict, banks: dict) -> float:
        return item.get("points", 0)

    def cells(self, nb: Any, n: int, item: dict, banks: dict) -> dict | None:
        """Add the item's cells to ``nb`` (a :class:`~.cells.Builder`); return the record the
        self-check and the trainer's overview keep of it (``None`` for an unscored item)."""
        raise NotImplementedError

    def model_answers(self, item: dict, banks: dict) -> dict[str, dict]:
        """The widget answers of the model solution (``qid -> record``)."""
        return {}

    def self_check_row(self, record: dict, namespace: dict) -> tuple[str, str]:
        """In the student's kernel: ``(status, text)`` of one item for the self-check, status
        ``done``, ``todo``, ``fix`` or ``hand`` (marked by the trainer)."""
        return "hand", t("assign.sc_written")
