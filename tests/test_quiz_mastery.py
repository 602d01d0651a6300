"""Mastery per concept (BKT), the spaced review (FSRS), the concept map and the concept tags,
driven by a simulated learner answering real lesson widgets."""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml
from fsrs import Card, Rating, Scheduler

from sanshe_edu.cli import main
from sanshe_edu.i18n import use_lang
from sanshe_edu.quiz import ask, concepts_of
from sanshe_edu.quiz import concepts as C
from sanshe_edu.quiz.build import build, plain_answer
from sanshe_edu.quiz.conceptmap import concept_map_html, concept_map_svg, href
from sanshe_edu.quiz.mastery import bkt_update, learner_mastery, replay
from sanshe_edu.quiz.review import NOW_VAR, due_qids
from sanshe_edu.quiz.review_ui import review_today
from sanshe_edu.quiz.store import ProgressStore

REPO = Path(__file__).resolve().parents[1]
QUESTIONS = REPO / "questions"
pytestmark = pytest.mark.usefixtures("quiz_in_tmp")

DAY0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
PARAMS = {"p_init": 0.2, "p_learn": 0.15, "p_guess": 0.2, "p_slip": 0.1}


def plain(qid: str) -> dict:
    bank, name = qid.split(".")
    path = next(QUESTIONS.glob(f"{bank}_*.yaml"))
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return next(q for q in data["questions"] if q["id"] == name)


def wrong_single(qid: str) -> str:
    q = plain(qid)
    return next(o["id"] for o in q["options"] if not o.get("correct"))


def answer(qid: str, value, when: datetime, monkeypatch) -> bool:
    """The simulated learner answers ``qid`` at ``when``; returns whether it was right."""
    monkeypatch.setenv(NOW_VAR, when.isoformat())
    w = ask(qid)
    w.set_answer(value)
    w.check_button.click()
    return w.result.correct


# ----- the model's numbers -------------------------------------------------------------------
def test_bkt_matches_the_published_update_rule_on_a_worked_case():
    """Corbett & Anderson (1995): p(L|right) = p(1-S) / (p(1-S) + (1-p)G), then learning T.
    By hand with L0=0.2, T=0.15, G=0.2, S=0.1: right -> 0.18/0.34 = 0.529412 -> +0.470588*0.15
    = 0.6; wrong -> 0.02/0.66 = 0.030303 -> +0.969697*0.15 = 0.175758."""
    assert bkt_update(0.2, True, PARAMS) == pytest.approx(0.6)
    assert bkt_update(0.2, False, PARAMS) == pytest.approx(0.175758, abs=1e-6)
    # two steps: right after right, p = 0.6 -> 0.54/(0.54+0.08) = 0.870968 -> 0.890323
    assert replay([True, True], PARAMS) == pytest.approx(0.890323, abs=1e-6)


def test_the_parameters_come_from_the_data_file():
    params = C.bkt_params("subject_linkage")
    assert params["mastered"] == 0.85
    assert {"p_init", "p_learn", "p_guess", "p_slip"} <= set(params)
    assert C.data_problems() == []


# ----- a simulated learner -------------------------------------------------------------------
def test_wrong_answers_lower_a_concept_and_right_ones_raise_it(monkeypatch):
    qid = "l05.folds_into"
    assert concepts_of(qid) == ["subject_in_element"]
    start = C.bkt_params("subject_in_element")["p_init"]
    assert not answer(qid, wrong_single(qid), DAY0, monkeypatch)
    m = learner_mastery()["subject_in_element"]
    assert m["p"] < start and m["state"] == "weak" and m["n"] == 1
    assert learner_mastery()["lian_dong"]["state"] == "unseen"  # untouched concepts stay so
    for _ in range(3):
        assert answer(qid, plain_answer(plain(qid)), DAY0, monkeypatch)
    m2 = learner_mastery()["subject_in_element"]
    assert m2["p"] > m["p"] and m2["n"] == 4
    expected = replay([False, True, True, True], C.bkt_params("subject_in_element"))
    assert m2["p"] == pytest.approx(expected)


def test_a_missed_question_is_due_on_the_day_fsrs_says_and_its_interval_grows(monkeypatch):
    qid = "l05.folds_into"
    answer(qid, wrong_single(qid), DAY0, monkeypatch)
    queue = ProgressStore().section("review")
    # what the library itself says for a new card rated Again (same scheduler settings)
    sched = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)
    card, _ = sched.review_card(Card(), Rating.Again, DAY0)
    due = Card.from_dict(queue[qid]["card"]).due
    assert due == card.due
    assert due_qids(queue, due - timedelta(days=1)) == []
    assert due_qids(queue, due) == [qid]
    # a run of right reviews, each on its due day: the interval grows every time
    intervals, when = [], due
    for _ in range(4):
        assert answer(qid, plain_answer(plain(qid)), when, monkeypatch)
        new_due = Card.from_dict(ProgressStore().section("review")[qid]["card"]).due
        intervals.append((new_due - when).days)
        when = new_due
    assert intervals == sorted(intervals) and intervals[0] < intervals[-1], intervals
    assert len(set(intervals)) == len(intervals), intervals


def test_a_right_first_answer_puts_nothing_in_the_review(monkeypatch):
    qid = "l05.folds_into"
    answer(qid, plain_answer(plain(qid)), DAY0, monkeypatch)
    assert ProgressStore().section("review") == {}


def test_sections_survive_other_writes_and_a_lesson_reset_clears_its_evidence(monkeypatch):
    qid = "l05.folds_into"
    answer(qid, wrong_single(qid), DAY0, monkeypatch)
    store = ProgressStore()
    store.save("l01.x", {"answer": "a", "done": True})  # another question's write
    doc = json.loads(store.path.read_text("utf-8"))
    assert doc["concepts"]["events"] and qid in doc["review"]  # one file: it travels whole
    assert store.reset_bank("l05") == 1
    assert learner_mastery()["subject_in_element"]["state"] == "unseen"
    assert ProgressStore().section("review") == {}
    assert ProgressStore().get("l01.x") is not None


def test_unscored_questions_are_no_evidence(monkeypatch):
    answer("l05.reflect_lian_dong", "只有联没有动，就是大家挂个名。" * 3, DAY0, monkeypatch)
    assert all(v["n"] == 0 for v in learner_mastery().values())


# ----- the review notebook's widget -----------------------------------------------------------
def test_review_today_serves_the_due_question_with_last_times_reason(monkeypatch):
    qid = "l05.folds_into"
    wrong = wrong_single(qid)
    answer(qid, wrong, DAY0, monkeypatch)
    empty = review_today(DAY0)
    assert "Nothing to review today" in empty.children[0].value
    assert "Next review: 2026-03-03" in empty.children[0].value
    box = review_today(DAY0 + timedelta(days=1))
    text = " ".join(getattr(c, "value", "") for c in box.children)
    assert "1 question(s) to review today" in text
    assert "Last time you answered:" in text
    widgets = [c for c in box.children if hasattr(c, "check_button")]
    assert len(widgets) == 1 and widgets[0].result is None  # a fresh start, not last answer
    monkeypatch.delenv(NOW_VAR)  # the answer is dated by the review's day, not the clock
    widgets[0].set_answer(plain_answer(plain(qid)))
    widgets[0].check_button.click()
    entry = ProgressStore().section("review")[qid]
    assert entry["reviews"] == 2
    assert Card.from_dict(entry["card"]).due > DAY0 + timedelta(days=2)
    assert "Nothing to review today" in review_today(DAY0 + timedelta(days=1)).children[0].value


def test_now_can_be_moved_by_the_environment(monkeypatch):
    from sanshe_edu.quiz.review import now

    monkeypatch.setenv(NOW_VAR, "+1d")
    assert now() - datetime.now(timezone.utc) > timedelta(hours=23)
    monkeypatch.setenv(NOW_VAR, "2026-03-05")
    assert now() == datetime(2026, 3, 5, tzinfo=timezone.utc)


# ----- the concept map and the command ---------------------------------------------------------
def test_the_map_labels_weak_concepts_in_words_and_links_to_the_section(monkeypatch):
    qid = "l05.folds_into"
    answer(qid, wrong_single(qid), DAY0, monkeypatch)
    m = learner_mastery()
    svg = concept_map_svg(m, "zh")
    weak = svg.split('data-concept="subject_in_element"')[1].split("</g>")[0]
    assert 'data-state="weak"' in weak and "待加强" in weak  # words, not colour alone
    assert href("subject_in_element").startswith("05_subject_element_linkage.ipynb#4.-")
    assert svg.count('class="sanshe-concept ') == len(C.ids())
    with use_lang("zh"):
        page = concept_map_html(m)
    assert page.count("class='sanshe-concept-link'") == len(C.ids())
    link = page.split("data-concept='subject_in_element' ")[1].split(">")[0]
    assert "href='05_subject_element_linkage.ipynb#4." in link and "待加强" in link
    assert "需要加强的概念" in page and "主体联动融入要素联动以后" in page


def test_progress_concepts_command(monkeypatch, capsys):
    qid = "l05.folds_into"
    answer(qid, wrong_single(qid), DAY0, monkeypatch)
    monkeypatch.setenv(NOW_VAR, (DAY0 + timedelta(days=1)).isoformat())
    assert main(["--lang", "en", "progress", "--concepts"]) == 0
    out = capsys.readouterr().out
    assert "1 weak" in out and "! 05  weak 18%" in out
    assert "Questions to review today: 1" in out


# ----- tags -----------------------------------------------------------------------------------
def test_every_shipped_question_names_known_concepts():
    from sanshe_edu.quiz.bank import bank_ids, load_bank

    for bank in bank_ids():
        for q in load_bank(bank)["questions"]:
            assert q.get("concepts"), f"{bank}.{q['id']}"
            assert set(q["concepts"]) <= set(C.ids()), f"{bank}.{q['id']}"


def _strip_tag(tmp_path: Path, replace: str | None) -> Path:
    src = tmp_path / "q"
    src.mkdir()
    shutil.copy(QUESTIONS / "example.yaml", src / "example.yaml")
    text = (src / "example.yaml").read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if "concepts: [rc_dual]" in x)
    new = "" if replace is None else line.replace("rc_dual", replace)
    (src / "example.yaml").write_text(text.replace(line + "\n", new and new + "\n", 1), "utf-8")
    return src


def test_the_build_refuses_an_untagged_question(tmp_path):
    src = _strip_tag(tmp_path, None)
    with use_lang("en"):
        _done, problems = build(src, tmp_path / "banks")
    assert problems[0].startswith("example.yaml: question rc_nature does not name the concepts")
    assert not (tmp_path / "banks" / "example.json").exists()
    with use_lang("zh"):
        _done, problems = build(src, tmp_path / "banks")
    assert problems[0].startswith("example.yaml：题目 rc_nature 没有写它考查的概念")


def test_the_build_refuses_an_unknown_concept(tmp_path):
    src = _strip_tag(tmp_path, "rc_duel")
    with use_lang("en"):
        _done, problems = build(src, tmp_path / "banks")
    assert "unknown concept 'rc_duel'" in problems[0] and "did you mean: rc_dual" in problems[0]


def test_links_point_at_the_lessons_beside_the_notebook(tmp_path, monkeypatch):
    """The browser edition ships no course folder in the package: the lessons are in /drive,
    the folder of the notebook on show, and the links are found there."""
    from sanshe_edu.quiz import conceptmap

    monkeypatch.setattr(conceptmap, "course_dir", lambda: tmp_path / "nowhere")
    assert href("subject_in_element") == ""
    shutil.copy(REPO / "course" / "05_subject_element_linkage.ipynb", tmp_path)
    assert href("subject_in_element").startswith("05_subject_element_linkage.ipynb#4.-")


def test_a_damaged_review_card_starts_again(monkeypatch):
    qid = "l05.folds_into"
    answer(qid, wrong_single(qid), DAY0, monkeypatch)
    store = ProgressStore()
    store.save_sections({"review": {qid: {"card": {"due": "soon"}}, "l05.x": "junk"}})
    assert due_qids(store.section("review"), DAY0 + timedelta(days=9)) == []
    assert "Nothing to review today" in review_today(DAY0).children[0].value
    assert not answer(qid, wrong_single(qid), DAY0, monkeypatch)  # no error, a fresh card
    assert due_qids(ProgressStore().section("review"), DAY0 + timedelta(days=1)) == [qid]
