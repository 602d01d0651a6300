"""Feedback handed back: the page names the student and the assignment, and carries the widget
review once (made anew when decorated again)."""

from __future__ import annotations

from sanshe_edu.grade.trainer.handback import MARK, decorate, review_html

PAGE = (
    '<html><body><dl><dd class="sanshe-student">2023002</dd>'
    '<dd class="sanshe-assignment">a3_phases</dd></dl><nav>toc</nav><main>cells</main>'
    "</body></html>"
)


def test_page_names_student_and_title_and_says_why(monkeypatch):
    monkeypatch.setenv("SANSHE_EDU_LANG", "zh")
    items = [
        {
            "title": "1. 四个阶段的顺序",
            "answered": True,
            "wrong": [("计划推行", "第 2 位", "先要有方案才能推行。")],
            "right": [("需求评估", "第 1 位")],
            "missed": 0,
        },
        {"title": "2. <b>x</b>", "answered": False, "wrong": [], "right": [], "missed": 0},
    ]
    page = decorate(PAGE, "2023002", "李四", "作业三：项目过程", review_html(items))
    assert '<dd class="sanshe-student">李四（2023002）</dd>' in page
    assert '<dd class="sanshe-assignment">作业三：项目过程</dd>' in page
    assert "“计划推行”：你选了“第 2 位”，不对。" in page and "为什么：先要有方案才能推行。" in page
    assert "“需求评估”：“第 1 位”，对。" in page and "没有作答" in page
    assert "<b>x</b>" not in page  # escaped
    assert page.index("</nav>") < page.index(MARK) < page.index("<main>")
    again = decorate(page, "2023002", "李四", "作业三：项目过程", review_html(items[1:]))
    assert again.count(f"class='panel-body {MARK}'") == 1 and "计划推行" not in again
