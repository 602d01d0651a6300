"""What every question type provides, with the defaults most types share.

A type is a :class:`QuestionType` subclass in its own module of this package, registered in
``types/__init__.py``. The frame (``quiz.widgets``), the builder (``quiz.build``), the judge
(``quiz.check``) and the validator (``quiz.records``) only ever call these methods.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from ...i18n import get_lang, use_lang
from ..keys import digest, seal, unseal
from ..result import Msg, Result

ID = {"$ref": "#/$defs/id"}
TEXT = {"$ref": "#/$defs/text"}


def entries(*, min_items: int = 1, **extra: dict) -> dict:
    """Schema of a list of ``{id, text, ...extra}`` entries (ids unique: see ``lists``)."""
    item = {
        "type": "object",
        "required": ["id", "text"],
        "additionalProperties": False,
        "properties": {"id": ID, "text": TEXT, **extra},
    }
    return {"type": "array", "minItems": min_items, "items": item}


class Sealer:
    """Keys and sealed texts of one question: ``digest``/``seal`` at build time, ``digest``/
    ``open`` when judging — both sides call the same type function for the parts."""

    def __init__(self, q: dict, salt: str | None = None, keyed: bool = True) -> None:
        self.salt = salt or q["salt"]
        self.qid = q["id"]
        self.keyed = keyed

    def digest(self, *parts: str) -> str:
        return digest(self.salt, self.qid, *parts)

    def seal(self, texts: dict | None, *parts: str) -> str | None:
        return seal(texts, self.salt, self.qid, *parts) if (self.keyed and texts) else None

    def open(self, blob: str | None, *parts: str) -> dict | None:
        return unseal(blob, self.salt, self.qid, *parts) if blob else None


def seal_wrong(s: Sealer, entry: dict, part: str, right: str, targets: list[str]) -> dict:
    """The ``wrong_feedback`` of one plain entry, sealed once for every *wrong* target.

    Keyed by ``digest(part, "not", target)`` and sealed with the same parts, so the reason for
    a wrong choice opens only for that choice; the right target has no entry (telling it apart
    takes the same tries as the answer key itself). Empty for graded questions."""
    text = entry.get("wrong_feedback")
    if not (s.keyed and text):
        return {}
    out = {s.digest(part, "not", t): s.seal(text, "not", part, t) for t in targets if t != right}
    return dict(sorted(out.items()))


def open_wrong(s: Sealer, entry: dict, part: str, chosen: str) -> dict | None:
    """The reason a wrong ``chosen`` target is wrong, opened (``None`` if none was written)."""
    return s.open(entry.get("not", {}).get(s.digest(part, "not", chosen)), "not", part, chosen)


def wrong_feedback_rules(c: Any, field: str, entries_: list[dict], keyed: bool, name=None) -> None:
    """A practice (keyed) question needs a ``wrong_feedback`` on every entry of ``field``."""
    if not keyed:
        return
    for i, e in enumerate(entries_):
        if "wrong_feedback" not in e:
            where = name(i, e) if name else f"{field}[{e['id']}]"
            c.add(f"{where}.wrong_feedback", "missing")


class Controls:
    """The controls of one question inside the frame: ``widget``, and the answer as plain
    data through ``get``, ``set`` (a normalised answer) and ``clear``."""

    widget: Any

    def get(self) -> Any:
        raise NotImplementedError

    def set(self, answer: Any) -> None:
        raise NotImplementedError

    def clear(self) -> None:
        raise NotImplementedError


class QuestionType:
    """One question type. Class attributes describe it; methods do its part of each phase."""

    name = ""
    #: JSON Schema of the type's own fields (the common ones are in ``quiz.schema``).
    fields: ClassVar[dict[str, dict]] = {}
    required: tuple[str, ...] = ()
    #: Fields holding ``{id, ...}`` entries whose ids must be unique within the list.
    lists: tuple[str, ...] = ()
    scored = True  # False: never scores points (text)
    partial = True  # some parts right -> "◐ n of m right"
    check_label = "quiz.check"  # the label of the Check button ("quiz.save" for text)
    empty_key = "quiz.answer_first"

    # ----- trainer's source -------------------------------------------------------------
    def rules(self, c: Any, q: dict, keyed: bool) -> None:
        """Cross-field rules the schema cannot say; report with ``c.add``/``c.choice``."""

    def compile(self, q: dict, s: Sealer) -> dict:
        """The shipped fields of plain record ``q`` (keys hashed/sealed with ``s``)."""
        return {}

    def plain_answer(self, q: dict) -> Any:
        """The right answer of a plain record, in the shape ``recorded_answer`` returns."""
        return None

    def key_string(self, q: dict, answer: Any) -> str | None:
        """The string the explanation is sealed with, from a right answer in plain form
        (``None``: no sealed explanation). Build and check both call this one function."""
        return None

    # ----- judging ----------------------------------------------------------------------
    def normalise(self, q: dict, answer: Any) -> Any:
        """Keep only what fits the record; ``None`` when nothing usable is left."""
        return None

    def is_empty(self, answer: Any) -> bool:
        return answer is None or answer in ("", [], {})

    def incomplete(self, q: dict, answer: Any) -> Msg | None:
        """Why a non-empty answer cannot be judged yet (``None``: it can)."""
        return None

    def judge(self, q: dict, answer: Any, res: Result, s: Sealer) -> tuple[int, int]:
        """Add the lines of a complete answer to ``res``; return (parts right, parts)."""
        raise NotImplementedError

    def explanation(self, q: dict, answer: Any, s: Sealer) -> dict | None:
        """The explanation shown once the whole answer is right."""
        key = self.key_string(q, answer)
        return s.open(q.get("explanation"), "explanation", key) if key is not None else None

    # ----- the student's controls ---------------------------------------------------------
    def controls(self, q: dict, frame: Any) -> Controls:
        """Build the controls (ipywidgets is imported here, never at module level)."""
        raise NotImplementedError


def guarded(frame: Any, fn: Callable) -> Callable:
    """A control callback that shows any error in the frame's feedback instead of raising."""

    def wrapper(*args: Any) -> Any:
        with use_lang(getattr(frame, "lang", None) or get_lang()):  # the widget's language
            try:
                return fn(*args)
            except Exception as exc:  # a widget must never raise into the notebook
                frame.show_error(exc)
                return None

    return wrapper
