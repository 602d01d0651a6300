"""What a learner does in the mastery browser tests (JupyterLab and the browser edition alike):
lesson 05 answered partly wrong, the review notebook opened "the next day", the concept map and
the due question checked, and what must still be there after a reload."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import yaml

from sanshe_edu.model import load_case
from sanshe_edu.paths import course_dir

from .quiz_clicks import link_organisations

REPO = Path(__file__).resolve().parents[2]
QUESTIONS = REPO / "questions" / "l05_subject_element_linkage.yaml"
LESSON = "05_subject_element_linkage.ipynb"


def folds_into() -> tuple[str, str]:
    """(a wrong option's words, the right option's words) of l05.folds_into, in Chinese."""
    data = yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))
    q = next(q for q in data["questions"] if q["id"] == "folds_into")
    wrong = next(o for o in q["options"] if not o.get("correct"))
    right = next(o for o in q["options"] if o.get("correct"))
    return wrong["text"]["zh"], right["text"]["zh"]


def review_next_day() -> dict:
    """The review notebook with the review moved to tomorrow (its one parameter, no sleep)."""
    nb = json.loads((course_dir() / "review.ipynb").read_text(encoding="utf-8"))
    tomorrow = (datetime.now(timezone.utc) + timedelta(days=1)).isoformat(timespec="seconds")
    cells = [c for c in nb["cells"] if "".join(c["source"]).strip() == "review_today()"]
    assert len(cells) == 1
    cells[0]["source"] = [f'review_today(today="{tomorrow}")']
    return nb


def answer_lesson05_partly_wrong(lab) -> None:
    """In the open, run lesson 05: the single-choice question wrong, the network right."""
    wrong, _right = folds_into()
    names = {o["id"]: o["name"] for o in load_case("xingfuli")["organisations"]}
    # l05.folds_into, by its prompt (lesson 05 has more than one single-choice question)
    single = lab.page.locator(".sanshe-quiz-single:visible", has_text="融入要素联动以后").first
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


def check_map(lab, shot: str, lesson: str = LESSON):
    """In the run review notebook: the missed concept is marked 待加强 in words, the one
    answered right is not, the box links to its lesson section. Returns the link."""
    page = lab.page
    weak = page.locator(".sanshe-concept-map:visible [data-concept='subject_in_element']")
    weak.wait_for(timeout=30_000)
    assert weak.get_attribute("data-state") == "weak", weak.get_attribute("data-state")
    assert "待加强" in weak.text_content()  # the state in words, not colour alone
    link = page.locator(".sanshe-concept-link[data-concept='subject_in_element']:visible")
    target = link.get_attribute("href")  # JupyterLab may rewrite it to its own address
    from urllib.parse import unquote

    # the lesson's file (in the browser edition, by its Chinese title), at its section 4
    assert lesson in unquote(target) and "#4.-" in target, target
    held = page.locator(".sanshe-concept-map:visible [data-concept='subject_linkage']")
    assert held.get_attribute("data-state") in ("learning", "mastered")
    # the output's links were handled (an SVG link breaks JupyterLab's handling)
    assert "Javascript Error" not in page.locator(".jp-NotebookPanel:visible").inner_text()
    assert "主体联动融入要素联动" in page.locator(".sanshe-weak-table:visible").inner_text()
    page.locator(".sanshe-concept-map:visible").scroll_into_view_if_needed()
    lab.screenshot(shot)
    return link


def answer_the_due_question(lab, shot: str) -> None:
    wrong, right = folds_into()
    review = lab.page.locator(".sanshe-review:visible")
    assert "有 1 道题要复习" in review.inner_text()
    assert "上次你的答案" in review.inner_text() and wrong in review.inner_text()
    again = review.locator(".sanshe-quiz-single").first
    again.scroll_into_view_if_needed()
    again.get_by_role("button", name=right, exact=True).click()
    again.get_by_role("button", name="检查答案").click()
    again.locator(".sanshe-feedback").get_by_text("回答正确").first.wait_for(timeout=15_000)
    lab.screenshot(shot)


def check_after_reload(lab) -> None:
    """The evidence is still there and the day's review is done."""
    after = lab.page.locator(".sanshe-concept-map:visible [data-concept='subject_in_element']")
    after.wait_for(timeout=30_000)
    assert after.get_attribute("data-state") in ("learning", "weak")
    assert "%" in after.text_content()
    assert "今天没有要复习的题" in lab.page.locator(".sanshe-review:visible").inner_text()
