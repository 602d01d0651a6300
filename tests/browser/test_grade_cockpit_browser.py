"""The trainer's cockpit in real JupyterLab: a whole cycle for five students handed in as one
zip with LMS-style names (one misnamed, one duplicate, one corrupt) — generate, import,
autograde, Formgrader, feedback, report, export — with exact scores and a screenshot a step.
"""

from __future__ import annotations

import codecs
import copy
import csv
import io
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
A3 = "a3_phases"
WRONG_ORDER = ["needs", "implement", "design", "evaluate"]  # 2 of 4 places right


def answered(course: Path, answers: dict[str, str], widgets: dict | None = None) -> bytes:
    """The release with these answer cells, and these widget answers saved in the notebook."""
    nb = copy.deepcopy(nbformat.read(str(course / "release" / A3 / f"{A3}.ipynb"), 4))
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


def make_zip(course: Path, dest: Path) -> None:
    good, right = solutions(A3), model_widget_answers(A3)
    half = good["phase_of"].replace('"needs_assessment"', '"评估总结"', 1)
    half = half.replace('"evaluation"', '"需求评估"', 1)  # two of four swapped
    complete = answered(course, good, right)
    with zipfile.ZipFile(dest, "w") as z:
        when = (2025, 12, 30, 9, 15, 0)

        def add(name: str, data: bytes) -> None:
            z.writestr(zipfile.ZipInfo(name, date_time=when), data)

        # 学习通: a folder each. 张三's widget answers only in an answers file beside it.
        add("2023001_张三/a3_phases.ipynb", answered(course, good))
        add("2023001_张三/sanshe_answers.json", answers_file(right))
        add("2023002_李四/a3_phases.ipynb", answered(course, {"phase_of": half},
                                                   {"a3.phase_order": WRONG_ORDER}))  # fmt: skip
        own = answered(course, dict(good, phase_of=good["phase_of"] + "\n# 王五"))
        add("2023003_王五_a3_phases.ipynb", own)  # saved before any widget was answered
        add("2023004_赵六_a3_phases.ipynb", complete[: len(complete) // 2])  # corrupt
        add("2023005_钱七/a3_phases.ipynb", answered(course, good))  # the same files as 张三's
        add("2023005_钱七/sanshe_answers.json", answers_file(right))
        add("作业三(1).ipynb", complete)  # misnamed: no id, no assignment


# Auto-graded: phase_order 2, phase_of 2, three_dimensional 1, linkage_modes 3, capacity 2 = 10
# (the two short answers, 6 points, wait for the trainer). 李四: order 2 of 4 places (1) and
# phase_of 2 of 4 (1); 王五: phase_of only (2), no widget answer at all.
EXPECTED = {"2023001": 10, "2023002": 2, "2023003": 2, "2023004": 0, "2023005": 10}


@pytest.fixture
def course(lab_server):
    course = Path(lab_server.course_root)
    for leftover in ("release", "submitted", "autograded", "feedback", "reports"):
        shutil.rmtree(course / leftover, ignore_errors=True)
    (course / "gradebook.db").unlink(missing_ok=True)
    shutil.copytree(REPO / "grading" / "source", course / "source", dirs_exist_ok=True)
    config = (REPO / "grading" / "nbgrader_config.py").read_text(encoding="utf-8")
    (course / "nbgrader_config.py").write_text(config, encoding="utf-8")
    (course / "roster.csv").write_bytes(
        "学号,姓名\n2023001,张三\n2023002,李四\n2023003,王五\n2023004,赵六\n2023005,钱七\n".encode(
            "gbk"
        )
    )
    yield course
    for leftover in ("release", "submitted", "autograded", "feedback", "reports", "source"):
        shutil.rmtree(course / leftover, ignore_errors=True)
    for name in ("gradebook.db", "nbgrader_config.py", "roster.csv", "grades.csv"):
        (course / name).unlink(missing_ok=True)


def status(lab, needle: str, timeout_ms: int = 60_000) -> str:
    box = lab.outputs().locator(".sanshe-cp-done").filter(has_text=needle).first
    box.wait_for(timeout=timeout_ms)
    return lab.outputs().locator(".widget-html").filter(has_text="✔").first.inner_text()


def audit_trainer_pages(lab, course: Path) -> None:
    """axe-core (issue 28) on the cockpit showing the report, a student's feedback page and the
    class report: no critical or serious violation of ours. On the feedback page the code cells
    as nbconvert renders them (prompts, highlighted input) are nbgrader's."""
    axe_audit(lab.page, "cockpit with the class report").assert_ours_clean()
    other = lab.page.context.new_page()
    pages = (
        ("feedback page", course / "feedback" / "2023001" / A3 / f"{A3}.html", "nbgrader"),
        ("class report", course / "reports" / A3 / "report.html", "other"),
    )
    for name, path, owner in pages:
        other.goto(path.as_uri())
        theirs = ".prompt, .input_area, .highlight" if owner == "nbgrader" else ""
        axe_audit(other, name, ours="*", owner=owner, theirs=theirs).assert_ours_clean()
    other.close()


def test_cockpit_whole_cycle(lab, course, tmp_path):
    from sanshe_edu.grade.cockpit import COCKPIT_SOURCE

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
    lab.screenshot("cockpit_0_start")
    axe_audit(lab.page, "cockpit").assert_ours_clean()  # issue 28: its controls, before any step

    lab.outputs().locator("select").first.select_option(A3)
    lab.click("生成并发放")
    status(lab, "已生成学生版 a3_phases")
    lab.screenshot("cockpit_1_generated")

    archive = tmp_path / "学习通下载.zip"
    make_zip(course, archive)
    lab.outputs().locator("input[placeholder*='zip']").first.fill(str(archive))
    lab.click("导入作业")
    text = status(lab, "已导入 5 份作业（5 名学生）")
    problems = lab.outputs().locator(".sanshe-cp-problem").all_inner_texts()
    assert len(problems) == 3, problems
    joined = "\n".join(problems)
    assert "作业三(1).ipynb：文件名里认不出是哪次作业" in joined
    assert "学生 2023004：2023004_赵六_a3_phases.ipynb 不是可读的笔记本" in joined
    assert "2023001_张三/a3_phases.ipynb；2023005_钱七/a3_phases.ipynb" in joined
    assert "下一步" in text
    assert sorted(p.name for p in (course / "submitted").iterdir()) == sorted(EXPECTED)
    lab.screenshot("cockpit_2_imported")

    lab.click("自动评分")
    status(lab, "a3_phases：4/5 份已评分，1 份有问题（2 个进程）", timeout_ms=300_000)
    problems = lab.outputs().locator(".sanshe-cp-problem").all_inner_texts()
    assert any("2023004" in p and "a3_phases.ipynb" in p for p in problems), problems
    lab.screenshot("cockpit_3_autograded")

    lab.click("打开 Formgrader")
    link = lab.outputs().locator("a.sanshe-cp-formgrader").first
    with lab.page.context.expect_page() as new_page:
        link.click()
    formgrader = new_page.value
    # the grading course, not an empty one: a3 with its five submissions
    formgrader.locator("tr").filter(has_text=A3).filter(has_text="5").first.wait_for(timeout=60_000)
    formgrader.screenshot(path=str(REPO / "tests" / "artifacts" / "cockpit_4_formgrader.png"))
    formgrader.close()

    lab.click("生成反馈")
    status(lab, "已生成 4/4 份反馈", timeout_ms=120_000)
    assert (course / "feedback" / "2023001" / A3 / f"{A3}.html").is_file()
    lab.screenshot("cockpit_5_feedback")

    lab.click("班级报告")
    status(lab, "报告已写入", timeout_ms=120_000)
    report = lab.outputs().locator(".sanshe-cp-report").first.inner_text()
    # facility F = mean / max over the five: order 2,1,0,0,2 of 2 -> 50 %; phase_of 2,1,2,0,2
    # of 2 -> 70 %; three_dimensional 1,0,0,0,1 of 1 -> 40 %; capacity 2,0,0,0,2 of 2 -> 40 %.
    for title, facility in (
        ("1. 四个阶段的顺序", "50%"),
        ("2. 这项工作属于哪个阶段", "70%"),
        ("3. 横向联接与纵向过程", "40%"),
        ("6. 相关组织要增能", "40%"),
    ):
        row = lab.outputs().locator("tr").filter(has_text=title).last.inner_text()
        assert facility in row.split("\t")[2], (title, row)
    assert "克隆巴赫 α" in report and "未作答：2 人（共 5 人）" in report
    assert "下节课可讨论的常见误解" in report and "张三" in report
    # 王五 handed in a notebook saved before answering: named with the questions he lost.
    assert "交来的笔记本里缺小部件答案" in report
    assert "2023003 王五：按先后顺序排列实务项目的四个阶段" in report
    assert "2023001 张三" not in report.split("交来的笔记本里缺小部件答案")[1].split("各题")[0]
    lab.screenshot("cockpit_6_report")
    audit_trainer_pages(lab, course)

    dest = course / "grades.csv"
    lab.click("导出成绩")
    status(lab, "已导出 5 行成绩")
    raw = dest.read_bytes()
    assert raw.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(raw[3:].decode("utf-8"))))
    assert rows[0][:2] == ["学号", "姓名"] and rows[0][-3:] == ["总分", "迟交", "需查看"]
    got = {r[0]: (r[1], float(r[-3]), r[-1]) for r in rows[1:]}
    names = dict(zip(EXPECTED, ["张三", "李四", "王五", "赵六", "钱七"], strict=True))
    assert got == {
        s: (names[s], float(score), "是" if s == "2023004" else "否")
        for s, score in EXPECTED.items()
    }
    lab.screenshot("cockpit_7_exported")
