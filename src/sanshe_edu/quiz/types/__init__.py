"""The registry of question types: the one place that lists them.

Each type is a :class:`QuestionType` in its own module (``types/<name>.py``); see
``docs/question-banks.md`` ("Adding a question type") for what a new one needs.

>>> names()
('single', 'multiple', 'categorise', 'match', 'order', 'network', 'matrix', 'text')
>>> get("order").name
'order'

What grading asks of a type, e.g. an answer in words and the unit a distractor table counts:

>>> q = {"options": [{"id": "a", "text": {"zh": "甲", "en": "A"}}]}
>>> get("single").readable(q, "a"), get("multiple").readable(q, ["a", "b"])
('甲', '甲、b')
>>> get("categorise").readable({"items": q["options"]}, {"a": "x"})
'甲 → x'
>>> get("order").placements(["b", "a"]), get("multiple").parts(q, ["a"], ["a"])
([('b', '1'), ('a', '2')], (1, 1))
>>> [name for name in names() if get(name).by_hand]
['text']
"""

from __future__ import annotations

from ._base import Controls, QuestionType, Sealer
from .categorise import TYPE as _categorise
from .match import TYPE as _match
from .matrix import TYPE as _matrix
from .multiple import TYPE as _multiple
from .network import TYPE as _network
from .order import TYPE as _order
from .single import TYPE as _single
from .text import TYPE as _text

__all__ = ["Controls", "QuestionType", "Sealer", "get", "names", "register", "unregister"]

_REGISTRY: dict[str, QuestionType] = {
    t.name: t for t in (_single, _multiple, _categorise, _match, _order, _network, _matrix, _text)
}


def names() -> tuple[str, ...]:
    """Every registered type, in the order the docs list them."""
    return tuple(_REGISTRY)


def get(name: str) -> QuestionType:
    """The type called ``name`` (``KeyError`` if none: banks are validated before use)."""
    return _REGISTRY[name]


def register(qtype: QuestionType) -> QuestionType:
    """Add a type (a test registers a test-only one this way); the name must be new."""
    if not qtype.name or qtype.name in _REGISTRY:
        raise ValueError(f"question type name {qtype.name!r} is empty or taken")
    _REGISTRY[qtype.name] = qtype
    return qtype


def unregister(name: str) -> None:
    """Remove a type added with :func:`register`."""
    _REGISTRY.pop(name, None)
