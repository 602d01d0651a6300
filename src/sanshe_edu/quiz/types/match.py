"""``match`` — pair each left entry with a right one (the right list may hold distractors and
an entry may be the match of several); one chooser row per left entry; share of right pairs."""

from __future__ import annotations

from typing import ClassVar

from ._assign import Assign
from ._base import ID, TEXT, entries


class Match(Assign):
    name = "match"
    fields: ClassVar[dict] = {
        "left": entries(match=ID, feedback=TEXT, wrong_feedback=TEXT),
        "right": entries(min_items=2),
    }
    required = ("left", "right")
    lists = ("right", "left")
    entries_field, targets_field, key_field = "left", "right", "match"
    what = "quiz.what_right"
    wrong_line = "quiz.item_wrong_match"


TYPE = Match()
