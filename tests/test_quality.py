"""Quality gates: side-effect-free import, full translations, clean wheel, clean notebooks."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from sanshe_edu.i18n import missing_translations

REPO = Path(__file__).resolve().parents[1]

IMPORT_PROBE = """
import sys
import sanshe_edu
import sanshe_edu.draw.figures, sanshe_edu.grade.trainer.report, sanshe_edu.quiz
from sanshe_edu.draw import draw_class_report
draw_class_report([{"score": 1, "max_score": 2}], [{"question": "q", "success_rate": 0.5}], "a")
print(sorted(m for m in sys.modules if m.split(".")[0] == "matplotlib"))
"""


def test_import_is_warning_free_and_loads_no_heavy_library():
    code = (
        "import sys, sanshe_edu\n"
        "heavy = ('matplotlib', 'networkx', 'ipywidgets', 'nbgrader', 'yaml')\n"
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-W", "error", "-c", code], capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]", f"heavy modules loaded by `import sanshe_edu`: {out.stdout}"


def test_import_and_drawing_load_no_matplotlib():
    """The course draws SVG only: neither importing it nor drawing the class report loads
    matplotlib (so it cannot change matplotlib's global state either)."""
    out = subprocess.run(
        [sys.executable, "-W", "error", "-c", IMPORT_PROBE], capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]", f"matplotlib loaded: {out.stdout}"


def test_every_message_has_chinese_and_english():
    assert missing_translations() == []


def test_committed_notebooks_are_clean():
    out = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "check_notebooks.py")],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stdout


def test_notebook_checker_catches_outputs(tmp_path):
    nb = {
        "cells": [
            {
                "cell_type": "code",
                "source": "1",
                "metadata": {"collapsed": False},
                "outputs": [{"output_type": "stream", "name": "stdout", "text": "1"}],
                "execution_count": 1,
            }
        ],
        "metadata": {"widgets": {}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (tmp_path / "dirty.ipynb").write_text(json.dumps(nb))
    out = subprocess.run(
        [
            sys.executable,
            str(REPO / "scripts" / "check_notebooks.py"),
            str(tmp_path / "dirty.ipynb"),
        ],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 1
    assert len(out.stdout.strip().splitlines()) == 4  # outputs, count, cell and nb metadata


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    """The wheel hatchling builds from this checkout (what `pip install .` would install)."""
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(dist)],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    (path,) = dist.glob("sanshe_edu-*.whl")
    with zipfile.ZipFile(path) as zf:
        yield zf


def test_wheel_ships_the_course_and_the_command(wheel):
    names = set(wheel.namelist())
    assert "sanshe_edu/_course/00_start_here.ipynb" in names
    assert "sanshe_edu/messages/platform.json" in names
    (entry,) = [n for n in names if n.endswith("entry_points.txt")]
    assert "sanshe-edu = sanshe_edu.cli:main" in wheel.read(entry).decode()


def test_wheel_ships_no_answers(wheel):
    names = wheel.namelist()
    assert not [n for n in names if "grading/" in n or n.startswith("grading")]
    assert not [n for n in names if "questions/" in n and n.endswith((".yaml", ".yml"))]
    assert not [n for n in names if n.startswith(("exercises/", "sanshe_edu/_course/grading"))]
    leaks = []
    for n in names:
        if n.endswith((".py", ".json", ".ipynb", ".md", ".yaml", ".txt")):
            text = wheel.read(n).decode("utf-8", errors="replace")
            for marker in ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", "BEGIN MARK SCHEME"):
                # the grading code may *name* the markers; shipped content may not contain them
                if marker in text and not n.startswith("sanshe_edu/grade/"):
                    leaks.append(f"{n}: {marker}")
    assert not leaks, leaks
