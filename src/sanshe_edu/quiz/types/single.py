"""``single`` — single choice: one toggle button per option, exactly one right; all or nothing."""

from __future__ import annotations

from typing import Any, ClassVar

from ...i18n import pick
from ..result import Msg, Result
from ._base import TEXT, Controls, QuestionType, Sealer, entries, find_entry

OPTIONS = entries(min_items=2, correct={"type": "boolean"}, feedback=TEXT)


def option_rules(c: Any, q: dict, keyed: bool) -> int:
    """Rules shared with ``multiple``; returns how many options are marked correct."""
    for o in q["options"]:
        if keyed and "feedback" not in o and "explanation" not in q:
            c.add(f"options[{o['id']}].feedback", "missing")
    return sum(1 for o in q["options"] if o.get("correct") is True)


def option_ids(q: dict) -> list[str]:
    return [o["id"] for o in q["options"]]


class Single(QuestionType):
    name = "single"
    fields: ClassVar[dict] = {"options": OPTIONS}
    required = ("options",)
    lists = ("options",)
    partial = False

    def rules(self, c: Any, q: dict, keyed: bool) -> None:
        n = option_rules(c, q, keyed)
        if keyed and n != 1:
            c.add("options", "single_needs_one", n=n)

    def compile(self, q: dict, s: Sealer) -> dict:
        opts = []
        for o in q["options"]:
            entry: dict[str, Any] = {"id": o["id"], "text": o["text"]}
            if s.keyed:
                entry["fb"] = s.seal(o.get("feedback"), "fb", o["id"])
            opts.append(entry)
        out: dict[str, Any] = {"options": opts}
        if s.keyed:
            out["key"] = s.digest("answer", self.plain_answer(q))
        return out

    def plain_answer(self, q: dict) -> Any:
        return next((o["id"] for o in q["options"] if o.get("correct")), None)

    def key_string(self, q: dict, answer: Any) -> str:
        return str(answer)

    def normalise(self, q: dict, answer: Any) -> Any:
        return answer if isinstance(answer, str) and answer in option_ids(q) else None

    def judge(self, q: dict, answer: Any, res: Result, s: Sealer) -> tuple[int, int]:
        opt = next(o for o in q["options"] if o["id"] == answer)
        why = s.open(opt.get("fb"), "fb", answer)
        if why:
            res.lines.append(Msg("quiz.text_line", {"text": why}))
        return int(s.digest("answer", answer) == q["key"]), 1

    def placements(self, answer: Any) -> list[tuple[str, str]]:
        return [] if answer is None else [("", str(answer))]

    def reason_entry(self, q: dict, part: str, choice: str) -> dict | None:
        return find_entry(q.get("options"), choice)

    def controls(self, q: dict, frame: Any) -> Controls:
        """One toggle button per option, stacked: each is reached with Tab and chosen with
        Enter or Space (radio buttons would need arrow keys, which JupyterLab's notebook takes)."""
        import ipywidgets as W

        radio = W.ToggleButtons(
            options=[(pick(o["text"]), o["id"]) for o in q["options"]],
            value=None,
            style={"button_width": "auto"},
            layout=W.Layout(display="flex", flex_flow="column", align_items="flex-start"),
        )
        radio.add_class("sanshe-options")
        return ValueControl(radio, None)


class ValueControl(Controls):
    """A control whose ``value`` is the answer (toggle buttons, a text area)."""

    def __init__(self, widget: Any, empty: Any) -> None:
        self.widget = widget
        self.empty = empty

    def get(self) -> Any:
        return self.widget.value

    def set(self, answer: Any) -> None:
        self.widget.value = answer

    def clear(self) -> None:
        self.widget.value = self.empty


TYPE = Single()
