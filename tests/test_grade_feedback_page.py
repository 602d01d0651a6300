"""The students' feedback page: nbgrader's feedback, with its chrome in the grading language.

A tiny course is built in ``tmp_path`` (one notebook: an answer cell, an autograded test cell
with a hidden test, a manually graded written answer), released, submitted, autograded and
marked with real nbgrader; then ``generate_feedback`` runs through nbgrader's Python API with
:func:`sanshe_edu.grade.feedback_template.configure`, once in Chinese and once in English.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import nbformat
import pytest
from grade_support import isolated_state_in

from sanshe_edu.grade.feedback_template import configure
from sanshe_edu.grade.pipeline.course import _alembic_on_path

# nbgrader's own autograde warns about its session handling (not this test's concern)
pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")

ASSIGNMENT = "ps1"
STUDENT = "s001"
SECRET = "SECRET_HIDDEN_CHECK"
ESSAY = "社区、社会组织与社会工作者三方联动。"
COMMENT = "论述清楚，可补充一个实例。"

# A resource fetched from another host: <script src=…>, <link href=…>, <img src=…>, CSS url()
# or @import with an http(s) or protocol-relative address.
REMOTE = re.compile(
    r"""<(?:script|link|img|iframe|audio|video|source|embed|object)\b[^>]*"""
    r"""\b(?:src|href|data)\s*=\s*["']?\s*(?:https?:)?//"""
    r"""|url\(\s*["']?\s*(?:https?:)?//|@import""",
    re.IGNORECASE,
)


def _cell(kind: str, source: str, grade_id: str | None = None, **meta: object):
    make = nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell
    cell = make(source)
    if grade_id:
        cell.metadata["nbgrader"] = {
            "grade": False,
            "solution": False,
            "locked": False,
            "task": False,
            "schema_version": 3,
            "grade_id": grade_id,
            **meta,
        }
    return cell


def _source_notebook():
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [
        _cell("markdown", "# 练习一\n\n把 `x` 设为 2。"),
        _cell("code", "### BEGIN SOLUTION\nx = 2\n### END SOLUTION", "answer", solution=True),
        _cell(
            "code",
            f'"""x 等于 2"""\nassert x == 2\n### BEGIN HIDDEN TESTS\n'
            f"assert x + 0 == 2  # {SECRET}\n### END HIDDEN TESTS",
            "test_x",
            grade=True,
            locked=True,
            points=2,
        ),
        _cell("markdown", "## 2. 短文 / Short essay（3 分 / points）\n\n写几句话。"),
        _cell("markdown", "YOUR ANSWER HERE", "essay", grade=True, solution=True, points=3),
    ]
    return nb


def _config(course: Path, lang: str | None = None):
    from traitlets.config import Config

    c = Config()
    c.CourseDirectory.root = str(course)
    c.CourseDirectory.course_id = "tiny"
    c.CourseDirectory.db_url = f"sqlite:///{course / 'gradebook.db'}"
    c.NbGraderAPI.log_level = logging.WARNING
    c.Execute.timeout = 30
    # as in grading/nbgrader_config.py: the hidden tests are stripped before rendering
    c.GenerateFeedback.preprocessors = [
        "sanshe_edu.grade.preprocessors.HideHiddenTests",
        "nbgrader.preprocessors.GetGrades",
        "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    ]
    return configure(c, lang=lang)


def _api(course: Path, lang: str | None = None):
    from nbgrader.apps import NbGraderAPI

    api = NbGraderAPI(config=_config(course, lang))
    api.log.setLevel(logging.WARNING)
    return api


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    """The tiny course, released, submitted, autograded and marked (no feedback yet)."""
    root = tmp_path_factory.mktemp("feedback_page")
    course = root / "course"
    source = course / "source" / ASSIGNMENT
    source.mkdir(parents=True)
    nbformat.write(_source_notebook(), str(source / f"{ASSIGNMENT}.ipynb"))
    (root / "state").mkdir()
    with isolated_state_in(root / "state"):
        _alembic_on_path()
        api = _api(course)
        result = api.generate_assignment(ASSIGNMENT)
        assert result["success"], result.get("error")

        released = nbformat.read(str(course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"), 4)
        for cell in released.cells:
            gid = cell.metadata.get("nbgrader", {}).get("grade_id")
            if gid == "answer":
                cell.source = "x = 2"
            elif gid == "essay":
                cell.source = ESSAY
        submitted = course / "submitted" / STUDENT / ASSIGNMENT
        submitted.mkdir(parents=True)
        nbformat.write(released, str(submitted / f"{ASSIGNMENT}.ipynb"))

        result = api.autograde(ASSIGNMENT, STUDENT)
        assert result["success"], result.get("error")

        from nbgrader.api import Gradebook

        with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
            grade = gb.find_grade("essay", ASSIGNMENT, ASSIGNMENT, STUDENT)
            grade.manual_score = 1.5
            comment = gb.find_comment("essay", ASSIGNMENT, ASSIGNMENT, STUDENT)
            comment.manual_comment = COMMENT
            gb.db.commit()
    return course


def _feedback(course: Path, lang: str | None = None) -> str:
    with isolated_state_in(course.parent / "state"), pytest.MonkeyPatch.context() as mp:
        if lang:
            # the language as `sanshe-edu --lang` sets it, read when configure() runs
            mp.setenv("SANSHE_EDU_LANG", lang)
        result = _api(course).generate_feedback(ASSIGNMENT, STUDENT, force=True)
    assert result["success"], result.get("error")
    page = course / "feedback" / STUDENT / ASSIGNMENT / f"{ASSIGNMENT}.html"
    return page.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def page_zh(course) -> str:
    return _feedback(course)


@pytest.fixture(scope="module")
def page_en(course, page_zh) -> str:  # after the Chinese page: both write the same file
    return _feedback(course, "en")


def _no_remote_loads(html: str) -> None:
    assert REMOTE.findall(html) == []
    assert "<script" not in html  # no MathJax, require.js, jQuery, mermaid or widget loader
    assert "mathjax" not in html.lower()
    assert "cdnjs" not in html and "unpkg" not in html and "jsdelivr" not in html


def _no_hidden_tests(html: str) -> None:
    assert SECRET not in html
    assert "HIDDEN TESTS" not in html


def test_chinese_page(page_zh):
    html = page_zh
    assert '<html lang="zh-CN">' in html
    assert "<title>作业反馈：ps1 · ps1</title>" in html
    for text in ("<h1>作业反馈</h1>", "<dt>学生</dt>", "<dt>作业</dt>", "各题得分", "评语："):
        assert text in html, text
    assert f'<dd class="sanshe-student">{STUDENT}</dd>' in html
    assert f'<dd class="sanshe-assignment">{ASSIGNMENT}</dd>' in html
    assert '<p class="sanshe-total">得分 3.5 / 5</p>' in html
    # the per-question lines of the contents (by the heading above the question, else by its
    # grade id), and the relabelled badges in the notebook
    kind = r"</a> <span class=\"sanshe-kind\">（{}）</span> <span[^>]*>得分 {}<"
    assert re.search(r">test_x" + kind.format("自动检查", "2 / 2"), html)
    assert re.search(r">2\. 短文 / Short essay" + kind.format("文字作答", "1.5 / 3"), html)
    assert "你的作答" in html and "评分单元：" in html and "（回到顶部）" in html
    assert html.count("得分 2 / 2") == 2 and html.count("得分 1.5 / 3") == 2
    # nbgrader's English chrome is gone
    for english in ("Score:", "Test cell", "Written response", "Student's answer", "(Top)"):
        assert english not in html, english
    # a CJK font stack
    assert '"PingFang SC"' in html and '"Microsoft YaHei"' in html and '"Noto Sans CJK SC"' in html


def test_chinese_page_keeps_the_notebook(page_zh):
    html = page_zh
    assert ESSAY in html and COMMENT in html  # the written answer and the grader's comment
    assert "练习一" in html  # a plain markdown cell
    assert "x 等于 2" in html  # the visible part of the test cell (its docstring)
    assert 'id="notebook-container"' in html and "input_area" in html
    assert html.count("<body") == 1 and html.count("</html>") == 1


def test_chinese_page_is_offline_and_without_hidden_tests(page_zh):
    _no_remote_loads(page_zh)
    _no_hidden_tests(page_zh)
    assert "Content-Security-Policy" in page_zh


def test_english_page(page_en):
    html = page_en
    assert '<html lang="en">' in html
    assert "<h1>Feedback</h1>" in html and "<dt>Student</dt>" in html
    assert '<p class="sanshe-total">Score: 3.5 / 5</p>' in html
    kind = r"</a> <span class=\"sanshe-kind\">\({}\)</span> <span[^>]*>Score: {}<"
    assert re.search(r">test_x" + kind.format("Test cell", "2 / 2"), html)
    assert re.search(r">2\. 短文 / Short essay" + kind.format("Written response", "1.5 / 3"), html)
    assert "Student's answer" in html and "Comments:" in html and "Score by question" in html
    for chinese in ("作业反馈", "得分", "自动检查", "回到顶部"):
        assert chinese not in html, chinese
    assert ESSAY in html  # the notebook itself is not translated
    _no_remote_loads(html)
    _no_hidden_tests(html)


@pytest.mark.browser
def test_feedback_page_and_class_report_pass_axe(course, tmp_path):
    """axe-core (issue 28) on the Chinese feedback page and the class report of this course: no
    critical or serious violation of ours. nbconvert's rendering of code cells (prompts,
    highlighted input) is nbgrader's; the per-page counts are printed."""
    from support.a11y import audit_files

    from sanshe_edu.grade.trainer.report import write_report

    html = _feedback(course)
    assert '<html lang="zh-CN">' in html
    page = course / "feedback" / STUDENT / ASSIGNMENT / f"{ASSIGNMENT}.html"
    config = course / "nbgrader_config.py"  # what `sanshe-edu grade report` reads
    config.write_text(
        f"c = get_config()  # noqa\nc.CourseDirectory.root = {str(course)!r}\n"
        "c.CourseDirectory.course_id = 'tiny'\n"
    )
    with isolated_state_in(course.parent / "state"):
        write_report(course, ASSIGNMENT, tmp_path / "report")
    report = tmp_path / "report" / "report.html"
    assert '<html lang="zh-CN">' in report.read_text(encoding="utf-8")
    theirs = ".prompt, .input_area, .highlight"
    for audit in audit_files(
        [("feedback page", page, "nbgrader", theirs), ("class report", report, "other", "")]
    ):
        audit.assert_ours_clean()
