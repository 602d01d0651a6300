"""`sanshe-edu progress` and `sanshe-edu progress --reset LESSON` through the real CLI entry."""

from __future__ import annotations

import builtins

import pytest

from sanshe_edu.cli import main
from sanshe_edu.i18n import set_lang
from sanshe_edu.quiz.store import ProgressStore


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("SANSHE_EDU_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("SANSHE_EDU_LANG", raising=False)
    yield
    set_lang(None)


def _two_answers():
    s = ProgressStore()
    s.save("l01.pre_reform_system", {"answer": "x", "score": 1, "max": 1, "done": True})
    s.save("l02.carrier", {"answer": "y", "score": 0, "max": 1, "done": True})


def test_progress_table(capsys):
    _two_answers()
    assert main(["--lang", "en", "progress"]) == 0
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if x.startswith("01 "))
    assert " 1/" in line and "l01.pre_reform_system" not in line
    assert "Progress file:" in out


def test_reset_asks_and_cancels(capsys, monkeypatch):
    _two_answers()
    monkeypatch.setattr(builtins, "input", lambda prompt: "n")
    assert main(["--lang", "en", "progress", "--reset", "l01"]) == 1
    assert "Cancelled; nothing was deleted." in capsys.readouterr().out
    assert ProgressStore().get("l01.pre_reform_system") is not None


def test_reset_confirmed(capsys, monkeypatch):
    _two_answers()
    asked = []
    monkeypatch.setattr(builtins, "input", lambda prompt: asked.append(prompt) or "y")
    assert main(["--lang", "en", "progress", "--reset", "l01"]) == 0
    assert asked == ["Really clear 1 progress record(s) of 'l01'? [y/N] "]
    assert ProgressStore().get("l01.pre_reform_system") is None
    assert ProgressStore().get("l02.carrier") is not None


def test_reset_yes_skips_question(monkeypatch, capsys):
    _two_answers()
    monkeypatch.setattr(builtins, "input", lambda prompt: pytest.fail("must not ask"))
    assert main(["--lang", "zh", "progress", "--reset", "l02", "--yes"]) == 0
    assert "已清除「l02」的 1 条记录。" in capsys.readouterr().out


def test_reset_unknown_lesson_is_one_line_exit_2(capsys):
    assert main(["--lang", "en", "progress", "--reset", "l4"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("sanshe-edu: unknown question bank 'l4'") and "Traceback" not in err
    assert err.count("\n") == 1


def test_reset_with_no_records(capsys):
    assert main(["--lang", "en", "progress", "--reset", "l03", "--yes"]) == 0
    assert "No progress recorded for 'l03'." in capsys.readouterr().out
