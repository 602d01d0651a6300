"""No key reaches a student through their own feedback (issue 29), in every grading mode.

A hand-in whose last cell prints everything the kernel remembers of what it ran — ``In``,
``_ih``, IPython's history database, every string in its namespace — is graded as root with
``--jobs 2``, as root sequentially, and by an ordinary user (the class server's trainer or a
teacher's laptop). Its graded copy and its feedback page are then scanned for every line of
every hidden test of the assignment: none may be there. The kernel never runs a key; the
grader re-checks outside it (``ExportAnswers`` / ``SealedRecheck``)."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
import pytest
from grade_support import GRADING, STATE_DIRS, isolated_state_in, run_cli
from test_grade_pipeline import (
    A1,
    A1_MODEL,
    A1_RIGHT,
    answered,
    hand_in,
    insert_after,
    new_course,
    notebook,
    released,
    scores,
    solutions,
)
from test_grade_sandbox import AS_NOBODY, NOBODY, _as_nobody_works

pytestmark = pytest.mark.slow
ROOT = os.geteuid() == 0

HUNT = r"""
import gc
ip = get_ipython()
seen = [str(s) for s in list(In) + list(ip.user_ns.get("_ih", []))]
try:
    seen += [str(src) for _, _, src in ip.history_manager.get_range(output=False, raw=True)]
except Exception as exc:
    seen.append(f"no history: {exc!r}")
for obj in gc.get_objects():
    if isinstance(obj, str) and ("HIDDEN" in obj or "key=" in obj):
        seen.append(obj)
print("\n".join(seen))
"""


def hidden_lines() -> list[str]:
    """Every line inside a hidden-test region of the a1 source (the keys), stripped."""
    nb = nbformat.read(str(GRADING / "source" / A1 / f"{A1}.ipynb"), 4)
    lines = []
    for cell in nb.cells:
        inside = False
        for line in cell.source.splitlines():
            if "### BEGIN HIDDEN TESTS" in line:
                inside = True
            elif "### END HIDDEN TESTS" in line:
                inside = False
            elif inside and line.strip():
                lines.append(line.strip())
    assert len(lines) >= 8  # every check of a1 has its key hidden
    return lines


def visible_text(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def build(course: Path) -> dict[str, float]:
    code, _out, err = run_cli("grade", "--course", str(course), "generate", A1)
    assert code == 0, err
    good = solutions(A1)
    hand_in(course, "c01_complete", A1, notebook(course, A1, good, A1_MODEL))
    blank = released(course, A1)
    hand_in(course, "k01_blank_hunter", A1, insert_after(blank, "self_check", HUNT))
    nb = answered(course, A1, good)
    hand_in(course, "k02_hunter", A1, insert_after(nb, "self_check", HUNT), widget=A1_RIGHT)
    return {"c01_complete": 16, "k01_blank_hunter": 0, "k02_hunter": 16}


def assert_no_key(course: Path, student: str, keys: list[str]) -> None:
    graded = course / "autograded" / student / A1 / f"{A1}.ipynb"
    nb = nbformat.read(str(graded), 4)
    hunt = [c for c in nb.cells if c.cell_type == "code" and "history_manager" in c.source]
    printed = "".join(o.get("text", "") for c in hunt for o in c.get("outputs", []))
    assert "sanshe_edu.grade.checks import check" in printed, "the hunting cell did not run"
    page = course / "feedback" / student / A1 / f"{A1}.html"
    text = visible_text(page.read_text(encoding="utf-8"))
    for key in keys:
        assert key not in printed, f"{student}: the kernel saw {key!r}"
        assert key not in text, f"{student}: the feedback shows {key!r}"
    assert "BEGIN HIDDEN" not in printed and "BEGIN HIDDEN" not in text


@pytest.mark.skipif(not ROOT, reason="graded as root, as the sandbox's full isolation needs")
@pytest.mark.parametrize("jobs", [2, 1])
def test_as_root_no_key_in_history_or_feedback(tmp_path, jobs):
    keys = hidden_lines()
    with isolated_state_in(tmp_path / "state"):
        course = new_course(tmp_path)
        expected = build(course)
        code, out, err = run_cli("grade", "--course", str(course), "autograde", A1, "-j", str(jobs))
        assert code == 0, out + err
        assert {s: v["total"] for s, v in scores(course, A1).items()} == expected
        for student in ("k01_blank_hunter", "k02_hunter"):
            code, _out, err = run_cli(
                "grade", "--course", str(course), "feedback", A1, "--student", student
            )
            assert code == 0, err
            assert_no_key(course, student, keys)


@pytest.mark.skipif(not ROOT, reason="becomes an unprivileged user to try the non-root mode")
def test_without_root_no_key_in_history_or_feedback():
    if not _as_nobody_works(sys.executable, "-c", "import sanshe_edu, nbgrader"):
        pytest.skip("this checkout's Python cannot be run by other users")
    keys = hidden_lines()
    work = Path(tempfile.mkdtemp(prefix="sanshe-keys-"))
    try:
        with isolated_state_in(work / "state"):
            course = new_course(work)
            expected = build(course)
        subprocess.run(["chown", "-R", f"{NOBODY}:{NOBODY}", str(work)], check=True)
        env = {
            "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
            "HOME": str(work),
            "TMPDIR": str(work),
            **{var: str(work / "state" / sub) for var, sub in STATE_DIRS.items()},
        }
        base = [*AS_NOBODY, sys.executable, "-m", "sanshe_edu", "--lang", "en", "grade"]
        done = subprocess.run(
            [*base, "--course", str(course), "autograde", A1],
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        if done.returncode != 0 and "user namespace" in done.stderr:
            pytest.skip("no user namespaces here: grading without root refuses (tested elsewhere)")
        assert done.returncode == 0, done.stderr
        assert {s: v["total"] for s, v in scores(course, A1).items()} == expected
        for student in ("k01_blank_hunter", "k02_hunter"):
            done = subprocess.run(
                [*base, "--course", str(course), "feedback", A1, "--student", student],
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
            )
            assert done.returncode == 0, done.stderr
            assert_no_key(course, student, keys)
    finally:
        shutil.rmtree(work, ignore_errors=True)
