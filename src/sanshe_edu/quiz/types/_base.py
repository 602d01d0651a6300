"""What every question type provides, with the defaults most types share.

A type is a :class:`QuestionType` subclass in its own module of this package, registered in
``types/__init__.py``. The frame (``quiz.widgets``), the builder (``quiz.build``), the judge
(``quiz.check``), the validator (``quiz.records``) and the grading of assignments (``grade/``:
the checks, the model answers, the distractor tables) only ever call these methods.

Importing a type module imports no ipywidgets (only ``controls`` does): the grading methods run
in the student's kernel and in the grader's re-check, where the checks' imports stay light.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from ...i18n import get_lang, pick, use_lang
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


def entry_texts(q: dict, fields: tuple[str, ...], lang: str | None = None) -> dict[str, str]:
    """id -> words in ``lang`` of the ``{id, text}`` entries of ``fields`` (an entry without a
    text keeps its id).

    >>> entry_texts({"options": [{"id": "a", "text": {"zh": "甲", "en": "A"}}, {"id": "b"}]},
    ...             ("options",), "en")
    {'a': 'A', 'b': 'b'}
    """
    out = {}
    for field in fields:
        for entry in q.get(field) or []:
            if isinstance(entry, dict) and "id" in entry:
                text = entry.get("text")
                out[str(entry["id"])] = pick(text, lang) if text else str(entry["id"])
    return out


def find_entry(entries_: Any, eid: str, key: str = "id") -> dict | None:
    """The entry of a list whose ``key`` is ``eid`` (``None`` if none)."""
    return next((e for e in entries_ or [] if isinstance(e, dict) and str(e.get(key)) == eid), None)


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
    #: True: in an assignment, marked by the trainer against a rubric, never scored by a
    #: check (text); the assignment asks for a rubric instead of writing a ``check_widget``.
    by_hand = False

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

    # ----- grading an assignment (grade/ calls these) -----------------------------------------
    def parts(self, q: dict, answer: Any, key: Any) -> tuple[int, int]:
        """(parts right, parts) of a graded answer (normalised, not ``None``) against ``key``,
        the plain answer the hidden test holds. The default: per key of a ``dict`` key (an
        item, a cell), else all or nothing."""
        if isinstance(key, dict):
            return sum(answer.get(k) == v for k, v in key.items()), len(key)
        return int(answer == key), 1

    def model_answer(self, q: dict) -> Any:
        """An answer to plain record ``q`` that earns every point, for the model solution
        (``None``: there is none to give). The default: :meth:`plain_answer`."""
        return self.plain_answer(q)

    def texts(self, q: dict, lang: str | None = None) -> dict[str, str]:
        """Each id the question lists (parts and choices) -> its words in ``lang``, in the
        order the bank lists them. The default: the entries of :attr:`lists`."""
        return entry_texts(q, self.lists, lang)

    def readable(self, q: dict, answer: Any) -> str:
        """An answer in words (the current language): each id replaced by its text."""
        names = self.texts(q)

        def word(value: Any) -> str:
            if isinstance(value, list | tuple):
                return "–".join(word(v) for v in value)
            return names.get(str(value), str(value))

        if isinstance(answer, dict):
            return "；".join(f"{word(k)} → {word(v)}" for k, v in answer.items())
        if isinstance(answer, list):
            return "、".join(word(v) for v in answer)
        return word(answer)

    def placements(self, answer: Any) -> list[tuple[str, str]]:
        """An answer as (part, choice) pairs, the unit a distractor table counts (``[]``: none
        to count). The default: each key and value of a ``dict`` answer."""
        if isinstance(answer, dict):
            return [(str(k), str(v)) for k, v in answer.items()]
        return []

    def choice_text(self, choice: str, texts: dict[str, str], lang: str | None = None) -> str:
        """How a distractor table names ``choice`` (``texts`` is :meth:`texts`)."""
        return texts.get(choice, choice)

    def reason_entry(self, q: dict, part: str, choice: str) -> dict | None:
        """The source entry whose ``wrong_feedback`` (or ``not``) says why ``choice`` is wrong
        for ``part`` (``None``: the type keeps no such reason)."""
        return None

    def wrong_reason(self, q: dict, part: str, choice: str, lang: str | None = None) -> str:
        """Why placing ``choice`` on ``part`` is wrong, in ``lang``, as the bank's source says
        ("" when it says nothing)."""
        entry = self.reason_entry(q, part, choice)
        for key in ("wrong_feedback", "not"):
            if entry and entry.get(key):
                return pick(entry[key], lang)
        return ""

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
