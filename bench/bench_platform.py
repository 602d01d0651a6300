"""Platform figures: import cost, the nbclient floor, and ``sanshe-edu check`` on the course.

- ``import_sanshe_edu``: ``import sanshe_edu`` in a fresh interpreter, median of 7 (the
  interpreter's own start-up is measured alone and subtracted; goal < 0.25 s).
- ``nbclient_trivial_notebook``: execute a one-cell notebook with nbclient, kernel start-up
  included, median of 3 (the floor every executed notebook pays).
- ``sanshe_edu_check_course``: wall time of ``sanshe-edu check`` over the whole course.

Run: ``.venv/bin/python bench/bench_platform.py`` (or through ``bench/run.py``).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time

IMPORT_REPEATS = 7
NOTEBOOK_REPEATS = 3


def _time_python(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - start


def import_time() -> tuple[float, float]:
    """(median seconds of ``import sanshe_edu`` minus bare start-up, median bare start-up)."""
    bare = statistics.median(_time_python("pass") for _ in range(IMPORT_REPEATS))
    full = statistics.median(_time_python("import sanshe_edu") for _ in range(IMPORT_REPEATS))
    return max(full - bare, 0.0), bare


def trivial_notebook_time() -> float:
    import nbformat
    from nbclient import NotebookClient

    times = []
    for _ in range(NOTEBOOK_REPEATS):
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell("1 + 1")]
        start = time.perf_counter()
        NotebookClient(nb, timeout=120, kernel_name="python3").execute(stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def check_course_time() -> tuple[float, int]:
    env = dict(os.environ)
    with tempfile.TemporaryDirectory() as tmp:
        env["SANSHE_EDU_DATA_DIR"] = tmp
        start = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-m", "sanshe_edu", "--lang", "en", "check"],
            env=env,
            capture_output=True,
            text=True,
        )
    return time.perf_counter() - start, out.returncode


def main() -> None:
    imp, bare = import_time()
    print(f"platform.python_startup: {bare:.3f} s", flush=True)
    print(f"platform.import_sanshe_edu: {imp:.3f} s (goal < 0.25 s)", flush=True)
    print(f"platform.nbclient_trivial_notebook: {trivial_notebook_time():.2f} s", flush=True)
    seconds, code = check_course_time()
    status = "all passed" if code == 0 else f"exit status {code}"
    print(f"platform.sanshe_edu_check_course: {seconds:.1f} s ({status})", flush=True)


if __name__ == "__main__":
    main()
