"""Answer one question of each type by clicking in a real JupyterLab, see the feedback, reload
the page, re-run, and see every answer restored. Also times click-to-feedback in the browser
(written to tests/artifacts/quiz_browser_timing.json; bench/bench_quiz.py measures it with
these same steps)."""

from __future__ import annotations

import json
import re
import statistics
from pathlib import Path

import nbformat
from support.quiz_clicks import (
    MATCH,
    QIDS,
    TEXT,
    TYPES,
    answer_everything,
    dismiss_kernel_dialog,
    item_row,
    notebook,
    select,
    widget,
)

from sanshe_edu.i18n import use_lang
from sanshe_edu.quiz.bank import question
from sanshe_edu.quiz.check import organisations
from sanshe_edu.quiz.store import ProgressStore

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


def test_answer_every_type_by_clicking_then_reload_and_restore(lab, lab_server):
    ProgressStore(Path(lab_server.env["SANSHE_EDU_DATA_DIR"]) / "progress.json").reset_bank(
        "example"
    )
    nb = lab.put_notebook(notebook(), "quiz_all_types.ipynb")
    lab.open(nb)
    lab.run_all()
    lab.assert_no_errors()
    for qtype in TYPES:
        widget(lab, qtype).wait_for()
    dismiss_kernel_dialog(lab)
    timing = answer_everything(lab)
    from playwright.sync_api import expect

    # Every widget of the lesson shows the same running score (waits: the score and the
    # feedback are separate widget updates, so the page may show one a moment before the other).
    for qtype in TYPES:
        expect(widget(lab, qtype).locator(".sanshe-score")).to_contain_text(
            "7 / 7 · answered 8/8 · right 7", timeout=15_000
        )
    lab.assert_no_errors()
    lab.screenshot("quiz_answered")
    for qtype in TYPES:
        widget(lab, qtype).screenshot(path=str(ARTIFACTS / f"quiz_{qtype}.png"))

    # Progress reached the per-user store through the kernel.
    stored = ProgressStore(Path(lab_server.env["SANSHE_EDU_DATA_DIR"]) / "progress.json").load()
    assert all(stored[f"example.{q}"]["done"] for q in QIDS)

    # Stop the kernel (nothing survives in memory), reload the page and run again: each widget
    # comes back with the answer and its feedback, from the progress store.
    lab_server.shutdown_kernels()
    lab.page.reload()
    lab.open(nb)
    dismiss_kernel_dialog(lab)
    lab.run_all()
    lab.assert_no_errors()
    for qtype in TYPES:
        w = widget(lab, qtype)
        w.get_by_text("(your last answer was restored)").wait_for(timeout=15_000)
    assert widget(lab, "single").locator("button.mod-active").inner_text().strip() == (
        "a grassroots self-governing organisation of residents"
    )
    assert widget(lab, "multiple").locator("input[type=checkbox]:checked").count() == 3
    assert (
        item_row(widget(lab, "categorise"), "military conscription work")
        .locator(".sanshe-chooser button.mod-active")
        .inner_text()
        .strip()
        == "public task"
    )
    assert widget(lab, "text").locator("textarea").input_value() == TEXT
    assert "Hint 1:" in widget(lab, "single").inner_text()
    order = widget(lab, "order").locator(".sanshe-order-row .widget-html").all_inner_texts()
    assert [o.split(". ", 1)[1].strip() for o in order] == [
        "needs assessment",
        "plan design",
        "implementation",
        "evaluation and summary",
    ]
    lab.screenshot("quiz_restored", full_page=True)

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    values = [v for k, v in timing.items() if k != "network"]
    (ARTIFACTS / "quiz_browser_timing.json").write_text(
        json.dumps(
            {
                "click_to_feedback_s": {k: round(v, 3) for k, v in timing.items()},
                "median_s": round(statistics.median(values), 3),
            },
            indent=1,
        ),
        encoding="utf-8",
    )


def _keyboard_notebook(lab, lab_server, qid: str, qtype: str):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "import sanshe_edu\nsanshe_edu.set_lang('en')\nfrom sanshe_edu.quiz import ask\n"
            f"ask('example.{qid}')"
        )
    ]
    ProgressStore(Path(lab_server.env["SANSHE_EDU_DATA_DIR"]) / "progress.json").forget(
        f"example.{qid}"
    )
    lab.open(lab.put_notebook(nb, f"quiz_keyboard_{qtype}.ipynb"))
    lab.run_all()
    w = widget(lab, qtype)
    w.wait_for()
    page = lab.page
    for _ in range(10):  # a late kernel dialog can take the focus: dismiss it first
        page.wait_for_timeout(300)
        dismiss_kernel_dialog(lab)
    return w, page


def test_keyboard_only_single_choice(lab, lab_server):
    """Enter chooses an option and presses Check: no mouse needed."""
    w, page = _keyboard_notebook(lab, lab_server, "rc_nature", "single")
    w.get_by_role("button", name="a grassroots self-governing organisation of residents").focus()
    page.keyboard.press("Enter")
    w.get_by_role("button", name="Check answer").focus()
    page.keyboard.press("Enter")
    w.locator(".sanshe-feedback").get_by_text("Correct!").wait_for(timeout=30_000)
    lab.screenshot("quiz_keyboard_single")


def test_keyboard_only_multiple_choice(lab, lab_server):
    """Space ticks check boxes and Enter presses Check: no mouse needed.

    Each control gets the focus as Tab would give it (JupyterLab's own Tab handling inside a
    notebook is not under test here)."""
    w, page = _keyboard_notebook(lab, lab_server, "three_she", "multiple")
    from support.quiz_clicks import MULTIPLE  # the right options (their order is shuffled)

    boxes = w.locator("input[type=checkbox]")
    for label in MULTIPLE:
        w.get_by_role("checkbox", name=label).focus()
        page.keyboard.press("Space")
    assert sorted(boxes.evaluate_all("bs => bs.map(b => b.checked)")) == [False, True, True, True]
    for label in MULTIPLE:
        assert w.get_by_role("checkbox", name=label).is_checked(), label
    w.get_by_role("button", name="Check answer").focus()
    page.keyboard.press("Enter")
    w.locator(".sanshe-feedback").get_by_text("Correct!").wait_for(timeout=30_000)
    w.get_by_role("button", name="Reset").focus()
    page.keyboard.press("Enter")
    w.locator(".sanshe-feedback").get_by_text("Correct!").wait_for(state="detached")
    lab.screenshot("quiz_keyboard")


def test_keyboard_only_network_builder(lab, lab_server):
    """The network builder is plain buttons: Enter on an organisation, on its partners, on a
    link's Remove and on Check does it all. Each press is checked on screen before the next,
    as a student sees it (presses much faster than the kernel answers can be handled out of
    order by ipywidgets; see docs/question-banks.md)."""
    from playwright.sync_api import expect

    w, page = _keyboard_notebook(lab, lab_server, "build_linkage", "network")
    with use_lang("en"):
        names = {o["id"]: o["name"] for o in organisations(question("example.build_linkage"))}
    links = w.locator(".sanshe-net-link")

    def press(locator) -> None:
        dismiss_kernel_dialog(lab)  # a late kernel dialog would take the Enter key
        locator.focus()
        page.keyboard.press("Enter")

    def pick(oid: str) -> None:
        button = w.locator(".sanshe-net-from").get_by_role("button", name=names[oid], exact=True)
        press(button)
        expect(button).to_have_class(re.compile("mod-info"))  # the chosen one turns blue

    def partner(oid: str, count: int) -> None:
        press(w.locator(".sanshe-net-to").get_by_role("button", name=names[oid], exact=True))
        expect(links).to_have_count(count)

    pick("jwh")
    partner("sg", 1)
    partner("wy", 2)
    pick("lv")
    partner("wy", 3)  # a wrong partner first: removed again below
    pick("sg")
    partner("lv", 4)
    press(w.locator(f'button[title="Remove this link: {names["lv"]} — {names["wy"]}"]'))
    expect(links).to_have_count(3)
    assert not links.filter(has_text=names["wy"]).filter(has_text=names["lv"]).count()
    press(w.get_by_role("button", name="Check answer"))
    w.locator(".sanshe-feedback").get_by_text("Correct!").wait_for(timeout=30_000)
    lab.assert_no_errors()
    lab.screenshot("quiz_keyboard_network")


def test_keyboard_only_lettered_match(lab, lab_server):
    """Long definitions are listed once, lettered; Enter on a letter picks it (no drop-down,
    whose arrow keys JupyterLab's command-mode shortcuts would take)."""
    from playwright.sync_api import expect

    w, page = _keyboard_notebook(lab, lab_server, "scholars", "match")
    legend = w.locator(".sanshe-legend").inner_text()
    choosers = w.locator(".sanshe-chooser.sanshe-lettered")
    assert choosers.count() == 2 and w.locator("select").count() == 0
    for item, text in MATCH.items():  # rows in the learner's own order: found by their text
        assert text in legend.replace("\xa0", " ")
        row = item_row(w, item)
        button = row.locator(f'.sanshe-chooser button[title="{text}"]')
        button.focus()
        page.keyboard.press("Enter")
        expect(button).to_have_class(re.compile(r"mod-active"))
    w.get_by_role("button", name="Check answer").focus()
    page.keyboard.press("Enter")
    w.locator(".sanshe-feedback").get_by_text("Correct!").wait_for(timeout=30_000)
    lab.assert_no_errors()
    lab.screenshot("quiz_keyboard_match")


# ----- a reason for every wrong part, on screen (issue 15) ------------------------------------
QUESTIONS = Path(__file__).resolve().parents[2] / "questions"
# Per language: categorise, match, order and matrix questions a student meets (the lessons' in
# Chinese, the example bank's in English).
WRONG_REASON_QIDS = {
    "zh": ["l04.org_kinds", "l07.mode_definitions", "l06.phase_order", "l08.benefit_matrix"],
    "en": ["example.issue_classes", "example.scholars", "example.phases", "example.benefit"],
}
WHY_NOT = {"zh": "为什么不对：", "en": "Why not: "}


def _plain(qid: str) -> dict:
    import yaml

    bank, name = qid.split(".")
    for path in QUESTIONS.glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data["bank"] == bank:
            return next(q for q in data["questions"] if q["id"] == name)
    raise AssertionError(qid)


def _answer_one_part_wrong(w, q: dict, lang: str) -> str:
    """Answer ``q`` with its first part wrong and the rest right (the order question is left as
    shipped, never in the right order); return the reason the student must see for it."""
    kind = q["type"]
    if kind == "order":
        shown = question(f"{q['bank']}.{q['id']}")["steps"]
        plain = {s["id"]: s for s in q["steps"]}
        for step, right in zip(shown, q["steps"], strict=True):
            if step["id"] != right["id"]:  # the first step out of place, as shown
                return plain[step["id"]]["wrong_feedback"][lang]
        raise AssertionError("shipped in the right order")
    parts, targets, key = {
        "categorise": ("items", "bins", "bin"),
        "match": ("left", "right", "match"),
        "matrix": ("cells", "outcomes", "answer"),
    }[kind]
    names = {t["id"]: t["text"][lang] for t in q[targets]}
    for i, e in enumerate(q[parts]):
        choice = e[key] if i else next(t for t in names if t != e[key])
        # categorise and match rows come in the learner's own order: found by their text
        item = e["text"][lang] if kind != "matrix" else None
        select(w, i, names[choice], item)
    return q[parts][0]["wrong_feedback"][lang]


def _reason_notebook(lang: str) -> dict:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            f"import sanshe_edu\nsanshe_edu.set_lang('{lang}')\nfrom sanshe_edu.quiz import ask"
        ),
        *[nbformat.v4.new_code_cell(f"ask('{qid}')") for qid in WRONG_REASON_QIDS[lang]],
    ]
    return nb


def _test_wrong_answers_say_why(lab, lab_server, lang: str) -> None:
    from playwright.sync_api import expect

    store = ProgressStore(Path(lab_server.env["SANSHE_EDU_DATA_DIR"]) / "progress.json")
    for qid in WRONG_REASON_QIDS[lang]:
        store.forget(qid)
    lab.open(lab.put_notebook(_reason_notebook(lang), f"quiz_wrong_reasons_{lang}.ipynb"))
    lab.run_all()
    lab.assert_no_errors()
    check = {"zh": "检查答案", "en": "Check answer"}[lang]
    for qid in WRONG_REASON_QIDS[lang]:
        q = {**_plain(qid), "bank": qid.split(".")[0]}
        w = lab.page.locator(".sanshe-quiz").filter(has_text=q["prompt"][lang]).first
        w.wait_for()
        dismiss_kernel_dialog(lab)
        reason = _answer_one_part_wrong(w, q, lang)
        w.get_by_role("button", name=check, exact=True).click()
        shown = w.locator(".sanshe-feedback .sanshe-reason").filter(has_text=reason)
        expect(shown).to_have_text(WHY_NOT[lang] + reason, timeout=30_000)
        line = w.locator(".sanshe-feedback li").filter(
            has=lab.page.locator(".sanshe-reason", has_text=reason)
        )
        assert line.inner_text().startswith("✘"), qid  # under the wrong part's own line
        if q["type"] != "order":  # exactly the one wrong part has a reason
            expect(w.locator(".sanshe-feedback .sanshe-reason")).to_have_count(1)
        w.screenshot(path=str(ARTIFACTS / f"quiz_wrong_reason_{lang}_{q['type']}.png"))
    lab.assert_no_errors()
    lab.screenshot(f"quiz_wrong_reasons_{lang}", full_page=True)


def test_wrong_answers_say_why_in_chinese(lab, lab_server):
    _test_wrong_answers_say_why(lab, lab_server, "zh")


def test_wrong_answers_say_why_in_english(lab, lab_server):
    _test_wrong_answers_say_why(lab, lab_server, "en")


def test_lesson_00_english_widget_keeps_its_language_after_switching_back(lab, lab_server):
    """Lesson 00 shows one question in English, then switches back with set_lang("zh"): the
    English widget, answered afterwards, says everything in English (its running score too),
    and the Chinese widgets of the lesson count the answer in Chinese."""
    from playwright.sync_api import expect

    course = Path(__file__).resolve().parents[2] / "course"
    ProgressStore(Path(lab_server.env["SANSHE_EDU_DATA_DIR"]) / "progress.json").reset_bank("l00")
    lab.open(lab.put_notebook(course / "00_start_here.ipynb"))
    lab.run_all(timeout_ms=180_000)
    lab.assert_no_errors()
    dismiss_kernel_dialog(lab)
    en = lab.page.locator(".sanshe-quiz").filter(
        has_text="Which line switches the widgets to English?"
    )
    en = en.first
    en.get_by_role("button", name='sanshe_edu.set_lang("en")', exact=True).click()
    en.get_by_role("button", name="Check answer", exact=True).click()
    en.locator(".sanshe-feedback").get_by_text("Correct!").wait_for(timeout=30_000)
    expect(en.locator(".sanshe-score")).to_contain_text("answered 1/3 · right 1", timeout=15_000)
    text = en.inner_text()
    assert not re.search(r"[\u4e00-\u9fff]", text), text  # no Chinese footer, no Chinese line
    zh = lab.page.locator(".sanshe-quiz").filter(has_text="运行当前代码单元格").first
    expect(zh.locator(".sanshe-score")).to_contain_text("已作答 1/3 题 · 答对 1 题")
    en.screenshot(path=str(ARTIFACTS / "quiz_lesson00_english_widget.png"))
    lab.assert_no_errors()
