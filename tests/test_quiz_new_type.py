"""Adding a ninth question type is one new module, its bank example and its tests.

This follows the steps of ``docs/question-banks.md`` ("Adding a question type") with a
test-only type, ``truefalse``, defined and registered here (it is not shipped). Nothing in the
frame, the builder, the judge or the validator is changed for it: a bank using it is validated
(did-you-mean included), built with a hashed key, shown by ``ask``, judged, explained, stored,
restored and recorded in graded mode through the same code as the eight shipped types.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, ClassVar

import pytest
import yaml

from sanshe_edu.i18n import pick, t, use_lang
from sanshe_edu.quiz import ask, recorded_answer, types
from sanshe_edu.quiz.build import build, plain_answer
from sanshe_edu.quiz.records import problems
from sanshe_edu.quiz.result import Msg
from sanshe_edu.quiz.schema import bank_schema
from sanshe_edu.quiz.store import ProgressStore
from sanshe_edu.quiz.types import Controls, QuestionType, Sealer

TEXT = {"$ref": "#/$defs/text"}


# ---- step 1: the type's module (here inline; shipped types live in quiz/types/<name>.py) ----
class TrueFalse(QuestionType):
    """``truefalse`` — is the statement (the prompt) true? Key: ``true: true|false``."""

    name = "truefalse"
    fields: ClassVar[dict] = {"true": {"type": "boolean"}, "feedback": TEXT}
    partial = False

    def rules(self, c: Any, q: dict, keyed: bool) -> None:
        if keyed and "true" not in q:
            c.add("true", "missing")

    def compile(self, q: dict, s: Sealer) -> dict:
        if not s.keyed:
            return {}
        right = self.plain_answer(q)
        return {"key": s.digest("answer", right), "fb": s.seal(q.get("feedback"), "fb", right)}

    def plain_answer(self, q: dict) -> Any:
        return None if "true" not in q else ("yes" if q["true"] else "no")

    def key_string(self, q: dict, answer: Any) -> str:
        return answer

    def normalise(self, q: dict, answer: Any) -> Any:
        return answer if answer in ("yes", "no") else None

    def judge(self, q: dict, answer: Any, res: Any, s: Sealer) -> tuple[int, int]:
        why = s.open(q.get("fb"), "fb", answer)  # opens only for the right answer
        if why:
            res.lines.append(Msg("quiz.text_line", {"text": why}))
        return int(s.digest("answer", answer) == q["key"]), 1

    def controls(self, q: dict, frame: Any) -> Controls:
        import ipywidgets as W

        from sanshe_edu.quiz.types.single import ValueControl

        buttons = W.ToggleButtons(options=[(t("common.yes"), "yes"), (t("common.no"), "no")])
        buttons.value = None
        return ValueControl(buttons, None)


# ---- step 2: its bank example -----------------------------------------------------------
BANK = {
    "bank": "tf",
    "title": {"zh": "判断题", "en": "True or false"},
    "questions": [
        {
            "id": "three_she",
            "type": "truefalse",
            "prompt": {"zh": "三社指社区、社会组织和社工。", "en": "The three 'she' are ..."},
            "true": True,
            "feedback": {"zh": "对，这是常见说法。", "en": "Right: the common reading."},
            "explanation": {"zh": "三社联动的三方。", "en": "The three parties of the linkage."},
            "hints": [{"zh": "三个词都以社开头。", "en": "All start with 社."}],
        }
    ],
}


@pytest.fixture
def registered(tmp_path, monkeypatch):
    """Register the type, build the bank into a folder the package reads banks from."""
    types.register(TrueFalse())
    try:
        src, out = tmp_path / "src", tmp_path / "banks"
        src.mkdir()
        (src / "tf.yaml").write_text(yaml.safe_dump(BANK, allow_unicode=True), encoding="utf-8")
        with use_lang("en"):
            _messages, found = build(src, out)
        assert found == [], found
        monkeypatch.setattr("sanshe_edu.quiz.bank.banks_dir", lambda: out)
        monkeypatch.setenv("SANSHE_EDU_DATA_DIR", str(tmp_path / "data"))
        monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
        monkeypatch.chdir(tmp_path)
        with use_lang("en"):
            yield out
    finally:
        types.unregister("truefalse")


# ---- step 3: its tests --------------------------------------------------------------------
def test_the_registry_and_the_schema_know_it(registered):
    assert "truefalse" in types.names()
    question = bank_schema()["properties"]["questions"]["items"]
    assert "truefalse" in question["properties"]["type"]["enum"]


def test_the_validator_checks_it(registered):
    bad = json.loads(json.dumps(BANK))
    del bad["questions"][0]["true"]
    assert problems(bad, "tf.yaml") == ["tf.yaml: question three_she, field true: missing"]
    bad["questions"][0]["true"] = "yes"  # the schema's rule: a boolean
    assert problems(bad, "tf.yaml") == [
        "tf.yaml: question three_she, field true: must be true or false"
    ]
    bad["questions"][0]["type"] = "truefals"
    assert "did you mean: truefalse" in problems(bad, "tf.yaml")[0]
    bad["questions"][0].update(type="truefalse", true=True, options=[])
    assert problems(bad, "tf.yaml") == [
        "tf.yaml: question three_she, field -: unknown field(s): options"
    ]


def test_the_shipped_bank_holds_no_plain_key(registered):
    shipped = json.loads((registered / "tf.json").read_text("utf-8"))["questions"][0]
    assert "true" not in shipped and "feedback" not in shipped
    assert len(shipped["key"]) == 32 and "Right: the common" not in json.dumps(shipped)
    assert plain_answer(BANK["questions"][0]) == "yes"


def test_ask_judges_explains_stores_and_restores_it(registered):
    w = ask("tf.three_she")
    assert type(w).__name__ == "QuestionWidget" and "sanshe-quiz-truefalse" in w._dom_classes
    w.set_answer("no")
    w.check_button.click()
    assert w.result.head.key == "quiz.wrong" and w.result.explanation is None
    assert (
        "Not yet right" in w.feedback_html.value and "common reading" not in w.feedback_html.value
    )
    w.hint_button.click()
    assert "All start with 社" in w.hints_html.value
    w.set_answer("yes")
    w.check_button.click()
    assert w.result.correct and w.result.keys == ["quiz.all_right", "quiz.text_line"]
    assert "Right: the common reading." in w.feedback_html.value
    assert "Why: The three parties of the linkage." in w.feedback_html.value
    assert "1 / 1 · answered 1/1 · right 1" in w.score_html.value
    assert ProgressStore().get("tf.three_she")["attempts"] == 2
    again = ask("tf.three_she")
    assert again.answer() == "yes" and again.hints_shown == 1
    assert "your last answer was restored" in again.feedback_html.value
    with use_lang("zh"):
        assert pick(again.result.explanation) == "三社联动的三方。"
        assert again.result.headline == "✔ 回答正确！"
    again.reset_button.click()
    assert again.answer() is None and ProgressStore().get("tf.three_she") is None


def test_graded_mode_records_it(registered, tmp_path):
    w = ask("tf.three_she", graded=True)
    w.set_answer("no")
    w.check_button.click()
    assert w.result.keys == ["quiz.saved_graded"]
    assert recorded_answer("tf.three_she", tmp_path) == "no"


def test_it_is_gone_once_unregistered():
    assert "truefalse" not in types.names()
    shipped = Path(types.__file__).parent
    assert not any("truefalse" in p.read_text("utf-8") for p in shipped.glob("*.py"))
