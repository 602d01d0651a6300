"""Course execution time: each notebook of course/ run headless, then the whole course.

``main()`` prints one ``name: value unit`` line per notebook, the total (goal: the whole course
under 12 s on the 2-core reference machine, 27.5 s when the figures needed matplotlib) and, for
scale, a one-cell notebook's time (the fixed cost of a kernel). Each notebook runs in a fresh
kernel, as a student's "Restart kernel and run all" would; kernel start-up is included. The
progress store and matplotlib cache are tmp folders, so a run changes nothing of the user's.

Run: ``.venv/bin/python bench/bench_course.py`` (or through ``bench/run.py``).
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
COURSE = REPO / "course"
GOAL_S = 12.0


def run_notebook(path: Path, cwd: Path) -> float:
    """Execute ``path`` in a fresh python3 kernel; return the wall time in seconds."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}
    )
    start = time.perf_counter()
    client.execute()
    return time.perf_counter() - start


def _baseline(cwd: Path) -> float:
    """Time of a one-cell notebook: kernel start-up and shutdown, the fixed cost per lesson."""
    import nbformat

    path = cwd / "baseline.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import sanshe_edu")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nbformat.write(nb, path)
    try:
        return run_notebook(path, cwd)
    finally:
        path.unlink()


def main() -> None:
    notebooks = sorted(COURSE.glob("*.ipynb"))
    saved = {k: os.environ.get(k) for k in ("SANSHE_EDU_DATA_DIR", "MPLCONFIGDIR", "IPYTHONDIR")}
    with tempfile.TemporaryDirectory(prefix="bench-course-") as tmp:
        base = Path(tmp)
        for key, sub in [("SANSHE_EDU_DATA_DIR", "data"), ("MPLCONFIGDIR", "mpl")]:
            (base / sub).mkdir()
            os.environ[key] = str(base / sub)
        os.environ["IPYTHONDIR"] = str(base / "ipython")
        try:
            baseline = _baseline(base)
            print(f"course_exec_kernel_baseline: {baseline:.2f} s")
            total = 0.0
            for path in notebooks:
                seconds = run_notebook(path, base)
                total += seconds
                print(f"course_exec_{path.stem}: {seconds:.2f} s")
            print(f"course_exec_total: {total:.2f} s")
            print(f"course_exec_goal: {GOAL_S:.0f} s")
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value


if __name__ == "__main__":
    main()
