"""``order`` — put steps in sequence with Move up / Move down buttons. Steps are written in the
right order and shipped shuffled (never in the right order); share of steps in place."""

from __future__ import annotations

import random
from typing import Any, ClassVar

from ...i18n import pick, t
from ..result import Msg, Result
from ..ui import esc
from ._base import (
    TEXT,
    Controls,
    QuestionType,
    Sealer,
    entries,
    find_entry,
    guarded,
    open_wrong,
    seal_wrong,
    wrong_feedback_rules,
)


class Order(QuestionType):
    name = "order"
    fields: ClassVar[dict] = {"steps": entries(min_items=2, feedback=TEXT, wrong_feedback=TEXT)}
    required = ("steps",)
    lists = ("steps",)

    def rules(self, c: Any, q: dict, keyed: bool) -> None:
        wrong_feedback_rules(c, "steps", q["steps"], keyed)

    def readable(self, q: dict, answer: Any) -> str:
        """The steps numbered (a step's own words may contain "、").

        >>> q = {"steps": [{"id": "a", "text": "走访、摸底"}, {"id": "b", "text": "定目标"}]}
        >>> TYPE.readable(q, ["b", "a"])
        '1. 定目标；2. 走访、摸底'
        """
        if not isinstance(answer, list):
            return super().readable(q, answer)
        names = self.texts(q)
        return "；".join(f"{i}. {names.get(str(v), str(v))}" for i, v in enumerate(answer, 1))

    def compile(self, q: dict, s: Sealer) -> dict:
        places = [str(p) for p in range(1, len(q["steps"]) + 1)]
        steps = []
        for pos, step in enumerate(q["steps"], start=1):
            entry = {"id": step["id"], "text": step["text"]}
            if s.keyed:
                entry["key"] = s.digest(step["id"], str(pos))
                entry["why"] = s.seal(step.get("feedback"), "why", step["id"], str(pos))
                entry["not"] = seal_wrong(s, step, step["id"], str(pos), places)
            steps.append(entry)
        rng = random.Random(s.salt)
        shuffled = steps[:]
        for _ in range(20):
            rng.shuffle(shuffled)
            if [x["id"] for x in shuffled] != [x["id"] for x in steps]:
                break
        return {"steps": shuffled}

    def plain_answer(self, q: dict) -> Any:
        return [x["id"] for x in q["steps"]]

    def key_string(self, q: dict, answer: Any) -> str:
        return ",".join(answer)

    def normalise(self, q: dict, answer: Any) -> Any:
        ids = [x["id"] for x in q["steps"]]
        if not isinstance(answer, (list, tuple)) or sorted(answer) != sorted(ids):
            return None
        return list(answer)

    def judge(self, q: dict, answer: Any, res: Result, s: Sealer) -> tuple[int, int]:
        steps = {x["id"]: x for x in q["steps"]}
        right = 0
        for pos, sid in enumerate(answer, start=1):
            step = steps[sid]
            if s.digest(sid, str(pos)) == step["key"]:
                right += 1
                why = s.open(step.get("why"), "why", sid, str(pos))
                item = Msg("quiz.numbered", {"pos": pos, "text": step["text"]})
                res.lines.append(Msg("quiz.item_right", {"item": item}, why))
            else:
                why = open_wrong(s, step, sid, str(pos))
                fields = {"pos": pos, "item": step["text"]}
                res.lines.append(Msg("quiz.item_wrong_place", fields, reason=why))
        return right, len(steps)

    def parts(self, q: dict, answer: Any, key: Any) -> tuple[int, int]:
        """Per position: the right step there."""
        return sum(a == k for a, k in zip(answer, key, strict=False)), len(key)

    def placements(self, answer: Any) -> list[tuple[str, str]]:
        """(step, its position from 1)."""
        if not isinstance(answer, list):
            return []
        return [(str(step), str(pos)) for pos, step in enumerate(answer, start=1)]

    def choice_text(self, choice: str, texts: dict[str, str], lang: str | None = None) -> str:
        return t("quiz.position", lang=lang, n=choice)

    def reason_entry(self, q: dict, part: str, choice: str) -> dict | None:
        return find_entry(q.get("steps"), part)

    def controls(self, q: dict, frame: Any) -> Controls:
        return Rows(q, frame)


class Rows(Controls):
    """One row per position: the step's text and Move up / Move down buttons (buttons, not a
    list box, so Tab + Enter work inside JupyterLab, whose notebook takes the arrow keys)."""

    def __init__(self, q: dict, frame: Any) -> None:
        import ipywidgets as W

        self.texts = {x["id"]: pick(x["text"]) for x in q["steps"]}
        self.initial = [x["id"] for x in q["steps"]]
        self.order = list(self.initial)
        self._row_labels: list[W.HTML] = []
        self.move_buttons: list[tuple[W.Button, W.Button]] = []
        rows = []
        n = len(self.order)
        for pos in range(n):
            label = W.HTML(layout=W.Layout(width="60%"))
            up, down = (
                W.Button(
                    description=t(f"quiz.move_{way}"),
                    icon=f"arrow-{way}",
                    layout=W.Layout(width="auto"),
                    disabled=pos == edge,
                )
                for way, edge in (("up", 0), ("down", n - 1))
            )
            up.on_click(guarded(frame, lambda _b, pos=pos: self.move(pos, -1)))
            down.on_click(guarded(frame, lambda _b, pos=pos: self.move(pos, +1)))
            self._row_labels.append(label)
            self.move_buttons.append((up, down))
            row = W.HBox([label, up, down])
            row.add_class("sanshe-order-row")
            rows.append(row)
        self.sync()
        help_ = W.HTML(f"<div style='color:#666;font-size:85%'>{esc(t('quiz.order_help'))}</div>")
        self.widget = W.VBox([help_, *rows])

    def sync(self) -> None:
        for pos, sid in enumerate(self.order):
            self._row_labels[pos].value = f"<div>{pos + 1}. {esc(self.texts[sid])}</div>"

    def move(self, pos: int, delta: int) -> None:
        j = pos + delta
        if 0 <= pos < len(self.order) and 0 <= j < len(self.order):
            self.order[pos], self.order[j] = self.order[j], self.order[pos]
            self.sync()

    def get(self) -> list[str]:
        return list(self.order)

    def set(self, answer: Any) -> None:
        self.order = list(answer)
        self.sync()

    def clear(self) -> None:
        self.set(self.initial)


TYPE = Order()
