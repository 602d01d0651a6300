"""The parent's side of the workers: ``python -m sanshe_edu.grade.pipeline.worker`` processes,
each reporting on a pipe only it holds, read with :mod:`selectors`.

A worker's stdout and stderr, which a kernel might write to, go to /dev/null; its reports are
JSON lines on the pipe (:mod:`sanshe_edu.grade.pipeline.worker`).
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import subprocess
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

from .sandbox import Box


class Worker:
    """One worker process and the pipe it reports on."""

    def __init__(self) -> None:
        read, write = os.pipe()
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "sanshe_edu.grade.pipeline.worker", str(write)],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                pass_fds=(write,),
                env=dict(os.environ),
                text=True,
            )
        except BaseException:
            os.close(read)
            raise
        finally:
            os.close(write)
        self.results = os.fdopen(read, "r", encoding="utf-8")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for stream in (self.proc.stdin, self.results):
            if stream and not stream.closed:
                stream.close()


def spawn_workers(count: int) -> list[Worker]:
    """``count`` workers, started at once (their nbgrader import overlaps the parent's work)."""
    workers: list[Worker] = []
    try:
        for _ in range(count):
            workers.append(Worker())
    except BaseException:
        for worker in workers:
            worker.stop()
        raise
    return workers


#: Seconds a worker may take past a submission's own limit (its kernel's start and shutdown)
#: before the parent ends it and hands the rest of its students to a new worker.
GRACE = 30
#: Seconds a worker may take before its first student (importing nbgrader) or between two.
STARTUP = 120


class _Job:
    """One scratch course's students, and the worker grading them now."""

    def __init__(self, worker: Worker, scratch: Path, batch: list[Box]) -> None:
        self.worker, self.scratch, self.batch = worker, scratch, batch
        self.pending = [box.alias for box in batch]
        self.current: str | None = None
        self.since = 0.0
        self.buffer = b""

    def start(self, assignment: str, boxes: list[Box], sel: selectors.BaseSelector) -> None:
        spec = {
            "scratch": str(self.scratch),
            "assignment": assignment,
            "boxes": [box.to_json() for box in boxes],
        }
        try:
            self.worker.proc.stdin.write(json.dumps(spec))
            self.worker.proc.stdin.close()
        except OSError:  # the worker died already: its students are reported at its end
            pass
        sel.register(self.worker.results, selectors.EVENT_READ, self)


def run_workers(
    workers: list[Worker],
    jobs_specs: list[tuple[Path, list[Box]]],
    assignment: str,
    collect: Callable[[dict], None],
    merge: Callable[[Path, list[Box]], None],
    limit: int,
) -> None:
    """Hand each worker its spec (idle workers get none and exit), collect the events, and
    merge a worker's batch once its reports have ended and the process has exited.

    A submission costs at most its own time: a worker still on one student ``limit`` +
    :data:`GRACE` seconds after it began (a kernel that wedged the worker's client, say) is
    ended, that student is reported over the time limit, and a new worker grades the rest of
    its students in the same scratch course."""
    sel = selectors.DefaultSelector()
    jobs: list[_Job] = []
    for i, worker in enumerate(workers):
        if i < len(jobs_specs):
            job = _Job(worker, *jobs_specs[i])
            job.since = time.monotonic()
            jobs.append(job)
            job.start(assignment, job.batch, sel)
        else:
            with contextlib.suppress(OSError):
                worker.proc.stdin.close()
    # Our own merge needs nbgrader too: import it while the workers grade, not after them.
    if jobs_specs:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import nbgrader.api  # noqa: F401
    while sel.get_map():
        now = time.monotonic()
        for job in jobs:
            late = now - job.since > limit + GRACE + (0 if job.current else STARTUP)
            if late and job.worker.results in sel.get_map():
                _replace(job, sel, assignment, collect)
        for key, _ in sel.select(timeout=1):
            job = key.data
            # Read what is there, unbuffered: a buffered readline would leave a second report
            # (a result and the next "start" come together) unseen until more arrives.
            data = os.read(key.fileobj.fileno(), 65536)
            if not data:
                sel.unregister(key.fileobj)
                job.worker.proc.wait()
                merge(job.scratch, job.batch)
                continue
            job.buffer += data
            *lines, job.buffer = job.buffer.split(b"\n")
            for line in lines:
                _event(job, line, collect)
    sel.close()


def _event(job: _Job, line: bytes, collect: Callable[[dict], None]) -> None:
    try:
        event = json.loads(line)
    except ValueError:
        return
    if not isinstance(event, dict):
        return
    if "start" in event:  # the worker begins a student
        job.current, job.since = str(event["start"]), time.monotonic()
        return
    alias = str(event.get("alias"))
    if alias in job.pending:
        job.pending.remove(alias)
    job.current, job.since = None, time.monotonic()
    collect(event)


def _replace(job: _Job, sel: selectors.BaseSelector, assignment: str, collect) -> None:
    """End ``job``'s stuck worker (its kernels go with it), report the student it was on, and
    start a new worker on the students it had not reached."""
    sel.unregister(job.worker.results)
    job.worker.stop()
    stuck = job.current or (job.pending[0] if job.pending else None)
    if stuck is not None:
        job.pending.remove(stuck)
        collect({"alias": stuck, "ok": False, "reason": "time_limit"})
    rest = [box for box in job.batch if box.alias in job.pending]
    job.worker = Worker()
    job.current, job.since, job.buffer = None, time.monotonic(), b""
    job.start(assignment, rest, sel)
