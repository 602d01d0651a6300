"""``text`` — a short text or reflection: saved and counted as done once ``min_chars`` long,
never judged automatically and never scored; ``guidance`` is shown after saving."""

from __future__ import annotations

from typing import Any, ClassVar

from ...i18n import t
from ..result import Msg, Result
from ._base import TEXT, Controls, QuestionType, Sealer

MODEL_ANSWER = "示例答案：各方按自己的逻辑行动，也要在本地的工作逻辑里协调。"


class Text(QuestionType):
    name = "text"
    fields: ClassVar[dict] = {"min_chars": {"type": "integer", "minimum": 1}, "guidance": TEXT}
    scored = False
    by_hand = True
    check_label = "quiz.save"

    def compile(self, q: dict, s: Sealer) -> dict:
        out: dict[str, Any] = {"min_chars": q.get("min_chars", 1)}
        if q.get("guidance"):
            out["guidance"] = q["guidance"]
        return out

    def normalise(self, q: dict, answer: Any) -> Any:
        return answer if isinstance(answer, str) else None

    def incomplete(self, q: dict, answer: Any) -> Msg | None:
        have, need = len(answer.strip()), q.get("min_chars", 1)
        return Msg("quiz.too_short", {"n": need, "have": have}) if have < need else None

    def judge(self, q: dict, answer: Any, res: Result, s: Sealer) -> tuple[int, int]:
        res.status = "saved"
        res.head = Msg("quiz.saved_text")
        if q.get("guidance"):
            res.lines.append(Msg("quiz.guidance", {"text": q["guidance"]}))
        return 0, 0

    def model_answer(self, q: dict) -> str:
        """A stand-in (the trainer marks a text against the rubric, not against this)."""
        return MODEL_ANSWER

    def controls(self, q: dict, frame: Any) -> Controls:
        import ipywidgets as W

        from .single import ValueControl

        # A visible label, which is also the box's accessible name (without a description
        # ipywidgets leaves the box with an empty label).
        box = W.Textarea(
            value="",
            rows=4,
            description=t("quiz.text_label"),
            placeholder=t("quiz.text_placeholder"),
            style={"description_width": "initial"},
            layout=W.Layout(width="100%"),
        )
        return ValueControl(box, "")


TYPE = Text()
