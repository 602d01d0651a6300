"""Each course notebook opens in a real JupyterLab, runs all cells cleanly and draws CJK text.

Uses the platform harness (``tests/browser/conftest.py``): one isolated ``jupyter lab`` per
session, Debian's Chromium through Playwright. For every notebook of ``course/``: Run All Cells,
then no error or stderr output (matplotlib's "Glyph … missing from font" warning arrives on
stderr, so tofu boxes in static figures fail here), the browser has a CJK font, and the lesson's
exercise widgets are on screen. A screenshot of the whole notebook goes to
``tests/artifacts/course_<name>.png``.
"""

from __future__ import annotations

import re

import nbformat
import pytest
from conftest import COURSE

NOTEBOOKS = sorted(COURSE.glob("*.ipynb"))
ASK = re.compile(r"""\bask\(\s*["'][a-z0-9_]+\.[a-z0-9_]+["']""")


def _exercise_cells(path) -> int:
    nb = nbformat.read(path, as_version=4)
    return sum(1 for c in nb.cells if c.cell_type == "code" and ASK.search(c.source))


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_lesson_runs_in_jupyterlab(lab, path):
    nb = lab.put_notebook(path)
    lab.open(nb)
    lab.run_all(timeout_ms=180_000)
    lab.assert_no_errors()
    lab.assert_cjk_glyphs()
    expected = _exercise_cells(path)
    if expected:
        # Every ask(...) cell rendered a widget (not a plain-text repr of one).
        widgets = lab.page.locator(
            ".jp-NotebookPanel:visible .jp-OutputArea-output .jupyter-widgets"
        )
        widgets.first.wait_for(timeout=30_000)
        assert widgets.count() >= expected
        texts = "\n".join(lab.cell_outputs())
        assert "Error displaying widget" not in texts
        assert "Loading widget" not in texts
    # The notebook scrolls inside its panel: make the window as tall as the notebook so the
    # screenshot shows every cell (capped, to keep the PNG reasonable).
    height = lab.page.evaluate(
        """() => {
            const el = document.querySelector(
                '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer');
            return el ? el.scrollHeight : 1000;
        }"""
    )
    lab.page.set_viewport_size({"width": 1400, "height": min(max(int(height) + 200, 1000), 20000)})
    lab.page.wait_for_timeout(500)
    lab.screenshot(f"course_{path.stem}")
