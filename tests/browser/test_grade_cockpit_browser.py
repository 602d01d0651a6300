"""The trainer's cockpit in real JupyterLab, as a teacher uses it: two assignments and a
roster of five (one hands in nothing, one is late) — generate, set the due date, upload the
LMS zip through the cockpit, autograde, mark two written answers in the marking view, hand
back feedback, the class report, and the course gradebook (.xlsx read back with openpyxl).
Screenshots of the steps the guide shows go to tests/artifacts/ (docs/images/trainer/ holds
the chosen ones).
"""

from __future__ import annotations

import copy
import json
import shutil
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/grade_support.py
from grade_support import model_widget_answers, solutions, with_widget_answers
from support.a11y import axe_audit

REPO = Path(__file__).resolve().parents[2]
A1, A3 = "a1_concepts", "a3_phases"
WRONG_ORDER = ["needs", "implement", "design", "evaluate"]  # 2 of 4 places right
ROSTER = {"2023001": "张三", "2023002": "李四", "2023003": "王五", "2023004": "赵六",
          "2023005": "钱七"}  # fmt: skip
ON_TIME, LATE = (2025, 12, 30, 9, 15, 0), (2025, 12, 31, 8, 0, 0)  # due 2025-12-30 12:00


def answered(course: Path, name: str, answers: dict[str, str], widgets: dict | None = None):
    """The release with these answer cells, and these widget answers saved in the notebook."""
    nb = copy.deepcopy(nbformat.read(str(course / "release" / name / f"{name}.ipynb"), 4))
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in answers and cell.metadata["nbgrader"].get("solution"):
            cell.source = answers[gid]
    with_widget_answers(nb, widgets or {})
    return nbformat.writes(nb).encode()


def answers_file(answers: dict) -> bytes:
    """A sanshe_answers.json as an older copy of the course wrote it next to the notebook."""
    from sanshe_edu.quiz.bank import question

    recs = {
        qid: {"type": question(qid)["type"], "answer": a, "updated": "2025-12-30T09:00:00+0800"}
        for qid, a in answers.items()
    }
    return json.dumps({"format": "sanshe-edu-answers/1", "answers": recs}).encode()


def write_zip(dest: Path, entries: list[tuple[str, bytes, tuple]]) -> Path:
    with zipfile.ZipFile(dest, "w") as z:
        for name, data, when in entries:
            z.writestr(zipfile.ZipInfo(name, date_time=when), data)
    return dest


def a3_zip(course: Path, dest: Path) -> Path:
    good, right = solutions(A3), model_widget_answers(A3)
    half = good["phase_of"].replace('"needs_assessment"', '"评估总结"', 1)
    half = half.replace('"evaluation"', '"需求评估"', 1)  # two of four swapped
    return write_zip(
        dest,
        [
            # 学习通: a folder each; 张三's widget answers only in an answers file beside it.
            ("2023001_张三/a3_phases.ipynb", answered(course, A3, good), ON_TIME),
            ("2023001_张三/sanshe_answers.json", answers_file(right), ON_TIME),
            ("2023002_李四/a3_phases.ipynb",
             answered(course, A3, {"phase_of": half}, {"a3.phase_order": WRONG_ORDER}), ON_TIME),
            ("2023003_王五_a3_phases.ipynb",
             answered(course, A3, dict(good, phase_of=good["phase_of"] + "\n# 王五")), LATE),
            ("2023004_赵六_a3_phases.ipynb",
             answered(course, A3, dict(good, phase_of=good["phase_of"] + "\n# 赵六"), right),
             ON_TIME),
            ("作业三(1).ipynb", answered(course, A3, good), ON_TIME),  # misnamed
        ],
    )  # fmt: skip


def a1_zip(course: Path, dest: Path) -> Path:
    good, right = solutions(A1), model_widget_answers(A1)
    return write_zip(
        dest,
        [
            ("2023001_张三_a1_concepts.ipynb", answered(course, A1, good, right), ON_TIME),
            ("2023002_李四_a1_concepts.ipynb", answered(course, A1, good), ON_TIME),
        ],
    )


LEFTOVERS = ("release", "submitted", "autograded", "feedback", "reports", "source", "imports",
             "handback", "exports")  # fmt: skip


@pytest.fixture
def course(lab_server):
    course = Path(lab_server.course_root)
    for leftover in LEFTOVERS:
        shutil.rmtree(course / leftover, ignore_errors=True)
    (course / "gradebook.db").unlink(missing_ok=True)
    shutil.copytree(REPO / "grading" / "source", course / "source", dirs_exist_ok=True)
    # the banks' source beside the course: the "why not" of each wrong choice
    questions = course.parent / "questions"
    added = not questions.exists()
    if added:
        shutil.copytree(REPO / "questions", questions)
    config = (REPO / "grading" / "nbgrader_config.py").read_text(encoding="utf-8")
    (course / "nbgrader_config.py").write_text(config, encoding="utf-8")
    lines = "".join(f"{sid},{name}\n" for sid, name in ROSTER.items())
    (course / "roster.csv").write_bytes(("学号,姓名\n" + lines).encode("gbk"))
    yield course
    for leftover in LEFTOVERS:
        shutil.rmtree(course / leftover, ignore_errors=True)
    if added:
        shutil.rmtree(questions, ignore_errors=True)
    for name in ("gradebook.db", "nbgrader_config.py", "roster.csv"):
        (course / name).unlink(missing_ok=True)


def status(lab, needle: str, timeout_ms: int = 60_000) -> str:
    box = lab.outputs().locator(".sanshe-cp-done").filter(has_text=needle).first
    box.wait_for(timeout=timeout_ms)
    return box.locator("xpath=..").inner_text()


def problems(lab) -> list[str]:
    return lab.outputs().locator(".sanshe-cp-problem").all_inner_texts()


def upload(lab, path: Path) -> None:
    with lab.page.expect_file_chooser() as chooser:
        lab.click("上传作业")
    chooser.value.set_files(str(path))
    lab.outputs().get_by_role("button", name="上传作业 (1)").first.wait_for()


def choose(lab, assignment: str) -> None:
    """Choose the assignment shown as "作业三：…（a3_phases）"."""
    select = lab.outputs().locator("select").first
    label = select.locator("option").filter(has_text=f"（{assignment}）").first.inner_text()
    select.select_option(label=label)


def audit_trainer_pages(lab, course: Path) -> None:
    """axe-core (issue 28) on the cockpit showing the report, a student's feedback page and the
    class report: no critical or serious violation of ours. On the feedback page the code cells
    as nbconvert renders them (prompts, highlighted input) are nbgrader's."""
    axe_audit(lab.page, "cockpit with the class report").assert_ours_clean()
    other = lab.page.context.new_page()
    pages = (
        ("feedback page", next((course / "handback" / A3).glob("2023001_*.html")), "nbgrader"),
        ("class report", course / "reports" / A3 / "report.html", "other"),
    )
    for name, path, owner in pages:
        other.goto(path.as_uri())
        theirs = ".prompt, .input_area, .highlight" if owner == "nbgrader" else ""
        axe_audit(other, name, ours="*", owner=owner, theirs=theirs).assert_ours_clean()
    other.close()


def test_cockpit_whole_cycle(lab, course, tmp_path):
    from nbgrader.api import Gradebook
    from openpyxl import load_workbook

    from sanshe_edu.grade.trainer.cockpit import COCKPIT_SOURCE

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "import os\nos.environ['SANSHE_EDU_LANG'] = 'zh'\n"
            + COCKPIT_SOURCE.replace("Cockpit()", f"Cockpit({str(course)!r})")
        )
    ]
    lab.open(lab.put_notebook(nb, "cockpit.ipynb"))
    lab.run_all()
    lab.widget("评分驾驶舱").wait_for()
    lab.assert_no_errors()
    axe_audit(lab.page, "cockpit").assert_ours_clean()  # issue 28: its controls, before any step

    # ---- assignment 3: release with a due date, upload the LMS zip, autograde
    choose(lab, A3)
    lab.click("生成并发放")
    status(lab, "已生成学生版 a3_phases")
    lab.outputs().locator("input[placeholder*='2025-12-31']").first.fill("2025-12-30 12:00")
    lab.click("保存截止时间")
    status(lab, "a3_phases 的截止时间：2025-12-30 12:00")
    lab.screenshot("trainer_1_release")

    upload(lab, a3_zip(course, tmp_path / "学习通下载_作业三.zip"))
    lab.click("导入作业")
    status(lab, "已导入 4 份作业（4 名学生）")
    assert len(problems(lab)) == 1 and "作业三(1).ipynb" in problems(lab)[0]
    assert list((course / "imports").glob("*/学习通下载_作业三.zip"))  # kept in imports/
    lab.screenshot("trainer_2_imported")

    lab.click("自动评分")
    status(lab, "a3_phases：4/4 份已评分", timeout_ms=300_000)

    # ---- mark two written answers in the marking view (Enter saves and moves on)
    lab.click("批改简答")
    view = lab.outputs().locator(".sanshe-marking").first
    view.wait_for()
    assert "已批 0/8" in view.inner_text() and "评分标准" in view.inner_text()
    assert "张三（2023001）" in view.inner_text()
    score = view.locator("input[placeholder*='0 到 3 分']").first
    view.locator("textarea").first.fill("三方各自的理性讲得清楚。")
    score.fill("2")
    score.press("Enter")
    view.get_by_text("李四（2023002）").wait_for()
    score.fill("4")  # beyond the item's points: refused, nothing saved
    view.get_by_role("button", name="保存", exact=True).click()
    view.get_by_text("不在 0 到 3 分之间").wait_for()
    score.fill("1")
    lab.click("保存并看下一份 ▶")
    view.get_by_text("王五（2023003）").wait_for()
    view.get_by_text("已批 2/8").wait_for()
    lab.screenshot("trainer_3_marking")
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "sanshe-edu") as gb:
        marks = {s: gb.find_grade("local_logic", A3, A3, s).manual_score for s in ROSTER
                 if s != "2023005"}  # fmt: skip
        note = gb.find_comment("local_logic", A3, A3, "2023001").manual_comment
    assert marks == {"2023001": 2, "2023002": 1, "2023003": None, "2023004": None}
    assert note == "三方各自的理性讲得清楚。"

    # ---- feedback handed back: per student and one class zip
    lab.click("生成反馈")
    status(lab, "已为 4 名学生生成反馈", timeout_ms=120_000)
    out = course / "handback" / A3
    page = next(out.glob("2023002_李四_*.html")).read_text(encoding="utf-8")
    assert "李四（2023002）" in page and "作业三：项目过程、联动方式与实务规范" in page
    # a3.phase_order's "implement" step (the evening patrols), placed second by 李四
    step = "临时车位启用一个月后，发现夜里仍有车占道，三方商量后加上晚间志愿巡查"
    assert f"“{step}”：你选了“第 2 位”，不对。" in page
    assert "为什么：这是在方案已经开始做的时候，根据新情况商量着调整。" in page
    mine = next(out.glob("2023001_张三_*.html")).read_text(encoding="utf-8")
    assert "三方各自的理性讲得清楚。" in mine  # the trainer's comment
    with zipfile.ZipFile(next(out.glob("*全班反馈.zip"))) as z:
        assert sorted(n[:7] for n in z.namelist()) == ["2023001", "2023002", "2023003", "2023004"]
    feedback = lab.page.context.new_page()
    feedback.goto(next(out.glob("2023002_*.html")).as_uri())
    feedback.locator(".sanshe-widget-review").scroll_into_view_if_needed()
    feedback.screenshot(path=str(REPO / "tests" / "artifacts" / "trainer_4_feedback.png"))
    feedback.close()

    lab.click("班级报告")
    status(lab, "报告已写入", timeout_ms=120_000)
    assert (
        "2023003 王五：康宁社区（虚构）"  # named with the widget question he lost (its prompt)
        in lab.outputs().locator(".sanshe-cp-report").first.inner_text()
    )
    audit_trainer_pages(lab, course)

    # ---- assignment 1: switching clears the screen; two hand-ins
    choose(lab, A1)
    lab.outputs().locator(".sanshe-cp-report").wait_for(state="detached")
    lab.click("生成并发放")
    status(lab, "已生成学生版 a1_concepts")
    upload(lab, a1_zip(course, tmp_path / "作业一.zip"))
    lab.click("导入作业")
    status(lab, "已导入 2 份作业（2 名学生）")
    lab.click("自动评分")
    status(lab, "a1_concepts：2/2 份已评分", timeout_ms=300_000)

    # ---- the course gradebook, twice (the first is not overwritten)
    lab.outputs().locator("input[placeholder*='a3=2']").first.fill("a1=1, a3=2")
    lab.click("导出全课程成绩")
    status(lab, "已导出全课程成绩（5 名学生、2 次作业）")
    lab.screenshot("trainer_5_exported")
    lab.click("导出全课程成绩")
    status(lab, "(2).xlsx")
    books = sorted((course / "exports").glob("*.xlsx"))
    assert len(books) == 2 and len(list((course / "exports").glob("*.csv"))) == 2
    sheet = load_workbook(books[0]).active
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    assert rows[0][0:2] == ["学号", "姓名"] and rows[0][-1] == "课程总评（百分制）"
    got = {r[0]: r[1:] for r in rows[1:]}
    # a1 (16 points): 张三 all, 李四 no widget; a3 (16): 张三 10 + 2 marked, 李四 2 + 1 marked,
    # 王五 2 (late), 赵六 10.  Total = (a1 % x 1 + a3 % x 2) / 3.
    a1_li = got["2023002"][1]
    assert got["2023001"] == ["张三", 16, "否", 12, "否", 83.3]
    assert got["2023002"][2:5] == ["否", 3, "否"]
    assert got["2023002"][5] == round((a1_li / 16 * 100 + 3 / 16 * 200) / 3, 1)
    assert got["2023003"] == ["王五", "缺交", None, 2, "是", round(2 / 16 * 200 / 3, 1)]
    assert got["2023005"] == ["钱七", "缺交", None, "缺交", None, 0]
