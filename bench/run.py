"""Run every ``bench/bench_*.py`` module's ``main()``; each prints ``name: value unit`` lines.

    .venv/bin/python bench/run.py            # all bench modules, in name order
    .venv/bin/python bench/run.py platform   # only bench_platform.py (names may be several)

A module that fails prints ``<module>: error: <what>`` and the run goes on; the exit status is
1 when any module failed.  Figures are printed, never asserted: speed goals are read by people.
"""

from __future__ import annotations

import importlib.util
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent


def modules(names: list[str]) -> list[Path]:
    found = sorted(HERE.glob("bench_*.py"))
    if names:
        found = [p for p in found if p.stem.removeprefix("bench_") in names or p.stem in names]
    return found


def run_module(path: Path) -> bool:
    start = time.perf_counter()
    try:
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.main()
    except (Exception, SystemExit) as exc:  # one broken bench must not stop the others
        last = traceback.format_exception_only(type(exc), exc)[-1].strip()
        print(f"{path.stem}: error: {last}", flush=True)
        return False
    finally:
        sys.stdout.flush()
    print(f"{path.stem}.wall_time: {time.perf_counter() - start:.1f} s", flush=True)
    return True


def main(argv: list[str] | None = None) -> int:
    names = list(sys.argv[1:] if argv is None else argv)
    paths = modules(names)
    if not paths:
        print(f"bench: error: no bench module matches {names}", flush=True)
        return 2
    ok = [run_module(p) for p in paths]
    return 0 if all(ok) else 1


if __name__ == "__main__":
    sys.exit(main())
