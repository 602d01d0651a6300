"""One parallel autograde worker: ``python -m sanshe_edu.grade.worker`` (spec as JSON on stdin).

It grades its students in its own scratch course (see :mod:`sanshe_edu.grade.autograde`) and
prints one JSON line per student; the parent merges the results into the real gradebook.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main() -> int:
    from .autograde import grade_scratch

    spec = json.loads(sys.stdin.read())

    def emit(event: dict) -> None:
        print(json.dumps(event), flush=True)

    grade_scratch(Path(spec["scratch"]), spec["assignment"], list(spec["students"]), emit)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
