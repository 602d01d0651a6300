"""The notebook as last saved, read by the self-check in the student's kernel: which answer
cells were edited since they last ran, and what an essay cell says.

The kernel sees only what it ran (IPython's ``In``); the saved ``.ipynb`` (its path is in
``__session__`` / ``JPY_SESSION_NAME``, which Jupyter Server sets for the kernel) holds what the
student typed. An answer cell whose saved source is not among the sources the kernel ran was
edited (or typed) and not run. Standard library only.

>>> nb = {"cells": [{"cell_type": "code", "source": ["x = [1，2]"],
...                  "metadata": {"nbgrader": {"solution": True, "grade_id": "x"}}},
...                 {"cell_type": "markdown", "source": "在这里写你的答案 / Write your answer here",
...                  "metadata": {"nbgrader": {"solution": True, "grade_id": "essay"}}}]}
>>> saved = SavedNotebook(nb, ran=["x = [1, 2]"])
>>> saved.edited("x"), saved.edited("y"), saved.essay_written("essay")
(True, False, False)
>>> SavedNotebook(nb, ran=["x = [1，2]\\n"]).edited("x")
False
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

STUB_WORDS = ("在这里写你的答案", "write your answer here", "/")


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def _grade_id(cell: dict) -> str:
    return str(cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", ""))


def _is_answer(cell: dict) -> bool:
    return bool(cell.get("metadata", {}).get("nbgrader", {}).get("solution"))


class SavedNotebook:
    """The saved notebook's answer cells, against the sources this kernel ran."""

    def __init__(self, nb: dict, ran: list[str]) -> None:
        self.cells = [c for c in nb.get("cells", []) if isinstance(c, dict) and _is_answer(c)]
        self.ran = {s.strip() for s in ran if isinstance(s, str) and s.strip()}

    def edited(self, name: str) -> bool:
        """The answer cell assigning ``name`` was changed since it last ran (the kernel ran
        something: a fresh kernel has run nothing, and the self-check asks for Run All)."""
        if not self.ran:
            return False
        assigns = re.compile(rf"^\s*{re.escape(name)}\s*=", re.M)
        for cell in self.cells:
            src = _source(cell)
            if cell.get("cell_type") == "code" and assigns.search(src):
                return src.strip() not in self.ran
        return False

    def essay_written(self, grade_id: str) -> bool | None:
        """Something besides the stub is written in the essay cell ``grade_id`` (``None``:
        no such cell)."""
        for cell in self.cells:
            if cell.get("cell_type") == "markdown" and _grade_id(cell) == grade_id:
                text = _source(cell).lower()
                for word in STUB_WORDS:
                    text = text.replace(word, "")
                return bool(text.strip())
        return None


def _ran(shell: Any) -> list[str]:
    ran = list(shell.user_ns.get("In", []))
    ran += list(getattr(getattr(shell, "history_manager", None), "input_hist_raw", []) or [])
    return ran


def load(namespace: dict | None = None) -> SavedNotebook | None:
    """The kernel's notebook as saved, or ``None`` (not in Jupyter, file not found)."""
    try:
        from IPython import get_ipython

        shell = get_ipython()
    except ImportError:
        return None
    if shell is None:
        return None
    ns = namespace if namespace is not None else shell.user_ns
    named = str(ns.get("__session__") or os.environ.get("JPY_SESSION_NAME") or "")
    paths = [Path(named)] if named.endswith(".ipynb") else []
    if not paths or not paths[0].is_file():
        paths = sorted(Path.cwd().glob("*.ipynb"), key=lambda p: p.stat().st_mtime, reverse=True)
    for path in paths[:20]:
        try:
            nb = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(nb, dict) and any(
            isinstance(c, dict) and _grade_id(c) == "self_check" for c in nb.get("cells", [])
        ):
            return SavedNotebook(nb, _ran(shell))
    return None
