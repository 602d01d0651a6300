"""Real nbgrader on synthetic submissions: every kind of submission gets its EXACT score.

One course copy per run (the committed ``grading/`` is never touched).  a1_concepts carries the
full set of submissions — complete, partly right, blank, erroring, late, small slips of form,
Chinese quotes, answers only in the notebook or only in the answers file, no widget answer at
all, not a notebook, corrupt, and every tampering route of docs/threat-model.md.  The tamper
defences are shared by all assignments (they live in the course's nbgrader_config.py
preprocessors and in ``sanshe_edu.grade.checks``, not in a notebook), so they are exercised on
a1 only.  a2–a4 each get the submissions every assignment must grade fairly.  The a1 class is
graded with ``--jobs 2`` and a subset again sequentially; the two gradebooks must agree cell by
cell.

Points of a1 (16): three_subjects 1 (multiple, 5 options), term_order 2 (order, 5 steps),
term_years 1 (code, value), problems_2019 1 (multiple, 7 options), scholar_match 3 (match, 5
keys), role_of 2 (code, mapping, 5 keys), structure_modes 2 (categorise, 6 items), one_plus 1
(multiple, 5 options), newland 1 (single), governance_forms 2 (match, 4 keys).  Widgets: 13,
code: 3.  Partial credit (src/sanshe_edu/grade/checks.py): points × right parts / all parts,
rounded to 2 decimals; a multiple-choice widget has one part per option (chosen or not as in
the key), an order one per position, a categorise/match/matrix one per item, a single one part.
"""

from __future__ import annotations

import copy
import csv
import json
import shutil
from pathlib import Path

import nbformat
import pytest
from grade_support import (
    GRADING,
    isolated_state_in,
    model_widget_answers,
    run_cli,
    solutions,
    with_widget_answers,
)

from sanshe_edu.quiz.graded import FORMAT, NOTEBOOK_MIME, record_answer

REPO = Path(__file__).resolve().parents[1]
IGNORE = shutil.ignore_patterns(
    "release", "submitted", "autograded", "feedback", "reports", "gradebook.db", "__pycache__"
)
ON_TIME = "2025-12-31 12:00:00.000000 UTC"
LATE = "2026-01-03 09:30:00.000000 UTC"
DUE = "2026-01-01 12:00"
SAVED = "2026-03-01T10:00:00+0800"  # when with_widget_answers says the widgets were saved

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


def notebook(course: Path, assignment: str, answers: dict, widgets: dict | None = None):
    """The released notebook with answer cells replaced and the widgets ``{qid: answer}``
    saved inside it, as JupyterLab keeps them (no answers file)."""
    return with_widget_answers(answered(course, assignment, answers), widgets or {}, SAVED)


def insert_after(nb, grade_id: str, source: str) -> nbformat.NotebookNode:
    for i, cell in enumerate(nb.cells):
        if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            nb.cells.insert(i + 1, nbformat.v4.new_code_cell(source))
            return nb
    raise KeyError(grade_id)


def cell_of(nb, grade_id: str):
    (cell,) = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id]
    return cell


def grade_test_cells(nb):
    return [
        c
        for c in nb.cells
        if c.metadata.get("nbgrader", {}).get("grade") and not c.metadata["nbgrader"]["solution"]
    ]


def hand_in(
    course: Path, student: str, assignment: str, nb=None, files=None, when=ON_TIME, widget=None
):
    """Put a submission in submitted/; ``widget`` = {qid: (type, answer)} clicked in widgets
    and kept in the answers file beside the notebook (the fallback route)."""
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
                "total": round(sub.score, 2),  # a sum of 2-decimal part scores
                "late": sub.total_seconds_late > 0,
                "flagged": any(nb.flagged for nb in sub.notebooks),
                "cells": cells,
                "manual": manual,
            }
    return out


def widget_types(assignment: str) -> dict[str, str]:
    path = GRADING / "source" / assignment / "model_answers.json"
    return {q: r["type"] for q, r in json.loads(path.read_text("utf-8"))["answers"].items()}


def as_clicked(assignment: str, answers: dict) -> dict[str, tuple[str, object]]:
    """{qid: answer} as ``hand_in(widget=…)`` takes it: {qid: (type, answer)}."""
    types = widget_types(assignment)
    return {qid: (types[qid], answer) for qid, answer in answers.items()}


def answers_file(records: dict[str, tuple[str, object]], updated: str) -> bytes:
    """A sanshe_answers.json with the given records, all saved at ``updated``."""
    answers = {q: {"type": t, "answer": a, "updated": updated} for q, (t, a) in records.items()}
    return json.dumps({"format": FORMAT, "answers": answers}, ensure_ascii=False).encode()


def graded_nb(course: Path, student: str, assignment: str) -> nbformat.NotebookNode:
    return nbformat.read(
        str(course / "autograded" / student / assignment / f"{assignment}.ipynb"), 4
    )


def output_text(cell) -> str:
    parts = []
    for o in cell.get("outputs", []):
        parts.append(str(o.get("text", "")))
        parts += [str(v) for v in o.get("data", {}).values()]
        parts += [str(o.get("evalue", "")), *map(str, o.get("traceback", []))]
    return "\n".join(parts)


# ---------------------------------------------------------------- a1_concepts submissions
A1 = "a1_concepts"
A1_MODEL = model_widget_answers(A1)  # every widget right: 13 points
# Every widget answer wrong in every part (0 of 13): the complement of each multiple-choice
# key, an order with no step in its place, every item in another bin / partner.
A1_WRONG_ANSWERS = {
    "a1.three_subjects": ["enterprise", "street_office"],
    "a1.term_order": ["shequzhi", "lianggong", "hudong", "liandong", "danwei"],
    "a1.problems_2019": ["too_many_orgs", "no_law"],
    "a1.scholar_match": {
        "ye_chen": "agencies",
        "wang": "residents",
        "xu_cao": "principles",
        "wu_fan": "same_spirit",
        "chen_bin": "systems",
    },
    "a1.structures": {
        "embedded": "mechanism",
        "endogenous": "not_listed",
        "purchase": "mode",
        "venture": "not_listed",
        "outsourcing": "mode",
        "foundation": "mechanism",
    },
    "a1.one_plus": ["each_alone", "more_control"],
    "a1.newland": "controlling",
    "a1.governance_forms": {
        "facilitative": "arrangement",
        "cooperative": "public_decisions",
        "participatory": "shared_discretion",
        "deliberative": "control_to_facilitate",
    },
}
# The same, clicked and kept in the answers file beside the notebook ({qid: (type, answer)}).
A1_RIGHT = as_clicked(A1, A1_MODEL)
A1_WRONG = as_clicked(A1, A1_WRONG_ANSWERS)
# Code answers wrong in every part: term_years 0 of 1, role_of 0 of 5 (each place shifted).
WRONG = {
    "term_years": "term_years = (2006, 2010)",
    "role_of": 'role_of = {"政府购买服务": "导向", "社区": "牵引", "社会组织": "基础平台", '
    '"社会工作": "服务载体", "满足居民需求": "专业支撑"}',
}
# Partly right (0 + 1.2 + 0.8 + 1.2 + 1 + 1.8 + 1.67 + 1 + 0 + 2 = 10.67):
PARTLY = {
    "term_years": WRONG["term_years"],  # 0 of 1
    # 社区 and 社会组织 swapped: 3 of 5 keys right: 2 × 3/5 = 1.2
    "role_of": 'role_of = {"政府购买服务": "牵引", "社区": "服务载体", "社会组织": "基础平台", '
    '"社会工作": "专业支撑", "满足居民需求": "导向"}',
}
PARTLY_WIDGETS = dict(
    A1_MODEL,
    # social_work not chosen: 4 of 5 options as in the key: 1 × 4/5 = 0.8
    **{"a1.three_subjects": ["community", "social_org"]},
    # the first two steps swapped: 3 of 5 positions: 2 × 3/5 = 1.2
    **{"a1.term_order": ["shequzhi", "danwei", "lianggong", "hudong", "liandong"]},
    # problems_2019 right: 1
    # ye_chen and wang swapped: 3 of 5 pairs: 3 × 3/5 = 1.8
    **{
        "a1.scholar_match": {
            "ye_chen": "agencies",
            "wang": "systems",
            "xu_cao": "residents",
            "wu_fan": "principles",
            "chen_bin": "same_spirit",
        }
    },
    # foundation put with the mechanisms: 5 of 6 items: round(2 × 5/6, 2) = 1.67
    **{"a1.structures": dict(A1_MODEL["a1.structures"], foundation="mechanism")},
    # one_plus right: 1; newland wrong: 0; governance_forms right: 2
    **{"a1.newland": "controlling"},
)
ALWAYS_EQUAL = """
class _Yes:
    def __eq__(self, other): return True
    def __hash__(self): return 0
class _D(dict):
    def __eq__(self, other): return True
    def __ne__(self, other): return False
class _S(set):
    def __eq__(self, other): return True
    def __le__(self, other): return True
class _T(tuple):
    def __eq__(self, other): return True
"""
# A kernel that gives itself full marks: the checks (and the helpers they call) replaced.
PATCH_CHECKS = """
import sanshe_edu.grade.checks as _checks
def _full(*args, points=0, **kwargs):
    print("得分", points, "/", points)
    return points
_checks.check = _checks.check_widget = _full
_checks.score_parts = lambda kind, value, key, names: (1, 1, [])
_checks.widget_parts = lambda q, answer, key: (1, 1)
"""
# Every cell, the test cells included, starts by printing a fake score line.
FAKE_PRINT = """
def _fake(*args, **kwargs):
    print("得分 2 / 2（1 项中对了 1 项）")
    print("Score 2 / 2 (1 of 1 parts right)")
get_ipython().events.register("pre_run_cell", _fake)
"""


def bad_records(nb) -> nbformat.NotebookNode:
    """Answer records no grader should believe, in the ask cells' outputs: a huge one (right
    ids among 30 000 characters of junk), one that is not a record at all, one whose qid is
    not text."""

    def put(grade_id: str, data) -> None:
        bundle = {NOTEBOOK_MIME: data, "text/plain": "saved"}
        cell_of(nb, grade_id).outputs = [nbformat.v4.new_output("display_data", data=bundle)]

    huge = ["community", "social_org", "social_work"] + ["x" * 100] * 300
    put(
        "three_subjects_ask",
        {"format": FORMAT, "qid": "a1.three_subjects", "type": "multiple", "answer": huge},
    )
    put("term_order_ask", "garbage")
    put(
        "scholar_match_ask",
        {"format": FORMAT, "qid": 12345, "type": "match", "answer": A1_MODEL["a1.scholar_match"]},
    )
    return nb


def a1_submissions(course: Path) -> dict[str, tuple[object, dict | None, float]]:
    """Every a1 submission: {student: (notebook, answers file records, expected score)}.
    Widget answers are kept inside the notebook (as JupyterLab saves them) unless a case
    says otherwise."""
    good = solutions(A1)
    wrong_but_years = dict(WRONG, term_years=good["term_years"])
    subs = {}

    # Complete and correct, widgets inside the notebook only: 13 + 1 + 2.
    subs["s01_complete"] = (notebook(course, A1, good, A1_MODEL), None, 16)
    # Partly right, worked out part by part at PARTLY / PARTLY_WIDGETS: 10.67.
    subs["s02_partly"] = (notebook(course, A1, PARTLY, PARTLY_WIDGETS), None, 10.67)
    # Blank: the released notebook as it was handed out, no widget answered.
    subs["s03_blank"] = (released(course, A1), None, 0)
    # Erroring: the role_of cell fails before assigning (0 of 2), the rest is right: 14.
    erroring = dict(good, role_of="1 / 0\n" + good["role_of"])
    subs["s04_erroring"] = (notebook(course, A1, erroring, A1_MODEL), None, 14)
    # Late: complete, after the due date: flagged late, no automatic penalty (config "none").
    subs["s05_late"] = (notebook(course, A1, good, A1_MODEL), None, 16)
    # Mostly right with small slips of form (all forgiven) and two of content: term_years as a
    # list of texts with spaces and full-width digits: 1; role_of with spaces around a key, the
    # synonym 平台, “quotes” and a trailing space inside the texts, and one place wrong
    # (满足居民需求 → 牵引): 4 of 5 keys: 2 × 4/5 = 1.6; term_order with the last two steps
    # swapped: 3 of 5 positions: 2 × 3/5 = 1.2; the other widgets right: 13 − 2 = 11.
    # 1 + 1.6 + 1.2 + 11 = 14.8.
    form = {
        "term_years": 'term_years = [" 2009 ", "２０１０"]',
        "role_of": 'role_of = {\n    " 政府购买服务 ": "牵引",\n    "社区": "平台",\n'
        '    "社会组织": "“服务载体”",\n    "社会工作": "专业支撑 ",\n'
        '    "满足居民需求": "牵引",\n}',
    }
    form_widgets = dict(
        A1_MODEL, **{"a1.term_order": ["danwei", "shequzhi", "lianggong", "liandong", "hudong"]}
    )
    subs["s06_form"] = (notebook(course, A1, form, form_widgets), None, 14.8)
    # Chinese quotes in the term_years cell and a bracket left open: a SyntaxError there that
    # grading cannot repair (test_a4_chinese_comma_repaired_and_scored: one it can), explained
    # in Chinese under the cell; term_years 0 of 1, everything else right: 15.
    quotes = dict(good, term_years="term_years = (“2009”, “2010”")
    subs["s07_quotes"] = (notebook(course, A1, quotes, A1_MODEL), None, 15)
    # The widgets' answers only in the answers file beside the notebook: 16.
    subs["s08_file_only"] = (answered(course, A1, good), A1_RIGHT, 16)
    # No widget answer anywhere (the notebook saved before answering), code right: 1 + 2 = 3.
    subs["s09_no_widgets"] = (answered(course, A1, good), None, 3)
    # An old answers file (all wrong, saved earlier) beside a notebook whose widgets hold the
    # right answers, saved later: the newer record of each question wins: 16.
    stale = answers_file(A1_WRONG, "2026-02-01T10:00:00+0800")
    subs["s10_stale_file"] = (notebook(course, A1, good, A1_MODEL), {"file": stale}, 16)

    # Tampering.  Wrong answers plus an exception handler that hides every error in the
    # kernel, and role_of raising before it is assigned: 0.  (Exception, not BaseException: a
    # kernel that also swallows the interrupt of a cell over the time limit on a loaded
    # machine may stop instead — 0 and flagged — which would make the case flaky.)
    nb = notebook(course, A1, dict(WRONG, role_of="1 / 0\n" + WRONG["role_of"]), A1_WRONG_ANSWERS)
    insert_after(
        nb, "term_years", "get_ipython().set_custom_exc((Exception,), lambda *a, **k: None)"
    )
    subs["t01_hide_errors"] = (nb, None, 0)
    # Objects that equal everything: term_years a _Yes (== anything), role_of the right
    # mapping in a dict subclass whose == is always True.  Neither is plain data: 0 of 1 and
    # 0 of 2 (the kernel's own check would give both); the widgets are right: 13.
    nb = notebook(
        course,
        A1,
        dict(
            term_years=ALWAYS_EQUAL + "term_years = _Yes()",
            role_of=ALWAYS_EQUAL + "role_of = _D(" + good["role_of"].split("=", 1)[1].strip() + ")",
        ),
        A1_MODEL,
    )
    subs["t02_always_equal"] = (nb, None, 13)
    # Replaced builtins the checks might use (set, sorted, all), after term_years' check:
    # only the honest term_years (1) counts; role_of and the widgets are wrong.
    nb = notebook(course, A1, wrong_but_years, A1_WRONG_ANSWERS)
    insert_after(
        nb,
        "term_years_check",
        ALWAYS_EQUAL
        + "import builtins\nbuiltins.set = lambda *a: _Yes()\nbuiltins.sorted = lambda *a: _Yes()\n"
        "builtins.all = lambda *a: True\n",
    )
    subs["t03_builtins"] = (nb, None, 1)
    # Test cells edited to pass, wrong answers except term_years: cells are restored: 1.
    nb = notebook(course, A1, wrong_but_years, A1_WRONG_ANSWERS)
    for cell in grade_test_cells(nb):
        cell.source = '"""Check that nothing."""\npass'
    subs["t04_edit_tests"] = (nb, None, 1)
    # The code tasks' test cells deleted, all answers right: nbgrader puts them back
    # (add_missing_cells): 16.  (Every test cell deleted, a widget's too: t19.)
    code_tests = ("term_years_check", "role_of_check")
    nb = notebook(course, A1, good, A1_MODEL)
    nb.cells = [
        c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") not in code_tests
    ]
    subs["t05_delete_tests"] = (nb, None, 16)
    # The same, answers wrong except term_years: the restored tests score them: 1.
    nb = notebook(course, A1, wrong_but_years, A1_WRONG_ANSWERS)
    nb.cells = [
        c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") not in code_tests
    ]
    subs["t06_delete_wrong"] = (nb, None, 1)
    # Cell metadata changed: points raised, a test turned into a plain cell, a test marked as
    # an answer cell, one as not graded; answers wrong except term_years.  nbgrader alone
    # stops on this notebook ("Inconsistent checksums"); RestoreCellMetadata mends it: 1.
    nb = notebook(course, A1, wrong_but_years, A1_WRONG_ANSWERS)
    tests = grade_test_cells(nb)
    tests[0].metadata["nbgrader"]["points"] = 100
    del tests[1].metadata["nbgrader"]
    tests[2].metadata["nbgrader"]["solution"] = True
    tests[3].metadata["nbgrader"]["grade"] = False
    subs["t07_metadata"] = (nb, None, 1)
    # sys.exit() instead of the role_of answer: that item 0 of 2, the rest right: 14.
    subs["t08_sys_exit"] = (
        notebook(course, A1, dict(good, role_of="import sys\nsys.exit('bye')"), A1_MODEL),
        None,
        14,
    )
    # Raising on purpose inside the check: a role_of whose == raises SystemExit (a dict
    # subclass, so not plain data either): 0 of 2, the rest right: 14.
    raising = "class _Boom(dict):\n    def __eq__(self, other):\n        raise SystemExit(0)\n"
    raising += "role_of = _Boom(" + good["role_of"].split("=", 1)[1].strip() + ")"
    subs["t09_raise"] = (notebook(course, A1, dict(good, role_of=raising), A1_MODEL), None, 14)
    # Megabytes of output (one long line, then many lines), all answers right: 16.
    nb = notebook(course, A1, good, A1_MODEL)
    insert_after(nb, "role_of", "print('x' * 3_000_000)\nfor i in range(20_000): print(i)")
    subs["t10_megabytes"] = (nb, None, 16)
    # An endless loop instead of term_years: interrupted after the timeout; 0 of 1: 15.
    loop = notebook(course, A1, dict(good, term_years="while True:\n    pass"), A1_MODEL)
    subs["t11_loop"] = (loop, None, 15)
    # Overwriting files: the notebook itself, the gradebook two and three folders up, a
    # neighbour's notebook, the course config; then honest answers.  The student's code runs
    # in a scratch copy whose gradebook is elsewhere: nothing real changes: 16.
    vandal = (
        "import pathlib\n"
        "for p in ['a1_concepts.ipynb', '../../../gradebook.db', '../../gradebook.db',\n"
        "          '../s01_complete/a1_concepts/a1_concepts.ipynb', '../../nbgrader_config.py']:\n"
        "    try:\n"
        "        pathlib.Path(p).write_text('garbage')\n"
        "    except OSError:\n"
        "        pass\n"
    )
    nb = notebook(course, A1, good, A1_MODEL)
    insert_after(nb, "term_years", vandal)
    subs["t12_overwrite"] = (nb, None, 16)
    # Killing the kernel: nothing can be graded; scored 0, flagged, named in a message.
    kill = notebook(course, A1, dict(good, role_of="import os\nos._exit(1)"), A1_MODEL)
    subs["t13_kill_kernel"] = (kill, None, 0)
    # Replacing the helper library's answer lookup: current_answer / recorded_answer patched
    # to give the model answers while the saved ones are wrong.  The re-check uses the answers
    # the grader collected: the widgets 0, the honest code 1 + 2 = 3.
    nb = notebook(course, A1, good, A1_WRONG_ANSWERS)
    patch = "import sanshe_edu.quiz.graded as _g\n"
    patch += f"_MODEL = {json.dumps(A1_MODEL, ensure_ascii=False)}\n"
    patch += "_g.current_answer = _g.recorded_answer = lambda qid, *a, **k: _MODEL.get(qid)\n"
    insert_after(nb, "setup", patch)
    subs["t14_fake_checker"] = (nb, None, 3)
    # The checks themselves (check, check_widget and their scorers) patched to give full
    # points, every answer wrong: the grader's own copy scores them: 0.
    nb = notebook(course, A1, WRONG, A1_WRONG_ANSWERS)
    insert_after(nb, "setup", PATCH_CHECKS)
    subs["t15_patch_checks"] = (nb, None, 0)
    # A fake "得分 2 / 2" printed in every cell of the kernel, every answer wrong: the test
    # cells show the grader's outputs only: 0.
    nb = notebook(course, A1, WRONG, A1_WRONG_ANSWERS)
    insert_after(nb, "setup", FAKE_PRINT)
    subs["t16_fake_print"] = (nb, None, 0)
    # The notebook's metadata hand-edited to hold the right widget answers (saved "later"),
    # the outputs the wrong ones: the metadata is ignored: widgets 0, code 1 + 2 = 3.
    nb = notebook(course, A1, good, A1_WRONG_ANSWERS)
    forged = {
        q: {"type": kind, "answer": a, "updated": "2099-01-01T00:00:00+0000"}
        for q, (kind, a) in A1_RIGHT.items()
    }
    nb.metadata["sanshe_edu"] = {"widget_answers": forged}
    subs["t17_metadata_answers"] = (nb, None, 3)
    # Bad answer records in the outputs (huge, not a record, qid not text): ignored, no
    # crash; three_subjects 1, term_order 2 and scholar_match 3 count as unanswered, the
    # rest is right: 16 − 6 = 10.
    nb = bad_records(notebook(course, A1, good, A1_MODEL))
    subs["t18_bad_records"] = (nb, None, 10)
    # Every test cell deleted, all answers right: they come back as in t05, also those whose
    # cell before them is a widget's locked ask cell (which nbgrader 0.9's own
    # add_missing_grade_cells cannot find: a KeyError failed the whole hand-in): 16.
    nb = notebook(course, A1, good, A1_MODEL)
    nb.cells = [c for c in nb.cells if c not in grade_test_cells(nb)]
    subs["t19_delete_widget_tests"] = (nb, None, 16)
    return subs


NO_WIDGETS = ["s03_blank", "s09_no_widgets"]  # no widget answer at all


def build_a1_class(course: Path) -> dict[str, float]:
    expected = {}
    for student, (nb, file, score) in a1_submissions(course).items():
        when = LATE if student == "s05_late" else ON_TIME
        if isinstance(file, dict) and "file" in file:
            hand_in(course, student, A1, nb, when=when, files={"sanshe_answers.json": file["file"]})
        else:
            hand_in(course, student, A1, nb, when=when, widget=file)
        expected[student] = score
    # Not a notebook: a Word file instead.  Corrupt: half a JSON file.
    hand_in(course, "u01_docx", A1, files={"answers.docx": b"PK\x03\x04 not a notebook"})
    expected["u01_docx"] = 0
    text = nbformat.writes(answered(course, A1, solutions(A1)))
    hand_in(course, "u02_corrupt", A1, files={f"{A1}.ipynb": text[: len(text) // 2].encode()})
    expected["u02_corrupt"] = 0
    return expected


# Graded sequentially as well, to compare with --jobs 2 (a subset keeps the suite short: one
# of each outcome — right, partly right, erroring, slips of form, mended metadata, raising,
# vandal, corrupt).
SEQUENTIAL = [
    "s01_complete",
    "s02_partly",
    "s04_erroring",
    "s06_form",
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


def test_a1_partial_credit_cell_by_cell(a1_runs):
    """The part scores behind the totals, as worked out at PARTLY, s06_form and t18."""
    cells = {s: v["cells"] for s, v in a1_runs[2]["scores"].items()}
    full = {
        "three_subjects_check": 1,
        "term_order_check": 2,
        "term_years_check": 1,
        "problems_2019_check": 1,
        "scholar_match_check": 3,
        "role_of_check": 2,
        "structure_modes_check": 2,
        "one_plus_check": 1,
        "newland_check": 1,
        "governance_forms_check": 2,
    }
    assert cells["s01_complete"] == full
    assert cells["s02_partly"] == dict(
        full,
        three_subjects_check=0.8,
        term_order_check=1.2,
        term_years_check=0,
        scholar_match_check=1.8,
        role_of_check=1.2,
        structure_modes_check=1.67,
        newland_check=0,
    )
    assert cells["s06_form"] == dict(full, term_order_check=1.2, role_of_check=1.6)
    assert cells["s07_quotes"] == dict(full, term_years_check=0)
    assert cells["s09_no_widgets"] == {k: (v if k in ("term_years_check", "role_of_check") else 0)
                                       for k, v in full.items()}  # fmt: skip
    assert cells["t18_bad_records"] == dict(
        full, three_subjects_check=0, term_order_check=0, scholar_match_check=0
    )
    assert cells["t02_always_equal"] == dict(full, term_years_check=0, role_of_check=0)


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
    n = len(run["expected"])
    assert f"a1_concepts: {n - 3}/{n} graded, 3 with problems (2 processes)" in run["out"]


def test_a1_output_capped(a1_runs):
    # The graded copy of a complete hand-in is about 0.5 MB (the widgets' state); the 3 MB
    # and 20 000 lines printed add at most the cap (20 000 characters) and a note.
    course = a1_runs[2]["course"]
    nb = graded_nb(course, "t10_megabytes", A1)
    printed = nb.cells[
        [c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells].index("role_of") + 1
    ]
    assert len(output_text(printed)) < 21_000
    size = {s: (course / "autograded" / s / A1 / f"{A1}.ipynb").stat().st_size
            for s in ("t10_megabytes", "s01_complete")}  # fmt: skip
    assert size["t10_megabytes"] - size["s01_complete"] < 50_000


def test_a1_chinese_quotes_explained_and_the_rest_counted(a1_runs):
    """Chinese quotes in an answer cell: the graded copy explains it under that cell, in the
    kernel's language — the trainer's (``--lang en`` here; test_later_chinese_quotes_explained
    grades in Chinese) — the item scores 0 and the other items still count."""
    course = a1_runs[2]["course"]
    nb = graded_nb(course, "s07_quotes", A1)
    assert "Chinese quotes in the code (line 1)" in output_text(cell_of(nb, "term_years"))
    assert "SyntaxError" in output_text(cell_of(nb, "term_years"))
    assert "Chinese quotes" not in output_text(cell_of(nb, "role_of"))
    assert a1_runs[2]["scores"]["s07_quotes"]["cells"]["term_years_check"] == 0


def test_a1_test_cells_show_the_graders_result_not_the_kernels(a1_runs):
    """A kernel that patched the checks or prints a fake score line: every scored test cell
    of the graded copy holds the grader's own result (0 here), not the kernel's."""
    course = a1_runs[2]["course"]
    for student in ("t15_patch_checks", "t16_fake_print"):
        nb = graded_nb(course, student, A1)
        for cell in grade_test_cells(nb):
            text = output_text(cell)
            assert "得分" not in text and "Score 2 / 2" not in text, (student, text)
            results = [o for o in cell.outputs if o.output_type == "execute_result"]
            assert [o.data["text/plain"] for o in results] == ["0"], (student, text)


def test_a1_feedback_has_no_hidden_tests(a1_runs):
    import html as html_mod

    course = a1_runs[2]["course"]
    code, _out, err = run_cli("grade", "--course", str(course), "feedback", A1)
    assert code == 0, err
    pages = sorted((course / "feedback").glob(f"*/{A1}/{A1}.html"))
    # not the killed and unreadable ones
    assert len(pages) == len(a1_runs[2]["expected"]) - 3
    source = (GRADING / "source" / A1 / f"{A1}.ipynb").read_text(encoding="utf-8")
    hidden = []
    for cell in json.loads(source)["cells"]:
        text = "".join(cell["source"])
        if "### BEGIN HIDDEN TESTS" in text:
            block = text.split("### BEGIN HIDDEN TESTS\n")[1].split("### END HIDDEN TESTS")[0]
            hidden += [line.strip() for line in block.splitlines() if len(line.strip()) > 12]
    assert hidden
    for page in pages:
        plain = html_mod.unescape(page.read_text(encoding="utf-8"))
        for line in hidden:
            assert line not in plain, (page, line)
        assert "HIDDEN TESTS" not in plain
    partly = (course / "feedback" / "s02_partly" / A1 / f"{A1}.html").read_text(encoding="utf-8")
    # role_of: 3 of 5 keys right; the grader's own line, in the grader's language.
    assert "Score 1.2 / 2 (3 of 5 parts right)" in html_mod.unescape(partly)


def test_a1_report(a1_runs):
    import html as html_mod

    from sanshe_edu.grade.trainer.items import widget_prompt

    course = a1_runs[2]["course"]
    out_dir = course / "reports" / A1
    code, out, err = run_cli("grade", "--course", str(course), "report", A1)
    assert code == 0, err
    for name in ("report.svg", "report.html", "scores.csv", "questions.csv"):
        assert (out_dir / name).stat().st_size > 100
    rows = (out_dir / "questions.csv").read_text(encoding="utf-8").splitlines()
    rates = {r.split(",")[0]: r.split(",")[4] for r in rows[1:]}
    # Full marks on three_subjects: s01, s04–s08, s10, t02, t05, t08–t12, t19 (the widgets
    # right, in the notebook or the file); the others' zeros and partial scores count: 15 of 31.
    assert rates["three_subjects_check"] == str(round(15 / 31, 3))
    assert "flagged 3" in out
    page = html_mod.unescape((out_dir / "report.html").read_text(encoding="utf-8"))
    # the class's mastery per concept (grade.trainer.concept_report): three_subjects tests
    # three_she, held by the 15 of 31 with full marks at most
    assert "The class's mastery per concept" in page
    with (out_dir / "concepts.csv").open(encoding="utf-8-sig", newline="") as fh:
        three_she = next(r for r in csv.reader(fh) if r[0] == "three_she")
    assert int(three_she[3]) == 31 and int(three_she[4]) <= 15, three_she
    no_widget = page.split("Hand-ins without a widget answer")[1].split("</p>")[0]
    for qid in A1_MODEL:
        assert f"s09_no_widgets: {widget_prompt(course, qid, 'en', width=40)}" in no_widget
    # t18's ignored records count as no answer; answers in the file only are answers.
    assert f"t18_bad_records: {widget_prompt(course, 'a1.three_subjects', 'en', width=40)}" in (
        no_widget
    )
    for student in ("s01_complete", "s08_file_only", "s10_stale_file"):
        assert f"{student}:" not in no_widget


# ------------------------------------------------------------------- a2, a3, a4 submissions
# Each is 16 points.  a2: rc_dual 1, org_kinds 2 (categorise, 4 items), open_questions 1,
# relations 3 (network widget), element_of 3 (code, mapping, 6 keys), element_roles 2,
# two_levels 1, lian_dong 2, committee 1: all automatic.  a3: phase_order 2 (order, 4 steps),
# phase_of 2 (code, mapping, 4 keys), three_dimensional 1, linkage_modes 3, capacity 2 = 10
# automatic; local_logic 3 (a text widget marked by hand: a task cell) and method_ethics 3
# (written) by hand.  a4: issue_class 2 (categorise, 6 items), harm_outcome 2,
# controllable_causes 2, ranking 2 (code, sequence, 4 positions), directions 2,
# significance 1 = 11 automatic; essay 5 (written) by hand.
LATER = ("a2_linkage", "a3_phases", "a4_issues")
WRITTEN = {
    "a3_phases": {
        "method_ethics": "社工陪老人认识充电隐患、自己决定怎样改，"
        "同时和物业、居委会商定集中充电点……"
    },
    "a4_issues": {"essay": "我会先做楼道堆物与消防隐患：覆盖面广、后果严重……"},
}
# The answer cell of each code task, in Chinese quotes with a bracket left open (a SyntaxError
# grading cannot repair) and failing before it assigns (NameError).
QUOTES = {
    "a2_linkage": ("element_of", "element_of = {“电动车进楼道充电”: “object”"),
    "a3_phases": ("phase_of", "phase_of = {“居委会”: “需求评估”"),
    "a4_issues": ("ranking", "ranking = [“corridor”, “elderly_meals”"),
}
# a4's ranking right, typed with full-width commas and saved without running (issue 24):
# grading repairs the punctuation, scores it (all 11 points) and says so under the cell.
REPAIRED = 'ranking = ["corridor"，"elderly_meals"，“after_school”，"waste_sorting"]'
ERRORING = {
    "a2_linkage": ("element_of", "element_of = undefined_name"),
    "a3_phases": ("phase_of", "1 / 0\nphase_of = {}"),
    "a4_issues": ("ranking", "ranking = sorted(issues)"),
}
# Small slips of form (forgiven) and one or two of content (not).
FORM = {
    # element_of: a Chinese name (对象), spaces around an id, “quotes” inside the text, the
    # synonym 专业方法, a full-width upper-case id (ＧＯＡＬ), one wrong (ethics → method):
    # 5 of 6 keys: 3 × 5/6 = 2.5.
    "a2_linkage": 'element_of = {\n    "电动车进楼道充电": "对象",\n'
    '    "和睦社会工作服务社": " subject ",\n    "康宁社区居委会": "“主体”",\n'
    '    "用小组工作带动居民互助的专业方法": "专业方法",\n'
    '    "充电有序、居民出行安全": "ＧＯＡＬ",\n    "尊重居民意愿、各方平等合作": "method",\n}',
    # phase_of: a key typed with a half-width comma where the template has "，", Chinese names
    # (需求评估), the synonym 方案设计, spaces, one wrong (evaluation → 计划推行): 3 of 4 keys:
    # 2 × 3/4 = 1.5.
    "a3_phases": "phase_of = {\n"
    '    "居委会、物业和社工结伴走访,从多方收集充电情况的资料": "需求评估",\n'
    '    "定下“楼道无充电”的总体目标，再分成几个具体目标": "方案设计",\n'
    '    "边做边记录，一个月后大家商定把集中充电点的开放时间延长": " implementation ",\n'
    '    "请一位与各方都无利益关系的评估人员参与": "计划推行",\n}',
    # ranking: Chinese names and spaces for ids, the last one left out: 3 of 4 positions:
    # 2 × 3/4 = 1.5.
    "a4_issues": 'ranking = ["楼道堆物与消防隐患", " elderly_meals ", "儿童课后看护"]',
}


def form_widgets(assignment: str) -> tuple[dict, float]:
    """The form student's widget answers: right but for one slip each, and the widget points."""
    model = model_widget_answers(assignment)
    if assignment == "a2_linkage":
        # 物业 put with the service organisations: 3 of 4 items: 2 × 3/4 = 1.5; others 11.
        return dict(model, **{"a2.org_kinds": dict(model["a2.org_kinds"], wy="service")}), 12.5
    if assignment == "a3_phases":
        # the last two phases swapped: 2 of 4 positions: 2 × 2/4 = 1; others 1 + 3 + 2 = 6.
        order = ["needs", "design", "evaluate", "implement"]
        return dict(model, **{"a3.phase_order": order}), 7
    # the census put with the collective affairs: 5 of 6 items: round(2 × 5/6, 2) = 1.67;
    # others 2 + 2 + 2 + 1 = 7.
    issue_class = dict(model["a4.issue_class"], census="collective_affair")
    return dict(model, **{"a4.issue_class": issue_class}), 8.67


AUTO = {"a2_linkage": 16, "a3_phases": 10, "a4_issues": 11}  # the automatic points
CODE = {"a2_linkage": 3, "a3_phases": 2, "a4_issues": 2}  # of them, the code task's
FORM_CODE = {"a2_linkage": 2.5, "a3_phases": 1.5, "a4_issues": 1.5}
# The a2 kernel replaces the widget scorer to give every part; its network has one link.
FAKE_SCORER = """
import sanshe_edu.grade.checks as _checks
_checks.widget_parts = lambda q, answer, key: (1, 1)
"""


def later_submissions(course: Path) -> dict[tuple[str, str], tuple[object, dict | None, float]]:
    """{(assignment, student): (notebook, answers file records, expected automatic score)}."""
    subs = {}
    for a in LATER:
        good = solutions(a)
        model = model_widget_answers(a)
        complete = notebook(course, a, {**good, **WRITTEN.get(a, {})}, model)
        # Complete: widgets in the notebook and (as an old habit) in the answers file too;
        # written answers given, waiting for the trainer: the automatic points.
        subs[(a, "s01_complete")] = (complete, as_clicked(a, model), AUTO[a])
        # Mostly right, slips of form: see FORM and form_widgets.
        widgets, widget_points = form_widgets(a)
        code_id = QUOTES[a][0]
        form = notebook(course, a, dict(good, **{code_id: FORM[a]}), widgets)
        subs[(a, "s02_form")] = (form, None, round(FORM_CODE[a] + widget_points, 2))
        # Blank: the released notebook, nothing answered: 0.
        subs[(a, "s03_blank")] = (released(course, a), None, 0)
        # The code task's cell fails before it assigns: that task 0, the rest right.
        gid, source = ERRORING[a]
        erroring = notebook(course, a, dict(good, **{gid: source}), model)
        subs[(a, "s04_erroring")] = (erroring, None, AUTO[a] - CODE[a])
        # Chinese quotes in the code task's cell: SyntaxError, that task 0, the rest right.
        gid, source = QUOTES[a]
        quotes = notebook(course, a, dict(good, **{gid: source}), model)
        subs[(a, "s05_quotes")] = (quotes, None, AUTO[a] - CODE[a])
        # Only the notebook handed in (no answers file): every widget point kept.
        subs[(a, "s06_notebook_only")] = (notebook(course, a, good, model), None, AUTO[a])
    # The kernel's widget scorer replaced by one that gives every part; org_kinds wrong in
    # every item (0 of 2 — the kernel would give 2) and a network of one link (jwh–sg), whose
    # re-check meets 2 of the 3 requirements: 3 × 2/3 = 2; the rest right: 16 − 2 − 3 + 2 = 13.
    model = model_widget_answers("a2_linkage")
    wrong_kinds = {"jwh": "service", "ywh": "commercial", "wy": "mutual", "hct": "public"}
    widgets = dict(model, **{"a2.network": [["jwh", "sg"]], "a2.org_kinds": wrong_kinds})
    nb = notebook(course, "a2_linkage", solutions("a2_linkage"), widgets)
    insert_after(nb, "setup", FAKE_SCORER)
    subs[("a2_linkage", "t01_fake_checker")] = (nb, None, 13)
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
    for assignment in LATER:
        # Graded in Chinese: the kernels speak the trainer's language.
        code, _out, err = run_cli(
            "--lang", "zh", "grade", "--course", str(course), "autograde", assignment, "--jobs", "2"
        )
        assert code == 0, err
        results[assignment] = scores(course, assignment)
    return course, subs, results


# What a2's network widget (relations_check, 3 points) deserves: its requirements met, per
# part; s03 saved no network (0), t01 a network of one link (2 of 3 requirements: 2).
A2_NETWORK = {"s03_blank": 0, "t01_fake_checker": 2}


@pytest.mark.parametrize("assignment", LATER)
def test_later_assignments_exact_scores(later_run, assignment):
    _course, subs, results = later_run
    expected = {s: score for (a, s), (_nb, _w, score) in subs.items() if a == assignment}
    got = {s: v["total"] for s, v in results[assignment].items()}
    assert got == expected


def test_a2_network_widget_scored_by_its_requirements(later_run):
    """The network check has no plain key (key=None: judged by its requirements); a blank
    hand-in gets 0 of it, not nbgrader's full marks for a test that returned nothing."""
    _course, _subs, results = later_run
    got = {s: v["cells"]["relations_check"] for s, v in results["a2_linkage"].items()}
    assert got == {s: A2_NETWORK.get(s, 3) for s in got}


@pytest.mark.parametrize("assignment", LATER)
def test_later_chinese_quotes_explained(later_run, assignment):
    course, _subs, results = later_run
    gid, _source = QUOTES[assignment]
    nb = graded_nb(course, "s05_quotes", assignment)
    assert "代码里用了中文引号" in output_text(cell_of(nb, gid))
    cells = results[assignment]["s05_quotes"]["cells"]
    assert cells[f"{gid}_check"] == 0
    complete = results[assignment]["s01_complete"]["cells"]
    assert {k: v for k, v in cells.items() if k != f"{gid}_check"} == {
        k: v for k, v in complete.items() if k != f"{gid}_check"
    }


def test_a4_chinese_comma_repaired_and_scored(tmp_path):
    """A right ranking with full-width commas and Chinese quotes, never run: the grader
    repairs the punctuation the way the course explains it, scores it in full and notes it
    under the cell (the graded copy, and so the feedback)."""
    course = new_course(tmp_path)
    code, _out, err = run_cli("grade", "--course", str(course), "generate", "a4_issues")
    assert code == 0, err
    model = model_widget_answers("a4_issues")
    nb = notebook(course, "a4_issues", dict(solutions("a4_issues"), ranking=REPAIRED), model)
    hand_in(course, "s07_repaired", "a4_issues", nb)
    code, _out, err = run_cli("--lang", "zh", "grade", "--course", str(course), "autograde",
                              "a4_issues")  # fmt: skip
    assert code == 0, err
    result = scores(course, "a4_issues")["s07_repaired"]
    assert result["cells"]["ranking_check"] == 2 and result["total"] == AUTO["a4_issues"]
    text = output_text(cell_of(graded_nb(course, "s07_repaired", "a4_issues"), "ranking"))
    assert "评分时已自动换成英文标点" in text and "， → ," in text, text
    assert "SyntaxError" not in text
    code, _out, err = run_cli("grade", "--course", str(course), "feedback", "a4_issues")
    assert code == 0, err
    page = course / "feedback" / "s07_repaired" / "a4_issues" / "a4_issues.html"
    assert "评分时已自动换成英文标点" in page.read_text(encoding="utf-8")


MANUAL = {
    "a2_linkage": set(),
    "a3_phases": {"local_logic", "method_ethics"},
    "a4_issues": {"essay"},
}


def test_written_answers_wait_for_the_trainer(later_run):
    _course, _subs, results = later_run
    # Nothing but the written answers and the text widget's task cell waits for a mark.
    for a, students in results.items():
        for s, r in students.items():
            assert {k for k, v in r["manual"].items() if v} <= MANUAL[a], (a, s)
    # a4: only s01 wrote an essay: it waits for the trainer's mark (nbgrader counts it 0 until
    # then); an untouched essay cell is scored 0 automatically and needs no marking.
    waiting = {s: v["manual"]["essay"] for s, v in results["a4_issues"].items()}
    assert waiting == {s: s == "s01_complete" for s in waiting}
    # a3: s01's short essay waits; the text widget's task cell waits for every hand-in.
    waiting = {s: v["manual"]["method_ethics"] for s, v in results["a3_phases"].items()}
    assert waiting == {s: s == "s01_complete" for s in waiting}
    assert all(v["manual"]["local_logic"] for v in results["a3_phases"].values())


def test_a4_report_item_analysis(later_run):
    """The class report of a4 on the real gradebook: titles, item statistics, the essay still
    waiting for its mark left out, and a widget question's distractor table (UTF-8 + BOM)."""
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
    # ranking (2 points): s01 2, s02 1.5, s06 2, the others 0: F = 5.5 / 12.
    assert items["ranking_check"]["facility"] == str(round(5.5 / 12, 4))
    assert items["essay"]["facility"] == ""
    assert not items["essay"]["title"].startswith("essay")
    assert all(r["title"] and r["title"] != q for q, r in items.items())
    # issue_class, the census: s01, s04, s05, s06 "public task" (right), s02 "collective
    # affair", s03 no answer: shares of all 6 hand-ins.
    from sanshe_edu.i18n import pick
    from sanshe_edu.quiz.bank import question

    q = question("a4.issue_class")
    text = {e["id"]: pick(e["text"], "en") for e in q["items"] + q["bins"]}
    census = {
        (r["choice"], r["students"], r["share"], r["right"])
        for r in table("distractors.csv")
        if r["question id"] == "a4.issue_class" and r["part"] == text["census"]
    }
    assert census == {
        (text["public_task"], "4", str(round(4 / 6, 4)), "yes"),
        (text["collective_affair"], "1", str(round(1 / 6, 4)), "no"),
    }
    page = (out_dir / "report.html").read_text(encoding="utf-8")
    assert "Cronbach" in page and "not answered: 1 of 6" in page


def test_export_excel_reads_with_roster_names(later_run, tmp_path):
    """The export Excel opens: UTF-8 with BOM, 学号/姓名 from a GBK roster, per-question marks
    (by title), total, late and flagged; one row per student."""
    import codecs
    import csv
    import io

    course, subs, _results = later_run
    roster = tmp_path / "名单.csv"
    roster.write_bytes("学号,姓名\ns01_complete,张三\ns02_form,李四\n".encode("gbk"))
    dest = tmp_path / "成绩.csv"
    code, out, err = run_cli(
        "--lang", "zh", "grade", "--course", str(course), "export", "--to", str(dest),
        "--assignment", "a3_phases", "--roster", str(roster),
    )  # fmt: skip
    assert code == 0, err
    assert "已导出 7 行成绩" in out  # t01 handed in a2 only: a row with nothing for a3
    raw = dest.read_bytes()
    assert raw.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(raw[3:].decode("utf-8"))))
    head = rows[0]
    assert head[:2] == ["学号", "姓名"] and head[-3:] == ["总分", "迟交", "需查看"]
    titles = [
        "1. 四个阶段的顺序：",
        "2. 这项工作属于哪个阶段",
        "3. 横向联接与纵向过程：",
        "4. 王思斌的三种联动方式：",
        "6. 相关组织要增能：",
        "7. 社工方法要规范：方法与伦理（简答）",
    ]
    column = {title: [h.startswith(title) for h in head].index(True) for title in titles}
    body = {r[0]: r for r in rows[1:]}

    def marks(student):
        return [body[student][column[title]] for title in titles] + body[student][-3:]

    # s02: phase_order 1, phase_of 1.5, three_dimensional 1, linkage_modes 3, capacity 2, the
    # untouched short essay 0 = 8.5 (see FORM / form_widgets); s01's essay waits ("").
    assert body["s02_form"][1] == "李四" and marks("s02_form") == [
        "1", "1.5", "1", "3", "2", "0", "8.5", "否", "否"
    ]  # fmt: skip
    assert body["s01_complete"][1] == "张三" and marks("s01_complete") == [
        "2", "2", "1", "3", "2", "", "10", "否", "否"
    ]  # fmt: skip
    assert body["s03_blank"][1] == "" and body["s03_blank"][-3] == "0"
    assert body["t01_fake_checker"][1:] == [""] * (len(head) - 1)
    body = {s: r[1:] for s, r in body.items()}
    totals = {s: float(r[-3]) for s, r in body.items() if r[-3]}
    assert totals == {s: score for (a, s), (_n, _w, score) in subs.items() if a == "a3_phases"}


def a3_export_head(course: Path, dest: Path) -> list[str]:
    code, _out, err = run_cli(
        "--lang", "zh", "grade", "--course", str(course), "export", "--to", str(dest),
        "--assignment", "a3_phases",
    )  # fmt: skip
    assert code == 0, err
    return dest.read_bytes()[3:].decode("utf-8").splitlines()[0].split(",")


def test_export_has_a_column_for_the_text_widgets_mark(later_run, tmp_path):
    """a3's local_logic (a text widget marked by hand: an nbgrader task cell) has its column,
    between items 4 and 6."""
    head = a3_export_head(later_run[0], tmp_path / "成绩.csv")
    (four,) = [i for i, h in enumerate(head) if h.startswith("4. ")]
    assert head[four + 2].startswith("6. ")
    # titled like the other widget items: the heading, then the widget's own prompt
    assert head[four + 1].startswith("5. 各自理性与本土工作逻辑（简答）：用 80–150 字")


def test_course_gradebook_xlsx(later_run, tmp_path):
    """Issue 23.4: `export --book` writes the whole course as .xlsx and CSV, one row per
    student, 缺交 for a missing hand-in, weights in the total; a second export is a new file."""
    from openpyxl import load_workbook

    course, subs, _results = later_run
    argv = ("--lang", "zh", "grade", "--course", str(course), "export", "--book")
    code, out, err = run_cli(*argv, "--weights", "a2=1, a3=3")
    assert code == 0, err
    assert "已导出全课程成绩" in out
    code, _out, err = run_cli(*argv)
    assert code == 0, err
    books = sorted((course / "exports").glob("*.xlsx"))
    assert len(books) == 2 and len(list((course / "exports").glob("*.csv"))) == 2
    first = next(b for b in books if "(2)" not in b.name)
    rows = [[c.value for c in r] for r in load_workbook(first).active.iter_rows()]
    head, body = rows[0], {r[0]: r[1:] for r in rows[1:]}
    assert head[0] == "学号" and head[-1] == "课程总评（百分制）"
    assert any("（权重 3）" in str(h) for h in head)
    a3 = next(i for i, h in enumerate(head) if "作业三" in str(h) and "迟交" not in str(h)) - 1
    handed = {s for (a, s) in subs if a == "a3_phases"}
    for student, row in body.items():
        if student in handed:
            assert row[a3] == subs[("a3_phases", student)][2] and row[a3 + 1] in ("是", "否")
        else:
            assert row[a3] == "缺交" and row[a3 + 1] is None
