"""Lesson questions in each learner's own order (issue 25, point 6): options, items and match
sides are shuffled by a stable learner id, so the right option is not always at the same place;
the answer is ids, so checking, storing and restoring do not depend on the order."""

from __future__ import annotations

import json

import pytest

from sanshe_edu.quiz import ask
from sanshe_edu.quiz.bank import bank_ids, load_bank, question
from sanshe_edu.quiz.learner import FILENAME, learner_id

pytestmark = pytest.mark.usefixtures("quiz_in_tmp")


def _lesson_singles() -> list[dict]:
    return [
        question(f"{b}.{q['id']}")
        for b in bank_ids()
        if b.startswith("l")
        for q in load_bank(b)["questions"]
        if q["type"] == "single" and len(q["options"]) > 1 and not q.get("graded")
    ]


def test_learner_id_is_made_once_and_kept_beside_the_store(tmp_path):
    first = learner_id()
    assert first and first == learner_id()
    data = json.loads((tmp_path / "data" / FILENAME).read_text(encoding="utf-8"))
    assert data == {"format": "sanshe-edu-learner/1", "id": first}


def test_class_student_id_wins(monkeypatch):
    monkeypatch.setenv("SANSHE_EDU_STUDENT", "s-007")
    assert learner_id() == "s-007"


def test_damaged_learner_file_gives_a_new_id(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / FILENAME).write_text("{not json", encoding="utf-8")
    assert learner_id() and learner_id() == learner_id()


def test_each_learner_sees_the_options_in_an_order_of_their_own(monkeypatch):
    singles = _lesson_singles()
    assert singles
    first_places = set()
    orders = {}
    for who in ("learner-a", "learner-b", "learner-c", "learner-d"):
        monkeypatch.setenv("SANSHE_EDU_STUDENT", who)
        for q in singles:
            w = ask(q["qid"])
            labels = [label for label, _ in w.controls.options]
            ids = [v for _, v in w.controls.options]
            assert sorted(ids) == sorted(o["id"] for o in q["options"])
            orders.setdefault(q["qid"], set()).add(tuple(ids))
            assert labels  # the buttons show the texts
            first_places.add((q["qid"], ids[0]))
            again = ask(q["qid"])  # stable: the same learner, the same order
            assert [v for _, v in again.controls.options] == ids
    # Learners differ, and the first button is not always the same option.
    assert sum(len(o) > 1 for o in orders.values()) >= len(singles) // 2
    assert len(first_places) > len(singles)


def test_answer_restored_whatever_the_order(monkeypatch):
    q = _lesson_singles()[0]
    monkeypatch.setenv("SANSHE_EDU_STUDENT", "learner-a")
    w = ask(q["qid"])
    choice = q["options"][-1]["id"]
    w.set_answer(choice)
    w.check_button.click()
    monkeypatch.setenv("SANSHE_EDU_STUDENT", "learner-b")
    again = ask(q["qid"])
    assert again.answer() == choice
    assert "restored" in again.feedback_html.value


def test_under_nbgrader_the_shipped_order(monkeypatch):
    q = _lesson_singles()[0]
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    monkeypatch.setenv("SANSHE_EDU_STUDENT", "learner-a")
    w = ask(q["qid"])
    assert [v for _, v in w.controls.options] == [o["id"] for o in q["options"]]
