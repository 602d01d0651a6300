"""docs/assessment-map.md ties every lesson to the assignment items that grade it.

The table (concept | lesson | assignment item) is parsed and checked against the course and the
assignment files: every lesson 01–09 of ``course/`` appears, every item it names exists in
``grading/assignments/<assignment>.yaml``, and every item of an assignment that carries points
(a task or written item's ``points``; a widget question's ``points`` in its bank) is named at least
once. The checks are plain functions, also run here on small hand-made tables, so a broken map is
seen to fail.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
MAP = REPO / "docs" / "assessment-map.md"
ASSIGNMENTS = REPO / "grading" / "assignments"
QUESTIONS = REPO / "questions"
COURSE = REPO / "course"

ITEM = re.compile(r"`(a\d+_[a-z0-9_]+)\.([A-Za-z_][A-Za-z0-9_]*)`")
LESSON = re.compile(r"(?<!\d)(0[0-9])(?!\d)")


def parse_map(text: str) -> list[dict]:
    """Rows of the first Markdown table whose header names a lesson and an item column:
    ``{"concept": str, "lessons": set[str], "items": set[(assignment, item)]}``."""
    rows: list[dict] = []
    in_table = False
    for line in text.splitlines():
        line = line.strip()
        if not line.startswith("|"):
            if in_table:
                break
            continue
        cells = [c.strip() for c in line.strip("|").split("|")]
        if not in_table:
            header = " ".join(cells)
            if "课" in header and "作业" in header:
                in_table = True
            continue
        if all(set(c) <= set("-: ") for c in cells):
            continue  # the separator line
        if len(cells) != 3:
            raise ValueError(f"a row of the map needs 3 cells: {line}")
        concept, lessons, items = cells
        rows.append(
            {
                "concept": concept,
                "lessons": set(LESSON.findall(lessons)),
                "items": set(ITEM.findall(items)),
            }
        )
    return rows


def load_specs(folder: Path = ASSIGNMENTS) -> dict[str, dict]:
    """assignment id -> its parsed YAML file."""
    return {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in folder.glob("*.yaml")}


def load_banks(folder: Path = QUESTIONS) -> dict[str, dict]:
    """bank id -> {question id: question}."""
    banks = {}
    for path in folder.glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and data.get("bank"):
            banks[str(data["bank"])] = {q["id"]: q for q in data.get("questions", [])}
    return banks


def item_points(item: dict, banks: dict) -> float:
    """What an item is worth: its own ``points``, or its bank question's (default 1)."""
    if "question" in item:
        bank, _, qid = str(item["question"]).partition(".")
        question = banks.get(bank, {}).get(qid)
        if question is None:
            raise KeyError(f"{item['question']}: no such bank question")
        return question.get("points", 1)
    return item.get("points", 0)


def missing_items(rows: list[dict], specs: dict[str, dict]) -> list[str]:
    """Items the map names that no assignment file has."""
    out = []
    for row in rows:
        for assignment, iid in sorted(row["items"]):
            ids = {i.get("id") for i in (specs.get(assignment) or {}).get("items", [])}
            if iid not in ids:
                out.append(f"{assignment}.{iid}")
    return out


def unmapped_items(rows: list[dict], specs: dict[str, dict], banks: dict) -> list[str]:
    """Items that carry points but appear in no row of the map."""
    named = {pair for row in rows for pair in row["items"]}
    out = []
    for assignment, spec in sorted(specs.items()):
        for item in spec.get("items", []):
            worth = "id" in item and item_points(item, banks) > 0
            if worth and (assignment, item["id"]) not in named:
                out.append(f"{assignment}.{item['id']}")
    return out


def course_lessons(folder: Path = COURSE) -> set[str]:
    """The two-digit numbers of lessons 01–09 in course/ (00 is the start page, not a lesson)."""
    return {p.name[:2] for p in folder.glob("0[1-9]_*.ipynb")}


ROWS = parse_map(MAP.read_text(encoding="utf-8"))
SPECS = load_specs()
BANKS = load_banks()


def test_the_map_has_a_real_table():
    assert len(ROWS) >= 30, "the map should have a row for each concept of the course"
    for row in ROWS:
        assert row["concept"], row
        assert row["lessons"], f"row without a lesson: {row['concept']}"
        assert row["items"], f"row without an assignment item: {row['concept']}"


def test_the_four_assignments_are_there():
    assert set(SPECS) == {"a1_concepts", "a2_linkage", "a3_phases", "a4_issues"}
    assert {a for row in ROWS for a, _ in row["items"]} == set(SPECS)


def test_every_lesson_01_to_09_appears():
    lessons = course_lessons()
    assert lessons == {f"0{n}" for n in range(1, 10)}, lessons
    mapped = {lesson for row in ROWS for lesson in row["lessons"]}
    assert lessons - mapped == set(), f"lessons not in the map: {sorted(lessons - mapped)}"
    assert mapped <= lessons, f"the map names lessons the course lacks: {sorted(mapped - lessons)}"


def test_every_item_named_in_the_map_exists():
    assert missing_items(ROWS, SPECS) == []


def test_every_item_with_points_is_in_the_map():
    assert unmapped_items(ROWS, SPECS, BANKS) == []


def test_question_items_name_graded_bank_questions():
    """A widget item's points come from its bank, so the bank question must be there and graded."""
    for assignment, spec in SPECS.items():
        for item in spec["items"]:
            if "question" in item:
                bank, _, qid = item["question"].partition(".")
                question = BANKS[bank][qid]
                assert question.get("graded") is True, (assignment, item["id"])


# ----- the checks themselves can fail -----------------------------------------------------------
TOY_MAP = """
| 概念 / Concept | 课 / Lesson | 作业题目 / Assignment item |
|---|---|---|
| 三社 / the three | 02 | `a1_concepts.three_subjects` |
| 网络 / network | 05、06 | `a2_linkage.relations`, `a2_linkage.no_such_item` |

Text after the table: `a9_other.ignored` is not part of it.
"""

TOY_SPECS = {
    "a1_concepts": {"items": [{"text": {}}, {"id": "three_subjects", "question": "t.q"}]},
    "a2_linkage": {
        "items": [
            {"id": "relations", "points": 3, "task": {}},
            {"id": "essay", "points": 2, "written": {}},
        ]
    },
}
TOY_BANKS = {"t": {"q": {"id": "q", "points": 2}}}


def test_the_parser_reads_lessons_and_items_of_the_table_only():
    rows = parse_map(TOY_MAP)
    assert [r["lessons"] for r in rows] == [{"02"}, {"05", "06"}]
    assert rows[1]["items"] == {("a2_linkage", "relations"), ("a2_linkage", "no_such_item")}
    assert all(("a9_other", "ignored") not in r["items"] for r in rows)


def test_a_missing_item_and_an_unmapped_item_are_reported():
    rows = parse_map(TOY_MAP)
    assert missing_items(rows, TOY_SPECS) == ["a2_linkage.no_such_item"]
    assert unmapped_items(rows, TOY_SPECS, TOY_BANKS) == ["a2_linkage.essay"]


def test_an_unknown_bank_question_is_an_error():
    with pytest.raises(KeyError):
        item_points({"id": "x", "question": "t.nope"}, TOY_BANKS)


def test_a_row_with_a_missing_cell_is_an_error():
    with pytest.raises(ValueError):
        parse_map("| 概念 | 课 | 作业 |\n|---|---|---|\n| only | two |\n")
