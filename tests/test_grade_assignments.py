"""Assignment files (grading/assignments/*.yaml, docs/assignments.md): the checker's messages,
the build and its stale check, the worked example of the guide built and graded by real
nbgrader, and the checks' rules (lenient about form, strict about content, points per part)."""

from __future__ import annotations

import copy
import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from grade_support import isolated_state_in, run_cli, with_widget_answers

from sanshe_edu.grade.checks import check, check_widget
from sanshe_edu.grade.student import explain_syntax, self_check
from sanshe_edu.i18n import use_lang

REPO = Path(__file__).resolve().parents[1]
EXERCISES = REPO / "exercises"
GUIDE = REPO / "docs" / "assignments.md"


@pytest.fixture(scope="module", autouse=True)
def isolated_state(tmp_path_factory):
    with isolated_state_in(tmp_path_factory.mktemp("state")) as root:
        yield root


def guide_example() -> str:
    """The worked example of docs/assignments.md, as a trainer would copy it."""
    text = GUIDE.read_text(encoding="utf-8")
    return re.search(r"```yaml\n(assignment: a9_example.*?)```", text, re.S).group(1)


def project(root: Path, files: dict[str, str]) -> Path:
    """A project folder holding the repository's banks, grading config and these files."""
    (root / "grading" / "assignments").mkdir(parents=True)
    shutil.copy2(REPO / "grading" / "nbgrader_config.py", root / "grading")
    shutil.copytree(REPO / "questions", root / "questions")
    for name, text in files.items():
        (root / "grading" / "assignments" / name).write_text(text, encoding="utf-8")
    return root


# ----- the file checker ---------------------------------------------------------------------
def test_problems_name_file_line_and_field_with_did_you_mean(tmp_path):
    text = guide_example()
    text = text.replace("    question: a1.newland", "    qestion: a1.newland")
    text = text.replace("kind: set ", "kind: sett ")
    text = text.replace(
        "        - {points: 1, zh: 举出一个例子", "        - {points: 2, zh: 举出一个例子"
    )
    root = project(tmp_path, {"a9_example.yaml": text})
    code, out, err = run_cli("grade", "build", "--root", str(root))
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    line_of = {n + 1: ln for n, ln in enumerate(text.splitlines())}
    typo = next(n for n, ln in line_of.items() if "qestion:" in ln)
    assert f"a9_example.yaml, line {typo}, items[1].qestion: unknown field. Did you mean" in err
    assert "“question”" in err
    kind = next(n for n, ln in line_of.items() if "kind: sett" in ln)
    assert f"line {kind}, items[2].task.check.kind: unknown kind" in err and "“set”" in err
    assert "items[3].points: the rubric adds up to 3 but the item is worth 2" in err
    assert len(lines) == 4  # also: items[1] is no longer a known kind of item
    assert "Traceback" not in err


def test_problems_in_chinese_by_default(tmp_path):
    root = project(tmp_path, {"a9_example.yaml": guide_example().replace("title:", "titel:", 1)})
    import contextlib
    import io

    from sanshe_edu.cli import main

    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["--lang", "zh", "grade", "build", "--root", str(root)])
    assert code == 2
    assert "a9_example.yaml 第 2 行，titel：未知字段。你是不是想写「title」？" in err.getvalue()


def test_a_part_that_is_no_mapping_is_named_and_not_looked_inside():
    """A file, an item, a task, its check or a written item that is not ``field: value`` is
    named once; what would be inside it is not checked (no second message about it)."""
    from sanshe_edu.grade.assignments import check_spec

    title = {"zh": "题", "en": "Item"}
    prompt = {"zh": "写", "en": "Write"}
    task = {"prompt": prompt, "template": "x = 1", "answer": "x = 1", "check": 7, "bogus": 1}
    data = {
        "assignment": "x",
        "title": title,
        "items": [
            3,
            {"id": "t", "title": title, "points": 1, "task": 5},
            {"id": "u", "title": title, "points": 1, "task": task},
            {"id": "w", "title": title, "points": 1, "written": "no"},
        ],
    }

    def found(data):
        return [(p.field, p.key) for p in check_spec(Path("x.yaml"), data, {}, {})]

    assert found([1]) == [("", "assign.not_a_mapping")]
    assert found(data) == [
        ("items[0]", "assign.not_a_mapping"),
        ("items[1].task", "assign.not_a_mapping"),
        ("items[2].task.bogus", "assign.unknown_field"),
        ("items[2].task.check", "assign.not_a_mapping"),
        ("items[3].written", "assign.not_a_mapping"),
    ]
    # Problems are message keys, put into words when shown, in the language asked for.
    problem = check_spec(Path("x.yaml"), data, {}, {})[0]
    assert problem.text("en") == "x.yaml, line 0, items[0]: should be a mapping of fields"
    assert problem.text("zh") != problem.text("en")


def test_key_and_model_answer_must_agree(tmp_path):
    text = guide_example().replace(
        "key: [政府购买服务, 公益创投, 设施项目外包]", "key: [政府购买服务, 公益创投, 社区基金会]"
    )
    root = project(tmp_path, {"a9_example.yaml": text})
    code, _out, err = run_cli("grade", "build", "--root", str(root))
    assert code == 2
    assert "items[2].task.answer: the answer does not get full marks from the key" in err


# ----- the build ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Path:
    """The guide's worked example built into a fresh project folder."""
    root = project(tmp_path_factory.mktemp("example"), {"a9_example.yaml": guide_example()})
    code, out, err = run_cli("grade", "build", "--root", str(root))
    assert code == 0, err
    assert "built 1 assignment(s)" in out
    return root


def test_build_check_names_stale_and_orphan_files(example, tmp_path):
    root = tmp_path / "copy"
    shutil.copytree(example, root)
    assert run_cli("grade", "build", "--check", "--root", str(root))[0] == 0
    spec = root / "grading" / "assignments" / "a9_example.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("入门", "初步"), encoding="utf-8")
    (root / "exercises" / "a9_example" / "notes.txt").write_text("left over")
    code, _out, err = run_cli("grade", "build", "--check", "--root", str(root))
    assert code == 1
    assert "stale (run sanshe-edu build): exercises/a9_example/a9_example.ipynb" in err
    assert "grading/source/a9_example/a9_example.ipynb" in err
    assert "derived file without a source: exercises/a9_example/notes.txt" in err
    # --check changed nothing; the build mends it all.
    assert (root / "exercises" / "a9_example" / "notes.txt").exists()
    assert run_cli("grade", "build", "--root", str(root))[0] == 0
    assert run_cli("grade", "build", "--check", "--root", str(root))[0] == 0
    assert not (root / "exercises" / "a9_example" / "notes.txt").exists()


def test_release_runs_as_handed_out(example):
    """The student's copy: the template instead of the answer, the Chinese stub instead of
    ``raise NotImplementedError``, no hidden key, no model answer."""
    nb = nbformat.read(str(example / "exercises/a9_example/a9_example.ipynb"), 4)
    cells = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in nb.cells}
    assert cells["mechanisms"].source == 'mechanisms = {"？", "？", "？"}'
    assert "sanshe_template" not in cells["mechanisms"].metadata
    assert cells["reflection"].source == "在这里写你的答案 / Write your answer here"
    text = nbformat.writes(nb)
    for secret in ("NotImplementedError", "key=", '设施项目外包"}', "facilitative"):
        assert secret not in text, secret
    assert "计分" not in text  # the label comes from the widget, not the notebook
    assert not list((example / "exercises").rglob("model_answers.json"))


@pytest.fixture(scope="module")
def graded_example(example, tmp_path_factory) -> dict:
    """The worked example released, handed in by four students and autograded."""
    course = tmp_path_factory.mktemp("course") / "grading"
    shutil.copytree(example / "grading", course)
    assert run_cli("grade", "--course", str(course), "generate")[0] == 0
    release = nbformat.read(str(course / "release/a9_example/a9_example.ipynb"), 4)

    def hand_in(student: str, mechanisms: str | None, widget: str | None) -> None:
        nb = copy.deepcopy(release)
        for cell in nb.cells:
            if cell.metadata.get("nbgrader", {}).get("grade_id") == "mechanisms" and mechanisms:
                cell.source = mechanisms
        if widget:
            with_widget_answers(nb, {"a1.newland": widget})
        folder = course / "submitted" / student / "a9_example"
        folder.mkdir(parents=True)
        nbformat.write(nb, str(folder / "a9_example.ipynb"))

    hand_in("full", 'mechanisms = {"政府购买服务", "公益创投", "设施项目外包"}', "facilitative")
    # Full-width quotes inside the strings, a list for a set, a distractor: 2 hits − 1 extra.
    hand_in("partial", 'mechanisms = ["“政府购买服务”", " 公益创投", "社区基金会"]', "controlling")
    hand_in("blank", None, None)
    # Chinese quotes and a brace left open: a syntax error grading cannot repair (issue 24:
    # Chinese punctuation alone is repaired, test_a4_chinese_comma_repaired_and_scored).
    hand_in("quotes", "mechanisms = {“政府购买服务”, “公益创投”, “设施项目外包”", "facilitative")
    code, out, err = run_cli("grade", "--course", str(course), "autograde", "a9_example")
    assert code == 0, out + err
    from nbgrader.api import Gradebook

    scores = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "sanshe-edu") as gb:
        for student in ("full", "partial", "blank", "quotes"):
            sub = gb.find_submission("a9_example", student)
            scores[student] = {g.name: g.score for nb in sub.notebooks for g in nb.grades}
    return {"course": course, "scores": scores}


def test_worked_example_grades_exactly(graded_example):
    scores = graded_example["scores"]
    assert scores["full"] == {"newland_check": 1, "mechanisms_check": 2, "reflection": 0}
    assert scores["partial"] == {"newland_check": 0, "mechanisms_check": 0.67, "reflection": 0}
    assert scores["blank"] == {"newland_check": 0, "mechanisms_check": 0, "reflection": 0}
    assert scores["quotes"] == {"newland_check": 1, "mechanisms_check": 0, "reflection": 0}


def _outputs(course: Path, student: str) -> dict[str, str]:
    nb = nbformat.read(str(course / "autograded" / student / "a9_example/a9_example.ipynb"), 4)
    out = {}
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        texts = []
        for o in cell.get("outputs", []):
            texts.append(str(o.get("text", "")) + str(o.get("data", {}).get("text/plain", "")))
            texts.append(" ".join(o.get("traceback", [])))
        out[gid] = "\n".join(texts)
    return out


def test_graded_copy_explains_in_plain_words(graded_example):
    course = graded_example["course"]
    partial = _outputs(course, "partial")
    assert "Score 0.67 / 2 (1 of 3 parts right)" in partial["mechanisms_check"]
    assert "Should not be there: 社区基金会" in partial["mechanisms_check"]
    # The widget re-shows the answer the notebook held (for the trainer and the feedback).
    assert "controlling governance" in partial["newland_ask"]
    quotes = _outputs(course, "quotes")
    assert "Chinese quotes in the code (line 1)" in quotes["mechanisms"]
    assert "Score 1 / 1" in quotes["newland_check"]


# ----- the checks' rules ------------------------------------------------------------------------
def score(value, kind, key, **kw):
    return check("x", kind, points=kw.pop("points", 4), key=key, namespace={"x": value},
                 quiet=True, **kw)  # fmt: skip


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"社区", "社会组织", "社工"}, 3),
        (["社区", "社会组织", "社工"], 3),  # a list where a set is asked
        ("社区、社会组织，社工", 3),  # one text with Chinese separators
        ((" 社区 ", "“社会组织”", "社工"), 3),  # spaces and quotes around the items
        ({"社区", "社会组织"}, 2),
        ({"社区", "社会组织", "社工", "居委会"}, 2),  # one wrong extra costs one part
        ({"居委会", "物业"}, 0),  # never below zero
    ],
)
def test_set_parts(value, expected):
    assert score(value, "set", ["社区", "社会组织", "社工"], points=3) == expected


def test_mapping_accepts_names_for_ids_and_counts_each_key():
    choices = {"subject": "主体", "object": "对象", "method": "方法", "goal": "目标"}
    key = {"甲": "subject", "乙": "object", "丙": "method", "丁": "goal"}
    assert score({"甲": "主体", "乙": "OBJECT", "丙": "方法 ", "丁": "goal"}, "mapping", key,
                 choices=choices) == 4  # fmt: skip
    assert score({"甲": "主体", "乙": "对象", "丙": "目标", "丁": "？"}, "mapping", key,
                 choices=choices) == 2  # fmt: skip
    assert score({"甲": "主体"}, "mapping", key, choices=choices) == 1  # lost keys score 0


def test_sequence_per_position_and_value_all_or_nothing():
    key = ["needs", "design", "implement", "evaluate"]
    assert score(["needs", "design", "evaluate", "implement"], "sequence", key) == 2
    assert score(("needs", "design", "implement", "evaluate"), "sequence", key) == 4
    assert score(("2009", "２０１０"), "value", [2009, 2010], points=1) == 1
    assert score([2009, 2011], "value", [2009, 2010], points=1) == 0


def test_unanswered_and_missing_say_so(capsys):
    with use_lang("zh"):
        assert check("x", "set", points=2, namespace={"x": {"？"}}).text
        assert "还没有作答：x 里还没有写答案" in capsys.readouterr().out
        check("gone", "set", points=2, namespace={})
        said = capsys.readouterr().out
        assert "找不到 gone" in said and "改回 gone = …" in said
        check("x", "mapping", points=2, keys=["甲", "乙"], choices=["a", "b"],
              namespace={"x": {"甲": "c", "乙": "？"}})  # fmt: skip
        said = capsys.readouterr().out
        assert "「c」不在可选的答案里" in said and "还有“？”没有换成答案" in said
        assert check("x", "set", points=2, namespace={"x": {"a"}}) is None
        assert "✔ 已作答" in capsys.readouterr().out


def test_widget_check_reads_the_grader_answers_not_the_kernel():
    ns = {"__sanshe_widget_answers__": {"a1.newland": "facilitative"}}
    assert check_widget("a1.newland", points=1, key="facilitative", namespace=ns, quiet=True) == 1
    ns = {"__sanshe_widget_answers__": {}}
    assert check_widget("a1.newland", points=1, key="facilitative", namespace=ns, quiet=True) == 0


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("x = {“社区”, “社工”}", "代码里用了中文引号（第 1 行）"),
        ('y = 1\nx = {"社区"，"社工"}', "代码里用了中文标点（第 2 行）：， → ,"),
        ('x = ["社区（居委会）"]', ""),  # Chinese punctuation inside quotes is fine
        ("# 在这里写你的答案\nraise NotImplementedError()", "raise NotImplementedError()"),
    ],
)
def test_plain_words_for_common_mistakes(code, expected):
    with use_lang("zh"):
        said = explain_syntax(code)
    assert (expected in said) if expected else said == ""


def test_self_check_from_the_checks_that_ran(capsys):
    """Without a list, the self-check lists the items whose checks ran (Run All runs them)."""
    from sanshe_edu.grade import checks

    checks.SEEN.clear()
    ns = {"a": {"p"}}
    check("a", "set", points=1, choices=["p", "q"], n=1, namespace=ns, quiet=True)
    with use_lang("en"):
        self_check(written=[2], count=3, namespace=ns)
    out = capsys.readouterr().out
    assert "The checks of 1 question(s) have not run yet" in out
    assert "Question 1：answered" in out and "Question 2：short essay" in out
    checks.SEEN.clear()


def test_form_check_accepts_the_graders_synonyms():
    """One list of accepted forms: a synonym of a choice the grader accepts (a3's 方案设计)
    is in the student's check call too, so its form check does not reject it."""
    source = (EXERCISES / "a3_phases" / "a3_phases.ipynb").read_text(encoding="utf-8")
    nb = nbformat.reads(source, 4)
    (cell,) = [
        c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "phase_of_check"
    ]
    assert "same=" in cell.source and "方案设计" in cell.source
    (answer,) = [
        c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "phase_of"
    ]
    ns = {}
    exec(answer.source.replace("？", "方案设计"), ns)
    with use_lang("zh"):
        said = []
        import contextlib
        import io

        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            exec(cell.source, ns)
        said = buf.getvalue()
    assert "不在可选的答案里" not in said, said


def test_self_check_lists_every_item(capsys):
    items = [
        {"n": 1, "kind": "task", "name": "a", "check": "set", "choices": ["p", "q"]},
        {"n": 2, "kind": "task", "name": "b", "check": "value", "choices": None},
        {"n": 3, "kind": "task", "name": "c", "check": "set", "choices": ["p", "q"]},
        {"n": 4, "kind": "written", "id": "essay"},
    ]
    with use_lang("en"):
        rows = self_check(items, namespace={"a": {"p"}, "b": "？", "c": {"z"}})
    assert [r[1] for r in rows] == ["done", "todo", "fix", "hand"]
    out = capsys.readouterr().out
    assert "Question 3：“z” is not one of the allowed answers." in out
    assert "2 question(s) still to do or fix." in out


def test_self_check_reads_the_saved_notebook(tmp_path):
    """In a real kernel: an answer cell edited and saved but not run since (a full-width comma
    typed after the self-check) is named "edited but not run" — not "answered" nor "not
    answered" — and an essay cell still holding the stub is listed as not written yet."""
    from nbclient import NotebookClient

    def meta(gid, **flags):
        return {"nbgrader": {"grade_id": gid, "solution": False, "grade": False, **flags}}

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell('ranking = ["a", "b"]', metadata=meta("ranking", solution=True)),
        nbformat.v4.new_code_cell(
            "from sanshe_edu.grade.checks import check\n"
            'check("ranking", "sequence", points=2, n=1, choices=["a", "b"])',
            metadata=meta("ranking_check", grade=True, points=2),
        ),
        nbformat.v4.new_markdown_cell(
            "在这里写你的答案 / Write your answer here", metadata=meta("essay", solution=True)
        ),
        nbformat.v4.new_code_cell(
            "import sanshe_edu\nsanshe_edu.set_lang('zh')\n"
            "from sanshe_edu.grade.student import self_check\n"
            "self_check(written=[{'n': 2, 'id': 'essay'}], count=2)",
            metadata=meta("self_check"),
        ),
    ]
    client = NotebookClient(
        nb, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    with client.setup_kernel():
        for i, cell in enumerate(nb.cells):
            client.execute_cell(cell, i)
        first = "".join(o.get("text", "") for o in nb.cells[-1].outputs)
        saved = copy.deepcopy(nb)
        saved.cells[0].source = 'ranking = ["b"，"a"]'
        nbformat.write(saved, str(tmp_path / "a4_issues.ipynb"))
        client.execute_cell(nb.cells[-1], len(nb.cells) - 1)
    out = "".join(o.get("text", "") for o in nb.cells[-1].outputs)
    assert "第 1 题：已作答" in first
    assert "第 1 题：改过但还没运行" in out, out
    assert "第 2 题：还没写" in out and "都做完了" not in out, out


def test_start_puts_common_errors_in_plain_words():
    """In a real kernel: the old stub's NotImplementedError, an undefined name and Chinese
    quotes each end the cell in an error (nbgrader sees it) that says what to do in Chinese."""
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "import sanshe_edu\nsanshe_edu.set_lang('zh')\n"
            "from sanshe_edu.grade.student import start\nstart()"
        ),
        nbformat.v4.new_code_cell("raise NotImplementedError()"),
        nbformat.v4.new_code_cell("print(role_of)"),
        nbformat.v4.new_code_cell("x = {“社区”}"),
    ]
    NotebookClient(nb, allow_errors=True, timeout=60).execute()

    def said(cell) -> str:
        return "\n".join(
            str(o.get("text", "")) + "\n".join(o.get("traceback", [])) for o in cell.outputs
        )

    assert all(any(o.output_type == "error" for o in c.outputs) for c in nb.cells[1:])
    assert "单元格里还留着 raise NotImplementedError()" in said(nb.cells[1])
    assert "找不到 role_of：可能上面的单元格还没有运行" in said(nb.cells[2])
    assert "代码里用了中文引号（第 1 行）" in said(nb.cells[3])


def test_validate_reads_the_answers_inside_a_notebook(graded_example):
    """A notebook handed in alone is validated with the widget answers it holds."""
    course = graded_example["course"]
    full = course / "submitted" / "full" / "a9_example" / "a9_example.ipynb"
    blank = course / "submitted" / "blank" / "a9_example" / "a9_example.ipynb"
    assert not (full.parent / "sanshe_answers.json").exists()
    code, out, _err = run_cli("grade", "validate", str(full))
    assert code == 1  # only the short essay is not written: every widget answer was found
    assert "1 checks failed" in out and "A short written answer is still empty" in out
    code, out, _err = run_cli("grade", "validate", str(blank))
    assert code == 1
    assert "Check of question 1: Not answered yet: answer in the widget above" in out


def _rechecked(source: str, values: dict, widget_answers: dict | None = None):
    """One test cell (2 points) through SealedRecheck with these exported plain values."""
    import json

    from sanshe_edu.grade import plain
    from sanshe_edu.grade.preprocessors import EXPORT_KEY, WIDGET_RESOURCE, SealedRecheck

    line = plain.MARKER + json.dumps(
        {"cell": "t", "values": {k: plain.encode(v) for k, v in values.items()}}
    )
    export = nbformat.v4.new_code_cell("", metadata={EXPORT_KEY: "t"})
    export.outputs = [nbformat.v4.new_output("stream", name="stdout", text=line + "\n")]
    test = nbformat.v4.new_code_cell(source)
    test.metadata = {"nbgrader": {"grade": True, "solution": False, "grade_id": "t", "points": 2,
                                  "locked": True, "schema_version": 3}}  # fmt: skip
    test.execution_count = 3
    test.outputs = [nbformat.v4.new_output("stream", name="stdout", text="得分 2 / 2（伪造）\n"),
                    nbformat.v4.new_output("execute_result", data={"text/plain": "2"},
                                           execution_count=3)]  # fmt: skip
    nb = nbformat.v4.new_notebook()
    nb.cells = [export, test]
    resources = {WIDGET_RESOURCE: widget_answers or {}, "metadata": {"path": "."}}
    nb, _ = SealedRecheck().preprocess(nb, resources)
    return nb.cells[0]


def test_the_grader_writes_a_scored_cells_output_and_score():
    """What the kernel printed or returned in a test cell is replaced by the grader's own run."""
    cell = _rechecked(
        'from sanshe_edu.grade.checks import check\ncheck("x", "set", points=2, key=["a", "b"])',
        {"x": ["a", "c"]},
    )
    texts = [o.get("text", "") for o in cell.outputs if o.output_type == "stream"]
    assert "伪造" not in "".join(texts)
    [result] = [o for o in cell.outputs if o.output_type == "execute_result"]
    assert result.data["text/plain"] == "0"  # one hit, one wrong extra


def test_a_check_that_gives_no_number_scores_nothing():
    """A points-giving check without its key (a broken build, a cell edited in the gradebook)
    earns 0, not nbgrader's "no value means full marks"."""
    cell = _rechecked(
        'from sanshe_edu.grade.checks import check_widget\ncheck_widget("a1.newland", points=2)',
        {},
        {"a1.newland": {"answer": "facilitative"}},
    )
    [result] = [o for o in cell.outputs if o.output_type == "execute_result"]
    assert result.data["text/plain"] == "0"


def test_network_questions_are_graded_by_their_requirements():
    """The network check has ``key=None`` written out (the requirements are the key)."""
    nb = nbformat.read(str(REPO / "grading/source/a2_linkage/a2_linkage.ipynb"), 4)
    [cell] = [c for c in nb.cells if 'check_widget(\n    "a2.network"' in c.source]
    assert "    key=None,\n" in cell.source

    def points(links) -> float:
        ns = {"__sanshe_widget_answers__": {"a2.network": links}}
        return check_widget("a2.network", points=3, key=None, namespace=ns, quiet=True)

    model = json.loads((REPO / "grading/source/a2_linkage/model_answers.json").read_text("utf-8"))
    assert points(model["answers"]["a2.network"]["answer"]) == 3
    assert points([["jwh", "ywh"]]) < 3
    assert points([]) == 0
