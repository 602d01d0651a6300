"""Every key term of the source article is taught somewhere in the course notebooks.

``docs/seed-terms.txt`` lists the terms (one a line, ``a|b`` for accepted variants, ``#``
comments). A term counts as taught when it appears in the text of a cell of a notebook in
``course/`` (Markdown or code, not outputs; the instructor notes do not count).
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[1]
COURSE = REPO / "course"
TERMS_FILE = REPO / "docs" / "seed-terms.txt"


def load_terms(path: Path = TERMS_FILE) -> list[list[str]]:
    """Terms as lists of accepted variants, in file order."""
    terms = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            terms.append([v.strip() for v in line.split("|") if v.strip()])
    return terms


def course_text(course: Path = COURSE) -> str:
    parts = []
    for path in sorted(course.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        parts.extend(cell.source for cell in nb.cells)
    return "\n".join(parts)


TERMS = load_terms()
TEXT = course_text()


def test_term_list_covers_the_whole_source():
    """The list is not a token gesture: it spans every part of the article (01–09)."""
    flat = {v for variants in TERMS for v in variants}
    assert len(TERMS) >= 100
    for sample in ["单位制", "王思斌", "协商治理", "政社两性", "轮值主席", "评估总结", "阳泉"]:
        assert sample in flat, sample


def test_term_list_has_no_duplicates():
    firsts = [variants[0] for variants in TERMS]
    assert len(firsts) == len(set(firsts))


def test_missing_term_is_reported(tmp_path):
    """The check can fail: a course without the term does not count as teaching it."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# 只讲单位制")]
    nbformat.write(nb, tmp_path / "x.ipynb")
    text = course_text(tmp_path)
    assert "单位制" in text and "轮值主席" not in text


@pytest.mark.parametrize("variants", TERMS, ids=lambda v: v[0])
def test_term_is_taught(variants):
    assert any(v in TEXT for v in variants), (
        f"seed term {' | '.join(variants)} is taught in no notebook of course/"
    )
