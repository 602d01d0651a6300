"""The progress store and the graded answers file: atomic writes, damaged files set aside."""

from __future__ import annotations

import json
import os

import pytest

from sanshe_edu.quiz import ask, recorded_answer
from sanshe_edu.quiz.graded import FILENAME, record_answer
from sanshe_edu.quiz.store import ProgressStore, atomic_write_json

# A progress store, a working folder and English, all private to each test (root conftest).
pytestmark = pytest.mark.usefixtures("quiz_in_tmp")


def test_save_get_forget_reset(tmp_path):
    s = ProgressStore()
    s.save("l01.a", {"answer": "x", "score": 1, "max": 1, "done": True})
    s.save("l01.b", {"answer": "y", "score": 0, "max": 1, "done": True})
    s.save("l02.a", {"answer": "z", "score": 1, "max": 1, "done": True})
    assert ProgressStore().get("l01.b")["answer"] == "y"
    s.forget("l01.b")
    assert ProgressStore().get("l01.b") is None
    assert s.count_bank("l01") == 1
    assert s.reset_bank("l01") == 1
    assert ProgressStore().get("l02.a")["answer"] == "z"


def test_write_is_atomic_and_leaves_no_temp_files(tmp_path, monkeypatch):
    s = ProgressStore()
    s.save("l01.a", {"answer": "x"})
    before = s.path.read_text("utf-8")

    def boom(*_args, **_kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        s.save("l01.b", {"answer": "y"})
    assert s.path.read_text("utf-8") == before  # the old file is intact
    assert [p.name for p in s.path.parent.iterdir()] == ["progress.json"]


@pytest.mark.parametrize("content", ["{not json", '{"format": "other"}', "[]", "\udcff"])
def test_corrupt_store_is_moved_aside_with_a_message(tmp_path, content):
    path = tmp_path / "data" / "progress.json"
    path.parent.mkdir(parents=True)
    path.write_bytes(content.encode("utf-8", "surrogateescape"))
    w = ask("example.rc_nature")
    assert "was damaged; it was moved to" in w.feedback_html.value
    aside = [p for p in path.parent.iterdir() if p.name.startswith("progress.json.corrupt-")]
    assert len(aside) == 1
    assert aside[0].read_bytes() == content.encode("utf-8", "surrogateescape")  # kept, not lost
    w.set_answer("grassroots_self_gov")
    w.check_button.click()
    assert json.loads(path.read_text("utf-8"))["questions"]["example.rc_nature"]["score"] == 1


def test_stale_answer_in_store_is_ignored_not_raised():
    ProgressStore().save(
        "example.issue_classes", {"answer": {"sleep": "gone_bin", "x": 1}, "done": True, "score": 5}
    )
    w = ask("example.issue_classes")
    assert w.answer() == {}
    ProgressStore().save("example.phases", {"answer": ["needs"], "done": True})
    assert len(ask("example.phases").answer()) == 4


def test_lesson_score_caps_a_tampered_score():
    ProgressStore().save("example.rc_nature", {"answer": "company", "done": True, "score": 99})
    w = ask("example.rc_nature")
    assert "1 / 7" in w.score_html.value


def test_atomic_write_json_creates_folder(tmp_path):
    target = tmp_path / "a" / "b" / "f.json"
    atomic_write_json(target, {"x": 1})
    assert json.loads(target.read_text("utf-8")) == {"x": 1}


def test_answers_file_corrupt_gives_none_and_is_kept(tmp_path):
    (tmp_path / FILENAME).write_text("garbage", encoding="utf-8")
    assert recorded_answer("a1.q") is None
    assert any(p.name.startswith(FILENAME + ".corrupt-") for p in tmp_path.iterdir())
    record_answer("a1.q", "single", "x")
    assert recorded_answer("a1.q") == "x"
