"""Per-student variants: each student sees a graded question's options in an order of their
own, and of a bank's group of equivalent questions answers one; grading, the report's item
analysis and the missing-answer list map every variant back to the one question."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import nbformat
import pytest
from grade_support import isolated_state_in, run_cli

from sanshe_edu.quiz import ask
from sanshe_edu.quiz.bank import question
from sanshe_edu.quiz.graded import answer_bundle, choose_variant, record

REPO = Path(__file__).resolve().parents[1]
GROUP = ["a1.coined_a", "a1.coined_b"]
RIGHT = {"a1.coined_a": "y2009", "a1.coined_b": "y2009_2010"}
WRONG = {"a1.coined_a": "y2004", "a1.coined_b": "after2015"}
SPEC = """\
assignment: a8_variants
title: {zh: 变式示例, en: Variants example}
items:
  - id: coined
    title: {zh: 术语何时出现, en: When the term appeared}
    question: a1.coined_a
  - id: three
    title: {zh: 三社, en: The three she}
    question: a1.three_subjects
"""


@pytest.fixture(scope="module", autouse=True)
def isolated_state(tmp_path_factory):
    with isolated_state_in(tmp_path_factory.mktemp("state")) as root:
        yield root


@pytest.fixture(autouse=True)
def fresh_kernel():
    """Each test as a fresh kernel: no answer remembered from widgets shown before."""
    from sanshe_edu.quiz import graded as graded_mod

    graded_mod._CURRENT.clear()
    yield
    graded_mod._CURRENT.clear()


def seen_by(student: str, monkeypatch, folder: Path) -> tuple[str, list[str]]:
    """(the variant student gets, the option ids of a1.three_subjects in the order shown)."""
    monkeypatch.setenv("SANSHE_EDU_STUDENT", student)
    variant = ask(GROUP, graded=True, folder=folder).qid
    shown = ask("a1.three_subjects", graded=True, folder=folder)
    return variant, [o["id"] for o in shown.q["options"]]


def test_each_student_sees_an_order_of_their_own(monkeypatch, tmp_path):
    seen = {s: seen_by(s, monkeypatch, tmp_path) for s in ("2023001", "2023002", "2023003")}
    orders = [order for _variant, order in seen.values()]
    assert len({tuple(o) for o in orders}) == 3  # three students, three orders
    assert all(sorted(o) == sorted(orders[0]) for o in orders)  # the same options
    # Stable: the same student sees the same again (a re-run, a reload).
    assert seen_by("2023002", monkeypatch, tmp_path) == seen["2023002"]
    # Both variants are given out over a class.
    variants = {choose_variant(GROUP, f"2023{k:03d}", tmp_path) for k in range(12)}
    assert variants == set(GROUP)


def test_an_answered_variant_stays_the_students(tmp_path):
    from sanshe_edu.quiz.graded import record_answer

    student = next(
        f"s{k}" for k in range(50) if choose_variant(GROUP, f"s{k}", tmp_path) == GROUP[0]
    )
    record_answer(GROUP[1], "single", "y2009_2010", tmp_path)
    assert choose_variant(GROUP, student, tmp_path) == GROUP[1]


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> dict:
    from sanshe_edu.quiz import graded as graded_mod

    graded_mod._CURRENT.clear()
    root = tmp_path_factory.mktemp("variants")
    (root / "grading" / "assignments").mkdir(parents=True)
    shutil.copy2(REPO / "grading" / "nbgrader_config.py", root / "grading")
    shutil.copytree(REPO / "questions", root / "questions")
    (root / "grading" / "assignments" / "a8_variants.yaml").write_text(SPEC, encoding="utf-8")
    code, _out, err = run_cli("grade", "build", "--root", str(root))
    assert code == 0, err
    course = root / "grading"
    assert run_cli("grade", "--course", str(course), "generate")[0] == 0
    release = nbformat.read(str(course / "release/a8_variants/a8_variants.ipynb"), 4)
    three = question("a1.three_subjects")
    all_right = sorted(o["id"] for o in three["options"] if o["id"] in
                       ("community", "social_org", "social_work"))  # fmt: skip
    # Who gets which variant is the students' own (by id): pick two students of each.
    by_variant: dict[str, list[str]] = {q: [] for q in GROUP}
    for k in range(40):
        sid = f"2024{k:03d}"
        by_variant[choose_variant(GROUP, sid, "/nonexistent")].append(sid)
    a1, a2 = by_variant[GROUP[0]][:2]
    b1, b2 = by_variant[GROUP[1]][:2]
    plans = {  # student: {qid answered: answer}
        a1: {GROUP[0]: RIGHT[GROUP[0]]},
        b1: {GROUP[1]: RIGHT[GROUP[1]]},
        a2: {GROUP[0]: WRONG[GROUP[0]]},
        b2: {GROUP[0]: RIGHT[GROUP[0]], GROUP[1]: WRONG[GROUP[1]]},  # both, by hand: the lower
    }
    for student, answers in plans.items():
        nb = copy.deepcopy(release)
        for cell in nb.cells:
            gid = cell.metadata.get("nbgrader", {}).get("grade_id")
            if gid == "coined_ask":
                cell.outputs = [
                    nbformat.v4.new_output(
                        "display_data", data=answer_bundle(question(q), record("single", a))
                    )
                    for q, a in answers.items()
                ]
            if gid == "three_ask":
                rec = record("multiple", all_right)
                cell.outputs = [
                    nbformat.v4.new_output("display_data", data=answer_bundle(three, rec))
                ]
        folder = course / "submitted" / student / "a8_variants"
        folder.mkdir(parents=True)
        nbformat.write(nb, str(folder / "a8_variants.ipynb"))
    code, out, err = run_cli("grade", "--course", str(course), "autograde", "a8_variants")
    assert code == 0, out + err
    from nbgrader.api import Gradebook

    scores = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "sanshe-edu") as gb:
        for student in plans:
            sub = gb.find_submission("a8_variants", student)
            scores[student] = {g.name: g.score for nb in sub.notebooks for g in nb.grades}
    return {"course": course, "scores": scores, "who": (a1, b1, a2, b2), "all_right": all_right}


def test_every_variant_is_graded_against_its_own_key(graded):
    a1, b1, a2, b2 = graded["who"]
    scores = graded["scores"]
    assert {s: scores[s]["coined_check"] for s in scores} == {a1: 1, b1: 1, a2: 0, b2: 0}
    assert all(scores[s]["three_check"] == 1 for s in scores)  # any order shown, ids graded


def test_the_report_maps_variants_to_one_question(graded):
    from sanshe_edu.grade.trainer.items import distractors, missing_widget_answers
    from sanshe_edu.grade.trainer.report import collect_rows

    course = graded["course"]
    students = list(graded["scores"])
    _rows, questions = collect_rows(course, "a8_variants")
    assert [q["question"] for q in questions] == ["coined_check", "three_check"]
    coined = questions[0]
    assert coined["graded"] == 4 and coined["mean_score"] == 0.5
    # Nobody is listed as missing a widget answer: one variant of the group is enough.
    assert missing_widget_answers(course, "a8_variants", students) == []
    tables = {t["qid"]: t for t in distractors(course, "a8_variants", students, lang="en")}
    assert set(tables) == {*GROUP, "a1.three_subjects"}
    a_rows = {r["choice"]: r["count"] for r in tables[GROUP[0]]["rows"]}
    assert a_rows["2009 to 2010"] == 2 and a_rows["2004 to 2005"] == 1
