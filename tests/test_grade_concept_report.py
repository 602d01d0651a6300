"""The class report: mastery per concept from graded marks (grade.trainer.concept_report)."""

from __future__ import annotations

import pytest

from sanshe_edu.grade.trainer.concept_report import class_mastery, class_mastery_html, item_concepts
from sanshe_edu.i18n import use_lang
from sanshe_edu.quiz import concepts as C
from sanshe_edu.quiz.mastery import replay

QUESTIONS = [
    {
        "notebook": "a2_linkage",
        "question": "two_levels_check",
        "points": 1.0,
        "qid": "a2.two_levels",
    },
    {"notebook": "a2_linkage", "question": "committee_check", "points": 1.0, "qid": "a2.committee"},
    {"notebook": "a2_linkage", "question": "element_of_check", "points": 3.0, "qid": ""},
]


def student(two_levels: float, committee: float, element_of: float | None = None) -> dict:
    marks = {
        ("a2_linkage", "two_levels_check"): two_levels,
        ("a2_linkage", "committee_check"): committee,
    }
    if element_of is not None:
        marks[("a2_linkage", "element_of_check")] = element_of
    return {"missing": False, "marks": marks}


def test_items_find_their_concepts_by_tag_or_by_the_data_file():
    assert item_concepts(QUESTIONS[0], "a2_linkage") == ["subject_in_element"]
    assert set(item_concepts(QUESTIONS[2], "a2_linkage")) == {"element_linkage", "ethics"}


def test_the_concept_most_of_the_class_missed_comes_first_with_the_numbers():
    students = [
        student(0, 1, 3),
        student(0, 1, 1.5),
        student(0, 1, 3),
        student(1, 1, 0),
        {"missing": True, "marks": {}},
    ]
    rows = class_mastery(students, QUESTIONS, "a2_linkage")
    first = rows[0]
    assert first["concept"] == "subject_in_element"
    assert (first["students"], first["weak"], first["mastered"]) == (4, 3, 0)
    params = C.bkt_params("subject_in_element")
    expected = (3 * replay([False], params) + replay([True], params)) / 4
    assert first["mean"] == pytest.approx(expected, abs=1e-3)
    by_id = {r["concept"]: r for r in rows}
    assert by_id["element_linkage"]["students"] == 4  # a partial mark counts as not right
    assert by_id["rotating_chair"]["weak"] == 0
    assert [r["mean"] for r in rows] == sorted(r["mean"] for r in rows)
    with use_lang("zh"):
        page = class_mastery_html(rows)
    assert "全班各概念的掌握情况" in page and "（多数人待加强）" in page
    assert page.index("主体联动融入要素联动") < page.index("轮值主席")
