"""Shared set-up of the grading tests (test_grade_*.py)."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from sanshe_edu.cli import main

GRADING = Path(__file__).resolve().parents[1] / "grading"

# Progress store, workspace and Jupyter/IPython/matplotlib state: each in a folder of its own.
STATE_DIRS = {
    "SANSHE_EDU_DATA_DIR": "data",
    "SANSHE_EDU_WORKSPACE": "workspace",
    "JUPYTER_CONFIG_DIR": "jupyter_config",
    "JUPYTER_RUNTIME_DIR": "jupyter_runtime",
    "IPYTHONDIR": "ipython",
    "MPLCONFIGDIR": "matplotlib",
}


@contextlib.contextmanager
def isolated_state_in(root: Path) -> Iterator[Path]:
    """Point every per-user state folder into ``root`` (the kernels nbgrader starts, and the
    parallel workers, inherit it) and unset the language variable; undo it all afterwards."""
    with pytest.MonkeyPatch.context() as mp:
        for var, sub in STATE_DIRS.items():
            mp.setenv(var, str(root / sub))
        mp.delenv("SANSHE_EDU_LANG", raising=False)
        yield root


def run_cli(*argv: str) -> tuple[int, str, str]:
    """``sanshe-edu --lang en ARGV`` in this process: (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--lang", "en", *argv])
    return code, out.getvalue(), err.getvalue()


def solutions(assignment: str) -> dict[str, str]:
    """The model answer of every answer cell (grade id → code), from the source notebook."""
    import nbformat

    nb = nbformat.read(str(GRADING / "source" / assignment / f"{assignment}.ipynb"), 4)
    out = {}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and cell.cell_type == "code":
            body = cell.source
            if "### BEGIN SOLUTION\n" in body:
                body = body.split("### BEGIN SOLUTION\n", 1)[1].split("\n### END SOLUTION")[0]
            out[meta["grade_id"]] = body
    return out
