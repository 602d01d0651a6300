"""Assignment item kinds (``grade/kinds/``): the schema made from them, and a new kind added
as one class — validated, built into a source notebook and a release, and graded by real
nbgrader — with nothing else in ``grade/`` changed for it."""

from __future__ import annotations

import copy
import json
import re
import shutil
from pathlib import Path
from typing import ClassVar

import jsonschema
import nbformat
import pytest
import yaml
from grade_support import isolated_state_in, run_cli

from sanshe_edu.grade import assignments, kinds
from sanshe_edu.grade.kinds import ItemKind
from sanshe_edu.grade.kinds._base import POINTS, TEXT, mapping
from sanshe_edu.grade.kinds.cells import check_doc, heading, hidden, machinery, meta
from sanshe_edu.i18n import use_lang

REPO = Path(__file__).resolve().parents[1]
SPECS = REPO / "grading" / "assignments"
GRADE = REPO / "src" / "sanshe_edu" / "grade"


@pytest.fixture(scope="module", autouse=True)
def isolated_state(tmp_path_factory):
    with isolated_state_in(tmp_path_factory.mktemp("state")) as root:
        yield root


def test_the_schema_file_is_made_from_the_kinds():
    text = (SPECS / "schema.json").read_text(encoding="utf-8")
    assert text == assignments.schema_text(), "run: sanshe-edu build"


@pytest.mark.parametrize("path", sorted(SPECS.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_assignment_file_meets_the_schema(path):
    """The schema editors use says what the loader says: each shipped file passes both."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(kinds.file_schema()).validate(data)
    banks = assignments.plain_banks(REPO / "questions")
    assert assignments.check_spec(path, data, {}, banks) == []


def test_the_schema_refuses_an_item_of_two_kinds():
    data = yaml.safe_load((SPECS / "a1_concepts.yaml").read_text(encoding="utf-8"))
    data["items"][0]["written"] = {"prompt": {"zh": "写", "en": "Write"}, "rubric": []}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(kinds.file_schema()).validate(data)


def test_grade_never_asks_which_kind_an_item_is():
    """Only ``grade/kinds/`` knows the item kinds: no module elsewhere in grade/ tests for one
    (by its field in an item, or by a record's kind)."""
    pattern = re.compile(
        r"""["'](text|question|task|written)["']\s+(not\s+)?in\s+item"""
        r"""|\[["']kind["']\]\s*[!=]=\s*["'](text|question|task|written|widget)["']"""
        r"""|kind\s*[!=]=\s*["'](text|question|task|written|widget)["']"""
    )
    found = []
    for path in sorted(GRADE.rglob("*.py")):
        if "kinds" in path.relative_to(GRADE).parts:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line):
                found.append(f"{path.relative_to(GRADE)}:{n}: {line.strip()}")
    assert found == []


# ----- a test-only kind: a statement the student judges true or false --------------------------
class Statement(ItemKind):
    """``statement: {text: {zh, en}, holds: bool}`` — the student writes 对 or 错."""

    name = "statement"
    fields: ClassVar[dict] = {
        "points": POINTS,
        "statement": mapping({"text": TEXT, "holds": {"type": "boolean"}}, ("text", "holds")),
    }

    def required(self):
        return (*super().required(), "points")

    def rules(self, p, where, item, banks):
        if "对" in item["statement"]["text"]["zh"]:
            p.add(f"{where}.statement.text", "want_text")  # a rule a schema cannot say

    def cells(self, nb, n, item, banks):
        points, iid = item["points"], item["id"]
        text = item["statement"]["text"]
        nb.markdown(heading(n, item, points) + f"\n\n> {text['zh']} / {text['en']}")
        nb.code(f'{iid} = "对"' if item["statement"]["holds"] else f'{iid} = "错"',
                meta(grade=False, solution=True, locked=False, grade_id=iid))  # fmt: skip
        nb.cells[-1].metadata["sanshe_template"] = f'{iid} = "？"  # 对 / 错'
        key = "对" if item["statement"]["holds"] else "错"
        src = check_doc(n) + "from sanshe_edu.grade.checks import check\n\n"
        src += f'check(\n    "{iid}",\n    "value",\n    points={points},\n    n={n},\n'
        src += '    choices=["对", "错"],\n' + hidden({"key": key}) + ")"
        nb.code(src, machinery(grade=True, solution=False, locked=True,
                               grade_id=f"{iid}_check", points=points))  # fmt: skip
        return {"n": n, "kind": self.name, "id": iid}


SPEC = """\
assignment: a7_statements
title: {zh: 判断题, en: True or false}
items:
  - id: founded
    title: {zh: 说法一, en: Statement one}
    points: 2
    statement:
      text: {zh: 三社联动的“三社”包括社区, en: The three "she" include the community}
      holds: true
  - id: essay
    title: {zh: 短文, en: Essay}
    points: 1
    written:
      prompt: {zh: 写一句话, en: Write a sentence}
      rubric:
        - {points: 1, zh: 写了, en: Written}
"""


@pytest.fixture
def statement_kind():
    kinds.register(Statement())
    yield
    kinds.unregister("statement")


def project(root: Path, spec: str) -> Path:
    (root / "grading" / "assignments").mkdir(parents=True)
    shutil.copy2(REPO / "grading" / "nbgrader_config.py", root / "grading")
    shutil.copytree(REPO / "questions", root / "questions")
    (root / "grading" / "assignments" / "a7_statements.yaml").write_text(spec, encoding="utf-8")
    return root


def test_a_new_kind_is_checked_by_its_own_schema_and_rules(statement_kind, tmp_path):
    banks = assignments.plain_banks(REPO / "questions")
    data = yaml.safe_load(SPEC)
    data["items"][0]["statement"]["hold"] = True
    with use_lang("en"):
        found = assignments.check_spec(Path("a7_statements.yaml"), data, {}, banks)
    assert [(p.field, p.key) for p in found] == [
        ("items[0].statement.hold", "assign.unknown_field")
    ]
    assert "“holds”" in found[0].text("en")  # did you mean
    data = yaml.safe_load(SPEC)
    data["items"][0]["statement"]["text"]["zh"] = "这句话是对的"
    found = assignments.check_spec(Path("a7_statements.yaml"), data, {}, banks)
    assert [(p.field, p.key) for p in found] == [("items[0].statement.text", "assign.want_text")]
    assert "statement" in json.dumps(kinds.file_schema())


def test_a_new_kind_is_built_and_graded_by_real_nbgrader(statement_kind, tmp_path):
    root = project(tmp_path / "project", SPEC)
    code, out, err = run_cli("build", "--root", str(root))
    assert code == 0, err
    release = nbformat.read(str(root / "exercises/a7_statements/a7_statements.ipynb"), 4)
    cells = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in release.cells}
    assert cells["founded"].source == 'founded = "？"  # 对 / 错'
    assert "key=" not in cells["founded_check"].source
    assert "self_check(written=[{'n': 2, 'id': 'essay'}], count=2)" in cells["self_check"].source
    assert release.cells[-1].cell_type == "markdown"  # not the self-check: Shift+Enter stays
    course = tmp_path / "course" / "grading"
    shutil.copytree(root / "grading", course)
    assert run_cli("grade", "--course", str(course), "generate")[0] == 0
    for student, answer in (("right", '"对"'), ("wrong", '"错"'), ("spaced", '" 对 "')):
        nb = copy.deepcopy(release)
        for cell in nb.cells:
            if cell.metadata.get("nbgrader", {}).get("grade_id") == "founded":
                cell.source = f"founded = {answer}"
        folder = course / "submitted" / student / "a7_statements"
        folder.mkdir(parents=True)
        nbformat.write(nb, str(folder / "a7_statements.ipynb"))
    code, out, err = run_cli("grade", "--course", str(course), "autograde", "a7_statements")
    assert code == 0, out + err
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "sanshe-edu") as gb:
        scores = {
            s: gb.find_submission("a7_statements", s).score for s in ("right", "wrong", "spaced")
        }
    assert scores == {"right": 2, "wrong": 0, "spaced": 2}
