"""Each course notebook opens in a real JupyterLab, runs all cells cleanly and draws CJK text.

Uses the platform harness (``tests/browser/conftest.py``): one isolated ``jupyter lab`` per
session, Debian's Chromium through Playwright. For every notebook of ``course/``: Run All Cells,
then no error or stderr output (matplotlib's "Glyph … missing from font" warning arrives on
stderr, so tofu boxes in static figures fail here), the browser has a CJK font, the lesson's
exercise widgets are on screen, and axe-core finds no critical or serious accessibility
violation in the course's own parts (outputs and Markdown; JupyterLab's own are counted and
printed, and listed in docs/accessibility.md). A screenshot of the whole notebook goes to
``tests/artifacts/course_<name>.png``.
"""

from __future__ import annotations

import re

import nbformat
import pytest
from support.a11y import axe_audit
from support.jupyterlab import COURSE

NOTEBOOKS = sorted(COURSE.glob("*.ipynb"))
ASK = re.compile(r"""\bask\(\s*["'][a-z0-9_]+\.[a-z0-9_]+["']""")


def _exercise_cells(path) -> int:
    nb = nbformat.read(path, as_version=4)
    return sum(1 for c in nb.cells if c.cell_type == "code" and ASK.search(c.source))


# For every distinct non-ASCII character shown in the notebook (Markdown, outputs, widgets),
# draw it on a canvas in the notebook's own font and compare the pixels with a character that no
# font has (U+F0000): identical pixels mean the browser drew the missing-glyph box ("tofu").
_TOFU_JS = """(root) => {
    const el = document.querySelector(root);
    const font = getComputedStyle(el.querySelector('.jp-RenderedHTMLCommon') || el).fontFamily;
    const chars = [...new Set([...el.innerText].filter(c => c.codePointAt(0) > 0x7f))];
    const canvas = document.createElement('canvas');
    canvas.width = 40; canvas.height = 40;
    const ctx = canvas.getContext('2d', {willReadFrequently: true});
    ctx.font = `24px ${font}`;
    const draw = (c) => {
        ctx.clearRect(0, 0, 40, 40);
        ctx.fillText(c, 4, 30);
        return ctx.getImageData(0, 0, 40, 40).data.join(',');
    };
    const tofu = draw('\\u{F0000}');
    return chars.filter(c => !/\\s/.test(c) && draw(c) === tofu);
}"""
NOTEBOOK_ROOT = ".jp-NotebookPanel:not(.lm-mod-hidden)"


def missing_glyphs(lab) -> list[str]:
    """Characters of the open notebook that the browser can only draw as a box."""
    return lab.page.evaluate(_TOFU_JS, NOTEBOOK_ROOT)


def test_missing_glyph_check_catches_a_box(lab):
    """The check is not a no-op: a private-use character has no glyph in any font."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("三社联动 \U000f0001")]
    lab.open(lab.put_notebook(nb, "tofu_probe.ipynb"))
    lab.page.locator(f"{NOTEBOOK_ROOT} .jp-RenderedMarkdown").first.wait_for()
    assert missing_glyphs(lab) == ["\U000f0001"]


def screenshot_whole_notebook(lab, name: str) -> None:
    """The notebook scrolls inside its panel: make the window as tall as the notebook (capped),
    scroll to the top and save a PNG that shows every cell."""
    height = lab.page.evaluate(
        """(root) => {
            const el = document.querySelector(root + ' .jp-WindowedPanel-outer');
            return el ? el.scrollHeight : 1000;
        }""",
        NOTEBOOK_ROOT,
    )
    lab.page.set_viewport_size({"width": 1400, "height": min(max(int(height) + 200, 1000), 20000)})
    lab.page.wait_for_timeout(500)
    lab.page.evaluate(
        """(root) => document.querySelectorAll(root + ' .jp-WindowedPanel-outer')
            .forEach(el => { el.scrollTop = 0; })""",
        NOTEBOOK_ROOT,
    )
    lab.page.wait_for_timeout(300)
    lab.screenshot(name)


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_lesson_runs_in_jupyterlab(lab, path):
    nb = lab.put_notebook(path)
    lab.open(nb)
    lab.run_all(timeout_ms=180_000)
    expected = _exercise_cells(path)
    # A rendered ipywidget output is a panel holding ``.jupyter-widgets`` views (no mime type).
    widget_outputs = lab.page.locator(
        f"{NOTEBOOK_ROOT} .jp-OutputArea-output:has(.jupyter-widgets)"
    )
    if expected:
        widget_outputs.first.locator("button").first.wait_for(timeout=30_000)
    screenshot_whole_notebook(lab, f"course_{path.stem}")  # before the checks: kept on failure

    lab.assert_no_errors()
    lab.assert_cjk_glyphs()
    boxes = missing_glyphs(lab)
    assert not boxes, f"{path.name}: drawn as missing-glyph boxes: {boxes}"
    # Every ask(...) cell rendered a live widget (not a plain-text repr or a load error).
    assert widget_outputs.count() >= expected
    text = lab.page.locator(NOTEBOOK_ROOT).inner_text()
    for bad in ("Error displaying widget", "Loading widget", "Syntax error in text"):
        assert bad not in text, f"{path.name}: {bad!r} shown"
    axe_audit(lab.page, path.stem).assert_ours_clean()


@pytest.mark.slow
def test_student_answers_in_a_lesson_and_sees_it_in_the_overview(lab):
    """A student's path: answer an exercise of 01, check it, then 00's overview counts it."""
    lab.open(lab.put_notebook(COURSE / "01_origins.ipynb"))
    lab.run_all(timeout_ms=180_000)
    question = lab.outputs().filter(has_text="改革开放以前，中国基层社会管理体制是怎样的").first
    question.get_by_text("以单位制为主、街居制为辅").click()
    question.get_by_role("button", name="检查答案").click()
    question.get_by_text("对。").first.wait_for(timeout=10_000)
    lab.screenshot("course_01_answered")

    lab.open(lab.put_notebook(COURSE / "00_start_here.ipynb"))
    lab.run_all(timeout_ms=180_000)
    overview = lab.outputs().filter(has_text="学习进度").first
    row = overview.locator("tr").filter(has_text="01 由来").first
    cells = row.locator("td").all_inner_texts()
    assert [c.replace(" ", "") for c in cells[1:3]] == ["1/5", "1/5"], cells
    lab.assert_no_errors()
