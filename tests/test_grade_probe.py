"""Issue 23, point 1: grading as root never stops on a folder's permissions unsaid.

A course under a mode-700 folder grades (the kernel reads only its own box), and when the
kernel's Python lies under a folder the sandbox's user cannot enter, the doctor's sandbox
check fails naming that folder — tried for real, by starting the sandbox's probe.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

import pytest
from grade_support import GRADING

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="a user per hand-in needs root")
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def open_base():
    base = Path(tempfile.mkdtemp(prefix="sanshe-probe-", dir="/tmp"))
    base.chmod(0o755)  # everyone may pass through; what is under it decides
    yield base
    shutil.rmtree(base, ignore_errors=True)


def test_doctor_names_the_folder_the_sandbox_cannot_enter(open_base):
    locked = open_base / "root-home"
    locked.mkdir(mode=0o700)
    locked.chmod(0o700)
    venv = locked / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = next((venv / "lib").glob("python3*/site-packages"))
    paths = [sysconfig.get_paths()["purelib"], *(p for p in sys.path if p.endswith("/src"))]
    (site / "course.pth").write_text("\n".join(paths) + "\n")
    code = (
        "from sanshe_edu.grade.pipeline.probe import sandbox_check\n"
        "c = sandbox_check()\nprint(c.ok)\nprint(c.detail)\nprint(c.fix)\n"
    )
    env = dict(os.environ, SANSHE_EDU_LANG="zh")
    done = subprocess.run(
        [str(venv / "bin" / "python"), "-c", code], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    ok, detail, fix = done.stdout.splitlines()[:3]
    assert ok == "False"
    assert f"进不了文件夹 {locked}" in detail and "Traceback" not in done.stderr
    assert "scripts/start.sh" in fix
    locked.chmod(0o711)  # what start.sh does (o+x): nothing is in the way any more
    from sanshe_edu.grade.pipeline.probe import blocked_folder

    assert blocked_folder([venv / "bin" / "python"]) is None


def test_course_under_a_private_folder_grades(open_base):
    from test_grade_pipeline import answered, hand_in, scores, solutions

    from sanshe_edu.grade.pipeline.autograde import autograde
    from sanshe_edu.grade.pipeline.course import make_api

    locked = open_base / "root-home"
    locked.mkdir(mode=0o700)
    locked.chmod(0o700)
    course = locked / "grading"
    skip = ("release", "submitted", "autograded", "feedback", "*.db", "imports", "handback")
    shutil.copytree(GRADING, course, ignore=shutil.ignore_patterns(*skip))
    assert make_api(course).generate_assignment("a1_concepts", force=True, create=True)["success"]
    nb = answered(course, "a1_concepts", solutions("a1_concepts"))
    hand_in(course, "s1", "a1_concepts", nb)
    outcomes = autograde(course, "a1_concepts", None, jobs=1)
    assert [(o.student, o.ok) for o in outcomes] == [("s1", True)], outcomes
    assert "s1" in scores(course, "a1_concepts")
