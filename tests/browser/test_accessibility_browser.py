"""Accessibility in a real browser (issue 28): every question type answered with the keyboard
alone (Tab, Shift+Tab, Enter, Space, typing), a visible focus ring, feedback in a live region;
then axe-core on the answered widgets, and on our own pages (a feedback page, the class report,
the hub's login page), each violation attributed to us or to JupyterLab / nbgrader / JupyterHub
(``tests/support/a11y.py``). Ours must have no critical or serious violation; the per-page counts
are printed. The lessons' audit is in ``test_course_browser.py`` (one Run All per lesson).

The learner arrives at a question's first control as Tab does from the cell above it in command
mode; from there only keys are pressed, and every press is checked on screen before the next.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import yaml
from support.a11y import axe_audit
from support.jupyterlab import ARTIFACTS
from support.quiz_clicks import dismiss_kernel_dialog

from sanshe_edu.quiz.store import ProgressStore

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = {
    q["id"]: q
    for q in yaml.safe_load((REPO / "questions" / "example.yaml").read_text())["questions"]
}
QIDS = {
    "single": "rc_nature",
    "multiple": "three_she",
    "categorise": "issue_classes",
    "match": "scholars",
    "order": "phases",
    "network": "build_linkage",
    "matrix": "benefit",
    "text": "reflect_dong",
}
ESSAY = "联是基础和结构，动是目标和功能；只有行动起来，三社之间才真正有联动。"


def _zh(entry: dict) -> str:
    return entry["text"]["zh"]


def _notebook(lab, lab_server) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("from sanshe_edu.quiz import ask")]
    nb.cells += [nbformat.v4.new_code_cell(f"ask('example.{q}')") for q in QIDS.values()]
    store = ProgressStore(Path(lab_server.env["SANSHE_EDU_DATA_DIR"]) / "progress.json")
    for qid in QIDS.values():
        store.forget(f"example.{qid}")
    lab.open(lab.put_notebook(nb, "a11y_keyboard.ipynb"))
    lab.run_all()
    for qtype in QIDS:
        lab.page.locator(f".sanshe-quiz-{qtype}:visible button").first.wait_for()
    for _ in range(6):  # a late kernel dialog would take the focus: dismiss it first
        lab.page.wait_for_timeout(250)
        dismiss_kernel_dialog(lab)


class Keys:
    """Only keys after :meth:`enter`: Tab / Shift+Tab until a control has the focus, then Enter,
    Space or typing."""

    def __init__(self, lab) -> None:
        self.lab, self.page = lab, lab.page

    def enter(self, w) -> None:
        """The learner comes to the question's cell in command mode (Esc, then ↑ / ↓ select a
        cell: here the cell gets the focus as JupyterLab gives it) and tabs into the widget."""
        cell = w.locator("xpath=ancestor::div[contains(@class, 'jp-CodeCell')][1]")
        cell.evaluate("el => el.focus()")
        self.tab_to(w.locator("button:enabled, input, textarea").first, limit=12)

    def focused(self, target) -> bool:
        return target.evaluate("el => el === document.activeElement")

    def tab_to(self, target, limit: int = 60) -> None:
        """Tab forward to a control after the focus, Shift+Tab back to one before it."""
        back = target.evaluate(
            "el => !!(document.activeElement && (el.compareDocumentPosition("
            "document.activeElement) & Node.DOCUMENT_POSITION_FOLLOWING))"
        )
        for _ in range(limit):
            if self.focused(target):
                return
            self.page.keyboard.press("Shift+Tab" if back else "Tab")
        raise AssertionError(f"Tab never reached {target}")

    def press(self, target, key: str = "Enter") -> None:
        self.tab_to(target)
        self.page.keyboard.press(key)


def _row_text(chooser) -> str:
    return chooser.locator("xpath=..").locator(".widget-html").first.inner_text().strip()


def _feedback(w, text: str) -> None:
    w.locator(".sanshe-feedback").get_by_text(text).first.wait_for(timeout=30_000)


def test_every_type_answered_by_keyboard_then_audited(lab, lab_server):
    from playwright.sync_api import expect

    _notebook(lab, lab_server)
    keys = Keys(lab)
    page = lab.page

    def widget(qtype):
        return page.locator(f".sanshe-quiz-{qtype}:visible").first

    # 1 single: a wrong option, Check, then back (Shift+Tab) to the right one
    w, q = widget("single"), EXAMPLE["rc_nature"]
    keys.enter(w)
    right = next(o for o in q["options"] if o.get("correct"))
    wrong = next(o for o in q["options"] if not o.get("correct"))
    keys.press(w.get_by_role("button", name=_zh(wrong), exact=True))
    check = w.get_by_role("button", name="检查答案")
    keys.press(check)
    _feedback(w, "还不对")
    # ✘ is said in words by a screen reader (CSS generated content, not in the page's text)
    tree = w.locator(".sanshe-feedback").aria_snapshot()
    assert "错：" in tree, tree
    assert "错：" not in w.locator(".sanshe-feedback").inner_text()
    focus_ring(lab, check, "a11y_focus_check")
    axe_audit(page, "eight question types, one answered wrong").assert_ours_clean()
    keys.press(w.get_by_role("button", name=_zh(right), exact=True))
    keys.press(check)
    _feedback(w, "回答正确")

    # 2 multiple: Space ticks the boxes
    w, q = widget("multiple"), EXAMPLE["three_she"]
    keys.enter(w)
    for o in q["options"]:
        if o.get("correct"):
            box = w.get_by_role("checkbox", name=_zh(o), exact=True)
            keys.press(box, "Space")
            expect(box).to_be_checked()
    keys.press(w.get_by_role("button", name="检查答案"))
    _feedback(w, "回答正确")

    # 3 categorise and 4 match: Enter on the chooser button (lettered: its tooltip is the text)
    for qtype, qid, field, key, targets in (
        ("categorise", "issue_classes", "items", "bin", "bins"),
        ("match", "scholars", "left", "match", "right"),
    ):
        w, q = widget(qtype), EXAMPLE[qid]
        keys.enter(w)
        target_text = {t["id"]: _zh(t) for t in q[targets]}
        wanted = {_zh(e): target_text[e[key]] for e in q[field]}
        choosers = w.locator(".sanshe-chooser")
        for i in range(choosers.count()):
            chooser = choosers.nth(i)
            text = wanted[_row_text(chooser)]
            if "sanshe-lettered" in (chooser.get_attribute("class") or ""):
                button = chooser.locator(f'button[title="{text}"]')
            else:
                button = chooser.get_by_role("button", name=text, exact=True)
                # its description names the row it answers, for a screen reader tabbing along
                assert _row_text(chooser) in button.get_attribute("title")
            keys.press(button)
            expect(button).to_have_class(re.compile("mod-active"))
        keys.press(w.get_by_role("button", name="检查答案"))
        _feedback(w, "回答正确")

    # 5 order: a step moves with Enter on its row's 上移 button
    w, q = widget("order"), EXAMPLE["phases"]
    keys.enter(w)
    rows = w.locator(".sanshe-order-row")
    target = [_zh(s) for s in q["steps"]]

    def current() -> list[str]:
        return [x.split(". ", 1)[1].strip() for x in rows.locator(".widget-html").all_inner_texts()]

    moved = False
    for i, name in enumerate(target):
        j = current().index(name)
        while j > i:
            up = rows.nth(j).get_by_role("button", name="上移")
            keys.press(up)
            j -= 1
            expect(rows.nth(j)).to_contain_text(name)
            if not moved:
                focus_ring(
                    lab, rows.nth(j + 1).get_by_role("button", name="上移"), "a11y_focus_order"
                )
                moved = True
    keys.press(w.get_by_role("button", name="检查答案"))
    _feedback(w, "回答正确")

    # 6 network: Enter on an organisation (step 1), on its partner (step 2); 删除 unlinks
    w = widget("network")
    keys.enter(w)
    from sanshe_edu.i18n import use_lang
    from sanshe_edu.quiz.bank import question
    from sanshe_edu.quiz.check import organisations

    with use_lang("zh"):
        names = {o["id"]: o["name"] for o in organisations(question("example.build_linkage"))}
    links = w.locator(".sanshe-net-link")
    for n, (a, b) in enumerate((("jwh", "sg"), ("jwh", "lv"), ("sg", "lv"), ("jwh", "wy")), 1):
        keys.press(w.locator(".sanshe-net-from").get_by_role("button", name=names[a]))
        expect(w).to_contain_text(f"现在选的是：{names[a]}")  # in words, not only blue
        keys.press(w.locator(".sanshe-net-to").get_by_role("button", name=names[b], exact=True))
        expect(links).to_have_count(n)
    # one link too many: removed with its own button (a link's 删除 names the link in its title)
    extra = links.filter(has_text=names["jwh"]).filter(has_text=names["lv"])
    remove = extra.locator("xpath=..").get_by_role("button", name="删除")
    keys.press(remove)
    expect(links).to_have_count(3)
    focus_ring(lab, w.locator(".sanshe-net-from button").first, "a11y_focus_network")
    keys.press(w.get_by_role("button", name="检查答案"))
    _feedback(w, "回答正确")

    # 7 matrix: one chooser per asked cell, in the grid's order
    w, q = widget("matrix"), EXAMPLE["benefit"]
    keys.enter(w)
    outcome = {o["id"]: _zh(o) for o in q["outcomes"]}
    choosers = w.locator(".sanshe-chooser")
    for i, cell in enumerate(q["cells"]):
        button = choosers.nth(i).get_by_role("button", name=outcome[cell["answer"]], exact=True)
        keys.press(button)
        expect(button).to_have_class(re.compile("mod-active"))
    keys.press(w.get_by_role("button", name="检查答案"))
    _feedback(w, "回答正确")

    # 8 text: type into the box, Tab to 保存
    w = widget("text")
    keys.enter(w)
    area = w.get_by_role("textbox", name="你的回答")  # its accessible name: the visible label
    keys.tab_to(area)
    page.keyboard.type(ESSAY)
    keys.press(w.get_by_role("button", name="保存"))
    _feedback(w, "已保存")

    # The feedback is in a live region a screen reader announces, in Chinese.
    for qtype in QIDS:
        fb = widget(qtype).locator(".sanshe-feedback")
        assert fb.get_attribute("role") in ("status", "alert"), qtype
        assert fb.get_attribute("lang") == "zh-CN", qtype
    lab.assert_no_errors()
    lab.screenshot("a11y_keyboard_all_types")

    audit = axe_audit(page, "eight question types, answered")
    audit.assert_ours_clean()


def focus_ring(lab, target, shot: str | None) -> None:
    """The focused control shows a ring (an outline or a box shadow), and a screenshot of it."""
    if not target.evaluate("el => el === document.activeElement"):
        target.focus()  # only for the look; answering never calls this
    style = target.evaluate(
        """el => { const s = getComputedStyle(el);
            return [s.outlineStyle, s.outlineWidth, s.boxShadow]; }"""
    )
    outline, width, shadow = style
    assert (outline != "none" and width != "0px") or shadow != "none", style
    if shot:
        target.scroll_into_view_if_needed()
        lab.screenshot(shot)


def _login_page(dest: Path, error: bool) -> Path:
    """The hub's login page as JupyterHub renders it (its own templates, our block, its static
    files from the installed JupyterHub), written to a file: no hub needs to run."""
    import sys

    import jinja2

    hub = Path(sys.prefix) / "share" / "jupyterhub"
    ours = REPO / "src" / "sanshe_edu" / "classroom" / "templates"
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(
            [
                jinja2.FileSystemLoader(str(ours)),
                jinja2.PrefixLoader({"templates": jinja2.FileSystemLoader(str(hub / "templates"))}),
                jinja2.FileSystemLoader(str(hub / "templates")),
            ]
        ),
        autoescape=True,
    )
    page = env.get_template("login.html").render(
        static_url=lambda path, include_version=True: (hub / "static" / path).as_uri(),
        authenticator_login_url="/hub/login",
        login_error="x" if error else None,
        xsrf="x",
        username="",
        base_url="/hub/",
    )
    dest.write_text(page, encoding="utf-8")
    return dest


def test_hub_login_page(page, tmp_path):
    """Our form on JupyterHub's login page: no critical or serious violation, Chinese voice."""
    page.goto(_login_page(tmp_path / "login.html", error=True).as_uri())
    form = page.locator("form")
    assert form.get_attribute("lang") == "zh-CN"
    assert page.get_by_role("textbox", name="学号").count() == 1  # a Chinese accessible name
    assert page.get_by_label("密码").count() == 1
    audit = axe_audit(page, "hub login page", ours="form", owner="JupyterHub")
    page.screenshot(path=str(ARTIFACTS / "a11y_hub_login.png"))
    audit.assert_ours_clean()
    # 200 % zoom in a 1280-pixel window is a 640-pixel viewport: no horizontal scrolling.
    page.set_viewport_size({"width": 640, "height": 800})
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 640
    page.screenshot(path=str(ARTIFACTS / "a11y_hub_login_200.png"))
