"""One stuck submission costs only its own time (issue 29): the parent's watchdog ends a worker
that is still on one student past that student's limit, reports that student over the time
limit, and a new worker grades the students it had not reached, in the same scratch course.

The workers here are real processes reporting on real pipes, as ``pipeline.worker`` does; what
they run is a small stand-in that hangs on one student (as a worker wedged in its kernel
client's shutdown did), so the parent's side is tested without waiting minutes for nbgrader.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sanshe_edu.grade.pipeline import pool

# Reads the spec like pipeline.worker, reports each student; hangs on the one named "stuck"
# until killed (and leaves a mark, so the test can see the process was ended).
STAND_IN = r"""
import json, os, sys, time
out = os.fdopen(int(sys.argv[1]), "w")
spec = json.loads(sys.stdin.read() or "{}")
for box in spec.get("boxes", []):
    out.write(json.dumps({"start": box["alias"]}) + "\n"); out.flush()
    if box["alias"] == "stuck":
        open(os.path.join(spec["scratch"], f"hung-{os.getpid()}"), "w").close()
        time.sleep(3600)
    out.write(json.dumps({"alias": box["alias"], "ok": True}) + "\n"); out.flush()
"""


class FakeBox:
    def __init__(self, alias: str) -> None:
        self.alias = alias

    def to_json(self) -> dict:
        return {"alias": self.alias}


def stand_in(script: str):
    """A ``Worker.__init__`` that starts ``script`` reporting on its own pipe, as
    ``pipeline.worker`` does."""

    def start(self) -> None:
        read, write = os.pipe()
        self.proc = subprocess.Popen(
            [sys.executable, "-c", script, str(write)],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(write,),
            text=True,
        )
        os.close(write)
        self.results = os.fdopen(read, "r", encoding="utf-8")

    return start


@pytest.fixture
def stand_in_workers(monkeypatch):
    monkeypatch.setattr(pool.Worker, "__init__", stand_in(STAND_IN))
    monkeypatch.setattr(pool, "GRACE", 1)
    monkeypatch.setattr(pool, "STARTUP", 10)  # a loaded machine starts Python slowly


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_stuck_student_between_two_honest_ones(stand_in_workers, tmp_path, jobs):
    names = ["before", "stuck", "after", "last"]
    batches = [names[i::jobs] for i in range(jobs)]
    specs = []
    for i, batch in enumerate(batches):
        (tmp_path / f"w{i}").mkdir()
        specs.append((tmp_path / f"w{i}", [FakeBox(a) for a in batch]))
    events: list[dict] = []
    merged: list[tuple[str, list[str]]] = []
    workers = pool.spawn_workers(jobs)
    start = time.monotonic()
    pool.run_workers(
        workers,
        specs,
        "a1",
        events.append,
        lambda scratch, batch: merged.append((scratch.name, [b.alias for b in batch])),
        limit=2,
    )
    seconds = time.monotonic() - start
    by_alias = {e["alias"]: e for e in events}
    assert by_alias == {
        "before": {"alias": "before", "ok": True},
        "stuck": {"alias": "stuck", "ok": False, "reason": "time_limit"},
        "after": {"alias": "after", "ok": True},
        "last": {"alias": "last", "ok": True},
    }
    assert len(events) == 4  # each student reported once
    # Each scratch course merged once, after its last worker ended, with its whole batch.
    assert sorted(merged) == sorted((f"w{i}", b) for i, b in enumerate(batches))
    # The stuck student cost its limit and the grace, not the class's deadline (which would
    # be minutes: 120 s and more for each student of the batch).
    assert seconds < 2 + 1 + 10 + 10
    # The hung worker was ended, not left behind.
    hung = list(tmp_path.rglob("hung-*"))
    assert len(hung) == 1
    pid = int(hung[0].name.split("-")[1])
    assert not Path(f"/proc/{pid}").exists() or _zombie_or_gone(pid)


def _zombie_or_gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split()[2]
    except OSError:
        return True
    return state == "Z"


def test_a_worker_that_reports_nothing_still_ends(stand_in_workers, tmp_path, monkeypatch):
    """A worker that never even starts a student is ended too; its students are merged (and
    so reported by the caller) rather than waited for."""
    (tmp_path / "w0").mkdir()
    # Hangs before its first student; like pipeline.worker, it exits at once with none to grade.
    hang = STAND_IN.replace(
        'for box in spec.get("boxes", []):',
        'if spec.get("boxes"):\n    time.sleep(3600)\nfor box in []:',
    )

    monkeypatch.setattr(pool.Worker, "__init__", stand_in(hang))
    events, merged = [], []
    start_time = time.monotonic()
    pool.run_workers(
        pool.spawn_workers(1),
        [(tmp_path / "w0", [FakeBox("only")])],
        "a1",
        events.append,
        lambda scratch, batch: merged.append([b.alias for b in batch]),
        limit=1,
    )
    assert events == [{"alias": "only", "ok": False, "reason": "time_limit"}]
    assert merged == [["only"]]
    assert time.monotonic() - start_time < 1 + 1 + 10 + 10
