"""Lesson 06 after a page reload on a loaded machine: one kernel, started without asking
(issue 24).

The kernel chooser a student met is reproduced by making the notebook's first session request
fail, as a timeout on a loaded server does: plain JupyterLab says it could not start the kernel
and asks which kernel to use; dismissed, the notebook has no kernel and every cell asks again.
The course's lab extension (``labextension/``, ``sanshe-edu-lab:kernel-start``) starts the
notebook's own kernel again instead: the same failure brings no dialog and the whole lesson
runs in one kernel.  With the course's JupyterLab settings (``platform/jupyter_learner``:
``autoStartDefaultKernel``) a slow session start (seconds, as under load) starts the one
kernel without a dialog too.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest
from support.jupyterlab import ARTIFACTS, Lab, LabServer, assert_file_names_whole

REPO = Path(__file__).resolve().parents[2]
LESSON = REPO / "course" / "06_four_phases.ipynb"
LEARNER = REPO / "src" / "sanshe_edu" / "platform" / "jupyter_learner" / "labconfig"


PLUGIN = "sanshe-edu-lab:kernel-start"


def _lab(tmp_path_factory, name: str, ours: bool):
    from conftest import _require_browser

    _require_browser()
    server = LabServer(tmp_path_factory.mktemp(name))
    labconfig = Path(server.env["JUPYTER_CONFIG_DIR"]) / "labconfig"
    shutil.copy(LEARNER / "default_setting_overrides.json", labconfig)
    if not ours:  # JupyterLab as it comes: the course's extension switched off
        page_config = labconfig / "page_config.json"
        config = json.loads(page_config.read_text(encoding="utf-8"))
        config["disabledExtensions"] = {**config.get("disabledExtensions", {}), PLUGIN: True}
        page_config.write_text(json.dumps(config), encoding="utf-8")
    shutil.copy(LESSON, server.root / LESSON.name)
    server.start()
    return server


@pytest.fixture(scope="module")
def course_lab(tmp_path_factory):
    """A JupyterLab with the course's learner settings (as ``sanshe-edu lab`` and the class
    server write them) and its lab extension."""
    server = _lab(tmp_path_factory, "kernelstart", ours=True)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def plain_lab(tmp_path_factory):
    """The same JupyterLab without the course's extension: the cause, reproduced."""
    server = _lab(tmp_path_factory, "kernelstart-plain", ours=False)
    yield server
    server.stop()


def _reload_with(page, lab, handler) -> list[str]:
    """Open lesson 06, end its kernel (as a restarted or culled server does), reload with
    ``handler`` on the session requests; the dialogs seen while the notebook comes back."""
    lab.open(LESSON.name)
    lab.server.shutdown_kernels()
    page.route("**/api/sessions*", handler)
    page.reload()
    page.locator(".jp-NotebookPanel .jp-Cell").first.wait_for(timeout=90_000)
    seen: list[str] = []
    deadline = time.monotonic() + 25
    while time.monotonic() < deadline:
        seen += page.locator(".jp-Dialog").all_inner_texts()
        if seen or "Idle" in page.locator("#jp-main-statusbar").inner_text():
            break
        page.wait_for_timeout(300)
    return seen


def _runs_in_one_kernel(lab, server) -> None:
    """The lesson runs from top to bottom with no dialog, no error and one kernel session."""
    lab.run_all(timeout_ms=180_000)
    assert lab.page.locator(".jp-Dialog").count() == 0
    lab.assert_no_errors()
    sessions = [s for s in server.api("GET", "api/sessions") if s["path"] == LESSON.name]
    assert len(sessions) == 1


def _page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    return context, context.new_page()


def _fail_first(failed: list):
    """A route handler: the first POST (the session that starts the kernel) fails."""

    def handler(route):
        if route.request.method == "POST" and not failed:
            failed.append(route.request.url)
            route.fulfill(status=500, body=json.dumps({"message": "timed out"}))
        else:
            route.continue_()

    return handler


def test_a_failed_kernel_start_brings_the_kernel_chooser(browser, plain_lab):
    """The cause reproduced, in JupyterLab without the course's extension: the first session
    request fails (a loaded server's timeout)."""
    context, page = _page(browser)
    failed: list = []
    try:
        seen = _reload_with(page, Lab(plain_lab, page), _fail_first(failed))
        assert failed and seen, "no dialog after a failed kernel start"
        page.locator(".jp-Dialog .jp-mod-accept").first.click(force=True)
        chooser = page.locator(".jp-Dialog", has_text="Select Kernel")
        chooser.wait_for(timeout=15_000)  # the kernel chooser the student met
    finally:
        context.close()
        plain_lab.shutdown_kernels()


def test_after_a_failed_kernel_start_lesson_06_runs_in_one_kernel(browser, course_lab):
    """The same failure with the course's extension: no dialog at all, the notebook's own
    kernel is started again, and the whole lesson runs in it."""
    context, page = _page(browser)
    failed: list = []
    try:
        lab = Lab(course_lab, page)
        assert _reload_with(page, lab, _fail_first(failed)) == []
        assert failed, "the session request was not failed"
        _runs_in_one_kernel(lab, course_lab)
    finally:
        context.close()
        course_lab.shutdown_kernels()


def test_a_slow_kernel_start_runs_lesson_06_in_one_kernel(browser, course_lab):
    """Session start slowed by 4 s after a reload: no dialog, one kernel, the lesson runs."""
    assert tracker_default(course_lab, "autoStartDefaultKernel") is True
    context, page = _page(browser)

    def slow(route):
        if route.request.method == "POST":
            time.sleep(4)
        route.continue_()

    try:
        lab = Lab(course_lab, page)
        assert _reload_with(page, lab, slow) == []
        _runs_in_one_kernel(lab, course_lab)
    finally:
        context.close()
        course_lab.shutdown_kernels()


def tracker_default(server, name: str, plugin: str = "@jupyterlab/notebook-extension:tracker"):
    """A setting's default as JupyterLab serves it (the course's overrides applied)."""
    data = server.api("GET", f"lab/api/settings/{plugin}")
    return data["schema"]["properties"][name]["default"]


def test_widget_messages_go_to_the_kernels_main_shell(course_lab):
    """JupyterLab 4.6 sends widget messages to a kernel "subshell" by default; with a second
    kernel open it used the first kernel's subshell and the kernel dropped the click ("Unknown
    subshell_id": a live-poll answer lost on the class server, jupyterlab#17633), and widget
    callbacks would run beside the cell being executed. The course turns it off."""
    plugin = "@jupyterlab/apputils-extension:kernels-settings"
    assert tracker_default(course_lab, "commsOverSubshells", plugin) == "disabled"


def test_the_file_browser_shows_each_lessons_whole_name(browser, course_lab):
    """The lessons' file names are English and long (``05_subject_element_linkage.ipynb``);
    with JupyterLab's "Modified" column beside them the file browser cut them to
    "00_start_here.i…". The course's settings leave that column out: every lesson's whole
    name shows in the file browser as it opens."""
    books = sorted((REPO / "course").glob("[0-9][0-9]_*.ipynb"))
    placed = [course_lab.root / b.name for b in books if not (course_lab.root / b.name).exists()]
    for path in placed:
        path.write_text(json.dumps({"cells": [], "metadata": {}, "nbformat": 4,
                                    "nbformat_minor": 5}), encoding="utf-8")  # fmt: skip
    context, page = _page(browser)
    try:
        page.goto(course_lab.url("lab", reset=""))
        listing = page.locator(".jp-DirListing-content")
        listing.locator(".jp-DirListing-item", has_text=books[-1].name).wait_for(timeout=90_000)
        assert_file_names_whole(page, [b.name for b in books])
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "lab_file_browser_lesson_names.png"))
    finally:
        context.close()
        for path in placed:
            path.unlink()
