"""A short essay the trainer marks with a rubric: the student writes in a Markdown cell."""

from __future__ import annotations

from typing import ClassVar

from ...i18n import t
from ._base import POINTS, RUBRIC, TEXT, ItemKind, mapping, points_of
from .cells import both, heading, meta, rubric_md

MODEL_PLACEHOLDER = {"zh": "（参考答案见评分标准）", "en": "(see the rubric)"}


class WrittenKind(ItemKind):
    name = "written"
    #: no check cell reports it when run: the self-check is told of it in the notebook
    reports_itself = False
    fields: ClassVar[dict[str, dict]] = {
        "points": POINTS,
        "written": mapping(
            {"prompt": TEXT, "rubric": RUBRIC, "answer": TEXT}, ("prompt", "rubric")
        ),
    }

    def required(self):
        return (*super().required(), "points")

    def rules(self, p, where, item, banks):
        total = sum(line["points"] for line in item["written"]["rubric"])
        if total != item["points"]:
            p.add(f"{where}.points", "rubric_sum", total=points_of(total), points=item["points"])

    def cells(self, nb, n, item, banks):
        written, points = item["written"], self.points(item, banks)
        text = heading(n, item, points) + "\n\n" + both(written["prompt"])
        nb.markdown(text + "\n\n" + rubric_md(written["rubric"]))
        model = written.get("answer") or MODEL_PLACEHOLDER
        nb.markdown(
            both(model),
            meta(grade=True, solution=True, locked=False, grade_id=item["id"], points=points),
        )
        return {"n": n, "kind": self.name, "id": item["id"]}

    def self_check_row(self, record, namespace):
        """A text widget (``qid``): saved or not; an essay cell (``id``): written or only the
        stub, as the notebook was saved; else (an older call) only "the trainer marks it"."""
        if record.get("qid"):
            from ...quiz.graded import current_answer

            done = current_answer(record["qid"]) is not None
            return ("hand" if done else "todo"), t(f"assign.sc_text_widget_{int(done)}")
        saved = record.get("saved")
        written = saved.essay_written(record["id"]) if saved and record.get("id") else None
        if written is None:
            return "hand", t("assign.sc_written")
        return (
            ("hand", t("assign.sc_essay_written"))
            if written
            else ("todo", t("assign.sc_essay_empty"))
        )


KIND = WrittenKind()
