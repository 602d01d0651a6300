"""Mastery and spaced review as a learner meets them in a real JupyterLab (issue 27).

Lesson 05, answered partly wrong (the single-choice question on how subject linkage and element
linkage relate: wrong; the network builder: right); then the review notebook, opened "the next
day" (``review_today(today=...)``, a parameter, not a sleep): its concept map marks the missed
concept 待加强 in words and links it to its lesson section, and the review serves the missed
question, answered right this time. After a reload the map still shows the evidence and the
review has nothing left for that day. Screenshots go to tests/artifacts/.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
import yaml
from support.jupyterlab import COURSE
from support.quiz_clicks import link_organisations

from sanshe_edu.model import load_case

LESSON = COURSE / "05_subject_element_linkage.ipynb"
REVIEW = COURSE / "review.ipynb"
QUESTIONS = COURSE.parent / "questions" / "l05_subject_element_linkage.yaml"


def folds_into() -> tuple[str, str]:
    """(a wrong option's words, the right option's words) of l05.folds_into, in Chinese."""
    data = yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))
    q = next(q for q in data["questions"] if q["id"] == "folds_into")
    wrong = next(o for o in q["options"] if not o.get("correct"))
    right = next(o for o in q["options"] if o.get("correct"))
    return wrong["text"]["zh"], right["text"]["zh"]


def review_next_day() -> dict:
    """The review notebook with the review moved to tomorrow (its one parameter)."""
    nb = json.loads(REVIEW.read_text(encoding="utf-8"))
    tomorrow = (datetime.now(timezone.utc) + timedelta(days=1)).isoformat(timespec="seconds")
    cells = [c for c in nb["cells"] if "".join(c["source"]).strip() == "review_today()"]
    assert len(cells) == 1
    cells[0]["source"] = [f'review_today(today="{tomorrow}")']
    return nb


@pytest.mark.slow
def test_lesson05_partly_wrong_then_the_map_and_the_next_days_review(lab):
    wrong, right = folds_into()
    names = {o["id"]: o["name"] for o in load_case("xingfuli")["organisations"]}
    lab.open(lab.put_notebook(LESSON))
    lab.run_all(timeout_ms=180_000)
    lab.assert_no_errors()
    single = lab.page.locator(".sanshe-quiz-single:visible").first
    single.scroll_into_view_if_needed()
    single.get_by_role("button", name=wrong, exact=True).click()
    single.get_by_role("button", name="检查答案").click()
    single.locator(".sanshe-feedback").get_by_text("✘").first.wait_for(timeout=15_000)
    net = lab.page.locator(".sanshe-quiz-network:visible").first
    net.scroll_into_view_if_needed()
    for a, b in (("jwh", "sg"), ("sg", "lv"), ("jwh", "lv")):
        link_organisations(net, names[a], names[b])
    net.get_by_role("button", name="检查答案").click()
    net.locator(".sanshe-feedback").get_by_text("回答正确").first.wait_for(timeout=15_000)

    path = lab.put_notebook(review_next_day(), "review.ipynb")
    lab.open(path)
    lab.run_all(timeout_ms=120_000)
    lab.assert_no_errors()
    page = lab.page
    weak = page.locator(".sanshe-concept-map:visible [data-concept='subject_in_element']")
    weak.wait_for(timeout=30_000)
    assert weak.get_attribute("data-state") == "weak"
    assert "待加强" in weak.text_content()  # the state in words, not colour alone
    link = page.locator(".sanshe-concept-link[data-concept='subject_in_element']:visible")
    target = link.get_attribute("href")  # JupyterLab rewrites it to its own /files/ address
    assert "05_subject_element_linkage.ipynb" in target and "#4.-" in target
    held = page.locator(".sanshe-concept-map:visible [data-concept='subject_linkage']")
    assert held.get_attribute("data-state") in ("learning", "mastered")
    # JupyterLab's link handling of the output went through (it breaks on an SVG link)
    assert "Javascript Error" not in page.locator(".jp-NotebookPanel:visible").inner_text()
    table = page.locator(".sanshe-weak-table:visible")
    assert "主体联动融入要素联动" in table.inner_text()
    page.locator(".sanshe-concept-map:visible").scroll_into_view_if_needed()
    lab.screenshot("mastery_concept_map")

    review = page.locator(".sanshe-review:visible")
    assert "有 1 道题要复习" in review.inner_text()
    assert "上次你的答案" in review.inner_text() and wrong in review.inner_text()
    again = review.locator(".sanshe-quiz-single").first
    again.scroll_into_view_if_needed()
    again.get_by_role("button", name=right, exact=True).click()
    again.get_by_role("button", name="检查答案").click()
    again.locator(".sanshe-feedback").get_by_text("回答正确").first.wait_for(timeout=15_000)
    lab.screenshot("mastery_review_answered")

    # The box is a link: it opens lesson 05 in JupyterLab.
    link.scroll_into_view_if_needed()
    link.click()
    page.locator(".lm-TabBar-tab.lm-mod-current", has_text="05_subject").wait_for(timeout=30_000)
    page.locator(".lm-TabBar-tab", has_text="review.ipynb").first.click()

    # Progress survives a reload: the map keeps the evidence, the review is done for the day.
    page.reload()
    lab.open(path)
    lab.run_all(timeout_ms=120_000)
    lab.assert_no_errors()
    after = page.locator(".sanshe-concept-map:visible [data-concept='subject_in_element']")
    after.wait_for(timeout=30_000)
    assert after.get_attribute("data-state") in ("learning", "weak")
    assert "%" in after.text_content()
    done = page.locator(".sanshe-review:visible")
    assert "今天没有要复习的题" in done.inner_text()
