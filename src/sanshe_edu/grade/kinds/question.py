"""A graded widget question from a bank: the student answers in the widget and presses Save.

Its key and points are written once, in its bank (``questions/<bank>.yaml``). A question of a
bank ``group`` is asked as one of its equivalent variants (each student gets one). A question
the trainer marks (a text question) takes its rubric here.
"""

from __future__ import annotations

from typing import ClassVar

from ...i18n import t
from ..banks import bank_question, variants
from ._base import RUBRIC, ItemKind, points_of
from .cells import check_doc, heading, hidden, literal, machinery, meta, rubric_md, t_both

MODEL_TIME = "2026-01-01T00:00:00+0000"


def _qtype(q: dict):
    from ...quiz import types

    return types.get(q["type"])


def by_hand(q: dict) -> bool:
    """Marked by the trainer with a rubric rather than scored from a key (its type says)."""
    return _qtype(q).by_hand


class QuestionKind(ItemKind):
    name = "question"
    fields: ClassVar[dict[str, dict]] = {
        "question": {"type": "string", "x-problem": "want_qid"},
        "points": {},
        "rubric": RUBRIC,
    }

    def rules(self, p, where, item, banks):
        qid = item["question"]
        q = bank_question(banks, qid)
        if q is None:
            known = [f"{b}.{x.get('id')}" for b, bank in banks.items() for x in bank["questions"]]
            p.unknown(f"{where}.question", "unknown_question", qid, known, qid=qid)
            return
        if not q.get("graded"):
            p.add(f"{where}.question", "not_graded", qid=qid)
        for other in variants(banks, qid)[1:]:
            o = bank_question(banks, other)
            same = (o.get("type"), o.get("points", 1), bool(o.get("graded")))
            if same != (q.get("type"), q.get("points", 1), True) or by_hand(q):
                p.add(f"{where}.question", "group_unequal", qid=qid, group=q.get("group"))
                break
        if "points" in item:
            p.add(f"{where}.points", "points_in_bank", qid=qid)
        if by_hand(q):
            if "rubric" not in item:
                p.add(f"{where}.rubric", "want_rubric")
                return
            total = sum(line["points"] for line in item["rubric"])
            if total != q.get("points", 1):
                pts = q.get("points", 1)
                p.add(f"{where}.rubric", "rubric_sum", total=points_of(total), points=pts)
        elif "rubric" in item:
            p.add(f"{where}.rubric", "rubric_only_text")

    def points(self, item, banks):
        return bank_question(banks, item["question"]).get("points", 1)

    def cells(self, nb, n, item, banks):
        q, iid = bank_question(banks, item["question"]), item["id"]
        points = self.points(item, banks)
        qids = variants(banks, item["question"])
        shown = f'"{qids[0]}"' if len(qids) == 1 else literal(qids)
        nb.markdown(heading(n, item, points) + "\n\n" + t_both("assign.widget_howto"))
        nb.code(
            f"from sanshe_edu.quiz import ask\n\nask({shown}, graded=True)",
            machinery(grade=False, solution=False, locked=True, grade_id=f"{iid}_ask"),
        )
        if by_hand(q):
            nb.markdown(
                t_both("assign.text_task") + "\n\n" + rubric_md(item["rubric"]),
                meta(grade=False, solution=False, locked=True, task=True, grade_id=iid,
                     points=points),
            )  # fmt: skip
            return {"n": n, "kind": "written", "id": iid, "qid": item["question"]}
        if len(qids) == 1:
            key = _qtype(q).plain_answer(q)
        else:
            key = {v: _qtype(bank_question(banks, v)).plain_answer(bank_question(banks, v))
                   for v in qids}  # fmt: skip
        src = check_doc(n) + "from sanshe_edu.grade.checks import check_widget\n\n"
        src += f"check_widget(\n    {shown},\n"
        src += f"    points={points_of(points)},\n    n={n},\n"
        src += hidden({"key": key}) + ")"
        nb.code(
            src,
            machinery(grade=True, solution=False, locked=True, grade_id=f"{iid}_check",
                      points=points),
        )  # fmt: skip
        return {"n": n, "kind": self.name, "id": iid, "qid": qids}

    def model_answers(self, item, banks):
        qids = variants(banks, item["question"])
        answers = {}
        for qid in qids:
            q = bank_question(banks, qid)
            answer = _qtype(q).model_answer(q)
            if answer is not None:
                answers[qid] = {
                    "type": q["type"],
                    "answer": answer,
                    "updated": MODEL_TIME,
                    **({"variants": qids} if len(qids) > 1 else {}),
                }
        return answers

    def self_check_row(self, record, namespace):
        from ...quiz.graded import current_answer

        qids = record["qid"] if isinstance(record["qid"], list) else [record["qid"]]
        done = any(current_answer(q) is not None for q in qids)
        return ("done" if done else "todo"), t(f"assign.sc_widget_{int(done)}")


KIND = QuestionKind()
