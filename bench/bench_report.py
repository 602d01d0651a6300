"""Class report speed: ``sanshe-edu grade report`` for a class of 200 synthetic submissions.

The gradebook is filled directly through nbgrader's API (200 students of a3_phases, each with
scores on every graded cell and a widget answer in ``submitted/``), so what is timed is the
report alone: reading the gradebook, item statistics, distractor table, two SVG pictures, the
CSV files and the HTML page.  Goal: < 5 s.  Run: ``.venv/bin/python bench/bench_report.py``.
"""

from __future__ import annotations

import random
import shutil
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
A3 = "a3_phases"
STUDENTS = 200
STEPS = ["needs", "design", "implement", "evaluate"]


def build(course: Path) -> None:
    from nbgrader.api import Gradebook

    from sanshe_edu.grade.pipeline.course import make_api
    from sanshe_edu.quiz.graded import record_answer

    shutil.copytree(REPO / "grading" / "source", course / "source")
    shutil.copy2(REPO / "grading" / "nbgrader_config.py", course)
    result = make_api(course).generate_assignment(A3, force=True, create=True)
    assert result.get("success"), result
    rng = random.Random(13)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "sanshe-edu") as gb:
        for k in range(STUDENTS):
            sid = f"2025{k:04d}"
            gb.update_or_create_student(sid)
            sub = gb.add_submission(A3, sid)
            skill = rng.random()
            for nb in sub.notebooks:
                for grade in nb.grades:
                    top = grade.max_score
                    grade.auto_score = top if rng.random() < 0.3 + 0.6 * skill else 0
            folder = course / "submitted" / sid / A3
            folder.mkdir(parents=True)
            order = STEPS[:] if rng.random() < skill else rng.sample(STEPS, 4)
            record_answer("a3.phase_order", "order", order, folder)
        gb.db.commit()


def main() -> None:
    from sanshe_edu.grade.trainer.report import write_report

    with tempfile.TemporaryDirectory(prefix="sanshe-bench-report-") as tmp:
        course = Path(tmp) / "grading"
        build(course)
        start = time.perf_counter()
        summary = write_report(course, A3, course / "reports" / A3, roster={})
        seconds = time.perf_counter() - start
        assert summary["n"] == STUDENTS, summary["n"]
    print(f"report.class_of_{STUDENTS}: {seconds:.2f} s")


if __name__ == "__main__":
    main()
