"""Real nbgrader on synthetic submissions: every kind of submission gets its EXACT score.

One course copy per run (the committed ``grading/`` is never touched).  a1_concepts carries the
full set of submissions — complete, partly right, blank, erroring, late, not a notebook,
corrupt, and every tampering route of docs/threat-model.md.  The tamper defences are shared by
all assignments (they live in the course's nbgrader_config.py preprocessors, not in a
notebook), so they are exercised on a1 only.  The whole class is graded twice, ``--jobs 2`` and
sequentially, and the two gradebooks must agree cell by cell.
"""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import nbformat
import pytest
from grade_support import isolated_state_in, run_cli, solutions

from sanshe_edu.quiz.graded import record_answer

REPO = Path(__file__).resolve().parents[1]
GRADING = REPO / "grading"
IGNORE = shutil.ignore_patterns(
    "release", "submitted", "autograded", "feedback", "reports", "gradebook.db", "__pycache__"
)
ON_TIME = "2025-12-31 12:00:00.000000 UTC"
LATE = "2026-01-03 09:30:00.000000 UTC"
DUE = "2026-01-01 12:00"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", autouse=True)
def isolated_state(tmp_path_factory):
    with isolated_state_in(tmp_path_factory.mktemp("state")) as root:
        yield root


def new_course(root: Path, timeout: int = 5) -> Path:
    course = root / "grading"
    shutil.copytree(GRADING, course, ignore=IGNORE)
    with (course / "nbgrader_config.py").open("a", encoding="utf-8") as fh:
        fh.write(f"\nc.Execute.timeout = {timeout}  # tests: the endless loop costs {timeout} s\n")
    return course


def released(course: Path, assignment: str) -> nbformat.NotebookNode:
    return nbformat.read(str(course / "release" / assignment / f"{assignment}.ipynb"), 4)


def answered(course: Path, assignment: str, answers: dict[str, str]) -> nbformat.NotebookNode:
    """The released notebook with some answer cells replaced (others left as released)."""
    nb = copy.deepcopy(released(course, assignment))
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in answers and cell.metadata["nbgrader"].get("solution"):
            cell.source = answers[gid]
    return nb


def insert_after(nb, grade_id: str, source: str) -> nbformat.NotebookNode:
    for i, cell in enumerate(nb.cells):
        if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            nb.cells.insert(i + 1, nbformat.v4.new_code_cell(source))
            return nb
    raise KeyError(grade_id)


def grade_test_cells(nb):
    return [
        c
        for c in nb.cells
        if c.metadata.get("nbgrader", {}).get("grade") and not c.metadata["nbgrader"]["solution"]
    ]


def hand_in(
    course: Path, student: str, assignment: str, nb=None, files=None, when=ON_TIME, widget=None
):
    """Put a submission in submitted/; ``widget`` = {qid: (type, answer)} clicked in widgets."""
    folder = course / "submitted" / student / assignment
    folder.mkdir(parents=True)
    for qid, (qtype, value) in (widget or {}).items():
        record_answer(qid, qtype, value, folder)
    if nb is not None:
        nbformat.write(nb, str(folder / f"{assignment}.ipynb"))
    for name, data in (files or {}).items():
        (folder / name).write_bytes(data)
    (folder / "timestamp.txt").write_text(when)


def scores(course: Path, assignment: str) -> dict[str, dict]:
    """{student: {"total": score, "late": bool, "flagged": bool, "cells": {grade_id: score}}}."""
    from nbgrader.api import Gradebook, MissingEntry

    out = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "sanshe-edu") as gb:
        for student in gb.students:
            try:
                sub = gb.find_submission(assignment, student.id)
            except MissingEntry:
                continue
            cells, manual = {}, {}
            for nb in sub.notebooks:
                for g in nb.grades:
                    cells[g.name] = g.score
                    manual[g.name] = g.needs_manual_grade
            out[student.id] = {
                "total": sub.score,
                "late": sub.total_seconds_late > 0,
                "flagged": any(nb.flagged for nb in sub.notebooks),
                "cells": cells,
                "manual": manual,
            }
    return out


# ---------------------------------------------------------------- a1_concepts submissions
# Points: three_subjects 2, scholar_match 3, structure_modes 1, mechanisms 2, term_years 2,
# the widget question newland 2 = 12.
A1 = "a1_concepts"
A1_RIGHT = {"a1.newland": ("single", "facilitative")}
A1_WRONG = {"a1.newland": ("single", "controlling")}
WRONG = {
    "three_subjects": 'three_subjects = ["社区", "居委会", "社工"]',
    "scholar_match": 'scholar_match = {"叶南客、陈金城": "B", "王思斌": "A", '
    '"徐永祥、曹国慧": "C", "吴江、范炜烽": "D"}',
    "structure_modes": 'structure_modes = {"嵌入式", "外包式"}',
    "mechanisms": 'mechanisms = {"政府购买服务", "公益创投", "社区基金会"}',
    "term_years": "term_years = (2006, 2010)",
}
ALWAYS_EQUAL = """
class _Yes:
    def __eq__(self, other): return True
    def __hash__(self): return 0
class _D(dict):
    def __eq__(self, other): return True
class _S(set):
    def __eq__(self, other): return True
    def __le__(self, other): return True
class _T(tuple):
    def __eq__(self, other): return True
"""


def a1_submissions(course: Path) -> dict[str, tuple[object, dict | None, float]]:
    """Every a1 submission: {student: (notebook, widget answers, expected score)}."""
    good = solutions(A1)
    subs = {}

    # Complete and correct: 2 + 3 + 1 + 2 + 2 + widget 2.
    subs["s01_complete"] = (answered(course, A1, good), A1_RIGHT, 12)
    # Partly right: three_subjects (2) and structure_modes (1) right; the scholar dict has the
    # right keys (visible tests pass) but two letters swapped, mechanisms has a distractor,
    # the years are wrong, the widget answer is wrong.
    partly = dict(good, **{k: WRONG[k] for k in ("scholar_match", "mechanisms", "term_years")})
    subs["s02_partly"] = (answered(course, A1, partly), A1_WRONG, 3)
    # Blank: the released notebook as it was handed out, widget never answered.
    subs["s03_blank"] = (released(course, A1), None, 0)
    # Erroring: the scholar cell fails before assigning (0 of 3), the rest is right.
    erroring = dict(good, scholar_match="1 / 0\n" + good["scholar_match"])
    subs["s04_erroring"] = (answered(course, A1, erroring), A1_RIGHT, 9)
    # Late: complete, after the due date: flagged late, no automatic penalty (config "none").
    subs["s05_late"] = (answered(course, A1, good), A1_RIGHT, 12)

    # Tampering.  Wrong answers plus an exception handler that hides every failing assert in
    # the kernel: the re-check outside the kernel fails them all.
    nb = answered(course, A1, WRONG)
    insert_after(
        nb, "three_subjects", "get_ipython().set_custom_exc((BaseException,), lambda *a, **k: None)"
    )
    subs["t01_hide_errors"] = (nb, A1_WRONG, 0)
    # Objects that equal everything: only the honest three_subjects (2) counts.
    nb = answered(
        course,
        A1,
        dict(
            good,
            scholar_match=ALWAYS_EQUAL
            + 'scholar_match = _D({"叶南客、陈金城": "D", "王思斌": "D", "徐永祥、曹国慧": "D", '
            '"吴江、范炜烽": "D"})',
            structure_modes="structure_modes = _S({'x', 'y'})",
            mechanisms="mechanisms = _S({'政府购买服务'})",
            term_years="term_years = _T((1, 2))",
        ),
    )
    subs["t02_always_equal"] = (nb, None, 2)
    # Replaced builtins the checks might use (set, sorted, all): only three_subjects is honest.
    nb = answered(course, A1, dict(WRONG, three_subjects=good["three_subjects"]))
    insert_after(
        nb,
        "three_subjects_check",
        ALWAYS_EQUAL
        + "import builtins\nbuiltins.set = lambda *a: _Yes()\nbuiltins.sorted = lambda *a: _Yes()\n"
        "builtins.all = lambda *a: True\n",
    )
    subs["t03_builtins"] = (nb, None, 2)
    # Test cells edited to pass, wrong answers except three_subjects: cells are restored.
    nb = answered(course, A1, dict(WRONG, three_subjects=good["three_subjects"]))
    for cell in grade_test_cells(nb):
        cell.source = '"""Check that nothing."""\npass'
    subs["t04_edit_tests"] = (nb, A1_WRONG, 2)
    # Test cells deleted, all answers right: nbgrader puts them back (add_missing_cells).
    nb = answered(course, A1, good)
    nb.cells = [c for c in nb.cells if c not in grade_test_cells(nb)]
    subs["t05_delete_tests"] = (nb, A1_RIGHT, 12)
    # Test cells deleted and answers wrong except three_subjects: restored tests fail them.
    nb = answered(course, A1, dict(WRONG, three_subjects=good["three_subjects"]))
    nb.cells = [c for c in nb.cells if c not in grade_test_cells(nb)]
    subs["t06_delete_wrong"] = (nb, A1_WRONG, 2)
    # Cell metadata changed: points raised, a test turned into a plain cell, a test marked as
    # an answer cell, one as not graded; answers wrong except three_subjects.  nbgrader alone
    # stops on this notebook ("Inconsistent checksums"); RestoreCellMetadata mends it.
    nb = answered(course, A1, dict(WRONG, three_subjects=good["three_subjects"]))
    tests = grade_test_cells(nb)
    tests[0].metadata["nbgrader"]["points"] = 100
    del tests[1].metadata["nbgrader"]
    tests[2].metadata["nbgrader"]["solution"] = True
    tests[3].metadata["nbgrader"]["grade"] = False
    subs["t07_metadata"] = (nb, A1_WRONG, 2)
    # sys.exit() instead of the structure_modes answer: that question 0 of 1, the rest right.
    subs["t08_sys_exit"] = (
        answered(course, A1, dict(good, structure_modes="import sys\nsys.exit('bye')")),
        A1_RIGHT,
        11,
    )
    # Raising on purpose inside the test: an answer whose == raises SystemExit (0 of 3).
    raising = "class _Boom(dict):\n    def __eq__(self, other):\n        raise SystemExit(0)\n"
    raising += 'scholar_match = _Boom({"叶南客、陈金城": "A", "王思斌": "B", '
    raising += '"徐永祥、曹国慧": "C", "吴江、范炜烽": "D"})'
    subs["t09_raise"] = (answered(course, A1, dict(good, scholar_match=raising)), A1_RIGHT, 9)
    # Megabytes of output (one long line, then many lines), all answers right.
    nb = answered(course, A1, good)
    insert_after(nb, "mechanisms", "print('x' * 3_000_000)\nfor i in range(20_000): print(i)")
    subs["t10_megabytes"] = (nb, A1_RIGHT, 12)
    # An endless loop instead of term_years: interrupted after the timeout; 0 of 2.
    loop = answered(course, A1, dict(good, term_years="while True:\n    pass"))
    subs["t11_loop"] = (loop, A1_RIGHT, 10)
    # Overwriting files: the notebook itself, the gradebook two and three folders up, a
    # neighbour's notebook, the course config; then honest answers.  The student's code runs
    # in a scratch copy whose gradebook is elsewhere: nothing real changes.
    vandal = (
        "import pathlib\n"
        "for p in ['a1_concepts.ipynb', '../../../gradebook.db', '../../gradebook.db',\n"
        "          '../s01_complete/a1_concepts/a1_concepts.ipynb', '../../nbgrader_config.py']:\n"
        "    try:\n"
        "        pathlib.Path(p).write_text('garbage')\n"
        "    except OSError:\n"
        "        pass\n"
    )
    nb = answered(course, A1, good)
    insert_after(nb, "three_subjects", vandal)
    subs["t12_overwrite"] = (nb, A1_RIGHT, 12)
    # Killing the kernel: nothing can be graded; scored 0, flagged, named in a message.
    kill = answered(course, A1, dict(good, structure_modes="import os\nos._exit(1)"))
    subs["t13_kill_kernel"] = (kill, A1_RIGHT, 0)
    # Replacing the helper-library checker: recorded_answer patched to return the right
    # answer while the saved answer is wrong.  The re-check uses the grader's own copy: 10.
    nb = answered(course, A1, good)
    insert_after(
        nb,
        "three_subjects",
        "import sanshe_edu.quiz\nsanshe_edu.quiz.recorded_answer = lambda *a, **k: 'facilitative'",
    )
    subs["t14_fake_checker"] = (nb, A1_WRONG, 10)
    return subs


def build_a1_class(course: Path) -> dict[str, float]:
    expected = {}
    for student, (nb, widget, score) in a1_submissions(course).items():
        when = LATE if student == "s05_late" else ON_TIME
        hand_in(course, student, A1, nb, when=when, widget=widget)
        expected[student] = score
    # Not a notebook: a Word file instead.  Corrupt: half a JSON file.
    hand_in(course, "u01_docx", A1, files={"answers.docx": b"PK\x03\x04 not a notebook"})
    expected["u01_docx"] = 0
    text = nbformat.writes(answered(course, A1, solutions(A1)))
    hand_in(course, "u02_corrupt", A1, files={f"{A1}.ipynb": text[: len(text) // 2].encode()})
    expected["u02_corrupt"] = 0
    return expected


# Graded sequentially as well, to compare with --jobs 2 (a subset keeps the suite short: one
# of each outcome — right, partly right, erroring, mended metadata, raising, vandal, corrupt).
SEQUENTIAL = [
    "s01_complete",
    "s02_partly",
    "s04_erroring",
    "t07_metadata",
    "t09_raise",
    "t12_overwrite",
    "u02_corrupt",
]


@pytest.fixture(scope="module")
def a1_runs(tmp_path_factory):
    """The class graded with --jobs 2; a subset of it again sequentially in another copy."""
    runs = {}
    for jobs in (2, 1):
        course = new_course(tmp_path_factory.mktemp(f"jobs{jobs}"))
        code, out, err = run_cli("grade", "--course", str(course), "generate", A1, "--due", DUE)
        assert code == 0, err
        expected = build_a1_class(course)
        who = [] if jobs == 2 else [arg for s in SEQUENTIAL for arg in ("--student", s)]
        code, out, err = run_cli(
            "grade", "--course", str(course), "autograde", A1, "-j", str(jobs), *who
        )
        runs[jobs] = {
            "course": course,
            "expected": expected,
            "code": code,
            "out": out,
            "err": err,
            "scores": scores(course, A1),
        }
    return runs


def test_a1_exact_scores(a1_runs):
    run = a1_runs[2]
    got = {s: v["total"] for s, v in run["scores"].items()}
    assert got == run["expected"], run["err"]


def test_a1_jobs2_identical_to_sequential(a1_runs):
    parallel = {s: v for s, v in a1_runs[2]["scores"].items() if s in SEQUENTIAL}
    assert sorted(a1_runs[1]["scores"]) == sorted(SEQUENTIAL)
    assert parallel == a1_runs[1]["scores"]


def test_a1_late_and_flagged(a1_runs):
    s = a1_runs[2]["scores"]
    assert [k for k, v in s.items() if v["late"]] == ["s05_late"]
    flagged = ["t13_kill_kernel", "u01_docx", "u02_corrupt"]
    assert sorted(k for k, v in s.items() if v["flagged"]) == flagged


def test_a1_bad_submissions_named_and_others_graded(a1_runs):
    run = a1_runs[2]
    assert run["code"] == 1  # some submissions had problems
    assert "student u01_docx: a1_concepts.ipynb was not handed in" in run["err"]
    assert "answers.docx" in run["err"]
    assert "student u02_corrupt: a1_concepts.ipynb is not a readable notebook" in run["err"]
    assert "Traceback" not in run["err"]
    assert "student t13_kill_kernel: autograding failed" in run["err"]
    assert "a1_concepts: 18/21 graded, 3 with problems (2 processes)" in run["out"]


def test_a1_output_capped(a1_runs):
    path = a1_runs[2]["course"] / "autograded" / "t10_megabytes" / A1 / f"{A1}.ipynb"
    assert path.stat().st_size < 200_000


def test_a1_feedback_has_no_hidden_tests(a1_runs):
    course = a1_runs[2]["course"]
    code, _out, err = run_cli("grade", "--course", str(course), "feedback", A1)
    assert code == 0, err
    pages = sorted((course / "feedback").glob(f"*/{A1}/{A1}.html"))
    assert len(pages) == 18
    source = (GRADING / "source" / A1 / f"{A1}.ipynb").read_text(encoding="utf-8")
    hidden = []
    for cell in json.loads(source)["cells"]:
        text = "".join(cell["source"])
        if "### BEGIN HIDDEN TESTS" in text:
            block = text.split("### BEGIN HIDDEN TESTS\n")[1].split("### END HIDDEN TESTS")[0]
            hidden += [line.strip() for line in block.splitlines() if len(line.strip()) > 12]
    assert hidden
    for page in pages:
        html = page.read_text(encoding="utf-8")
        import html as html_mod

        plain = html_mod.unescape(html)
        for line in hidden:
            assert line not in plain, (page, line)
        assert "HIDDEN TESTS" not in plain
    partly = (course / "feedback" / "s02_partly" / A1 / f"{A1}.html").read_text(encoding="utf-8")
    assert "this check did not pass: Check that scholar_match pairs each scholar" in partly


def test_a1_report(a1_runs):
    course = a1_runs[2]["course"]
    out_dir = course / "reports" / A1
    code, out, err = run_cli("grade", "--course", str(course), "report", A1)
    assert code == 0, err
    for name in ("report.svg", "report.html", "scores.csv", "questions.csv"):
        assert (out_dir / name).stat().st_size > 100
    rows = (out_dir / "questions.csv").read_text(encoding="utf-8").splitlines()
    rates = {r.split(",")[0]: r.split(",")[4] for r in rows[1:]}
    # Full marks on three_subjects: everyone except blank, hide_errors, kill_kernel and the two
    # unreadable ones (their zeros count): 21 submissions, 16 with full marks.
    assert rates["three_subjects_check"] == str(round(16 / 21, 3))
    assert "flagged 3" in out


# ------------------------------------------------------------------- a2, a3, a4 submissions
A2_RIGHT = {
    "a2.element_roles": ("match", {"issue": "object", "org": "subject", "social_work": "method"})
}
A3_RIGHT = {"a3.phase_order": ("order", ["needs", "design", "implement", "evaluate"])}
A4_RIGHT = {"a4.harm_outcome": ("single", "compete")}
FAKE_REPORT = """
import sanshe_edu.model as _model
class _Report:
    ok = connected = True
    isolated = missing_categories = unlinked_pairs = problems = []
_model.analyse_network = lambda G: _Report()
"""


def later_submissions(course: Path) -> dict[tuple[str, str], tuple[object, dict | None, float]]:
    """{(assignment, student): (notebook, widget answers, expected auto score)}."""
    subs = {}
    # a2: relations 3, element_of 3, committee 1, chairs 2, widget 2 = 11.
    good = solutions("a2_linkage")
    subs[("a2_linkage", "s01_complete")] = (answered(course, "a2_linkage", good), A2_RIGHT, 11)
    partly = dict(
        good,
        # lv is left out: an isolated organisation, the network check fails (0 of 3).
        relations='relations = [("jwh", "ywh"), ("jwh", "wy"), ("jwh", "hct"), ("jwh", "zyd"),'
        ' ("jwh", "sg"), ("sg", "sh"), ("jwh", "sh")]',
        # right committee (1), chairs in the wrong order (0 of 2).
        committee=good["committee"] + "\nfirst_chairs = first_chairs[::-1]",
    )
    subs[("a2_linkage", "s02_partly")] = (answered(course, "a2_linkage", partly), A2_RIGHT, 6)
    subs[("a2_linkage", "s03_blank")] = (released(course, "a2_linkage"), None, 0)
    erroring = dict(good, relations="relations = undefined_name")
    subs[("a2_linkage", "s04_erroring")] = (
        answered(course, "a2_linkage", erroring),
        A2_RIGHT,
        8,
    )
    # The helper library's network checker replaced by one that always says "ok", with a
    # network of three links: the kernel's test passes, the re-check does not (0 of 3).
    tampered = dict(good, relations=FAKE_REPORT + 'relations = [("jwh", "sg")]')
    subs[("a2_linkage", "t01_fake_checker")] = (
        answered(course, "a2_linkage", tampered),
        A2_RIGHT,
        8,
    )
    # a3: plan 4, controllable 3, phase_of 2, widget 2 = 11.
    good = solutions("a3_phases")
    subs[("a3_phases", "s01_complete")] = (answered(course, "a3_phases", good), A3_RIGHT, 11)
    partly = dict(
        good,
        # no non-profit in the evaluation phase: the plan check fails (0 of 4)
        plan=good["plan"].replace('["jwh", "sg", "sh", "lv"]', '["jwh", "sg"]'),
        # the school's after-school places are not in the workers' hands (0 of 3)
        controllable_causes='controllable_causes = {"家长不了解社区已有的托管资源", '
        '"学校课后服务名额有限"}',
    )
    subs[("a3_phases", "s02_partly")] = (answered(course, "a3_phases", partly), A3_RIGHT, 4)
    subs[("a3_phases", "s03_blank")] = (released(course, "a3_phases"), None, 0)
    erroring = dict(good, plan="plan = {'steps': [1, 2, 3, 4]}\nplan['issue'].upper()")
    subs[("a3_phases", "s04_erroring")] = (answered(course, "a3_phases", erroring), A3_RIGHT, 7)
    # a4: issue_class 3, outcome_of 2, ranking 3, widget 2 = 10 automatic (+ essay 5 by hand).
    good = solutions("a4_issues")
    complete = answered(course, "a4_issues", good)
    for cell in complete.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "essay":
            cell.source = "我会先做楼道堆物与消防隐患：覆盖面广、后果严重……"
    subs[("a4_issues", "s01_complete")] = (complete, A4_RIGHT, 10)
    partly = dict(
        good,
        issue_class=good["issue_class"].replace(
            '"人口普查入户登记": "public_task"', '"人口普查入户登记": "collective_affair"'
        ),
        # unweighted ranking: the tie 3.25/3.25 keeps the table's order (0 of 3)
        ranking="ranking = [r.id for r in prioritise_issues(table)]",
    )
    subs[("a4_issues", "s02_partly")] = (
        answered(course, "a4_issues", partly),
        {"a4.harm_outcome": ("single", "let_be")},
        2,
    )
    subs[("a4_issues", "s03_blank")] = (released(course, "a4_issues"), None, 0)
    erroring = dict(good, ranking="ranking = sorted(table)")
    subs[("a4_issues", "s04_erroring")] = (answered(course, "a4_issues", erroring), A4_RIGHT, 7)
    return subs


@pytest.fixture(scope="module")
def later_run(tmp_path_factory):
    course = new_course(tmp_path_factory.mktemp("later"))
    code, _out, err = run_cli("grade", "--course", str(course), "generate")
    assert code == 0, err
    subs = later_submissions(course)
    for (assignment, student), (nb, widget, _score) in subs.items():
        hand_in(course, student, assignment, nb, widget=widget)
    results = {}
    for assignment in ("a2_linkage", "a3_phases", "a4_issues"):
        code, _out, err = run_cli(
            "grade", "--course", str(course), "autograde", assignment, "--jobs", "2"
        )
        assert code == 0, err
        results[assignment] = scores(course, assignment)
    return course, subs, results


@pytest.mark.parametrize("assignment", ["a2_linkage", "a3_phases", "a4_issues"])
def test_later_assignments_exact_scores(later_run, assignment):
    _course, subs, results = later_run
    expected = {s: score for (a, s), (_nb, _w, score) in subs.items() if a == assignment}
    got = {s: v["total"] for s, v in results[assignment].items()}
    assert got == expected


def test_a4_essay_waits_for_the_trainer(later_run):
    _course, _subs, results = later_run
    waiting = {s: v["manual"]["essay"] for s, v in results["a4_issues"].items()}
    # Only s01 wrote an essay: it waits for the trainer's mark (nbgrader counts it 0 until
    # then); an untouched essay cell is scored 0 automatically and needs no marking.
    assert waiting == {
        "s01_complete": True,
        "s02_partly": False,
        "s03_blank": False,
        "s04_erroring": False,
    }
    assert not any(
        v
        for s in results.values()
        for r in s.values()
        for k, v in r["manual"].items()
        if k != "essay"
    )


def test_a4_report_item_analysis(later_run):
    """The class report of a4 on the real gradebook: titles, item statistics, the essay still
    waiting for its mark left out, and the widget question's distractor table (UTF-8 + BOM)."""
    import codecs
    import csv
    import io

    course, _subs, _results = later_run
    code, _out, err = run_cli("grade", "--course", str(course), "report", "a4_issues")
    assert code == 0, err
    out_dir = course / "reports" / "a4_issues"
    for name in ("report.svg", "items.svg", "report.html", "distractors.csv"):
        assert (out_dir / name).stat().st_size > 100

    def table(name):
        raw = (out_dir / name).read_bytes()
        assert raw.startswith(codecs.BOM_UTF8)
        return list(csv.DictReader(io.StringIO(raw[3:].decode("utf-8"))))

    items = {r["question"]: r for r in table("questions.csv")}
    # ranking (3 points): only s01 right -> F = 3/12; the essay waits for s01's mark.
    assert items["ranking_check"]["facility"] == "0.25"
    assert items["essay"]["facility"] == ""
    assert not items["essay"]["title"].startswith("essay")
    assert all(r["title"] and r["title"] != q for q, r in items.items())
    # widget: s01 and s04 "they compete" (right), s02 "one side lets it be", s03 no answer.
    chosen = {
        r["choice"]: (r["students"], r["share"], r["right"]) for r in table("distractors.csv")
    }
    assert chosen == {
        "they compete": ("2", "0.5", "yes"),
        "one side lets it be": ("1", "0.25", "no"),
    }
    page = (out_dir / "report.html").read_text(encoding="utf-8")
    assert "Cronbach" in page and "not answered: 1 of 4" in page


def test_export_excel_reads_with_roster_names(later_run, tmp_path):
    """The export Excel opens: UTF-8 with BOM, 学号/姓名 from a GBK roster, per-question marks
    (by title), total, late and flagged; one row per student."""
    import codecs
    import csv
    import io

    course, subs, _results = later_run
    roster = tmp_path / "名单.csv"
    roster.write_bytes("学号,姓名\ns01_complete,张三\ns02_partly,李四\n".encode("gbk"))
    dest = tmp_path / "成绩.csv"
    code, out, err = run_cli(
        "--lang", "zh", "grade", "--course", str(course), "export", "--to", str(dest),
        "--assignment", "a3_phases", "--roster", str(roster),
    )  # fmt: skip
    assert code == 0, err
    assert "已导出 5 行成绩" in out  # t01 handed in a2 only: a row with nothing for a3
    raw = dest.read_bytes()
    assert raw.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(raw[3:].decode("utf-8"))))
    assert rows[0] == [
        "学号", "姓名", "1. 项目计划", "2. 可控原因", "3. 活动属于哪个阶段",
        "4. 小部件题：按先后顺序排列实务项目的四个阶段。", "总分", "迟交", "需查看",
    ]  # fmt: skip
    body = {r[0]: r[1:] for r in rows[1:]}
    # s02: plan 0 of 4, controllable 0 of 3, phase_of 2, widget 2 = 4 (see later_submissions).
    assert body["s02_partly"] == ["李四", "0", "0", "2", "2", "4", "否", "否"]
    assert body["s01_complete"] == ["张三", "4", "3", "2", "2", "11", "否", "否"]
    assert body["s03_blank"][0] == "" and body["s03_blank"][-3] == "0"
    assert body["t01_fake_checker"] == [""] * 8
    totals = {s: float(r[-3]) for s, r in body.items() if r[-3]}
    assert totals == {s: score for (a, s), (_n, _w, score) in subs.items() if a == "a3_phases"}
