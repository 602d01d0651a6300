"""Plain text between the items: a Markdown cell, worth nothing, not numbered."""

from __future__ import annotations

from typing import ClassVar

from ._base import TEXT, ItemKind
from .cells import both


class TextKind(ItemKind):
    name = "text"
    scored = False
    fields: ClassVar[dict[str, dict]] = {"text": TEXT}

    def cells(self, nb, n, item, banks):
        nb.markdown(both(item["text"]))
        return None


KIND = TextKind()
