"""Every notebook in course/ follows the lesson skeleton, uses existing exercises, has no outputs.

The lesson skeleton: a title, then the sections
学习目标 (objectives), 先修 (prerequisites: a table whose rows say
必要 / 必需 (necessary) or 有帮助 (helpful)), 预计用时
(estimated time), at least one content section, 练习 (exercises), 要点回顾 (key points) and
下一步 (what's next), in that order. Lessons 01–09 have at least three widget exercises of at
least two question types; every ``ask("bank.qid")`` names a question of a built bank.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[1]
COURSE = REPO / "course"
BANKS = REPO / "src" / "sanshe_edu" / "data" / "banks"

LESSONS = [
    "00_start_here",
    "01_origins",
    "02_definitions",
    "03_governance_forms",
    "04_components",
    "05_subject_element_linkage",
    "06_four_phases",
    "07_linkage_modes",
    "08_practice_advice",
    "09_significance_future",
]
NOTEBOOKS = sorted(COURSE.glob("*.ipynb"))
SKELETON = ["学习目标", "先修", "预计用时", "练习", "要点回顾", "下一步"]
ASK = re.compile(r"""\bask\(\s*["']([a-z][a-z0-9_]*)\.([a-z][a-z0-9_]*)["']""")
ALLOWED_NB_METADATA = {"kernelspec", "language_info"}
LEVEL = re.compile(r"必要|必需|有帮助|necessary|helpful", re.IGNORECASE)


def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def _h2(nb) -> list[str]:
    """Level-2 headings of all Markdown cells, in order."""
    return [
        line[3:].strip()
        for cell in nb.cells
        if cell.cell_type == "markdown"
        for line in cell.source.splitlines()
        if line.startswith("## ")
    ]


def _asked(nb) -> list[tuple[str, str]]:
    return [m.groups() for c in nb.cells if c.cell_type == "code" for m in ASK.finditer(c.source)]


def _bank(bank: str) -> dict:
    path = BANKS / f"{bank}.json"
    assert path.exists(), f"no built bank {path.name}: run sanshe-edu build"
    return json.loads(path.read_text(encoding="utf-8"))


def _ids(path: Path) -> str:
    return path.stem


def test_every_lesson_and_the_glossary_exist():
    names = {p.stem for p in NOTEBOOKS}
    missing = [n for n in [*LESSONS, "glossary"] if n not in names]
    assert not missing, f"missing notebooks in course/: {missing}"
    assert (COURSE / "instructor_notes.md").exists()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids)
def test_skeleton_sections_in_order(path):
    nb = _read(path)
    first = nb.cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("# "), "no title cell"
    heads = _h2(nb)
    positions = []
    for key in SKELETON:
        found = [i for i, h in enumerate(heads) if h.startswith(key)]
        assert found, f"{path.name}: no '## {key}' section (headings: {heads})"
        positions.append(found[0])
    assert positions == sorted(positions), f"{path.name}: sections out of order: {heads}"
    content = heads[positions[2] + 1 : positions[3]]
    assert content, f"{path.name}: no content section between 预计用时 and 练习"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids)
def test_prerequisites_table_says_necessary_or_helpful(path):
    nb = _read(path)
    cell = next(c for c in nb.cells if c.cell_type == "markdown" and "## 先修" in c.source)
    rows = [r for r in cell.source.splitlines() if r.startswith("|")][2:]
    assert rows, f"{path.name}: the prerequisites section has no table rows"
    for row in rows:
        assert LEVEL.search(row), f"{path.name}: row without a level (必要 / 有帮助): {row}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids)
def test_committed_without_outputs_or_stray_metadata(path):
    nb = _read(path)
    nbformat.validate(nb)
    assert set(nb.metadata) <= ALLOWED_NB_METADATA, f"stray notebook metadata: {set(nb.metadata)}"
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3"
    for cell in nb.cells:
        assert not cell.get("metadata"), f"{path.name}: cell {cell.get('id')} has metadata"
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}: cell {cell.get('id')} has outputs"
            assert cell.execution_count is None, f"{path.name}: cell {cell.get('id')} ran"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids)
def test_code_cells_import_at_the_top_and_install_nothing(path):
    """Imports live in one cell (the first code cell); no installs, no shell, no file writes."""
    code = [c for c in _read(path).cells if c.cell_type == "code"]
    if not code:
        return
    for i, cell in enumerate(code):
        for line in cell.source.splitlines():
            stripped = line.strip()
            if i > 0:
                assert not re.match(r"(import|from)\s+\S+", stripped), (
                    f"{path.name}: import outside the first code cell: {stripped}"
                )
            assert not stripped.startswith(("!", "%pip", "%conda")), f"{path.name}: {stripped}"
            assert not re.search(r"\bopen\(|\.write_text\(|\.to_csv\(|savefig\(", stripped), (
                f"{path.name}: a lesson must not write files: {stripped}"
            )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids)
def test_every_asked_question_exists_in_a_built_bank(path):
    for bank, qid in _asked(_read(path)):
        ids = {q["id"] for q in _bank(bank)["questions"]}
        assert qid in ids, f"{path.name}: ask('{bank}.{qid}') is not in bank {bank}"


@pytest.mark.parametrize("stem", LESSONS[1:])
def test_lessons_have_three_exercises_of_two_types(stem):
    path = COURSE / f"{stem}.ipynb"
    if not path.exists():
        pytest.fail(f"{path.name} missing")
    nb = _read(path)
    asked = _asked(nb)
    bank_id = f"l{stem[:2]}"
    own = [qid for bank, qid in asked if bank == bank_id]
    assert len(set(own)) >= 3, f"{path.name}: only {len(set(own))} exercises from bank {bank_id}"
    types = {q["id"]: q["type"] for q in _bank(bank_id)["questions"]}
    kinds = {types[q] for q in own if q in types}
    assert len(kinds) >= 2, f"{path.name}: exercises of one type only: {kinds}"
    # The exercises sit in the 练习 section, each as the last expression of its own cell.
    heads_at = [i for i, c in enumerate(nb.cells) if c.cell_type == "markdown"]
    ex_start = next(i for i in heads_at if "## 练习" in nb.cells[i].source)
    ex_end = next(i for i in heads_at if "## 要点回顾" in nb.cells[i].source)
    in_section = [
        c for c in nb.cells[ex_start:ex_end] if c.cell_type == "code" and ASK.search(c.source)
    ]
    assert len(in_section) >= 3, f"{path.name}: fewer than three exercise cells under 练习"
    for cell in in_section:
        assert ASK.match(cell.source.strip().splitlines()[-1]), (
            f"{path.name}: an exercise cell must end with ask(...): {cell.source!r}"
        )


def test_bank_ids_follow_the_lesson_numbers():
    """questions/lNN_<slug>.yaml exists for every lesson, and its slug matches the notebook."""
    sources = {p.stem for p in (REPO / "questions").glob("l[0-9][0-9]_*.yaml")}
    for stem in LESSONS:
        expected = f"l{stem}"
        assert expected in sources, f"missing question source questions/{expected}.yaml"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids)
def test_notebook_code_passes_ruff(path):
    """The code students read is held to the project's lint rules (pyproject.toml's ruff)."""
    ruff = Path(sys.executable).with_name("ruff")
    if not ruff.exists():
        pytest.skip("ruff is not installed next to this Python")
    proc = subprocess.run(
        [str(ruff), "check", "--no-cache", "--output-format=concise", str(path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
