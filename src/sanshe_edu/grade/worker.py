"""One parallel autograde worker: ``python -m sanshe_edu.grade.worker`` (spec as JSON on stdin).

It grades its students in its own scratch course (see :mod:`sanshe_edu.grade.autograde`) and
prints one JSON line per student; the parent merges the results into the real gradebook.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main() -> int:
    # The parent starts its workers before it has prepared their scratch courses; importing
    # nbgrader (about 3.5 s) now overlaps with that preparation instead of following it.
    import nbgrader.apps  # noqa: F401

    from .autograde import grade_scratch

    text = sys.stdin.read()
    spec = json.loads(text) if text.strip() else {}
    if not spec.get("students"):  # nothing to grade (or the parent gave up): exit cleanly
        return 0

    def emit(event: dict) -> None:
        print(json.dumps(event), flush=True)

    grade_scratch(Path(spec["scratch"]), spec["assignment"], list(spec["students"]), emit)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
