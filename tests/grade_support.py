"""Shared set-up of the grading tests (test_grade_*.py)."""

from __future__ import annotations

import contextlib
import io
import json
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
    parallel workers, inherit it) and unset the language variable; undo it all afterwards.

    ``root`` is made at once: IPython, finding no writable place for its folder, would make one
    with ``tempfile.mkdtemp()`` and never remove it (a killed grader's worker left one in /tmp
    per run)."""
    root.mkdir(parents=True, exist_ok=True)
    with pytest.MonkeyPatch.context() as mp:
        for var, sub in STATE_DIRS.items():
            mp.setenv(var, str(root / sub))
        # setenv first, so that the undo also removes a language `--lang` set in between
        mp.setenv("SANSHE_EDU_LANG", "zh")
        mp.delenv("SANSHE_EDU_LANG")
        yield root


def run_cli(*argv: str) -> tuple[int, str, str]:
    """``sanshe-edu --lang en ARGV`` in this process: (exit status, stdout, stderr).

    ``--lang`` sets the process's language and ``SANSHE_EDU_LANG``; both are put back after, so
    a module's fixture calling this leaves no language behind for the tests that follow."""
    from sanshe_edu.i18n import kept_language

    out, err = io.StringIO(), io.StringIO()
    with kept_language(), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
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


def model_widget_answers(assignment: str) -> dict[str, object]:
    """{qid: the model answer} of the assignment's graded widget questions."""
    path = GRADING / "source" / assignment / "model_answers.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return {qid: rec["answer"] for qid, rec in data["answers"].items()}


def with_widget_answers(nb, answers: dict[str, object], when: str = "2026-03-01T10:00:00+0800"):
    """The notebook as JupyterLab saves it after the widgets were answered and saved: the
    output under each ``ask(qid, graded=True)`` holds the answer record (``quiz.graded``).
    ``answers`` maps qid -> answer (a qid left out stays unanswered)."""
    import re

    import nbformat

    from sanshe_edu.quiz.bank import question
    from sanshe_edu.quiz.graded import answer_bundle

    for cell in nb.cells:
        found = re.search(r"""ask\(\s*["']([\w.]+)["']""", cell.source or "")
        if cell.cell_type != "code" or not found or found.group(1) not in answers:
            continue
        qid = found.group(1)
        q = question(qid)
        record = {"type": q["type"], "answer": answers[qid], "updated": when}
        cell.outputs = [nbformat.v4.new_output("display_data", data=answer_bundle(q, record))]
    return nb
