"""Lesson 05 as a student uses it in a real JupyterLab: the interactive network draws, and the
network-builder exercise can be solved with the mouse.

Run All, then: the interactive network (``interactive_network(G)``) shows its links and
Chinese names, and a click on an organisation describes it; in
exercise ``l05.build_network`` the student links 居委会–社工中心, 社工中心–环保中心 and
居委会–环保中心 by pressing an organisation (step ①) and then its partner (step ②),
presses 检查答案 and is told the answer is right. A first, incomplete network (one link) must
not be accepted. Screenshots of both widgets go to tests/artifacts/.
"""

from __future__ import annotations

import pytest
from support.jupyterlab import COURSE
from support.quiz_clicks import link_organisations

from sanshe_edu.model import load_case

LESSON = COURSE / "05_subject_element_linkage.ipynb"


@pytest.mark.slow
def test_lesson05_network_widgets(lab):
    names = {o["id"]: o["name"] for o in load_case("xingfuli")["organisations"]}
    lab.open(lab.put_notebook(LESSON))
    lab.run_all(timeout_ms=180_000)
    lab.assert_no_errors()

    # The interactive network: links (lines) and Chinese names; a click describes one.
    net = lab.page.locator(".jp-NotebookPanel:visible .sanshe-explorer").first
    net.wait_for(timeout=30_000)
    net.scroll_into_view_if_needed()
    assert net.locator("svg path").count() >= 10  # the links
    assert names["jwh"] in "".join(net.locator("svg text").all_text_contents())
    net.get_by_role("button", name=names["sg"]).click()
    net.locator(".sanshe-explorer-details").get_by_text("如果把它从网络里拿掉").wait_for()
    lab.screenshot("course_05_interactive_network")

    w = lab.page.locator(".sanshe-quiz-network:visible").first
    w.scroll_into_view_if_needed()
    # One link only: the non-profit category is missing, so the answer is not accepted.
    link_organisations(w, names["jwh"], names["sg"])
    w.get_by_role("button", name="检查答案").click()
    w.locator(".sanshe-feedback").get_by_text("✘").first.wait_for(timeout=15_000)
    assert "回答正确" not in w.locator(".sanshe-feedback").inner_text()

    link_organisations(w, names["sg"], names["lv"])
    link_organisations(w, names["jwh"], names["lv"])
    w.get_by_role("button", name="检查答案").click()
    w.locator(".sanshe-feedback").get_by_text("回答正确").first.wait_for(timeout=15_000)
    lab.screenshot("course_05_network_builder")
