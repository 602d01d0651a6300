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

import json
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


# Model answers of the widget questions (qid -> (type, answer)): written to
# source/<name>/model_answers.json so `sanshe-edu grade validate` can check the source; nbgrader
# never copies that file to students (CourseDirectory.ignore in nbgrader_config.py).
WIDGET_ANSWERS = {
    "a1_concepts": {"a1.newland": ("single", "facilitative")},
    "a2_linkage": {
        "a2.element_roles": (
            "match",
            {"issue": "object", "org": "subject", "social_work": "method"},
        )
    },
    "a3_phases": {"a3.phase_order": ("order", ["needs", "design", "implement", "evaluate"])},
    "a4_issues": {"a4.harm_outcome": ("single", "compete")},
}


def model_answers(name: str) -> dict:
    """The widget answers in the format of sanshe_edu.quiz.graded (sanshe_answers.json)."""
    answers = {
        qid: {"type": qtype, "answer": answer, "updated": "2026-01-01T00:00:00+0000"}
        for qid, (qtype, answer) in WIDGET_ANSWERS.get(name, {}).items()
    }
    return {"format": "sanshe-edu-answers/1", "answers": answers}


def write_all(root: Path = HERE / "source") -> list[Path]:
    written = []
    for name, items in ASSIGNMENTS.items():
        folder = root / name
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{name}.ipynb"
        nbformat.write(build(name, items), str(path))
        text = json.dumps(model_answers(name), ensure_ascii=False, indent=1) + "\n"
        (folder / "model_answers.json").write_text(text, encoding="utf-8")
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
- D. 把社区治理当作最终目的、把三方的互动当作主要办法，按互助、互利、互惠的原则推进社区建设。
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
    md("""
## 6. 小部件题 / Widget question (2 分 / points)

在下面的小部件里作答（选好后点“保存”）。答案存进作业文件夹的 `sanshe_answers.json`，
和笔记本一起提交；评分时会读取它。
Answer in the widget below (choose, then save). The answer is stored in `sanshe_answers.json`
in the assignment folder, handed in with the notebook and read when grading.
"""),
    code("""
from sanshe_edu.quiz import ask

ask("a1.newland", graded=True)
"""),
    test(
        "newland_check",
        2,
        "Check that the widget answer names the concept Newland put forward.",
        """
from sanshe_edu.quiz import recorded_answer

_answer = recorded_answer("a1.newland")
assert _answer is not None, "先在上面的小部件里作答 / answer in the widget above first"
""",
        """
assert _answer == "facilitative"
""",
    ),
]


# --------------------------------------------------------------------------------------------
# a2_linkage: subject linkage network, element linkage, committee and rotation
# --------------------------------------------------------------------------------------------
CASE_NOTE = """
案例“幸福里社区”是**虚构**的教学案例（老旧小区，约 3000 户，独居老人多，也有不少带学龄儿童
的年轻家庭）。Xingfuli Community is a **fictional** teaching case.
"""

ASSIGNMENTS["a2_linkage"] = [
    md(
        """
# 作业二：主体联动与要素联动 / Assignment 2: subject and element linkage

本作业共 **{TOTAL} 分**（自动评分）。答案写成普通的 Python 数据；可以用助手库
`sanshe_edu.model` 自己检查，但评分只看你写下的数据。
Worth **{TOTAL} points**, all autograded. Write answers as plain Python data; you may use the
helper library `sanshe_edu.model` to check yourself, but only the data you write is graded.
"""
        + CASE_NOTE
    ),
    code("""
from sanshe_edu.model import analyse_network, build_network, load_case

case = load_case("xingfuli")
print([(o["id"], o["name"], o["kind"]) for o in case["organisations"]])
# An empty network has problems; yours should have none:
analyse_network(build_network(case["organisations"], [])).problems
"""),
    md("""
## 1. 主体联动网络 / A subject-linkage network (3 分 / points)

用幸福里的八个组织搭一个主体联动网络：在列表 `relations` 里写出组织之间的联系
`("id1", "id2")`。要求：每个组织至少有一条联系，整个网络连成一片，
社区、社工、社会组织三类之间两两都有直接联系，而且**最多 10 条联系**。
可以用 `analyse_network(build_network(case["organisations"], relations))` 自查。
Link the eight organisations of Xingfuli in the list `relations` of pairs `("id1", "id2")`:
every organisation has a link, the network is in one piece, each pair of the three categories
(community, social work, non-profit) is linked directly, and **at most 10 links** are used.
"""),
    answer(
        "relations",
        """
relations = [
    ("jwh", "ywh"), ("jwh", "wy"), ("jwh", "hct"), ("jwh", "zyd"),
    ("jwh", "sg"), ("sg", "sh"), ("sg", "lv"), ("jwh", "lv"),
]
""",
    ),
    test(
        "relations_check",
        3,
        "Check that relations links all eight organisations into one lean, complete network.",
        """
from sanshe_edu.model import load_case

_ids = {o["id"] for o in load_case("xingfuli")["organisations"]}
assert isinstance(relations, list), "relations 应是列表 / should be a list"
for _pair in relations:
    assert isinstance(_pair, tuple) and len(_pair) == 2, f"{_pair!r}: 需要 (id1, id2)"
    assert set(_pair) <= _ids, f"{_pair!r}: 未知的组织 id / unknown organisation id"
    assert _pair[0] != _pair[1], f"{_pair!r}: 不能自己连自己 / no self-links"
""",
        """
from sanshe_edu.model import analyse_network, build_network

_report = analyse_network(build_network(load_case("xingfuli")["organisations"], relations))
assert _report.ok and _report.connected and not _report.isolated
assert not _report.missing_categories and not _report.unlinked_pairs
assert len({frozenset(p) for p in relations}) <= 10
""",
    ),
    md("""
## 2. 要素联动 / Element linkage (3 分 / points)

康宁社区（**虚构**）要解决“电动车进楼道充电”这个议题。把下面六项放进五个实务要素之一
（`subject` 主体、`object` 对象、`method` 方法、`goal` 目标、`ethics` 伦理），写成字典
`element_of`（项 → 要素 id）。六项是：

- 电动车进楼道充电
- 和睦社会工作服务社
- 康宁社区居委会
- 用小组工作带动居民互助的专业方法
- 充电有序、居民出行安全
- 尊重居民意愿、各方平等合作

Put each of the six items under one of the five practice elements, in the dict `element_of`
(item → element id).
"""),
    answer(
        "element_of",
        """
element_of = {
    "电动车进楼道充电": "object",
    "和睦社会工作服务社": "subject",
    "康宁社区居委会": "subject",
    "用小组工作带动居民互助的专业方法": "method",
    "充电有序、居民出行安全": "goal",
    "尊重居民意愿、各方平等合作": "ethics",
}
""",
    ),
    test(
        "element_of_check",
        3,
        "Check that element_of puts each item under the right practice element.",
        """
_items = {"电动车进楼道充电", "和睦社会工作服务社", "康宁社区居委会",
          "用小组工作带动居民互助的专业方法", "充电有序、居民出行安全", "尊重居民意愿、各方平等合作"}
assert isinstance(element_of, dict), "element_of 应是字典 / should be a dict"
assert set(element_of) == _items, "键必须是这六项 / the keys must be the six items"
assert set(element_of.values()) <= {"subject", "object", "method", "goal", "ethics"}
""",
        """
assert element_of == {
    "电动车进楼道充电": "object", "和睦社会工作服务社": "subject",
    "康宁社区居委会": "subject", "用小组工作带动居民互助的专业方法": "method",
    "充电有序、居民出行安全": "goal", "尊重居民意愿、各方平等合作": "ethics",
}
""",
    ),
    md("""
## 3. 社区事务工作委员会 / The community affairs committee (1 + 2 分 / points)

(a) 选出派代表组成委员会的组织，写成列表 `committee_ids`；三类组织都要有代表。
Choose the organisations that send a representative, as the list `committee_ids`; all three
categories must be represented.

(b) 委员会实行轮值主席负责制。用 `build_committee` 和 `rotation_schedule` 算出你的委员会
**前 4 任**执行主席的组织 id，写成列表 `first_chairs`。
The committee has a rotating chair. With `build_committee` and `rotation_schedule`, work out
the organisation ids of the **first 4** chairs of your committee, as the list `first_chairs`.
"""),
    answer(
        "committee",
        """
from sanshe_edu.model import build_committee, rotation_schedule

committee_ids = ["jwh", "ywh", "sg", "sh", "lv"]
_members = [o for o in case["organisations"] if o["id"] in committee_ids]
first_chairs = [term.chair for term in rotation_schedule(build_committee(_members), 4)]
""",
    ),
    test(
        "committee_check",
        1,
        "Check that committee_ids has a representative of all three categories.",
        """
from sanshe_edu.model import load_case

_ids = {o["id"] for o in load_case("xingfuli")["organisations"]}
assert isinstance(committee_ids, list) and set(committee_ids) <= _ids, "用组织 id / use ids"
""",
        """
from sanshe_edu.model import build_committee

_orgs = [o for o in load_case("xingfuli")["organisations"] if o["id"] in committee_ids]
assert build_committee(_orgs).ok
""",
    ),
    test(
        "chairs_check",
        2,
        "Check that first_chairs is the fair rotation of the first four terms.",
        """
assert isinstance(first_chairs, list) and len(first_chairs) == 4, "四个 id / four ids"
""",
        """
from sanshe_edu.model import build_committee, load_case, rotation_schedule

_orgs = [o for o in load_case("xingfuli")["organisations"] if o["id"] in committee_ids]
assert first_chairs == [t.chair for t in rotation_schedule(build_committee(_orgs), 4)]
""",
    ),
    md("""
## 4. 小部件题 / Widget question (2 分 / points)

在小部件里配对并保存；答案随作业一起提交。
Match in the widget and save; the answer is handed in with the assignment.
"""),
    code("""
from sanshe_edu.quiz import ask

ask("a2.element_roles", graded=True)
"""),
    test(
        "element_roles_check",
        2,
        "Check that the widget answer matches issues, organisations and social work to elements.",
        """
from sanshe_edu.quiz import recorded_answer

_answer = recorded_answer("a2.element_roles")
assert _answer is not None, "先在上面的小部件里作答 / answer in the widget above first"
""",
        """
assert _answer == {"issue": "object", "org": "subject", "social_work": "method"}
""",
    ),
]

# --------------------------------------------------------------------------------------------
# a3_phases: project plan through the four phases, controllable causes
# --------------------------------------------------------------------------------------------
ASSIGNMENTS["a3_phases"] = [
    md(
        """
# 作业三：实务项目的四个阶段 / Assignment 3: the four phases

本作业共 **{TOTAL} 分**（自动评分）。Worth **{TOTAL} points**, all autograded.
"""
        + CASE_NOTE
    ),
    md("""
## 1. 项目计划 / A project plan (4 分 / points)

为幸福里的议题“独居老人就餐难”写一个项目计划，字典 `plan`：
`{"issue": "独居老人就餐难", "steps": [{"phase": …, "participants": […], "outputs": […]}, …]}`。
四个阶段（`needs_assessment`、`plan_design`、`implementation`、`evaluation`）按顺序各出现一次；
每个阶段都要有社区、社工、社会组织三类的参与者，并写出至少一项产出。
用 `check_plan(ProjectPlan.from_dict(plan), orgs=case["organisations"])` 自查。
Write a plan for the Xingfuli issue "older residents living alone struggle to get meals" as the
dict `plan`: the four phases in order, each once, each with participants of all three
categories and at least one output. Check it yourself with `check_plan`.
"""),
    code("""
from sanshe_edu.model import ProjectPlan, check_plan, load_case

case = load_case("xingfuli")
# A plan without steps has problems; yours should have none:
empty = ProjectPlan.from_dict({"issue": "独居老人就餐难", "steps": []})
check_plan(empty, orgs=case["organisations"]).problems
"""),
    answer(
        "plan",
        """
plan = {
    "issue": "独居老人就餐难",
    "steps": [
        {"phase": "needs_assessment", "participants": ["jwh", "sg", "zyd", "sh"],
         "outputs": ["老人就餐需求与可控原因清单"]},
        {"phase": "plan_design", "participants": ["jwh", "sg", "sh"],
         "outputs": ["总体目标、具体目标与助餐方案"]},
        {"phase": "implementation", "participants": ["jwh", "zyd", "sg", "sh"],
         "outputs": ["过程记录与微调决定"]},
        {"phase": "evaluation", "participants": ["jwh", "sg", "sh", "lv"],
         "outputs": ["评估发现与后续建议"]},
    ],
}
""",
    ),
    test(
        "plan_check",
        4,
        "Check that plan passes the model's checks of the four phases.",
        """
assert isinstance(plan, dict) and isinstance(plan.get("steps"), list), "plan 的格式 / shape"
assert len(plan["steps"]) == 4, "四个阶段 / four phases"
""",
        """
from sanshe_edu.model import ProjectPlan, check_plan, load_case

_report = check_plan(ProjectPlan.from_dict(plan), orgs=load_case("xingfuli")["organisations"])
assert _report.ok and _report.order_ok and not _report.missing_phases
assert plan["issue"] == "独居老人就餐难"
""",
    ),
    md("""
## 2. 可控原因 / Controllable causes (3 分 / points)

需求评估中，工作者为“儿童课后看护”列出了四个可能原因：

1. 双职工家庭下班晚——这是核心原因，但家长的工作时间改变不了；
2. 家长不了解社区已有的托管资源——可以改变，社工和志愿者能逐户介绍；
3. 学校课后服务名额有限——可以改变，但这要由学校和教育部门决定，不在工作者手里；
4. 邻里之间没有互助看护的约定——可以改变，工作者能组织楼组家长结对。

核心原因改变不了时，就去找可变原因中**工作者可控**的那些。把它们的名称写进集合
`controllable_causes`（用上面的原文名称）。
In the needs assessment four causes were found (above). The core cause cannot be changed, so
the work turns to the changeable causes the workers can control. Put their names (as written
above) in the set `controllable_causes`.
"""),
    answer(
        "controllable_causes",
        'controllable_causes = {"家长不了解社区已有的托管资源", "邻里之间没有互助看护的约定"}',
    ),
    test(
        "controllable_check",
        3,
        "Check that controllable_causes holds exactly the causes the workers can control.",
        """
_names = {"双职工家庭下班晚", "家长不了解社区已有的托管资源", "学校课后服务名额有限",
          "邻里之间没有互助看护的约定"}
assert isinstance(controllable_causes, set), "应是集合 / should be a set"
assert controllable_causes <= _names, "用上面的原因名称 / use the names above"
""",
        """
from sanshe_edu.model import analyse_causes

_causes = [
    {"name": "双职工家庭下班晚", "core": True, "changeable": False},
    {"name": "家长不了解社区已有的托管资源", "changeable": True, "controllable": True},
    {"name": "学校课后服务名额有限", "changeable": True, "controllable": False},
    {"name": "邻里之间没有互助看护的约定", "changeable": True, "controllable": True},
]
assert controllable_causes == set(analyse_causes(_causes).targets)
assert controllable_causes == {"家长不了解社区已有的托管资源", "邻里之间没有互助看护的约定"}
""",
    ),
    md("""
## 3. 活动属于哪个阶段 / Which phase? (2 分 / points)

字典 `phase_of`：每项活动 → 阶段 id。
The dict `phase_of`: each activity → phase id.
"""),
    answer(
        "phase_of",
        """
phase_of = {
    "发现工作者可控的原因": "needs_assessment",
    "设立总体目标并细化为具体目标": "plan_design",
    "动态评估阶段性目标的达成情况": "implementation",
    "邀请独立第三方参与评估": "evaluation",
}
""",
    ),
    test(
        "phase_of_check",
        2,
        "Check that phase_of places each activity in its phase.",
        """
_acts = {"发现工作者可控的原因", "设立总体目标并细化为具体目标",
         "动态评估阶段性目标的达成情况", "邀请独立第三方参与评估"}
assert isinstance(phase_of, dict) and set(phase_of) == _acts, "键是四项活动 / four activities"
assert set(phase_of.values()) <= {"needs_assessment", "plan_design", "implementation",
                                  "evaluation"}
""",
        """
assert phase_of == {
    "发现工作者可控的原因": "needs_assessment",
    "设立总体目标并细化为具体目标": "plan_design",
    "动态评估阶段性目标的达成情况": "implementation",
    "邀请独立第三方参与评估": "evaluation",
}
""",
    ),
    md("""
## 4. 小部件题 / Widget question (2 分 / points)
"""),
    code("""
from sanshe_edu.quiz import ask

ask("a3.phase_order", graded=True)
"""),
    test(
        "phase_order_check",
        2,
        "Check that the widget answer puts the four phases in order.",
        """
from sanshe_edu.quiz import recorded_answer

_answer = recorded_answer("a3.phase_order")
assert _answer is not None, "先在上面的小部件里作答 / answer in the widget above first"
""",
        """
assert _answer == ["needs", "design", "implement", "evaluate"]
""",
    ),
]

# --------------------------------------------------------------------------------------------
# a4_issues: classify issues, benefit matrix, ranking, essay (manually graded)
# --------------------------------------------------------------------------------------------
ASSIGNMENTS["a4_issues"] = [
    md(
        """
# 作业四：议题分析 / Assignment 4: issue analysis

本作业共 **{TOTAL} 分**：10 分自动评分，短文 5 分由培训者按评分标准人工评分。
Worth **{TOTAL} points**: 10 autograded, and a short essay of 5 points marked by the trainer
with the mark scheme shown below.
"""
        + CASE_NOTE
    ),
    md("""
## 1. 议题分类 / Classify the issues (3 分 / points)

地理社区的议题分三类：`personal_matter` 个人私务、`collective_affair` 集体事务、
`public_task` 公家任务。把下面六个议题分类，写成字典 `issue_class`（议题 → 类别 id）：
小区健身器材维修、社区停车秩序、老年活动室开放时间、人口普查入户登记、家庭装修风格、
个人理财选择。
Issues fall into three classes. Classify these six issues in the dict `issue_class`
(issue → class id): the repair of the estate's fitness equipment, parking order in the
community, the opening hours of the elders' activity room, census registration at home, a
family's choice of decoration, one's personal investments.
"""),
    answer(
        "issue_class",
        """
issue_class = {
    "小区健身器材维修": "collective_affair",
    "社区停车秩序": "collective_affair",
    "老年活动室开放时间": "collective_affair",
    "人口普查入户登记": "public_task",
    "家庭装修风格": "personal_matter",
    "个人理财选择": "personal_matter",
}
""",
    ),
    test(
        "issue_class_check",
        3,
        "Check that issue_class puts each candidate issue in its class.",
        """
_issues = {"小区健身器材维修", "社区停车秩序", "老年活动室开放时间", "人口普查入户登记",
           "家庭装修风格", "个人理财选择"}
assert isinstance(issue_class, dict) and set(issue_class) == _issues, "六个议题 / six issues"
assert set(issue_class.values()) <= {"personal_matter", "collective_affair", "public_task"}
""",
        """
assert issue_class == {
    "小区健身器材维修": "collective_affair", "社区停车秩序": "collective_affair",
    "老年活动室开放时间": "collective_affair", "人口普查入户登记": "public_task",
    "家庭装修风格": "personal_matter", "个人理财选择": "personal_matter",
}
""",
    ),
    md("""
## 2. 收益矩阵 / The benefit matrix (2 分 / points)

下面是四个培训用的**虚构**议题。先想一想每个议题对政府、对居民各是有利、无利无害还是有害，
再按收益矩阵写出它的结果：`cooperate` 合作、`let_be` 放任、`compete` 竞争、
`not_taken_up` 难以应对处理。把结果填进字典 `outcome_of`（议题 id → 结果）。
Four **fictional** issues. Decide for each whether it is beneficial, neutral or harmful for the
government and for residents, then write the benefit matrix's outcome in `outcome_of`
(issue id → outcome).

| id | 议题 / issue |
|----|------|
| fitness_repair | 小区健身器材坏了，居民盼着修好继续锻炼；街道也把它列为今年要办的民生实事。 |
| monthly_form | 街道要求社区每月按时上报一份内部统计报表，居民的生活不因此有任何变化。 |
| square_dance | 一些居民想把小区仅有的空地改成广场舞场地，而街道已立项在那里修消防通道。 |
| new_hobby | 一位居民想从学书法改成学摄影，这对政府和其他居民都没有影响。 |
"""),
    answer(
        "outcome_of",
        """
outcome_of = {
    "fitness_repair": "cooperate",
    "monthly_form": "let_be",
    "square_dance": "compete",
    "new_hobby": "not_taken_up",
}
""",
    ),
    test(
        "outcome_of_check",
        2,
        "Check that outcome_of gives the benefit matrix's outcome of each issue.",
        """
_ids = {"fitness_repair", "monthly_form", "square_dance", "new_hobby"}
assert isinstance(outcome_of, dict) and set(outcome_of) == _ids, "四个议题 / four issues"
assert set(outcome_of.values()) <= {"cooperate", "let_be", "compete", "not_taken_up"}, (
    "结果只能是 cooperate、let_be、compete、not_taken_up / outcomes from the list"
)
""",
        """
assert outcome_of == {
    "fitness_repair": "cooperate",
    "monthly_form": "let_be",
    "square_dance": "compete",
    "new_hobby": "not_taken_up",
}
""",
    ),
    md("""
## 3. 选择执行议题 / Rank the issues (3 分 / points)

下表是培训用的**虚构**评分（1–5 分）：人群覆盖面 `population`、后果严重性 `severity`、
时间紧迫性 `urgency`、操作难易度 `ease`（越容易分越高）。委员会认为严重性最要紧，
权重为 2，其余为 1。用 `prioritise_issues` 排序，把议题 id 从先到后写成列表 `ranking`。
The table holds **fictional** 1–5 scores on the four criteria; severity weighs 2, the others 1.
Rank the issues with `prioritise_issues` and write the ids, first to last, in `ranking`.

| id | 议题 | population | severity | urgency | ease |
|----|------|-----------:|---------:|--------:|-----:|
| corridor | 楼道堆物与消防隐患 | 5 | 5 | 4 | 3 |
| elderly_meals | 独居老人就餐难 | 3 | 4 | 4 | 3 |
| waste_sorting | 垃圾分类推进 | 5 | 2 | 2 | 4 |
| after_school | 儿童课后看护 | 3 | 3 | 5 | 2 |
"""),
    code("""
from sanshe_edu.model import prioritise_issues

table = [
    {"id": "corridor", "population": 5, "severity": 5, "urgency": 4, "ease": 3},
    {"id": "elderly_meals", "population": 3, "severity": 4, "urgency": 4, "ease": 3},
    {"id": "waste_sorting", "population": 5, "severity": 2, "urgency": 2, "ease": 4},
    {"id": "after_school", "population": 3, "severity": 3, "urgency": 5, "ease": 2},
]
weights = {"population": 1, "severity": 2, "urgency": 1, "ease": 1}
"""),
    answer(
        "ranking",
        "ranking = [r.id for r in prioritise_issues(table, weights=weights)]",
    ),
    test(
        "ranking_check",
        3,
        "Check that ranking orders the four issues by the weighted criteria.",
        """
assert isinstance(ranking, list) and len(ranking) == 4, "四个 id / four ids"
assert set(ranking) == {"corridor", "elderly_meals", "waste_sorting", "after_school"}
""",
        """
# By hand: (5+10+4+3)/5 = 4.4, (3+8+4+3)/5 = 3.6, (3+6+5+2)/5 = 3.2, (5+4+2+4)/5 = 3.0
assert ranking == ["corridor", "elderly_meals", "after_school", "waste_sorting"]
""",
    ),
    md("""
## 4. 小部件题 / Widget question (2 分 / points)
"""),
    code("""
from sanshe_edu.quiz import ask

ask("a4.harm_outcome", graded=True)
"""),
    test(
        "harm_outcome_check",
        2,
        "Check that the widget answer gives the outcome when one side gains and the other loses.",
        """
from sanshe_edu.quiz import recorded_answer

_answer = recorded_answer("a4.harm_outcome")
assert _answer is not None, "先在上面的小部件里作答 / answer in the widget above first"
""",
        """
assert _answer == "compete"
""",
    ),
    md("""
## 5. 短文 / Short essay (5 分 / points, 人工评分 / marked by hand)

用 200–400 字说明：幸福里应先启动哪个议题？请用四项标准和收益矩阵说理，并说明哪些组织
怎样参与（主体联动），以及你会针对哪些可控原因工作。
In 200–400 characters/words: which issue should Xingfuli start with? Argue with the four
criteria and the benefit matrix, say which organisations take part and how, and which
controllable causes you would work on.

**评分标准 / Mark scheme (5 分):**
- 1 分：明确选定一个议题，并且它属于集体事务 / names one issue, a collective affair;
- 1 分：用四项标准（覆盖面、严重性、紧迫性、难易度）比较 / compares with the four criteria;
- 1 分：用收益矩阵说明政府与居民都有利、因而可以合作 / uses the benefit matrix;
- 1 分：点出三类组织各自的参与方式 / names how each of the three categories takes part;
- 1 分：指出至少一个工作者可控的原因并据此设定目标 / names a controllable cause and a goal.
"""),
    essay("essay", 5, "essay"),
]


def ruff_format(root: Path) -> None:
    """Format the written notebooks the way the repository's ruff does (the committed ones are
    checked by ``ruff format --check``), so building twice gives the same bytes."""
    import subprocess

    ruff = Path(sys.executable).with_name("ruff")
    config = HERE.parent / "pyproject.toml"
    subprocess.run(
        [str(ruff), "format", "-q", "--config", str(config), *map(str, root.rglob("*.ipynb"))],
        check=True,
    )


if __name__ == "__main__":
    written = write_all()
    ruff_format(HERE / "source")
    for path in written:
        print(path.relative_to(HERE.parent), file=sys.stdout)
