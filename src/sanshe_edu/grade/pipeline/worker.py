"""One autograde worker: ``python -m sanshe_edu.grade.pipeline.worker FD`` (spec as JSON on
stdin).

It grades its students in its own scratch course, each kernel in its submission's sandbox
(see :mod:`sanshe_edu.grade.pipeline.autograde`), and writes one JSON line per student to the
pipe ``FD`` — a file descriptor only this process holds (it is not inherited by the kernels,
whose output goes to /dev/null like this process's own stdout and stderr).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
import warnings
from collections.abc import Callable
from pathlib import Path

from . import course as course_mod
from . import sandbox
from .scratch import scratch_db

_NAME = re.compile(r"\b([A-Z][A-Za-z]{2,40}(?:Error|Exception|Interrupt|Timeout))\b")


def _reason(result: dict) -> dict:
    """What went wrong, as our own words (never text the student's code could have chosen)."""
    text = f"{result.get('error') or ''}\n{result.get('log') or ''}"
    if "DeadKernelError" in text or "Kernel died" in text:
        return {"reason": "kernel_died"}
    if "MarksRemovedError" in text:
        return {"reason": "marks_removed"}
    names = _NAME.findall(text)
    return {"reason": "nbgrader", "name": names[-1] if names else "?"}


def grade_scratch(
    scratch: Path, assignment: str, boxes: list[sandbox.Box], emit: Callable[[dict], None]
) -> None:
    """Worker body: autograde each box's submission inside the scratch course."""
    from nbgrader.converters import Autograde
    from nbgrader.preprocessors import Execute
    from sqlalchemy.exc import SAWarning

    cfg = course_mod.load_config(scratch)
    execute = sandbox.sandbox_execute_class()
    steps = cfg.Autograde.get("autograde_preprocessors") or list(
        Autograde.class_traits()["autograde_preprocessors"].default()
    )
    plain_execute = (
        Execute,
        "nbgrader.preprocessors.Execute",
        "nbgrader.preprocessors.execute.Execute",
    )
    if not any(step in plain_execute for step in steps):
        raise RuntimeError("no Execute step to sandbox")  # never run kernels unsandboxed
    steps = [execute if step in plain_execute else step for step in steps]
    overrides = {
        "CourseDirectory.db_url": f"sqlite:///{scratch_db(scratch)}",
        "Autograde.autograde_preprocessors": steps,
    }
    api = course_mod.make_api(scratch, **overrides)
    for box in boxes:
        emit({"start": box.alias})  # the parent's watchdog times this student from here
        api.coursedir.autograded_directory = str(box.path)
        sandbox.CURRENT.box = box
        try:
            with warnings.catch_warnings(), sandbox.Watchdog(box):
                warnings.simplefilter("ignore", SAWarning)  # nbgrader's gradebook noise
                result = api.autograde(assignment, box.alias, force=True, create=True)
        except Exception as exc:  # nbgrader raised instead of reporting: keep grading others
            result = {"success": False, "error": f"{type(exc).__name__}"}
        finally:
            sandbox.CURRENT.box = None
            for proc in box.procs:  # a kernel nbgrader did not stop: end it and its namespace
                box_kill(proc)
        event = {"alias": box.alias, "ok": bool(result.get("success")) and not box.expired}
        if not event["ok"]:
            event.update({"reason": "time_limit"} if box.expired else _reason(result))
        emit(event)


def box_kill(proc) -> None:
    import signal

    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def main(argv: list[str]) -> int:
    fd = int(argv[1])
    os.set_inheritable(fd, False)  # never passed on to a kernel
    out = os.fdopen(fd, "w", encoding="utf-8")
    # The parent starts its workers before it has prepared their scratch courses; importing
    # nbgrader (about 3.5 s) now overlaps with that preparation instead of following it.
    import nbgrader.apps  # noqa: F401

    text = sys.stdin.read()
    spec = json.loads(text) if text.strip() else {}
    if not spec.get("boxes"):  # nothing to grade (or the parent gave up): exit cleanly
        return 0

    def emit(event: dict) -> None:
        out.write(json.dumps(event) + "\n")
        out.flush()

    boxes = [sandbox.Box.from_json(b) for b in spec["boxes"]]
    grade_scratch(Path(spec["scratch"]), spec["assignment"], boxes, emit)
    out.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
