"""Check that notebooks are committed clean: no outputs, no execution counts, no stray metadata.

    python scripts/check_notebooks.py [NOTEBOOK ...]      (default: every tracked *.ipynb)

Exit status 1 lists each problem; used by the pre-commit hook and tests/test_quality.py.
Standard library only, so it runs before anything is installed.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ALLOWED_NB_METADATA = {"kernelspec", "language_info", "nbgrader"}
# "jupyter" (source_hidden: a collapsed input) and "sanshe_template" (the template an answer cell
# is released with) are written by `sanshe-edu build`.
ALLOWED_CELL_METADATA = {
    "nbgrader",
    "tags",
    "editable",
    "deletable",
    "slideshow",
    "jupyter",
    "sanshe_template",
}
# Generated nbgrader folders are not committed and may hold outputs.
SKIP_PREFIXES = (
    "exercises/",
    "grading/release/",
    "grading/submitted/",
    "grading/autograded/",
    "grading/feedback/",
)


def problems(path: Path) -> list[str]:
    """Every way ``path`` is not a clean notebook (empty when it is)."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [f"{path}: unreadable ({exc})"]
    out = []
    extra = set(nb.get("metadata", {})) - ALLOWED_NB_METADATA
    if extra:
        out.append(f"{path}: notebook metadata {sorted(extra)}")
    for i, cell in enumerate(nb.get("cells", [])):
        where = f"{path}: cell {i}"
        if cell.get("cell_type") == "code":
            if cell.get("outputs"):
                out.append(f"{where} has outputs")
            if cell.get("execution_count") is not None:
                out.append(f"{where} has an execution count")
        extra = set(cell.get("metadata", {})) - ALLOWED_CELL_METADATA
        if extra:
            out.append(f"{where} metadata {sorted(extra)}")
    return out


def tracked_notebooks(repo: Path) -> list[Path]:
    names = subprocess.run(
        ["git", "ls-files", "*.ipynb"], cwd=repo, capture_output=True, text=True, check=True
    ).stdout.split()
    return [repo / n for n in names if not n.startswith(SKIP_PREFIXES)]


def main(argv: list[str]) -> int:
    repo = Path(__file__).resolve().parents[1]
    paths = [Path(a) for a in argv] or tracked_notebooks(repo)
    found = [p for path in paths for p in problems(path)]
    for line in found:
        print(line)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
