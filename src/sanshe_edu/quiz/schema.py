"""The JSON Schema of a trainer's bank file, put together from the registered types.

``questions/schema.json`` is this schema written out (for editors such as VS Code); the build
rewrites it and a test keeps it current, so it never disagrees with the validator.
"""

from __future__ import annotations

import json
from typing import Any

from . import types

ID_PATTERN = "^[a-z][a-z0-9_]*$"
TEXT_DESCRIPTION = "A text in both course languages."

_DEFS: dict[str, Any] = {
    "id": {"type": "string", "pattern": ID_PATTERN, "maxLength": 60},
    "text": {
        "type": "object",
        "description": TEXT_DESCRIPTION,
        "required": ["zh", "en"],
        "additionalProperties": False,
        "properties": {
            "zh": {"type": "string", "minLength": 1, "pattern": "\\S"},
            "en": {"type": "string", "minLength": 1, "pattern": "\\S"},
        },
    },
}

COMMON = {
    "id": {"$ref": "#/$defs/id"},
    "type": {},  # the enum of registered types, filled in by bank_schema()
    "prompt": {"$ref": "#/$defs/text"},
    "points": {"type": "number", "minimum": 0, "maximum": 100},
    "graded": {"type": "boolean", "default": False},
    "group": {
        "$ref": "#/$defs/id",
        "description": "Equivalent graded questions share a group; each student gets one of them.",
    },
    "hints": {"type": "array", "items": {"$ref": "#/$defs/text"}},
    "concepts": {
        "type": "array",
        "items": {"$ref": "#/$defs/id"},
        "uniqueItems": True,
        "description": "Ids of the concepts the question tests (sanshe_edu/data/concepts.yaml).",
    },
    "explanation": {"$ref": "#/$defs/text"},
}


def question_schema() -> dict:
    """One question: the common fields, then each type's own fields when ``type`` names it."""
    return {
        "type": "object",
        "required": ["id", "type", "prompt"],
        "properties": {**COMMON, "type": {"enum": list(types.names())}},
        "allOf": [
            {
                "if": {"required": ["type"], "properties": {"type": {"const": name}}},
                "then": {"required": list(qt.required), "properties": qt.fields},
            }
            for name, qt in ((n, types.get(n)) for n in types.names())
        ],
        "unevaluatedProperties": False,
    }


def bank_schema() -> dict:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://sanshe-edu.example/questions/schema.json",
        "title": "sanshe-edu question bank (trainer-facing YAML source)",
        "description": (
            "Generated from sanshe_edu/quiz/types by python -m sanshe_edu.quiz.build; do not edit."
            " See docs/question-banks.md."
        ),
        "type": "object",
        "required": ["bank", "title", "questions"],
        "additionalProperties": False,
        "properties": {
            "bank": {"$ref": "#/$defs/id"},
            "title": {"$ref": "#/$defs/text"},
            "questions": {"type": "array", "minItems": 1, "items": question_schema()},
        },
        "$defs": _DEFS,
    }


def dumps() -> str:
    return json.dumps(bank_schema(), ensure_ascii=False, indent=2) + "\n"
