"""``sanshe-edu check [PATH ...]``: execute notebooks headless, one line per notebook.

Default: the whole shipped course.  Each notebook runs in a fresh kernel in its own folder,
with the progress store pointed at a throw-away folder so checking never touches the learner's
answers.  Exit status 1 when any notebook fails, 2 for a missing path.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..errors import SansheError
from ..i18n import t


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "check", help=t("platform.check_help"), description=t("platform.check_help")
    )
    p.add_argument("paths", nargs="*", metavar="PATH", help=t("platform.check_paths_help"))
    p.add_argument(
        "--timeout", type=int, default=600, metavar="S", help=t("platform.check_timeout_help")
    )
    p.set_defaults(func=run)


@dataclass
class Result:
    path: Path
    ok: bool
    seconds: float
    error: str = ""


def collect(paths: list[str]) -> list[Path]:
    """Notebooks named by ``paths`` (folders are searched recursively), in a stable order."""
    from ..paths import course_dir

    roots = [Path(p).expanduser() for p in paths] or [course_dir()]
    found: list[Path] = []
    for root in roots:
        if not root.exists():
            raise SansheError("platform.check_missing", path=root)
        if root.is_dir():
            found += sorted(p for p in root.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
        elif root.suffix == ".ipynb":
            found.append(root)
        else:
            raise SansheError("platform.check_not_notebook", path=root)
    if not found:
        raise SansheError("platform.check_none", paths=", ".join(map(str, roots)))
    return found


@contextmanager
def _scratch_store():
    """Point the progress store at a throw-away folder while notebooks run."""
    before = os.environ.get("SANSHE_EDU_DATA_DIR")
    with tempfile.TemporaryDirectory(prefix="sanshe-check-") as tmp:
        os.environ["SANSHE_EDU_DATA_DIR"] = tmp
        try:
            yield
        finally:
            if before is None:
                os.environ.pop("SANSHE_EDU_DATA_DIR", None)
            else:
                os.environ["SANSHE_EDU_DATA_DIR"] = before


def execute(path: Path, timeout: int = 600) -> Result:
    """Run one notebook top to bottom in a fresh kernel (the file is not changed)."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    start = time.perf_counter()
    try:
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(
            nb,
            timeout=timeout,
            kernel_name="python3",
            resources={"metadata": {"path": str(path.parent)}},
        )
        # The kernel's own stderr (e.g. transport notices) is noise here; cell errors are
        # reported through the notebook.
        client.execute(stderr=subprocess.DEVNULL)
    except CellExecutionError as exc:
        lines = [ln for ln in str(exc).strip().splitlines() if ln.strip()]
        return Result(path, False, time.perf_counter() - start, lines[-1] if lines else "")
    except (CellTimeoutError, DeadKernelError, ValueError, OSError, RuntimeError) as exc:
        return Result(path, False, time.perf_counter() - start, f"{type(exc).__name__}: {exc}")
    return Result(path, True, time.perf_counter() - start)


def run(args: argparse.Namespace) -> int:
    notebooks = collect(args.paths)
    failed = 0
    with _scratch_store():
        for path in notebooks:
            result = execute(path, timeout=args.timeout)
            word = t("platform.check_pass") if result.ok else t("platform.check_fail")
            line = f"{word}  {result.seconds:6.1f} s  {path}"
            if not result.ok:
                failed += 1
                line += f"  — {result.error}"
            print(line, flush=True)
    print(t("platform.check_summary", ok=len(notebooks) - failed, total=len(notebooks)))
    return 1 if failed else 0
