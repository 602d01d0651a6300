"""The registry of assignment item kinds: the one place that lists them.

Each kind is an :class:`ItemKind` in its own module (``kinds/<name>.py``): its schema, its
cross-field rules, its points, its cells, its model answers and its self-check row. An item is
of the kind whose field it has; ``grading/assignments/schema.json`` is generated from the kinds
(:func:`file_schema`).

>>> names()
('text', 'question', 'task', 'written')
>>> of({"id": "x", "task": {}}).name
'task'
>>> of({"task": {}, "written": {}}) is None
True
"""

from __future__ import annotations

from ._base import TEXT, ItemKind, Problem, Problems, mapping
from .question import KIND as _question
from .task import KIND as _task
from .text import KIND as _text
from .written import KIND as _written

__all__ = [
    "ItemKind",
    "Problem",
    "Problems",
    "file_schema",
    "get",
    "item_schema",
    "names",
    "of",
    "register",
    "unregister",
]

_REGISTRY: dict[str, ItemKind] = {k.name: k for k in (_text, _question, _task, _written)}
SCHEMA_ID = "https://sanshe-edu.invalid/schema/assignment.json"


def names() -> tuple[str, ...]:
    return tuple(_REGISTRY)


def get(name: str) -> ItemKind:
    return _REGISTRY[name]


def of(item: dict) -> ItemKind | None:
    """The kind of ``item``: the one kind whose field it has (``None`` when not exactly one)."""
    found = [k for k in _REGISTRY.values() if k.name in item]
    return found[0] if len(found) == 1 else None


def register(kind: ItemKind) -> ItemKind:
    """Add a kind (a test registers a test-only one this way); the name must be new."""
    if not kind.name or kind.name in _REGISTRY:
        raise ValueError(f"item kind name {kind.name!r} is empty or taken")
    _REGISTRY[kind.name] = kind
    return kind


def unregister(name: str) -> None:
    _REGISTRY.pop(name, None)


def item_schema() -> dict:
    """Any item: a mapping whose fields are those some kind knows."""
    known: dict[str, dict] = {}
    for kind in _REGISTRY.values():
        for name in kind.schema()["properties"]:
            known.setdefault(name, {})
    return {"type": "object", "additionalProperties": False, "properties": known}


def top_schema(items: dict) -> dict:
    """An assignment file whose items are ``items``."""
    props = {
        "assignment": {"type": "string"},
        "title": TEXT,
        "intro": TEXT,
        "items": {"type": "array", "items": items},
    }
    return mapping(props, ("assignment", "title", "items"))


def file_schema() -> dict:
    """The whole file, for editors and ``grading/assignments/schema.json``: an item is of
    exactly one kind."""

    def alone(kind: ItemKind) -> dict:
        others = [{"required": [o.name]} for o in _REGISTRY.values() if o is not kind]
        return {**kind.schema(), "not": {"anyOf": others}}

    items = {"allOf": [item_schema()], "oneOf": [alone(k) for k in _REGISTRY.values()]}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "sanshe-edu assignment (grading/assignments/*.yaml; docs/assignments.md)",
        **top_schema(items),
    }
