"""Lessons 05–09 keep the fictional case visibly fictional and name the source's gaps.

The case community 幸福里社区 is invented for teaching (``data/cases/xingfuli.yaml``).
A student reading any section of these lessons must be able to tell invented material
from the source article, so every Markdown cell that brings in 幸福里 says 虚构 in the
same cell, and every lesson says at least once where the source is silent (资料没有 …)
instead of filling the gap.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

COURSE = Path(__file__).resolve().parents[1] / "course"
LESSONS = sorted(COURSE.glob("0[5-9]_*.ipynb"))


def _markdown(path: Path) -> list[str]:
    return [c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown"]


def unmarked_case_cells(cells: list[str]) -> list[str]:
    """Markdown cells that mention 幸福里 without saying 虚构."""
    return [c for c in cells if "幸福里" in c and "虚构" not in c]


def test_checker_catches_an_unmarked_case_cell():
    cells = ["幸福里社区（虚构）有八个组织。", "幸福里社区的居委会很能干。"]
    assert unmarked_case_cells(cells) == ["幸福里社区的居委会很能干。"]


def test_all_five_lessons_present():
    assert [p.name[:2] for p in LESSONS] == ["05", "06", "07", "08", "09"]


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_case_is_marked_fictional_where_it_appears(path):
    cells = _markdown(path)
    assert any("幸福里" in c for c in cells), f"{path.name} does not use the case community"
    assert not unmarked_case_cells(cells), unmarked_case_cells(cells)[0][:200]


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lesson_says_where_the_source_is_silent(path):
    text = "\n".join(_markdown(path))
    assert "资料没有" in text, f"{path.name} never says what the source leaves open"
