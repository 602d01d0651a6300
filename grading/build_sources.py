"""Write the nbgrader source notebooks of the graded assignments (trainer-side, not shipped).

Run ``python grading/build_sources.py`` after editing the content below; a test checks that the
committed ``grading/source/*/*.ipynb`` are exactly what this script writes.  Every assignment:
answer cells (nbgrader solution regions), one test cell per autograded question opening with a
one-line ``\"\"\"Check that …\"\"\"``, visible asserts a student can run, and hidden asserts.

Rules that keep grading tamper-resistant (docs/threat-model.md): answers are plain data
(str, int, list, tuple, set, dict); a test cell reads only those answer variables and imports
what it uses *inside* the cell; it never relies on names the student defined otherwise.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
ASSIGNMENTS: dict[str, list[dict]] = {}


def md(text: str) -> dict:
    return {"kind": "md", "text": text.strip("\n")}


def code(text: str) -> dict:
    return {"kind": "code", "text": text.strip("\n")}


def answer(grade_id: str, solution: str, before: str = "") -> dict:
    return {"kind": "answer", "id": grade_id, "solution": solution.strip("\n"), "before": before}


def test(grade_id: str, points: int, doc: str, visible: str, hidden: str) -> dict:
    return {
        "kind": "test",
        "id": grade_id,
        "points": points,
        "doc": doc,
        "visible": visible.strip("\n"),
        "hidden": hidden.strip("\n"),
    }


def essay(grade_id: str, points: int, prompt: str) -> dict:
    return {"kind": "essay", "id": grade_id, "points": points, "prompt": prompt}


def _meta(**nbgrader) -> dict:
    return {"nbgrader": {"schema_version": 3, **nbgrader}}


def build(name: str, items: list[dict]) -> nbformat.NotebookNode:
    total = sum(i.get("points", 0) for i in items)
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    cells = []
    for n, item in enumerate(items):
        cid = f"{name}-{n:02d}"
        kind = item["kind"]
        if kind == "md":
            text = item["text"].replace("{TOTAL}", str(total))
            cells.append(nbformat.v4.new_markdown_cell(text, id=cid))
        elif kind == "code":
            cells.append(nbformat.v4.new_code_cell(item["text"], id=cid))
        elif kind == "answer":
            src = (item["before"] + "\n" if item["before"] else "") + (
                "### BEGIN SOLUTION\n" + item["solution"] + "\n### END SOLUTION"
            )
            cell = nbformat.v4.new_code_cell(src, id=cid)
            cell.metadata = _meta(
                grade=False, solution=True, locked=False, task=False, grade_id=item["id"]
            )
            cells.append(cell)
        elif kind == "test":
            src = f'"""{item["doc"]}"""\n{item["visible"]}\n'
            src += "### BEGIN HIDDEN TESTS\n" + item["hidden"] + "\n### END HIDDEN TESTS"
            cell = nbformat.v4.new_code_cell(src, id=cid)
            cell.metadata = _meta(
                grade=True,
                solution=False,
                locked=True,
                task=False,
                grade_id=item["id"],
                points=item["points"],
            )
            cells.append(cell)
        elif kind == "essay":
            cell = nbformat.v4.new_markdown_cell("YOUR ANSWER HERE / 在此作答", id=cid)
            cell.metadata = _meta(
                grade=True,
                solution=True,
                locked=False,
                task=False,
                grade_id=item["id"],
                points=item["points"],
            )
            cells.append(cell)
    nb.cells = cells
    return nb


def write_all(root: Path = HERE / "source") -> list[Path]:
    written = []
    for name, items in ASSIGNMENTS.items():
        folder = root / name
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{name}.ipynb"
        nbformat.write(build(name, items), str(path))
        written.append(path)
    return written


# --------------------------------------------------------------------------------------------
# a1_concepts: terms, scholars, structure modes, mechanisms, origin of the term
# --------------------------------------------------------------------------------------------
ASSIGNMENTS["a1_concepts"] = [
    md("""
# 作业一：概念与定义 / Assignment 1: concepts and definitions

本作业共 **{TOTAL} 分**（自动评分）。每道题把答案写成普通的 Python 数据（字符串、列表、集合、
元组、字典），写在 `### 在此作答` 的单元格里，然后运行它下面的检查单元格。
This assignment is worth **{TOTAL} points**, all autograded. Write each answer as plain Python
data in the answer cell, then run the check cell below it.

- 检查单元格里的可见测试只检查格式；评分时还会运行隐藏测试。
  The visible checks only test the form of your answer; hidden checks run when it is graded.
- 不要修改、删除检查单元格；评分时它们会被还原。
  Do not edit or delete the check cells: grading restores them.
"""),
    md("""
## 1. 三社 / The three 社 (2 分 / points)

“三社联动”里的“三社”最常见的说法是哪三个？用列表 `three_subjects` 写出三个中文名称，
例如 `["…", "…", "…"]`。
Which three are the 三社 in the most common reading? Give the three Chinese names in the list
`three_subjects`.
"""),
    answer("three_subjects", 'three_subjects = ["社区", "社会组织", "社工"]'),
    test(
        "three_subjects_check",
        2,
        "Check that three_subjects names the community, social organisations and social work.",
        """
assert isinstance(three_subjects, list), "three_subjects 应是列表 / should be a list"
assert len(three_subjects) == 3, "需要三个名称 / three names are needed"
assert all(isinstance(x, str) for x in three_subjects), "每项是字符串 / each item is a str"
""",
        """
_same = {"社会工作": "社工", "社会工作者": "社工", "社区社会组织": "社会组织"}
assert {_same.get(x.strip(), x.strip()) for x in three_subjects} == {"社区", "社会组织", "社工"}
""",
    ),
    md("""
## 2. 学者的界定 / Scholars' definitions (3 分 / points)

把每位（组）学者与最接近其界定的说法配对（A–D）：
Match each scholar (or pair of scholars) with the closest description (A–D):

- A. 社区建设、社会组织培育、社会工作现代化体制建立这三大系统的联动（范围最宽）。
  Linkage of three whole systems: community building, growing social organisations, and a
  modern social-work system (the widest scope).
- B. 社区居委会、社会组织、社会工作机构在社区建设、治理、服务中的协商、合作与协同。
  Consultation and cooperation of the residents' committee, social organisations and social
  work agencies in community building, governance and services.
- C. 居委会、社会组织和社会工作者在社区里围绕居民开展的社区治理活动。
  Community-governance activity that the residents' committee, social organisations and social
  workers carry out around the residents.
- D. 以社区治理为根本目标、以三者互动为主要手段，遵循互助、互利、互惠原则推动社区建设。
  Pushing community building with governance as the root goal, interaction of the three as the
  main means, guided by mutual help, mutual benefit and reciprocity.

用字典 `scholar_match` 作答，键是下面四个名字，值是字母。
Answer with the dict `scholar_match`; its keys are the four names below, its values letters.
"""),
    answer(
        "scholar_match",
        """
scholar_match = {
    "叶南客、陈金城": "A",
    "王思斌": "B",
    "徐永祥、曹国慧": "C",
    "吴江、范炜烽": "D",
}
""",
    ),
    test(
        "scholar_match_check",
        3,
        "Check that scholar_match pairs each scholar with the right definition.",
        """
assert isinstance(scholar_match, dict), "scholar_match 应是字典 / should be a dict"
assert set(scholar_match) == {"叶南客、陈金城", "王思斌", "徐永祥、曹国慧", "吴江、范炜烽"}, (
    "键必须是这四个名字 / the keys must be the four names"
)
assert set(scholar_match.values()) <= set("ABCD"), "值是 A–D / values are A–D"
""",
        """
assert scholar_match == {
    "叶南客、陈金城": "A", "王思斌": "B", "徐永祥、曹国慧": "C", "吴江、范炜烽": "D"
}
""",
    ),
    md("""
## 3. 治理结构的两种模式 / Two modes of the governance structure (1 分 / point)

按“详细解释”中的一种说法，三社联动的治理结构有哪两种模式？写进集合 `structure_modes`
（每项如 `"…式"`）。
In one reading, the governance structure of 三社联动 takes two modes. Put them in the set
`structure_modes` (each like `"…式"`).
"""),
    answer("structure_modes", 'structure_modes = {"嵌入式", "内生式"}'),
    test(
        "structure_modes_check",
        1,
        "Check that structure_modes holds the two modes of the governance structure.",
        """
assert isinstance(structure_modes, set), "structure_modes 应是集合 / should be a set"
assert len(structure_modes) == 2, "需要两种模式 / two modes are needed"
""",
        """
assert {m.strip() for m in structure_modes} == {"嵌入式", "内生式"}
""",
    ),
    md("""
## 4. 三种机制 / Three mechanisms (2 分 / points)

同一说法列出了三种机制。把它们写进集合 `mechanisms`，每项用下面的简称之一：
The same reading lists three mechanisms. Put them in the set `mechanisms`, using these short
names: `"政府购买服务"`, `"公益创投"`, `"设施项目外包"`, `"社区基金会"`, `"居民议事会"`.
（其中有两项是干扰项 / two are distractors.）
"""),
    answer("mechanisms", 'mechanisms = {"政府购买服务", "公益创投", "设施项目外包"}'),
    test(
        "mechanisms_check",
        2,
        "Check that mechanisms holds the three mechanisms and no distractor.",
        """
_names = {"政府购买服务", "公益创投", "设施项目外包", "社区基金会", "居民议事会"}
assert isinstance(mechanisms, set), "mechanisms 应是集合 / should be a set"
assert mechanisms <= _names, "只用给出的简称 / use the given short names only"
""",
        """
assert mechanisms == {"政府购买服务", "公益创投", "设施项目外包"}
""",
    ),
    md("""
## 5. 术语何时出现 / When the term appeared (2 分 / points)

顾东辉推断“三社联动”这一术语是在哪两年之间提出的？写成元组 `term_years = (起, 止)`。
Between which two years, by 顾东辉's reasoning, was the term 三社联动 coined? Write the tuple
`term_years = (first, last)` of two integers.
"""),
    answer("term_years", "term_years = (2009, 2010)"),
    test(
        "term_years_check",
        2,
        "Check that term_years gives the two years the term was coined between.",
        """
assert isinstance(term_years, tuple) and len(term_years) == 2, "两个数的元组 / a 2-tuple"
assert all(isinstance(y, int) for y in term_years), "年份是整数 / years are integers"
""",
        """
assert term_years == (2009, 2010)
""",
    ),
]


if __name__ == "__main__":
    for path in write_all():
        print(path.relative_to(HERE.parent), file=sys.stdout)
