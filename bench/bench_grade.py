"""Grading speed: ``sanshe-edu grade autograde`` against plain ``nbgrader autograde``.

Prints ``name: value unit`` lines (``bench/run.py`` collects them):

- seconds per submission for ``sanshe-edu grade autograde`` (our preprocessors: exported
  answers, sealed re-check, metadata restore; scratch copies and merge) and for plain
  ``nbgrader autograde`` with nbgrader's default preprocessors, on the same 10 complete
  submissions of a1_concepts (eight widget questions and two template tasks; the widget
  answers saved inside each notebook, and — which plain nbgrader needs — in an answers file
  beside it), each as one command in a fresh process (import costs included);
- a class of 40 graded sequentially and with ``--jobs 2``, and the speed-up;
- the sandbox (issue 10): ours runs every kernel in a sandbox of its own (a user of its own
  when root, PID and mount namespace); its cost per submission against plain nbgrader, and
  the extra time of starting a process through the sandbox against starting it directly.

Goals: ratio ≤ 1.0 (issue 11; 1.2 in issue 6) and sandbox overhead ≤ 15 % (issue 10);
a class of 40 with ``--jobs 2`` in ≤ 30 s and a speed-up ≥ 1.6 on 2 cores.
Run: ``.venv/bin/python bench/bench_grade.py`` (about 10 minutes: 10 submissions are
graded six times, the class of 40 four times).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[1]
GRADING = REPO / "grading"
A1 = "a1_concepts"
BIN = Path(sys.executable).parent
PLAIN_CONFIG = """
c = get_config()  # noqa: F821
c.CourseDirectory.course_id = "sanshe-edu"
c.CourseDirectory.root = "."
c.OverwriteCells.add_missing_cells = True
c.Execute.timeout = 30
c.Execute.interrupt_on_timeout = True
c.LimitOutput.max_lines = 200
c.LimitOutput.max_traceback = 60
"""


def _env() -> dict:
    env = dict(os.environ)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env.pop("SANSHE_EDU_PROGRESS", None)
    return env


def _course(root: Path, plain: bool = False) -> Path:
    course = root / "grading"
    course.mkdir(parents=True)
    shutil.copytree(GRADING / "source" / A1, course / "source" / A1)
    if plain:
        (course / "nbgrader_config.py").write_text(PLAIN_CONFIG)
    else:
        shutil.copy2(GRADING / "nbgrader_config.py", course)
    subprocess.run(
        [str(BIN / "sanshe-edu"), "grade", "--course", str(course), "generate", A1],
        check=True,
        env=_env(),
        capture_output=True,
    )
    return course


def _complete_notebook(course: Path) -> nbformat.NotebookNode:
    source = nbformat.read(str(GRADING / "source" / A1 / f"{A1}.ipynb"), 4)
    answers = {}
    for cell in source.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and cell.cell_type == "code":
            answers[meta["grade_id"]] = cell.source
    nb = nbformat.read(str(course / "release" / A1 / f"{A1}.ipynb"), 4)
    from sanshe_edu.quiz.bank import question
    from sanshe_edu.quiz.graded import answer_bundle

    model = json.loads((GRADING / "source" / A1 / "model_answers.json").read_text("utf-8"))
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in answers:
            cell.source = answers[gid]
        found = re.search(r'ask\("([\w.]+)"', cell.source)
        if cell.cell_type == "code" and found:  # as JupyterLab saves an answered widget
            qid = found.group(1)
            bundle = answer_bundle(question(qid), model["answers"][qid])
            cell.outputs = [nbformat.v4.new_output("display_data", data=bundle)]
    return nb


def _hand_in(course: Path, n: int, answers_file: bool = False) -> None:
    """``n`` complete hand-ins: the notebook alone (ours), or with the answers file beside it
    (plain nbgrader cannot read answers kept inside the notebook)."""
    nb = _complete_notebook(course)
    answers = (GRADING / "source" / A1 / "model_answers.json").read_text(encoding="utf-8")
    for i in range(n):
        folder = course / "submitted" / f"student{i:02d}" / A1
        folder.mkdir(parents=True)
        nbformat.write(nb, str(folder / f"{A1}.ipynb"))
        if answers_file:
            (folder / "sanshe_answers.json").write_text(answers, encoding="utf-8")


def _timed(cmd: list[str], cwd: Path) -> float:
    """Seconds of one grading run; a run that failed is no figure (a failure is fast): stop."""
    return _timed_cpu(cmd, cwd)[0]


def _timed_cpu(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """Wall-clock seconds and CPU seconds (user + system, every process of the run: the
    command, its workers, the kernels) of one grading run."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, check=False, env=_env(), capture_output=True, text=True)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        tail = "\n".join((done.stderr or done.stdout).splitlines()[-5:])
        raise SystemExit(f"bench_grade: {' '.join(cmd[:6])} … failed ({done.returncode}):\n{tail}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return seconds, cpu


def _launch_overhead(reps: int = 15) -> float:
    """Median extra seconds of starting ``python -c pass`` through the sandbox (namespaces,
    jail, the sandbox user) over starting it directly."""
    from statistics import median

    from sanshe_edu.grade.pipeline import sandbox

    (box,) = sandbox.make_boxes(["_sb0001"], [], 60)
    try:
        cmd = [sys.executable, "-I", "-c", "pass"]
        cwd = box.path / box.alias

        def once(argv: list[str]) -> float:
            start = time.perf_counter()
            subprocess.run(argv, cwd=cwd, env=box.env(), check=True, capture_output=True)
            return time.perf_counter() - start

        direct = median(once(cmd) for _ in range(reps))
        jailed = median(once(box.wrap(cmd, "")) for _ in range(reps))
    finally:
        sandbox.remove_box(box)
    return jailed - direct


def main() -> None:
    print(f"sandbox_launch_overhead: {_launch_overhead() * 1000:.0f} ms")
    with tempfile.TemporaryDirectory(prefix="bench-grade-") as tmp:
        root = Path(tmp)
        n = 10
        # Ours and plain alternate, three times each, on fresh copies; the faster run of each
        # counts (the first command after a quiet spell pays for cold file caches, and on a
        # shared virtual machine single runs vary by half). CPU time (every process of the
        # run) varies little and is printed beside it.
        t_ours = t_plain = c_ours = c_plain = float("inf")
        for rep in range(3):
            ours = _course(root / f"ours{rep}")
            plain = _course(root / f"plain{rep}", plain=True)
            _hand_in(ours, n)
            _hand_in(plain, n, answers_file=True)
            cmd = [str(BIN / "sanshe-edu"), "grade", "--course", str(ours), "autograde", A1]
            wall, cpu = _timed_cpu(cmd, ours)
            t_ours, c_ours = min(t_ours, wall), min(c_ours, cpu)
            wall, cpu = _timed_cpu([str(BIN / "nbgrader"), "autograde", A1], plain)
            t_plain, c_plain = min(t_plain, wall), min(c_plain, cpu)
        print(f"grade_autograde_per_submission: {t_ours / n:.2f} s")
        print(f"nbgrader_autograde_per_submission: {t_plain / n:.2f} s")
        print(f"grade_vs_nbgrader_ratio: {t_ours / t_plain:.2f} x")
        print(f"sandboxed_grade_overhead_vs_nbgrader: {(t_ours / t_plain - 1) * 100:.0f} %")
        print(f"grade_autograde_cpu_per_submission: {c_ours / n:.2f} s")
        print(f"nbgrader_autograde_cpu_per_submission: {c_plain / n:.2f} s")
        print(f"grade_vs_nbgrader_cpu_ratio: {c_ours / c_plain:.2f} x")

        # Sequential and --jobs 2 alternate, twice each, and the faster of the two runs counts:
        # other work on a shared machine slows single runs unevenly.
        times: dict[int, float] = {1: float("inf"), 2: float("inf")}
        load_start = os.getloadavg()[0]
        for rep in range(2):
            for jobs in (1, 2):
                course = _course(root / f"class{jobs}-{rep}")
                _hand_in(course, 40)
                cmd = [str(BIN / "sanshe-edu"), "grade", "--course", str(course), "autograde", A1]
                seconds = _timed([*cmd, "--jobs", str(jobs)], course)
                times[jobs] = min(times[jobs], seconds)
        print(f"load_average_1min_before_class40: {load_start:.1f} processes")
        print(f"load_average_1min_after_class40: {os.getloadavg()[0]:.1f} processes")
        print(f"class40_sequential: {times[1]:.1f} s")
        print(f"class40_jobs2: {times[2]:.1f} s")
        print(f"class40_jobs2_speedup: {times[1] / times[2]:.2f} x")


if __name__ == "__main__":
    main()
