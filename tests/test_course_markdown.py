"""Every Markdown cell a student reads renders as intended under CommonMark.

CommonMark's flanking rules do not treat CJK punctuation as white space: ``实行**“…”**。``
stays literal ``**`` because the opening run stands between a letter and a quotation mark.
JupyterLab's renderer follows the same rules, so a leftover ``**`` or ``__`` in the rendered
text (outside code) is a visible mistake.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from markdown_it import MarkdownIt

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(
    [
        *REPO.glob("course/*.ipynb"),
        *REPO.glob("exercises/*/*.ipynb"),
        *REPO.glob("grading/source/*/*.ipynb"),
    ]
)
_MD = MarkdownIt("commonmark").enable("table")
_CODE = re.compile(r"<(code|pre)>.*?</\1>", re.S)
_LEFTOVER = re.compile(r"\*\*|__")


def leftover_markers(markdown: str) -> list[str]:
    """Snippets of the rendered text (code excluded) that still show ``**`` or ``__``.

    >>> leftover_markers("实行**“社区事务负责制”**。")
    ['实行**“社区事务负责制”**。', '实行**“社区事务负责制”**。']
    >>> leftover_markers("实行“**社区事务负责制**”。 `a__b` **粗体**")
    []
    """
    text = _CODE.sub("", _MD.render(markdown))
    text = re.sub(r"<[^>]+>", "", text)
    return [text[max(0, m.start() - 20) : m.end() + 20].strip() for m in _LEFTOVER.finditer(text)]


def test_the_checker_finds_the_two_known_cjk_cases():
    # The two cases lesson 05 had: emphasis closed after a full-width bracket and before a
    # letter, and emphasis opened between a letter and a Chinese quotation mark.
    assert leftover_markers("写成：**社区议题（对象）**的联动。")
    assert leftover_markers("实行**“轮值主席负责制”**。")
    assert not leftover_markers("写成：**社区议题（对象）的联动**。")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(REPO)))
def test_markdown_cells_render_without_leftover_markers(path):
    nb = nbformat.read(path, as_version=4)
    bad = [
        f"cell {i}: {snippet}"
        for i, cell in enumerate(nb.cells)
        if cell.cell_type == "markdown"
        for snippet in leftover_markers(cell.source)
    ]
    assert not bad, "\n".join(bad)
