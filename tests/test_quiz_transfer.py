"""A learner's whole progress as one file (issue 25, point 5): export and import through the
command and the start-here notebook's panel; every file of the store travels; a newer answer
is never overwritten by an older one; bad files are refused with a message and change nothing."""

from __future__ import annotations

import base64
import datetime
import json
import subprocess
import sys
from pathlib import Path

import pytest

from sanshe_edu.errors import SansheError
from sanshe_edu.i18n import use_lang
from sanshe_edu.quiz import ask, transfer
from sanshe_edu.quiz.learner import learner_id
from sanshe_edu.quiz.store import ProgressStore

pytestmark = pytest.mark.usefixtures("quiz_in_tmp")
_EPOCH = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


def _answer(qid: str, answer) -> None:
    w = ask(qid)
    w.set_answer(answer)
    w.check_button.click()


def _move_to(tmp_path, monkeypatch, name: str):
    """Another computer: an empty store of its own."""
    monkeypatch.setenv("SANSHE_EDU_DATA_DIR", str(tmp_path / name))
    return tmp_path / name


def test_round_trip_carries_every_file_of_the_store(tmp_path, monkeypatch):
    _answer("example.rc_nature", "grassroots_self_gov")
    me = learner_id()
    data = tmp_path / "data"
    (data / "mastery").mkdir()
    (data / "mastery" / "concepts.json").write_text('{"x": 1}', encoding="utf-8")
    (data / "notes.txt").write_text("我的笔记", encoding="utf-8")
    (data / "blob.bin").write_bytes(b"\xff\x00\x01")
    (data / "progress.json.corrupt-1").write_text("junk", encoding="utf-8")
    out = tmp_path / "mine.json"
    info = transfer.export_file(out)
    assert info["questions"] == 1
    exported = json.loads(out.read_text(encoding="utf-8"))
    assert exported["format"] == "sanshe-edu-transfer/1"
    assert sorted(exported["files"]) == [
        "blob.bin",
        "learner.json",
        "mastery/concepts.json",
        "notes.txt",
        "progress.json",
    ]
    there = _move_to(tmp_path, monkeypatch, "elsewhere")
    assert ProgressStore().get("example.rc_nature") is None
    got = transfer.import_file(out)
    assert got["questions"] == 1 and got["backup"] is None
    assert ProgressStore().get("example.rc_nature")["answer"] == "grassroots_self_gov"
    assert learner_id() == me  # the same order of options on the new computer
    assert json.loads((there / "mastery" / "concepts.json").read_text()) == {"x": 1}
    assert (there / "notes.txt").read_text(encoding="utf-8") == "我的笔记"
    assert (there / "blob.bin").read_bytes() == b"\xff\x00\x01"
    w = ask("example.rc_nature")
    assert w.answer() == "grassroots_self_gov" and "restored" in w.feedback_html.value


def test_import_merges_keeping_the_newer_answer_and_backs_up(tmp_path, monkeypatch):
    store = ProgressStore()
    store.save("l01.a", {"answer": "old", "done": True})
    store.save("l01.b", {"answer": "b-there", "done": True})
    blob = transfer.export_bytes()
    records = ProgressStore().load()
    records["l01.a"]["updated"] = "2000-01-01T00:00:00+0000"  # the export's is older …
    data = json.loads(blob)
    data["files"]["progress.json"]["json"]["questions"]["l01.a"]["updated"] = "1999"
    data["files"]["progress.json"]["json"]["questions"]["l01.c"] = {"answer": "c", "updated": "1"}
    ProgressStore().save("l01.a", {"answer": "newer here", "done": True})
    got = transfer.import_bytes(json.dumps(data).encode())
    after = ProgressStore().load()
    assert after["l01.a"]["answer"] == "newer here"  # not overwritten by the older export
    assert after["l01.b"]["answer"] == "b-there" and after["l01.c"]["answer"] == "c"
    assert got["backup"] is not None
    assert (got["backup"] / "progress.json").is_file()
    # the backup is not exported again
    assert not any(f.startswith("before-import-") for f in transfer.export_data()["files"])


@pytest.mark.parametrize(
    "blob, words",
    [
        (b"not json", "not a usable progress file"),
        (b'{"format": "something-else/1", "files": {}}', "not a usable progress file"),
        (b'{"format": "sanshe-edu-transfer/9", "files": {}}', "newer version of the course"),
        (
            b'{"format": "sanshe-edu-transfer/1", "files": {"../evil.json": {"json": 1}}}',
            "path '../evil.json'",
        ),
        (
            b'{"format": "sanshe-edu-transfer/1", "files": {"/etc/x": {"text": "x"}}}',
            "path '/etc/x'",
        ),
        (
            b'{"format": "sanshe-edu-transfer/1", "files": {"progress.json": {"json": []}}}',
            "progress.json",
        ),
    ],
)
def test_bad_files_are_refused_and_change_nothing(tmp_path, blob, words):
    ProgressStore().save("l01.a", {"answer": "kept", "done": True})
    before = sorted(p.name for p in (tmp_path / "data").iterdir())
    with pytest.raises(SansheError) as err:
        transfer.import_bytes(blob)
    assert words in str(err.value)
    assert sorted(p.name for p in (tmp_path / "data").iterdir()) == before
    assert not (tmp_path / "evil.json").exists()
    with use_lang("zh"):
        assert "什么也没有改动" in err.value.message("zh")


def test_panel_exports_a_download_link_and_imports_an_upload(tmp_path, monkeypatch):
    from sanshe_edu.quiz.transfer_panel import TransferPanel

    _answer("example.rc_nature", "grassroots_self_gov")
    panel = TransferPanel(folder=tmp_path)
    panel.export_button.click()
    assert "Exported (1 answered question(s))" in panel.message_html.value
    exported = sorted(tmp_path.glob("sanshe-edu-progress-*.json"))
    assert len(exported) == 1
    href = panel.message_html.value.split("href='", 1)[1].split("'", 1)[0]
    assert base64.b64decode(href.split(",", 1)[1]) == exported[0].read_bytes()
    _move_to(tmp_path, monkeypatch, "elsewhere")
    fresh = TransferPanel(folder=tmp_path)
    content = memoryview(exported[0].read_bytes())
    fresh.upload.value = (
        {
            "name": exported[0].name,
            "content": content,
            "size": 1,
            "type": "application/json",
            "last_modified": _EPOCH,
        },
    )
    assert "Imported 1 answered question(s)" in fresh.message_html.value
    assert ProgressStore().get("example.rc_nature")["answer"] == "grassroots_self_gov"
    bad = TransferPanel(folder=tmp_path)
    bad.upload.value = (
        {
            "name": "x.json",
            "content": memoryview(b"[]"),
            "size": 2,
            "type": "",
            "last_modified": _EPOCH,
        },
    )
    assert "not a usable progress file" in bad.message_html.value


def test_command_exports_and_imports(tmp_path):
    import os

    ProgressStore().save("l02.q", {"answer": "x", "done": True})
    import sanshe_edu

    src = str(Path(sanshe_edu.__file__).resolve().parents[1])
    env = {**os.environ, "SANSHE_EDU_LANG": "en", "PYTHONPATH": src}
    run = [sys.executable, "-m", "sanshe_edu", "progress"]
    out = tmp_path / "p.json"
    done = subprocess.run([*run, "--export", str(out)], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert "exported 1 file(s) (1 answered question(s))" in done.stdout
    env["SANSHE_EDU_DATA_DIR"] = str(tmp_path / "other")
    done = subprocess.run([*run, "--import", str(out)], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert "imported 1 answered question(s)" in done.stdout
    assert json.loads((tmp_path / "other" / "progress.json").read_text())["questions"]["l02.q"]
    (tmp_path / "bad.json").write_text("{}", encoding="utf-8")
    done = subprocess.run(
        [*run, "--import", str(tmp_path / "bad.json")], capture_output=True, text=True, env=env
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "not a usable progress file" in done.stderr
    done = subprocess.run(
        [*run, "--import", str(tmp_path / "missing.json")], capture_output=True, text=True, env=env
    )
    assert done.returncode == 2 and "cannot read" in done.stderr


def test_merge_keeps_both_sides_concept_evidence_and_the_latest_review_card():
    """Issue 27's sections travel in progress.json: nothing learnt on either device is lost."""
    from sanshe_edu.quiz.transfer import merge_progress

    here = {
        "format": "x",
        "questions": {"l05.a": {"updated": "2026-03-01T10:00:00+0800", "answer": "old"}},
        "concepts": {"events": [{"qid": "l05.a", "correct": False, "at": "2026-03-01T02:00"}]},
        "review": {
            "l05.a": {"card": {"last_review": "2026-03-01T02:00:00+00:00"}, "reviews": 1},
            "l05.b": {"card": {"last_review": "2026-03-05T02:00:00+00:00"}, "reviews": 3},
        },
    }
    imported = {
        "format": "x",
        # saved later, though its local clock reads earlier (another time zone)
        "questions": {"l05.a": {"updated": "2026-03-01T03:00:00+0000", "answer": "new"}},
        "concepts": {"events": [{"qid": "l05.a", "correct": True, "at": "2026-03-02T02:00"}]},
        "review": {
            "l05.a": {"card": {"last_review": "2026-03-02T02:00:00+00:00"}, "reviews": 2},
            "l05.b": {"card": {"last_review": "2026-03-04T02:00:00+00:00"}, "reviews": 2},
        },
    }
    out = merge_progress(here, imported)
    assert out["questions"]["l05.a"]["answer"] == "new"
    assert [e["correct"] for e in out["concepts"]["events"]] == [False, True]
    assert out["review"]["l05.a"]["reviews"] == 2  # reviewed last on the other device
    assert out["review"]["l05.b"]["reviews"] == 3  # reviewed last here
    # merged twice, nothing doubles
    again = merge_progress(out, imported)
    assert len(again["concepts"]["events"]) == 2
