"""Graded mode: answers go to sanshe_answers.json in the assignment folder, come back when
nbgrader re-executes the notebook, and the widget says "saved", never right/wrong."""

from __future__ import annotations

import json
import os
from pathlib import Path

import nbformat
import pytest
import yaml
from nbclient import NotebookClient

from sanshe_edu.quiz import ask, recorded_answer
from sanshe_edu.quiz.bank import question
from sanshe_edu.quiz.build import build, plain_answer
from sanshe_edu.quiz.graded import FILENAME
from sanshe_edu.quiz.widgets import QuestionWidget

ROOT = Path(__file__).resolve().parents[1]
PLAIN = yaml.safe_load((ROOT / "questions" / "example.yaml").read_text(encoding="utf-8"))

# The expected recorded_answer shape of each type, worked out from the docs (one right answer).
EXPECTED = {
    "rc_nature": "grassroots_self_gov",
    "three_she": ["community", "social_org", "social_work"],
    "issue_classes": {"sleep": "personal", "hygiene": "collective", "conscription": "public"},
    "scholars": {"ye_chen": "early_paper", "wang": "three_modes"},
    "phases": ["needs", "plan", "implement", "evaluate"],
    "build_linkage": [["jwh", "sg"], ["jwh", "wy"], ["lv", "sg"]],
    "benefit": {
        "gov_benefit/res_benefit": "cooperate",
        "gov_benefit/res_neutral": "let_be",
        "gov_benefit/res_harm": "compete",
    },
    "reflect_dong": "联是结构，动是功能；关键在行动，没有行动就没有联动。",
}


@pytest.fixture(scope="module")
def graded_banks(tmp_path_factory):
    """The example bank with every question marked graded, built into a tmp folder."""
    src = tmp_path_factory.mktemp("src")
    out = tmp_path_factory.mktemp("banks")
    data = json.loads(json.dumps(PLAIN))
    data["bank"] = "ag"
    for q in data["questions"]:
        q["graded"] = True
    (src / "ag.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert build(src, out)[1] == []
    return out


# A progress store, a working folder and English, all private to each test (root conftest).
pytestmark = pytest.mark.usefixtures("quiz_in_tmp")


def test_expected_shapes_match_the_source_key():
    for q in PLAIN["questions"]:
        if q["type"] not in ("network", "text"):
            assert plain_answer(q) == EXPECTED[q["id"]], q["id"]


@pytest.mark.parametrize("qid", list(EXPECTED))
def test_graded_answer_saved_in_folder_and_recorded(qid, graded_banks, tmp_path):
    w = QuestionWidget(question(f"ag.{qid}", graded_banks), graded=True)
    assert recorded_answer(f"ag.{qid}") is None  # never answered: None, not an error
    w.set_answer(EXPECTED[qid])
    w.check_button.click()
    html = w.feedback_html.value
    assert "Answer saved" in html
    assert "Correct" not in html and "Not yet" not in html and "Score" not in html
    assert recorded_answer(f"ag.{qid}") == EXPECTED[qid]
    assert recorded_answer(f"ag.{qid}", folder=tmp_path) == EXPECTED[qid]
    assert not (tmp_path / "data" / "progress.json").exists()  # graded answers stay out of it
    data = json.loads((tmp_path / FILENAME).read_text("utf-8"))
    assert data["format"] == "sanshe-edu-answers/1"
    assert data["answers"][f"ag.{qid}"]["answer"] == EXPECTED[qid]


def test_graded_widget_has_no_hint_button_and_no_score(graded_banks):
    w = QuestionWidget(question("ag.rc_nature", graded_banks), graded=True)
    assert w.hint_button not in w.children[2].children
    assert w.score_html not in w.children


def test_graded_use_of_practice_question_never_says_right_or_wrong():
    w = ask("example.rc_nature", graded=True)
    w.set_answer("company")
    w.check_button.click()
    assert "Answer saved" in w.feedback_html.value and "Not yet" not in w.feedback_html.value
    assert recorded_answer("example.rc_nature") == "company"


def test_under_nbgrader_restores_and_writes_nothing(graded_banks, tmp_path, monkeypatch):
    w = QuestionWidget(question("ag.phases", graded_banks), graded=True)
    w.set_answer(EXPECTED["phases"])
    w.check_button.click()
    before = (tmp_path / FILENAME).read_bytes()
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    again = QuestionWidget(question("ag.phases", graded_banks), graded=True)
    assert again.answer() == EXPECTED["phases"]
    again.set_answer(list(reversed(EXPECTED["phases"])))
    again.check_button.click()
    again.reset_button.click()
    assert (tmp_path / FILENAME).read_bytes() == before
    assert not (tmp_path / "data").exists()


def test_reset_removes_the_graded_answer(graded_banks):
    w = QuestionWidget(question("ag.rc_nature", graded_banks), graded=True)
    w.set_answer("company")
    w.check_button.click()
    w.reset_button.click()
    assert recorded_answer("ag.rc_nature") is None


@pytest.mark.slow
def test_notebook_reexecuted_like_nbgrader_gets_the_answer_back(tmp_path):
    """A kernel runs the notebook as the student did, then again with NBGRADER_EXECUTION set
    (what nbgrader autograde does): the test cell sees the student's answer both times."""
    cells = [
        nbformat.v4.new_code_cell(
            "from sanshe_edu.quiz import ask, recorded_answer\n"
            "w = ask('example.phases', graded=True)\nw"
        ),
        nbformat.v4.new_code_cell(
            "import os\n"
            "if not os.environ.get('NBGRADER_EXECUTION'):\n"
            "    w.set_answer(['needs', 'plan', 'implement', 'evaluate'])\n"
            "    w.check_button.click()\n"
            "print('RESTORED', w.answer())"
        ),
        nbformat.v4.new_code_cell(
            "assert recorded_answer('example.phases') == ['needs', 'plan', 'implement', 'evaluate']"
        ),
    ]
    nb = nbformat.v4.new_notebook(cells=cells)
    env_before = dict(os.environ)
    for run in ("student", "autograde"):
        if run == "autograde":
            os.environ["NBGRADER_EXECUTION"] = "autograde"
        try:
            client = NotebookClient(
                nb,
                timeout=60,
                kernel_name="python3",
                resources={"metadata": {"path": str(tmp_path)}},
            )
            client.execute()
        finally:
            os.environ.clear()
            os.environ.update(env_before)
        out = "".join(o.get("text", "") for o in nb.cells[1].outputs)
        assert "RESTORED ['needs', 'plan', 'implement', 'evaluate']" in out, (run, out)
    assert json.loads((tmp_path / FILENAME).read_text("utf-8"))["answers"]["example.phases"]


def test_recorded_answer_missing_folder_is_none():
    assert recorded_answer("a1.x", folder="/no/such/folder") is None
