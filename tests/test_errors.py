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


@pytest.mark.parametrize(
    ("exc", "zh", "en"),
    [
        (
            PermissionError(13, "Permission denied", "/srv/grading/nbgrader_config.py"),
            "无法访问 /srv/grading/nbgrader_config.py：Permission denied",
            "cannot access /srv/grading/nbgrader_config.py: Permission denied",
        ),
        (
            RuntimeError("boom\nsecond line"),
            "意外的程序错误（RuntimeError：boom）",
            "(RuntimeError: boom)",
        ),
    ],
)
def test_an_unexpected_error_in_a_command_is_one_translated_line(exc, zh, en, monkeypatch, capsys):
    """Whatever a command raises, the user sees one line in their language, no traceback."""
    from sanshe_edu import cli, i18n

    def broken(args):
        raise exc

    monkeypatch.setattr(cli, "build_parser", lambda: _parser_running(broken))
    monkeypatch.delenv("SANSHE_EDU_DEBUG", raising=False)
    for lang, expected in (("zh", zh), ("en", en)):
        with i18n.use_lang(lang):
            assert cli.main(["boom"]) == 1
        err = capsys.readouterr().err
        assert expected in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    monkeypatch.setenv("SANSHE_EDU_DEBUG", "1")  # a developer asks for the traceback
    with pytest.raises(type(exc)):
        cli.main(["boom"])


def _parser_running(func):
    import argparse

    parser = argparse.ArgumentParser(prog="sanshe-edu")
    parser.add_subparsers().add_parser("boom").set_defaults(func=func)
    return parser
