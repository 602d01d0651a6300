"""``categorise`` — put each item into a bin; a row of toggle buttons per item (lettered when
the bins are many or long); scores the share of items in the right bin."""

from __future__ import annotations

from typing import ClassVar

from ._assign import Assign
from ._base import ID, TEXT, entries


class Categorise(Assign):
    name = "categorise"
    fields: ClassVar[dict] = {
        "bins": entries(min_items=2),
        "items": entries(bin=ID, feedback=TEXT, wrong_feedback=TEXT),
    }
    required = ("bins", "items")
    lists = ("bins", "items")
    entries_field, targets_field, key_field = "items", "bins", "bin"
    what = "quiz.what_bin"
    no_key = "no_bin"
    wrong_line = "quiz.item_wrong_bin"


TYPE = Categorise()
