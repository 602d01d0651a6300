"""One autograde worker: ``python -m sanshe_edu.grade.worker FD`` (spec as JSON on stdin).

It grades its students in its own scratch course, each kernel in its submission's sandbox
(see :mod:`sanshe_edu.grade.autograde`), and writes one JSON line per student to the pipe
``FD`` — a file descriptor only this process holds (it is not inherited by the kernels, whose
output goes to /dev/null like this process's own stdout and stderr).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    fd = int(argv[1])
    os.set_inheritable(fd, False)  # never passed on to a kernel
    out = os.fdopen(fd, "w", encoding="utf-8")
    # The parent starts its workers before it has prepared their scratch courses; importing
    # nbgrader (about 3.5 s) now overlaps with that preparation instead of following it.
    import nbgrader.apps  # noqa: F401

    from .autograde import grade_scratch
    from .sandbox import Box

    text = sys.stdin.read()
    spec = json.loads(text) if text.strip() else {}
    if not spec.get("boxes"):  # nothing to grade (or the parent gave up): exit cleanly
        return 0

    def emit(event: dict) -> None:
        out.write(json.dumps(event) + "\n")
        out.flush()

    boxes = [Box.from_json(b) for b in spec["boxes"]]
    grade_scratch(Path(spec["scratch"]), spec["assignment"], boxes, emit)
    out.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
