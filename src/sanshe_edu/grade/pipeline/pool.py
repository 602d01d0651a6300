"""The parent's side of the workers: ``python -m sanshe_edu.grade.pipeline.worker`` processes,
each reporting on a pipe only it holds, read with :mod:`selectors`.

A worker's stdout and stderr, which a kernel might write to, go to /dev/null; its reports are
JSON lines on the pipe (:mod:`sanshe_edu.grade.pipeline.worker`).
"""

from __future__ import annotations

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


def run_workers(
    workers: list[Worker],
    jobs_specs: list[tuple[Path, list[Box]]],
    assignment: str,
    collect: Callable[[dict], None],
    merge: Callable[[Path, list[Box]], None],
    limit: int,
) -> None:
    """Hand each worker its spec (idle workers get none and exit), collect the events, and
    merge a worker's batch once its reports have ended and the process has exited.  A worker
    that outlives its students' time limits (plus start-up) is ended."""
    sel = selectors.DefaultSelector()
    deadline: dict[int, float] = {}
    for i, worker in enumerate(workers):
        try:
            if i < len(jobs_specs):
                scratch, batch = jobs_specs[i]
                spec = {
                    "scratch": str(scratch),
                    "assignment": assignment,
                    "boxes": [box.to_json() for box in batch],
                }
                worker.proc.stdin.write(json.dumps(spec))
                sel.register(worker.results, selectors.EVENT_READ, (worker, scratch, batch))
                deadline[i] = time.monotonic() + 120 + len(batch) * (limit + 30)
            worker.proc.stdin.close()
        except OSError:  # the worker died already: its students are reported below
            pass
    # Our own merge needs nbgrader too: import it while the workers grade, not after them.
    if jobs_specs:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import nbgrader.api  # noqa: F401
    index = {id(w): i for i, w in enumerate(workers)}
    while sel.get_map():
        now = time.monotonic()
        for key in list(sel.get_map().values()):
            worker = key.data[0]
            if now > deadline[index[id(worker)]] and worker.proc.poll() is None:
                worker.proc.kill()
        for key, _ in sel.select(timeout=5):
            worker, scratch, batch = key.data
            line = key.fileobj.readline()
            if not line:
                sel.unregister(key.fileobj)
                worker.proc.wait()
                merge(scratch, batch)
                continue
            try:
                event = json.loads(line)
            except ValueError:
                continue
            if isinstance(event, dict):
                collect(event)
    sel.close()
