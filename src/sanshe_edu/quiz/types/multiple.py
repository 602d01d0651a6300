"""``multiple`` — multiple choice: check boxes; right only with exactly the right set."""

from __future__ import annotations

from typing import Any, ClassVar

from ...i18n import pick
from ..result import Msg, Result
from ._base import Controls, QuestionType, Sealer, find_entry
from .single import OPTIONS, option_ids, option_rules


class Multiple(QuestionType):
    name = "multiple"
    fields: ClassVar[dict] = {"options": OPTIONS}
    required = ("options",)
    lists = ("options",)
    partial = False

    def rules(self, c: Any, q: dict, keyed: bool) -> None:
        if option_rules(c, q, keyed) < 1 and keyed:
            c.add("options", "no_correct")

    def compile(self, q: dict, s: Sealer) -> dict:
        opts = []
        for o in q["options"]:
            entry: dict[str, Any] = {"id": o["id"], "text": o["text"]}
            if s.keyed:
                flag = "1" if o.get("correct") else "0"
                entry["key"] = s.digest(o["id"], flag)
                entry["fb"] = s.seal(o.get("feedback"), "fb", o["id"], flag)
            opts.append(entry)
        return {"options": opts}

    def plain_answer(self, q: dict) -> Any:
        return sorted(o["id"] for o in q["options"] if o.get("correct"))

    def key_string(self, q: dict, answer: Any) -> str:
        return ",".join(sorted(answer))

    def normalise(self, q: dict, answer: Any) -> Any:
        if not isinstance(answer, (list, tuple, set)):
            return None
        ids = option_ids(q)
        return sorted(a for a in set(answer) if a in ids)

    def judge(self, q: dict, answer: Any, res: Result, s: Sealer) -> tuple[int, int]:
        chosen = set(answer)
        all_ok, missed = True, False
        for o in q["options"]:
            flag = "1" if o["id"] in chosen else "0"
            ok = s.digest(o["id"], flag) == o["key"]
            all_ok &= ok
            if o["id"] in chosen:
                why = s.open(o.get("fb"), "fb", o["id"], "1" if ok else "0")
                mark = "quiz.option_chosen_right" if ok else "quiz.option_chosen_wrong"
                res.lines.append(Msg(mark, {"option": o["text"]}, why))
            elif not ok:
                missed = True
        if missed:
            res.lines.append(Msg("quiz.missed_options"))
        return int(all_ok), 1

    def parts(self, q: dict, answer: Any, key: Any) -> tuple[int, int]:
        """Per option: chosen when it should be, or left when it should be."""
        options = [o["id"] for o in q.get("options", [])]
        chosen, want = set(answer), set(key)
        return sum((o in chosen) == (o in want) for o in options), len(options)

    def placements(self, answer: Any) -> list[tuple[str, str]]:
        return [("", str(a)) for a in answer] if isinstance(answer, list) else []

    def reason_entry(self, q: dict, part: str, choice: str) -> dict | None:
        return find_entry(q.get("options"), choice)

    def controls(self, q: dict, frame: Any) -> Controls:
        import ipywidgets as W

        boxes = {
            o["id"]: W.Checkbox(
                value=False,
                description=pick(o["text"]),
                indent=False,
                layout=W.Layout(width="auto"),
            )
            for o in q["options"]
        }
        return Boxes(boxes, W.VBox(list(boxes.values())))


class Boxes(Controls):
    def __init__(self, boxes: dict, widget: Any) -> None:
        self.boxes = boxes
        self.widget = widget

    def get(self) -> list[str]:
        return sorted(k for k, b in self.boxes.items() if b.value)

    def set(self, answer: Any) -> None:
        for k, b in self.boxes.items():
            b.value = k in answer

    def clear(self) -> None:
        self.set([])


TYPE = Multiple()
