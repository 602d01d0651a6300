"""One question of each type answered by clicking, as a learner does it: the steps that
``tests/browser/test_quiz_browser.py`` checks and ``bench/bench_quiz.py`` times (and that
``tests/browser/test_lite_browser.py`` repeats in JupyterLite).  Each step takes a
:class:`~support.jupyterlab.Lab` whose page shows the notebook :func:`notebook`."""

from __future__ import annotations

import nbformat

from sanshe_edu.i18n import use_lang
from sanshe_edu.quiz.bank import question
from sanshe_edu.quiz.check import organisations

QIDS = [
    "rc_nature",
    "three_she",
    "issue_classes",
    "scholars",
    "phases",
    "build_linkage",
    "benefit",
    "reflect_dong",
]
TYPES = ["single", "multiple", "categorise", "match", "order", "network", "matrix", "text"]
TEXT = "Lian is the base and structure; dong is the goal and function. Only action links."


def notebook() -> dict:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "import sanshe_edu\nsanshe_edu.set_lang('en')\nfrom sanshe_edu.quiz import ask"
        ),
        *[nbformat.v4.new_code_cell(f"ask('example.{qid}')") for qid in QIDS],
    ]
    return nb


def dismiss_kernel_dialog(lab) -> None:
    """JupyterLab sometimes asks again which kernel to use (keeping the running one is right);
    the dialog would take the keyboard focus."""
    dialog = lab.page.locator(".jp-Dialog:visible")
    if dialog.count():
        dialog.get_by_role("button", name="Select").click()
        dialog.wait_for(state="detached")


def widget(lab, qtype: str):
    return lab.page.locator(f".sanshe-quiz-{qtype}:visible").first


#: Set up in the page before a click: the time of the click's event (a capturing listener) and
#: a promise of the seconds from it to the first frame painted after ``expect`` appeared in the
#: widget's feedback (a MutationObserver): what the learner waits, without the test driver's
#: own time to find, scroll to and press the button, or its polling.
ARM_TIMER = """(w, expect) => {
    let clicked = null;
    w.addEventListener('click', () => { clicked = performance.now(); },
                       {capture: true, once: true});
    window.__sanshe_feedback = new Promise(resolve => {
        const seen = () => {
            const fb = w.querySelector('.sanshe-feedback');
            if (clicked === null || !fb || !fb.innerText.includes(expect)) return;
            observer.disconnect();
            requestAnimationFrame(() => resolve((performance.now() - clicked) / 1000));
        };
        const observer = new MutationObserver(seen);
        observer.observe(w, {subtree: true, childList: true, characterData: true});
    });
}"""


def check(lab, qtype: str, expect: str = "Correct!", button: str = "Check answer") -> float:
    """Click the widget's Check/Save button; wait for ``expect`` in its feedback; the seconds
    from the click to the feedback on screen, timed in the page (:data:`ARM_TIMER`)."""
    w = widget(lab, qtype)
    w.evaluate(ARM_TIMER, expect)
    w.get_by_role("button", name=button).click()
    try:
        w.locator(".sanshe-feedback").get_by_text(expect).first.wait_for(timeout=30_000)
    except Exception as exc:
        raise AssertionError(f"{qtype}: no {expect!r} in:\n{w.inner_text()}") from exc
    return lab.page.evaluate("() => window.__sanshe_feedback")


#: The right answers of the categorise and match examples, by the item's text (each learner sees
#: the rows in an order of their own).
CATEGORISE = {
    "a resident's daily schedule": "personal matter",
    "cleanliness of the estate": "collective affair",
    "military conscription work": "public task",
}
# example.three_she's right options (its texts, English)
MULTIPLE = ("the base platform", "the carrier of services", "professional support")
MATCH = {
    "Ye Nanke and Chen Jincheng": "a paper from the end of 2010, used to date when the term "
    "appeared",
    "Wang Sibin": "three modes of linkage: instrumental, collaborative, cooperative",
}


def answer_rows(lab, qtype: str) -> None:
    """Answer the categorise or match example right, row by row (found by its text)."""
    w = widget(lab, qtype)
    for i, (item, label) in enumerate((CATEGORISE if qtype == "categorise" else MATCH).items()):
        select(w, i, label, item)


def item_row(w, item: str):
    """The chooser row whose text is exactly ``item``."""
    import re

    text = w.page.locator(".widget-html", has_text=re.compile(rf"^\s*{re.escape(item)}\s*$"))
    return w.locator(".sanshe-chooser-row").filter(has=text).first


def select(w, index: int, label: str, item: str | None = None) -> None:
    """Press ``label`` in the widget's ``index``-th chooser, or in the chooser of the row
    showing ``item`` (its text, or on a lettered chooser the letter whose tooltip is
    ``label``)."""
    if item is not None:
        chooser = item_row(w, item).locator(".sanshe-chooser")
    else:
        chooser = w.locator(".sanshe-chooser").nth(index)
    if "sanshe-lettered" in (chooser.get_attribute("class") or ""):
        chooser.locator(f'button[title="{label}"]').click()
    else:
        chooser.get_by_role("button", name=label, exact=True).click()


def answer_everything(lab) -> dict[str, float]:
    timing = {}
    # 1 single: radio button
    w = widget(lab, "single")
    w.get_by_text("a commercial property-service firm").click()
    timing["single_wrong"] = check(lab, "single", expect="Not yet right")
    w.get_by_text("a grassroots self-governing organisation of residents").click()
    timing["single"] = check(lab, "single")
    # hints, one at a time
    w.get_by_role("button", name="Hint (1/2)").click()
    w.get_by_text("Hint 1:").wait_for()
    # 2 multiple: check boxes
    w = widget(lab, "multiple")
    for label in MULTIPLE:
        w.get_by_text(label, exact=True).click()
    timing["multiple"] = check(lab, "multiple")
    # 3 categorise and 4 match: toggle buttons (lettered for long definitions)
    answer_rows(lab, "categorise")
    timing["categorise"] = check(lab, "categorise")
    answer_rows(lab, "match")
    timing["match"] = check(lab, "match")
    # 5 order: press a step's Move up until it is in place
    w = widget(lab, "order")
    target = ["needs assessment", "plan design", "implementation", "evaluation and summary"]
    rows = w.locator(".sanshe-order-row")

    def current() -> list[str]:
        return [x.split(". ", 1)[1].strip() for x in rows.locator(".widget-html").all_inner_texts()]

    for i, name in enumerate(target):
        j = current().index(name)
        while j > i:
            rows.nth(j).locator('button[title="Move up"]').click()
            j -= 1
            lab.page.wait_for_function(
                "([sel, j, name]) => document.querySelectorAll(sel)[j].innerText.includes(name)",
                arg=[".sanshe-quiz-order .sanshe-order-row", j, name],
            )
    timing["order"] = check(lab, "order")
    # 6 network: press an organisation in step 1, then its partner in step 2; it redraws
    with use_lang("en"):
        names = {o["id"]: o["name"] for o in organisations(question("example.build_linkage"))}
    w = widget(lab, "network")
    for a, b in (("jwh", "sg"), ("sg", "lv"), ("jwh", "wy")):
        link_organisations(w, names[a], names[b])
    w.locator(".sanshe-net-diagram svg").first.wait_for(timeout=15_000)  # the redrawn diagram
    timing["network"] = check(lab, "network")
    # 7 matrix: one row of toggle buttons per asked cell
    w = widget(lab, "matrix")
    for i, label in enumerate(("cooperate", "let it be", "compete")):
        select(w, i, label)
    timing["matrix"] = check(lab, "matrix")
    # 8 text: type, Save
    w = widget(lab, "text")
    w.locator("textarea").fill(TEXT)
    timing["text"] = check(lab, "text", expect="Saved and counted as done", button="Save")
    return timing


def link_organisations(widget, a: str, b: str) -> None:
    """In a network-builder widget, press organisation ``a`` in step 1 and ``b`` in step 2
    (by their shown names), then wait until the link is listed."""
    widget.locator(".sanshe-net-from").get_by_role("button", name=a, exact=True).click()
    widget.locator(".sanshe-net-to").get_by_role("button", name=b, exact=True).click()
    widget.locator(".sanshe-net-link").filter(has_text=a).filter(has_text=b).wait_for()
