"""The browser edition, offline: build the JupyterLite site, serve it on loopback, and block (and
record) every request to any other host. In Chromium: open every lesson (00, 05 and 06 looked
at more closely) and run every cell with no error output; answer one widget of each type;
reload and find the answers restored from ``/drive``; screenshots (an SVG figure, the network
builder, lesson 05's interactive network) in ``tests/artifacts/``. The site opens on lesson 00;
every widget type is answered at 360×740 and 768×1024 with no button over a text; progress
exported in the site is imported in JupyterLab.

The site is built once per session (``sanshe-edu lite build``'s code); the Pyodide npm package
and the wheels come from the build cache (``SANSHE_EDU_LITE_CACHE``, filled by
``scripts/test.sh``), so the suite downloads them at most once.
"""

from __future__ import annotations

import json
import re
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlparse

import nbformat
import pytest
from support.a11y import axe_audit
from support.jupyterlab import ARTIFACTS, Lab, assert_file_names_whole

from sanshe_edu.lite.build import build_site, site_names
from sanshe_edu.lite.serve import make_server
from sanshe_edu.paths import course_dir

pytestmark = [pytest.mark.browser, pytest.mark.slow]

KERNEL_START_MS = 180_000


class _LiteServer:
    """What :class:`support.jupyterlab.Lab` needs of a server: ``url()`` (no kernels to stop)."""

    def __init__(self, root: Path) -> None:
        self.httpd = make_server(root, port=0)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, where: str = "lab", **params: str) -> str:
        query = "&".join(f"{k}={v}" if v else k for k, v in params.items())
        return f"http://127.0.0.1:{self.port}/{where}" + (f"?{query}" if query else "")

    def shutdown_kernels(self) -> None:
        pass

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


#: The site's JupyterLab speaks Chinese (the zh_CN language pack): the menu items Lab uses.
ZH_MENU = {"Run": "运行", "Run All Cells": "运行所有单元格"}


class Lite(Lab):
    """:class:`support.jupyterlab.Lab` for the JupyterLite site (Chinese menus, kernel status)."""

    IDLE_WORD = "空闲"

    def open(self, rel_path: str, timeout_ms: int = KERNEL_START_MS) -> None:
        self.page.goto(self.server.url("lab/index.html", path=quote(rel_path)))
        self.page.locator(".jp-NotebookPanel:visible .jp-Cell").first.wait_for(timeout=timeout_ms)
        self.wait_idle(timeout_ms)

    def _menu(self, menu: str, item: str) -> None:
        super()._menu(ZH_MENU[menu], ZH_MENU[item])


#: ``%pip`` in the site: piplite (which imports micropip only at the first install) installs
#: from the site's own index, PyPI out of reach.
PIP_CELLS = [
    "import sys\nprint('micropip at start:', 'micropip' in sys.modules)",
    "%pip install widgetsnbextension",
    "import widgetsnbextension\nprint('installed:', widgetsnbextension.__name__)",
    # The notebook's folder is last on sys.path (each import would otherwise ask the page about
    # the drive), and a learner's own module beside the notebook still imports.
    "import os\nprint('folder last:', sys.path[-1] == '' and '' not in sys.path[:-1], os.getcwd())",
    # The site's Pygments (its Python lexer only): IPython colours a traceback with it, and
    # asking for a lexer the site left out is Pygments' own ClassNotFound.
    # Tab completion without jedi (not preloaded): IPython's own completer answers.
    "import sys\nfrom IPython.core.completer import provisionalcompleter\n"
    "with provisionalcompleter():\n"
    "    names = [c.text for c in get_ipython().Completer.completions('impo', 4)]\n"
    "print('tab:', 'import' in names, 'jedi' in sys.modules, get_ipython().Completer.use_jedi)",
    "import sys\nfrom pygments.lexers import get_lexer_by_name\n"
    "from pygments.util import ClassNotFound\n"
    "try:\n    1 / 0\nexcept ZeroDivisionError:\n"
    "    tb = get_ipython().InteractiveTB.text(*sys.exc_info())\n"
    "try:\n    get_lexer_by_name('bash')\nexcept ClassNotFound:\n    tb += ' no bash'\n"
    "print('coloured:', '\\x1b[' in tb, 'ZeroDivisionError' in tb, tb.endswith(' no bash'),"
    " get_lexer_by_name('python').name)",
    "with open('my_helper_mod.py', 'w') as f:\n    f.write('WORDS = \"三社联动\"\\n')\n"
    "import my_helper_mod\nprint('own module:', my_helper_mod.WORDS)\n"
    "os.remove('my_helper_mod.py')",
]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("lite") / "site"
    extra = tmp_path_factory.mktemp("extra")
    from support.quiz_clicks import notebook

    nb = notebook()
    lesson = json.loads((course_dir() / "00_start_here.ipynb").read_text(encoding="utf-8"))
    nb["metadata"] = lesson["metadata"]  # the lessons' kernelspec: no kernel-picker dialog
    nbformat.write(nbformat.from_dict(nb), extra / "quiz_all_types.ipynb")
    pip = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in PIP_CELLS])
    pip["metadata"] = lesson["metadata"]
    nbformat.write(pip, extra / "pip_offline.ipynb")
    from support.mastery_clicks import review_next_day

    nbformat.write(nbformat.from_dict(review_next_day()), extra / "review_next_day.ipynb")
    info = build_site(
        out,
        extra_files=[
            extra / "quiz_all_types.ipynb",
            extra / "pip_offline.ipynb",
            extra / "review_next_day.ipynb",
        ],
    )
    timing = {"lite_site_mb": info["size_mb"], "lite_build_s": info["seconds"]}
    server = _LiteServer(out)
    yield server, timing
    server.stop()


def _offline(browser, width: int = 1400, height: int = 1000, **options):
    """A browser context (its storage is the learner's /drive) where every request to any
    other host than the site's is aborted and recorded in ``context.blocked``."""
    context = browser.new_context(viewport={"width": width, "height": height}, **options)
    context.set_default_timeout(30_000)
    blocked: list[str] = []

    def route(r):
        host = urlparse(r.request.url).hostname
        if host == "127.0.0.1":
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    context.blocked = blocked
    return context


@pytest.fixture(scope="module")
def offline_context(browser, site):
    """One offline context for the module: the widget answers must outlive a reload."""
    context = _offline(browser)
    yield context
    context.close()


@pytest.fixture
def lesson_context(browser, site):
    """An offline context of its own for each lesson: JupyterLab reopens the tabs of earlier
    pages of a context, each with a kernel, so one shared context would run them all."""
    context = _offline(browser)
    yield context
    context.close()


def _lite(offline_context, site, name) -> Lite:
    page = offline_context.new_page()
    page.console_errors = []
    page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
    return Lite(site[0], page, name=name)


#: Every lesson and the glossary (the site carries them all, under their Chinese titles; 00, 05
#: and 06 are also looked at more closely below).
LESSONS = sorted(p.name for p in course_dir().glob("*.ipynb"))


@pytest.mark.parametrize("notebook", LESSONS)
def test_lesson_runs_offline_with_no_error(lesson_context, site, notebook):
    lite = _lite(lesson_context, site, f"lite_{notebook[:2]}")
    start = time.perf_counter()
    lite.open(site_names()[notebook])
    lite.run_all(timeout_ms=KERNEL_START_MS)
    lite.assert_no_errors()
    assert lesson_context.blocked == [], lesson_context.blocked
    if notebook.startswith("00"):
        # The file browser shows every lesson's whole Chinese name (no "已修改" column).
        assert_file_names_whole(lite.page, site_names().values())
    if notebook.startswith("05"):
        # The SVG figures are drawn by the browser, with their Chinese title.
        figure = lite.outputs().locator("svg[role=img]").first
        figure.wait_for()
        assert figure.locator("title").first.text_content() == "主体联动网络"
        figure.scroll_into_view_if_needed()
        lite.page.screenshot(path=str(ARTIFACTS / "lite_05_svg_figure.png"))
        builder = lite.page.locator(".sanshe-quiz-network:visible").first
        builder.scroll_into_view_if_needed()
        builder.screenshot(path=str(ARTIFACTS / "lite_05_network_builder.png"))
        # The interactive network: links, Chinese names, a click that describes one.
        net = lite.page.locator(".sanshe-explorer:visible").first
        net.scroll_into_view_if_needed()
        assert net.locator("svg path").count() >= 10  # the links
        assert "幸福里社区居委会" in "".join(net.locator("svg text").all_text_contents())
        net.get_by_role("button", name="同心社会工作服务中心").click()
        net.locator(".sanshe-explorer-details").get_by_text("如果把它从网络里拿掉").wait_for()
        assert "Search" not in net.inner_text() and "Graph" not in net.inner_text()
        net.screenshot(path=str(ARTIFACTS / "lite_05_interactive_network.png"))
        axe_audit(lite.page, "lite 05").assert_ours_clean()  # issue 28: as in JupyterLab
    if notebook.startswith("06"):
        lite.outputs().locator("svg[role=img]").first.wait_for()
    # JupyterLab's own menus are Chinese too.
    assert lite.page.locator('.lm-MenuBar-itemLabel:text-is("文件")').count() == 1
    lite.screenshot(f"lite_{notebook[:2]}")
    site[1][f"lite_run_all_{notebook[:2]}_s"] = time.perf_counter() - start
    lite.page.close()


def test_pip_installs_from_the_sites_own_index(offline_context, site):
    lite = _lite(offline_context, site, "lite_pip")
    lite.open("pip_offline.ipynb")
    lite.run_all(timeout_ms=KERNEL_START_MS)
    lite.assert_no_errors()
    texts = lite.cell_outputs()
    assert any("micropip at start: False" in t for t in texts), texts
    assert any("installed: widgetsnbextension" in t for t in texts), texts
    assert any("folder last: True /drive" in t for t in texts), texts
    assert any("own module: 三社联动" in t for t in texts), texts
    assert any("coloured: True True True Python" in t for t in texts), texts
    assert any("tab: True False False" in t for t in texts), texts
    assert offline_context.blocked == [], offline_context.blocked
    lite.page.close()


def _answer_everything(lab) -> None:
    """One answer per widget type, as in ``support.quiz_clicks.answer_everything``, except the order
    step: its buttons are found by their text (in JupyterLite a button without a tooltip has
    an empty ``title``, in JupyterLab the title repeats the text)."""
    from support import quiz_clicks as q
    from support.quiz_clicks import link_organisations

    from sanshe_edu.i18n import use_lang
    from sanshe_edu.quiz.bank import question
    from sanshe_edu.quiz.check import organisations

    w = q.widget(lab, "single")
    w.get_by_text("a grassroots self-governing organisation of residents").click()
    q.check(lab, "single")
    w = q.widget(lab, "multiple")
    for label in q.MULTIPLE:
        w.get_by_text(label, exact=True).click()
    q.check(lab, "multiple")
    q.answer_rows(lab, "categorise")
    q.check(lab, "categorise")
    q.answer_rows(lab, "match")
    q.check(lab, "match")
    w = q.widget(lab, "order")
    target = ["needs assessment", "plan design", "implementation", "evaluation and summary"]
    rows = w.locator(".sanshe-order-row")

    def current() -> list[str]:
        texts = rows.locator(".widget-html").all_inner_texts()
        return [" ".join(re.sub(r"^\s*\d+\.", "", x).split()) for x in texts]

    for i, name in enumerate(target):
        j = current().index(name)
        while j > i:
            rows.nth(j).get_by_role("button", name="Move up").click()
            j -= 1
            lab.page.wait_for_function(
                "([sel, j, name]) => document.querySelectorAll(sel)[j].innerText.includes(name)",
                arg=[".sanshe-quiz-order .sanshe-order-row", j, name],
            )
    q.check(lab, "order")
    with use_lang("en"):
        names = {o["id"]: o["name"] for o in organisations(question("example.build_linkage"))}
    w = q.widget(lab, "network")
    for a, b in (("jwh", "sg"), ("sg", "lv"), ("jwh", "wy")):
        link_organisations(w, names[a], names[b])
    q.check(lab, "network")
    w = q.widget(lab, "matrix")
    for i, label in enumerate(("cooperate", "let it be", "compete")):
        q.select(w, i, label)
    q.check(lab, "matrix")
    w = q.widget(lab, "text")
    w.locator("textarea").fill(q.TEXT)
    q.check(lab, "text", expect="Saved and counted as done", button="Save")


def test_every_widget_type_answered_and_restored_after_reload(offline_context, site):
    from support import quiz_clicks as q
    from support.quiz_clicks import TYPES, widget

    lite = _lite(offline_context, site, "lite_quiz")
    lite.open("quiz_all_types.ipynb")
    lite.run_all(timeout_ms=KERNEL_START_MS)
    lite.assert_no_errors()
    for qtype in TYPES:
        widget(lite, qtype).wait_for()
    try:
        _answer_everything(lite)
    except Exception:
        lite.screenshot("lite_quiz_failed", full_page=True)
        raise
    lite.assert_no_errors()
    lite.screenshot("lite_quiz_answered")
    # Reload: a new kernel, nothing in memory; the answers come back from /drive.
    lite.page.reload()
    lite.open("quiz_all_types.ipynb")
    lite.run_all(timeout_ms=KERNEL_START_MS)
    lite.assert_no_errors()
    for qtype in TYPES:
        w = widget(lite, qtype)
        w.get_by_text("(your last answer was restored)").wait_for(timeout=30_000)
    assert widget(lite, "single").locator("button.mod-active").inner_text().strip() == (
        "a grassroots self-governing organisation of residents"
    )
    assert widget(lite, "multiple").locator("input[type=checkbox]:checked").count() == 3
    order = widget(lite, "order").locator(".sanshe-order-row .widget-html").all_inner_texts()
    assert [o.split(". ", 1)[1].strip() for o in order] == [
        "needs assessment",
        "plan design",
        "implementation",
        "evaluation and summary",
    ]
    assert widget(lite, "text").locator("textarea").input_value() == q.TEXT
    lite.screenshot("lite_quiz_restored")
    assert offline_context.blocked == [], offline_context.blocked
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "lite_timing.json").write_text(json.dumps(site[1], indent=1))


def test_mastery_and_the_next_days_review_in_the_browser(lesson_context, site):
    """Issue 27 in the browser edition: lesson 05 partly wrong, the concept map marks the weak
    concept, the next day's review serves the missed question, all kept in /drive over a
    reload (the same walk as tests/browser/test_mastery_browser.py)."""
    from support.mastery_clicks import (
        LESSON,
        answer_lesson05_partly_wrong,
        answer_the_due_question,
        check_after_reload,
        check_map,
    )

    lite = _lite(lesson_context, site, "lite_mastery")  # its own /drive, kept over the reload
    lite.open(site_names()[LESSON])  # the lesson by its Chinese title in the site
    lite.run_all(timeout_ms=KERNEL_START_MS)
    lite.assert_no_errors()
    answer_lesson05_partly_wrong(lite)
    lite.open("review_next_day.ipynb")
    lite.run_all(timeout_ms=KERNEL_START_MS)
    lite.assert_no_errors()
    check_map(lite, "lite_mastery_concept_map", lesson=site_names()[LESSON])
    answer_the_due_question(lite, "lite_mastery_review_answered")
    lite.page.reload()
    lite.open("review_next_day.ipynb")
    lite.run_all(timeout_ms=KERNEL_START_MS)
    lite.assert_no_errors()
    check_after_reload(lite)
    assert lesson_context.blocked == [], lesson_context.blocked


def test_the_site_opens_on_lesson_00_with_the_file_browser_closed_on_a_tablet(browser, site):
    context = _offline(browser, 768, 1024)
    try:
        page = context.new_page()
        page.goto(site[0].url(""))  # the front page, as ``lite serve`` opens it
        page.locator(".jp-NotebookPanel:visible .jp-Cell").first.wait_for(timeout=120_000)
        tab = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current")
        assert tab.inner_text().strip().startswith("00_开始这里")
        page.wait_for_function(
            "() => document.querySelector('#jp-left-stack')?.classList.contains('lm-mod-hidden')",
            timeout=30_000,
        )
        assert page.evaluate("() => window.sansheStorage") in (True, False)
        page.screenshot(path=str(ARTIFACTS / "lite_opens_on_00_768.png"))
        assert context.blocked == [], context.blocked
    finally:
        context.close()


#: What a widget shows as text beside or under its buttons (item texts, step texts, legends).
_TEXTS = ".sanshe-chooser-row > .widget-html, .sanshe-order-row > .widget-html, .sanshe-legend"
_OVERLAPS = """([sel]) => {
    const boxes = (w, s) => [...w.querySelectorAll(s)].map(e => [e, e.getBoundingClientRect()])
        .filter(([e, r]) => r.width > 0 && r.height > 0);
    const cut = (a, b) => Math.max(0, Math.min(a.right, b.right) - Math.max(a.left, b.left))
        * Math.max(0, Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top));
    const found = [];
    const panel = '.jp-NotebookPanel:not(.lm-mod-hidden) .sanshe-quiz';
    for (const w of document.querySelectorAll(panel)) {
        const buttons = boxes(w, 'button');
        const texts = boxes(w, sel);
        for (const [b, r] of buttons) {
            for (const [t, s] of texts) {
                if (cut(r, s) > 1) found.push(`${b.innerText} over ${t.innerText.slice(0, 30)}`);
            }
            for (const [c, q] of buttons) {
                if (c !== b && !c.contains(b) && !b.contains(c) && cut(r, q) > 1)
                    found.push(`${b.innerText} over ${c.innerText}`);
            }
        }
    }
    return [...new Set(found)];
}"""


@pytest.mark.parametrize("width,height", [(360, 740), (768, 1024)])
def test_every_widget_type_answered_on_a_phone_and_a_tablet(browser, site, width, height):
    from support.quiz_clicks import TYPES, widget

    context = _offline(browser, width, height)
    try:
        lite = Lite(site[0], context.new_page(), name=f"lite_narrow_{width}")
        lite.page.console_errors = []
        lite.open("quiz_all_types.ipynb")
        lite.run_all(timeout_ms=KERNEL_START_MS)
        lite.assert_no_errors()
        for qtype in TYPES:
            widget(lite, qtype).wait_for()
        overlaps = lite.page.evaluate(_OVERLAPS, [_TEXTS])
        assert overlaps == [], overlaps
        _answer_everything(lite)
        lite.assert_no_errors()
        overlaps = lite.page.evaluate(_OVERLAPS, [_TEXTS])
        assert overlaps == [], overlaps
        for qtype in TYPES:  # no widget wider than the screen (a wide part scrolls inside it)
            box = widget(lite, qtype).bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1, (qtype, box)
        for qtype in ("categorise", "match", "network"):
            w = widget(lite, qtype)
            w.scroll_into_view_if_needed()
            w.screenshot(path=str(ARTIFACTS / f"lite_{width}_{qtype}.png"))
        assert context.blocked == [], context.blocked
    finally:
        context.close()


def test_progress_exported_in_the_site_is_restored_in_jupyterlab(browser, site, lab, tmp_path):
    from support.jupyterlab import COURSE

    from sanshe_edu.i18n import t

    context = _offline(browser, accept_downloads=True)
    try:
        lite = Lite(site[0], context.new_page(), name="lite_export")
        lite.page.console_errors = []
        lite.open(site_names()["00_start_here.ipynb"])
        lite.run_all(timeout_ms=KERNEL_START_MS)
        w = lite.page.locator(".sanshe-quiz:visible").first
        w.get_by_role("button", name="Shift + Enter").click()
        w.get_by_role("button", name="检查答案").click()
        w.locator(".sanshe-feedback").get_by_text("回答正确").first.wait_for()
        panel = lite.page.locator(".sanshe-transfer:visible").first
        panel.scroll_into_view_if_needed()
        panel.get_by_role("button", name="导出学习进度").click()
        with lite.page.expect_download() as got:
            panel.locator("a.sanshe-transfer-download").click()
        exported = tmp_path / got.value.suggested_filename
        got.value.save_as(exported)
        data = json.loads(exported.read_text(encoding="utf-8"))
        assert data["format"] == "sanshe-edu-transfer/1"
        assert "l00.run_cell" in data["files"]["progress.json"]["json"]["questions"]
        # Closing the tab with an unsaved edit: no "leave site?" question (the answers are
        # stored already); a question would keep the page open (dismissed below).
        lite.page.on("dialog", lambda dialog: dialog.dismiss())
        lite.page.locator(".jp-NotebookPanel:visible .jp-CodeCell .cm-content").first.click()
        lite.page.keyboard.type("# ")
        lite.page.wait_for_function(
            "() => !!document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)"
            " .jp-mod-dirty, .lm-DockPanel-tabBar .jp-mod-dirty')"
        )
        with lite.page.expect_event("close", timeout=15_000):
            lite.page.close(run_before_unload=True)
    finally:
        context.close()
    # In JupyterLab: the start-here notebook's import button, then the answer is back.
    lab.open(lab.put_notebook(COURSE / "00_start_here.ipynb"))
    lab.run_all(timeout_ms=180_000)
    lab.screenshot("lite_import_in_jupyterlab_before")
    lab.assert_no_errors()
    panel = lab.page.locator(".jp-NotebookPanel:visible .sanshe-transfer").first
    panel.scroll_into_view_if_needed()
    with lab.page.expect_file_chooser() as chooser:
        panel.get_by_role("button", name="导入学习进度").click()
    chooser.value.set_files(str(exported))
    panel.get_by_text("导入 1 道题的答案").wait_for(timeout=30_000)
    lab.run_all(timeout_ms=180_000)
    w = lab.page.locator(".jp-NotebookPanel:visible .sanshe-quiz").first
    w.get_by_text(t("quiz.restored", lang="zh")).wait_for(timeout=30_000)
    assert w.locator("button.mod-active").inner_text().strip() == "Shift + Enter"
    lab.screenshot("lite_progress_imported_in_jupyterlab")
