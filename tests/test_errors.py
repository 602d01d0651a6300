"""Bad input in a notebook cell shows one translated line, not a traceback."""

import nbclient
import nbformat
import pytest


def test_sanshe_error_in_a_cell_shows_one_line(tmp_path, monkeypatch):
    """A misspelt phase passed to the model fails the cell with the message alone.

    The cell must still count as failed (so nbgrader scores it as an error), but its
    traceback is the single translated line from ``SansheError._render_traceback_``.
    """
    monkeypatch.setenv("SANSHE_EDU_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SANSHE_EDU_LANG", "en")
    code = (
        "from sanshe_edu.model import PhaseStep, ProjectPlan, check_plan\n"
        "check_plan(ProjectPlan(issue='x', steps=[PhaseStep('evaluaton', ['jwh'], [], [])]))"
    )
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    nb.metadata.kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    with pytest.raises(nbclient.exceptions.CellExecutionError):
        nbclient.NotebookClient(nb, timeout=60).execute()
    (error,) = [o for o in nb.cells[0].outputs if o.output_type == "error"]
    assert error.ename == "SansheError"
    assert len(error.traceback) == 1
    assert "Input problem:" in error.traceback[0]
    assert "evaluaton" in error.traceback[0] and "evaluation" in error.traceback[0]
