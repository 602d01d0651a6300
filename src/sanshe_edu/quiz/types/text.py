"""``text`` — a short text or reflection: saved and counted as done once ``min_chars`` long,
never judged automatically and never scored; ``guidance`` is shown after saving."""

from __future__ import annotations

from typing import Any, ClassVar

from ..result import Msg, Result
from ._base import TEXT, Controls, QuestionType, Sealer


class Text(QuestionType):
    name = "text"
    fields: ClassVar[dict] = {"min_chars": {"type": "integer", "minimum": 1}, "guidance": TEXT}
    scored = False
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

    def controls(self, q: dict, frame: Any) -> Controls:
        import ipywidgets as W

        from .single import ValueControl

        return ValueControl(W.Textarea(value="", rows=4, layout=W.Layout(width="100%")), "")


TYPE = Text()
