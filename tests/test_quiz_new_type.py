"""Adding a ninth question type is one new module, its bank example and its tests.

This follows the steps of ``docs/question-banks.md`` ("Adding a question type") with a
test-only type, ``truefalse``, defined and registered here (it is not shipped). Nothing in the
frame, the builder, the judge or the validator is changed for it: a bank using it is validated
(did-you-mean included), built with a hashed key, shown by ``ask``, judged, explained, stored,
restored and recorded in graded mode through the same code as the eight shipped types. Nor is
anything in ``grade/``: an assignment's check scores it, its answer is shown in words and the
trainer's distractor table counts it, each through the type's own methods.
"""

from __future__ import annotations

import json
import re
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
    fields: ClassVar[dict] = {
        "true": {"type": "boolean"},
        "feedback": TEXT,
        "wrong_feedback": TEXT,
    }
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

    # grading an assignment: what grade/ asks of the type
    def parts(self, q: dict, answer: Any, key: Any) -> tuple[int, int]:
        return int(answer == key), 1

    def model_answer(self, q: dict) -> Any:
        return self.plain_answer(q)

    def texts(self, q: dict, lang: str | None = None) -> dict[str, str]:
        return {"yes": t("common.yes", lang=lang), "no": t("common.no", lang=lang)}

    def readable(self, q: dict, answer: Any) -> str:
        return self.texts(q).get(answer, "?")

    def placements(self, answer: Any) -> list[tuple[str, str]]:
        return [("", answer)] if answer in ("yes", "no") else []

    def reason_entry(self, q: dict, part: str, choice: str) -> dict | None:
        return q  # the question's own wrong_feedback says why the wrong answer is wrong


# ---- step 2: its bank example -----------------------------------------------------------
BANK = {
    "bank": "tf",
    "title": {"zh": "判断题", "en": "True or false"},
    "questions": [
        {
            "id": "three_she",
            "type": "truefalse",
            "concepts": ["three_she"],  # what it tests (the build refuses an untagged question)
            "prompt": {"zh": "三社指社区、社会组织和社工。", "en": "The three 'she' are ..."},
            "true": True,
            "feedback": {"zh": "对，这是常见说法。", "en": "Right: the common reading."},
            "explanation": {"zh": "三社联动的三方。", "en": "The three parties of the linkage."},
            "hints": [{"zh": "三个词都以社开头。", "en": "All start with 社."}],
        },
        {
            "id": "graded",
            "type": "truefalse",
            "graded": True,
            "points": 2,
            "concepts": ["subject_linkage"],
            "prompt": {"zh": "联动需要三方。", "en": "Linkage takes three parties."},
            "true": True,
            "wrong_feedback": {"zh": "三方缺一不可。", "en": "None of the three can be missing."},
        },
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


def test_an_assignment_scores_shows_and_tables_it(registered, tmp_path):
    """grade/ scores it (check_widget, as in the grader's re-check), shows it in words and
    counts it in the distractor table with no change of its own: it asks the type."""
    from sanshe_edu.grade.checks import WIDGET_ANSWERS, check_widget
    from sanshe_edu.grade.trainer.items import distractors
    from sanshe_edu.quiz.bank import question
    from sanshe_edu.quiz.graded import answer_bundle, record_answer

    tf, plain = types.get("truefalse"), BANK["questions"][1]
    key = tf.model_answer(plain)
    assert key == "yes"

    def score(answer: Any) -> Any:
        ns = {WIDGET_ANSWERS: {"tf.graded": answer}}
        return check_widget("tf.graded", points=2, key=key, namespace=ns, quiet=True)

    assert (score("yes"), score("no"), score("maybe")) == (2, 0, 0)
    record = {"type": "truefalse", "answer": "no", "updated": "2026-01-01T00:00:00+0000"}
    with use_lang("zh"):  # the type's words (否), not the id (no)
        assert answer_bundle(question("tf.graded"), record)["text/plain"].endswith("否")

    course = tmp_path / "grading"
    (tmp_path / "questions").mkdir()
    source = yaml.safe_dump(BANK, allow_unicode=True)
    (tmp_path / "questions" / "tf.yaml").write_text(source, encoding="utf-8")
    (course / "source" / "a9").mkdir(parents=True)
    model = {"tf.graded": {"type": "truefalse", "answer": key}}
    (course / "source" / "a9" / "model_answers.json").write_text(
        json.dumps({"answers": model}), encoding="utf-8"
    )
    for student, answer in {"s1": "yes", "s2": "no", "s3": "no"}.items():
        record_answer("tf.graded", "truefalse", answer, course / "submitted" / student / "a9")
    [table] = distractors(course, "a9", ["s1", "s2", "s3", "s4"], lang="zh")
    assert (table["type"], table["n"], table["unanswered"]) == ("truefalse", 4, 1)
    rows = [(r["choice"], r["count"], r["correct"], r["reason"]) for r in table["rows"]]
    assert rows == [("是", 1, True, ""), ("否", 2, False, "三方缺一不可。")]


# The branches on a question type that grade/ must not have: each type answers for itself.
TYPE_BRANCH = re.compile(
    r"""(qtype|\[["']type["']\]|\.get\(["']type["'][^)]*\))\s*(==|!=|\bin\b|\bnot in\b)"""
    r"""|(==|!=)\s*["'](?:{names})["']|["'](?:{names})["']\s*(==|!=)"""
)


def test_grade_never_branches_on_a_question_type():
    """``grade/`` asks the question type (``quiz/types``) and never tests ``q["type"]``."""
    import sanshe_edu.grade

    pattern = re.compile(TYPE_BRANCH.pattern.replace("{names}", "|".join(types.names())))
    excluded: set[str] = set()
    found = [
        f"{path.name}:{n}: {line.strip()}"
        for path in sorted(Path(sanshe_edu.grade.__file__).parent.rglob("*.py"))
        if path.name not in excluded
        for n, line in enumerate(path.read_text("utf-8").splitlines(), start=1)
        if pattern.search(line)
    ]
    assert found == []
    # The pattern finds what it is meant to find.
    for line in ('if qtype == "single":', 'q["type"] != "network"', '"order" == kind'):
        assert pattern.search(line), line


def test_it_is_gone_once_unregistered():
    assert "truefalse" not in types.names()
    shipped = Path(types.__file__).parent
    assert not any("truefalse" in p.read_text("utf-8") for p in shipped.glob("*.py"))
