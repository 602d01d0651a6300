"""First real-browser cases: start-here notebook runs clean; Nbgrader menu and Formgrader load."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

COURSE = Path(__file__).resolve().parents[2] / "course"

START_HERE = COURSE / "00_start_here.ipynb"


def _tiny_notebook() -> dict:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# 三社联动 smoke test"),
        nbformat.v4.new_code_cell("import sanshe_edu\nprint('三社联动', sanshe_edu.__version__)"),
        nbformat.v4.new_code_cell(
            "import ipywidgets as w\n"
            "label = w.Label('还没点 not yet')\n"
            "button = w.Button(description='点我 click')\n"
            "button.on_click(lambda _: setattr(label, 'value', '已点击 clicked'))\n"
            "w.VBox([button, label])"
        ),
    ]
    return nb


def test_lab_runs_a_widget_notebook_and_reads_widget_text(lab):
    """The harness itself: run all, read printed text, click a real widget button."""
    nb = lab.put_notebook(_tiny_notebook(), "harness_smoke.ipynb")
    lab.open(nb)
    lab.run_all()
    lab.assert_no_errors()
    assert any("三社联动 0." in text for text in lab.cell_outputs())
    assert lab.text(".widget-label") == "还没点 not yet"
    lab.click("点我 click")
    lab.widget("已点击 clicked").wait_for()  # the kernel's callback changed the label
    assert lab.text(".widget-label") == "已点击 clicked"
    lab.run_all()  # a second run on the same page must be confirmed and complete too
    assert [p.strip() for p in lab.prompts()] == ["[3]:", "[4]:"]
    assert lab.text(".widget-label") == "还没点 not yet"
    lab.assert_cjk_glyphs()
    lab.screenshot("harness_smoke")


def test_assert_no_errors_catches_a_traceback(lab):
    """A raising cell must be reported: the error check is not a no-op."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("raise ValueError('故意的错误')")]
    lab.open(lab.put_notebook(nb, "harness_error.ipynb"))
    lab.run_all()
    with pytest.raises(AssertionError, match="故意的错误"):
        lab.assert_no_errors()


@pytest.mark.skipif(not START_HERE.exists(), reason="course/00_start_here.ipynb not written yet")
def test_start_here_opens_and_runs_without_errors(lab):
    nb = lab.put_notebook(START_HERE)
    lab.open(nb)
    lab.run_all(timeout_ms=180_000)
    lab.assert_no_errors()
    lab.assert_cjk_glyphs()
    # widgets rendered as widgets, not as a plain-text repr such as "VBox(children=...)"
    assert lab.outputs().locator(".jupyter-widgets").count() > 0
    assert not [t for t in lab.cell_outputs() if "children=(" in t]
    lab.screenshot("start_here_end")
    lab.cells().first.scroll_into_view_if_needed()
    lab.screenshot("start_here_top")


def test_nbgrader_menu_and_formgrader_load(lab):
    lab.goto("lab", reset="")
    lab.page.locator('.lm-MenuBar-itemLabel:text-is("Nbgrader")').click()
    for item in ("Assignment List", "Course List", "Formgrader"):
        assert lab.page.locator(f'.lm-Menu-itemLabel:text-is("{item}"):visible').count() == 1
    lab.screenshot("nbgrader_menu")
    lab.page.locator('.lm-Menu-itemLabel:text-is("Formgrader"):visible').click()
    frame = lab.page.frame_locator("iframe").first
    frame.get_by_text("Manage Assignments").first.wait_for(timeout=60_000)
    frame.get_by_text("Add new assignment").locator("visible=true").first.wait_for()
    # Formgrader uses the isolated course directory from the root's nbgrader_config.py.
    frame.get_by_text("Current configuration").locator("visible=true").first.click()
    frame.get_by_text(str(lab.server.course_root)).locator("visible=true").first.wait_for()
    lab.screenshot("formgrader")


def test_a_lesson_from_the_workspace_opens_unmodified(lab):
    """JupyterLab marks a tab modified (●) when the kernel's metadata differs from the file's."""
    import time

    from sanshe_edu.platform.lab import prepare_workspace

    prepare_workspace(lab.server.root / "ws")
    lab.open("ws/01_origins.ipynb")
    time.sleep(2)  # the kernel-info reply that would change the metadata comes after idle
    tab = lab.page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current")
    assert "jp-mod-dirty" not in (tab.get_attribute("class") or "")
    lab.page.locator(".jp-Notebook .jp-Cell").first.click()  # reading is not editing either
    assert "jp-mod-dirty" not in (tab.get_attribute("class") or "")
