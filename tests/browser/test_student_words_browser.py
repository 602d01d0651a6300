"""No English wall on the student's path (issue 24, item 5): each assignment in a student's
JupyterLab as the course sets it up (Chinese, nbgrader's Validate button left out), run from
top to bottom, its self-check read, the file's right-click menu opened (下载 is how the file gets
out) — and every word of English on screen is either the course's own (the notebooks are
bilingual: Chinese, then English; key terms carry their English name) or one of the few
JupyterLab strings that stay English, each listed in :data:`STILL_ENGLISH` with why.  No
question id (``a1.three_subjects``) shows.  Screenshots go to tests/artifacts/.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import expect
from support.jupyterlab import (
    ARTIFACTS,
    DISABLED_EXTENSIONS,
    LEARNER_OVERRIDES,
    LabServer,
    wait_steady,
)

from sanshe_edu.classroom.server import STUDENT_DISABLED

REPO = Path(__file__).resolve().parents[2]
ZH = REPO / "src" / "sanshe_edu" / "platform" / "jupyter_zh" / "labconfig"
ASSIGNMENTS = ["a1_concepts", "a2_linkage", "a3_phases", "a4_issues"]

#: English a student still meets in the Chinese JupyterLab, and why it stays.
STILL_ENGLISH = {
    "Python": "the kernel's name (“Python 3 (ipykernel)”), set by ipykernel's kernelspec",
    "ipykernel": "the kernel's name, as above",
    "Markdown": "the cell type; the language pack keeps the format's own name",
    "Nbgrader": "nbgrader's menu: its lab extension has no translations",
    "ipynb": "the file's own name (a1_concepts.ipynb)",
    "Del": "a key's name beside a menu item (删除 Del), as on the keyboard",
}
WORD = re.compile(r"[A-Za-z][A-Za-z'’]+")
QUESTION_ID = re.compile(r"\b[al]\d{1,2}\.[a-z][a-z_]+\b")
SCREEN_TEXT = """() => {
    // What is on screen, but the code a student types (their own variable names).
    let text = document.body.innerText;
    for (const el of document.querySelectorAll('.jp-Notebook .cm-content')) {
        const typed = el.innerText.trim();
        if (typed) text = text.split(typed).join(' ');
    }
    return text;
}"""


def _zh_strings(node, out: set[str]) -> None:
    """Every Chinese text of a message catalogue or question bank (``{"zh": …}``)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "zh" and isinstance(value, str):
                out.add(value)
            else:
                _zh_strings(value, out)
    elif isinstance(node, list):
        for value in node:
            _zh_strings(value, out)


def course_words(notebook: Path) -> set[str]:
    """The English the course puts there itself: the notebook's cells and the Chinese texts
    of the messages and banks (which carry key terms' English names, Shift+Enter …)."""
    texts: set[str] = {notebook.read_text(encoding="utf-8")}
    for path in (REPO / "src" / "sanshe_edu" / "messages").glob("*.json"):
        _zh_strings(json.loads(path.read_text(encoding="utf-8")), texts)
    for path in (REPO / "questions").glob("*.yaml"):
        _zh_strings(yaml.safe_load(path.read_text(encoding="utf-8")), texts)
    return {w.lower() for text in texts for w in WORD.findall(text)}


@pytest.fixture(scope="module")
def student_lab(tmp_path_factory):
    """A JupyterLab set up as a student's: the course's learner settings in Chinese and the
    student's nbgrader panels (platform/jupyter_student, classroom.server.STUDENT_DISABLED)."""
    from conftest import _require_browser

    _require_browser()
    server = LabServer(tmp_path_factory.mktemp("student-words"))
    labconfig = Path(server.env["JUPYTER_CONFIG_DIR"]) / "labconfig"
    overrides = json.loads(LEARNER_OVERRIDES.read_text(encoding="utf-8"))
    overrides.update(json.loads((ZH / "default_setting_overrides.json").read_text("utf-8")))
    (labconfig / "default_setting_overrides.json").write_text(json.dumps(overrides), "utf-8")
    disabled = {**DISABLED_EXTENSIONS, **STUDENT_DISABLED}
    (labconfig / "page_config.json").write_text(json.dumps({"disabledExtensions": disabled}))
    for name in ASSIGNMENTS:
        folder = server.root / name
        folder.mkdir()
        shutil.copy(REPO / "exercises" / name / f"{name}.ipynb", folder)
    server.start()
    yield server
    server.stop()


def _run_all_in_chinese(page) -> None:
    page.locator('.lm-MenuBar-itemLabel:text-is("运行")').click()
    page.locator('.lm-Menu-itemLabel:text-is("运行所有单元格"):visible').click()
    wait_steady(
        page,
        """() => {
            const ps = [...document.querySelectorAll(
                '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputArea-prompt')];
            const status = document.querySelector('#jp-main-statusbar');
            return ps.length > 0 && ps.every(p => /\\[\\d+\\]/.test(p.innerText))
                && !!status && /\\|\\s*空闲/.test(status.innerText);
        }""",
        240_000,
    )


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_no_english_wall_on_the_students_path(browser, student_lab, assignment):
    rel = f"{assignment}/{assignment}.ipynb"
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
    try:
        page = context.new_page()
        page.set_default_timeout(60_000)
        page.goto(student_lab.url(f"lab/tree/{rel}", reset=""))
        page.locator(".jp-NotebookPanel:visible .jp-Cell").first.wait_for(timeout=90_000)
        page.wait_for_function(
            """() => /\\|\\s*空闲/.test(document.querySelector('#jp-main-statusbar')
            ?.innerText)""",
            timeout=90_000,
        )
        menus = page.locator(".lm-MenuBar-itemLabel").all_inner_texts()
        assert "文件" in menus and "运行" in menus, menus  # JupyterLab itself is Chinese
        assert page.get_by_role("button", name="Validate").count() == 0
        _run_all_in_chinese(page)
        # The self-check (the last code cell) names what is left to do, in Chinese. A cell's
        # prompt number comes with the kernel's reply and its output on another channel, so
        # the output can land a moment later: wait for it (iopub keeps order, so every
        # earlier cell's output is there by then).
        last = page.locator(".jp-NotebookPanel:visible .jp-CodeCell").last
        last.scroll_into_view_if_needed()
        expect(last.locator(".jp-OutputArea")).to_contain_text("还", timeout=60_000)
        seen = [page.evaluate(SCREEN_TEXT)]
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"student_words_{assignment}.png"))
        # Getting the file out: right-click it in the file browser (下载 / Download).
        page.locator(".jp-DirListing-item", has_text=assignment).first.dblclick()
        item = page.locator(".jp-DirListing-item", has_text=f"{assignment}.ipynb").first
        item.click(button="right")
        menu = page.locator(".lm-Menu:visible").first
        menu.wait_for()
        assert "下载" in menu.inner_text()
        seen.append(menu.inner_text())
        page.screenshot(path=str(ARTIFACTS / f"student_words_{assignment}_menu.png"))
        page.keyboard.press("Escape")
    finally:
        context.close()
        student_lab.shutdown_kernels()

    text = "\n".join(seen)
    assert QUESTION_ID.findall(text) == []
    own = course_words(REPO / "exercises" / assignment / f"{assignment}.ipynb")
    known = {w.lower() for w in STILL_ENGLISH}
    # (runs of capitals A–H are the letters of a lettered chooser's options, not words)
    english = {w for w in WORD.findall(text) if w.lower() not in own}
    english = {w for w in english if not re.fullmatch(r"[A-H]+", w)}
    unexplained = sorted(w for w in english if w.lower() not in known)
    assert unexplained == [], unexplained
    print(f"{assignment}: English still on screen (JupyterLab's, see STILL_ENGLISH):",
          sorted(english))  # fmt: skip
