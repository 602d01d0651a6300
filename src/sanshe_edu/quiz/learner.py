"""Who is practising: a stable id per learner, so each learner sees the options and items of
the lesson questions in an order of their own (the same every time), not the right option
always at the same place.

The id is the class's student id when there is one (``SANSHE_EDU_STUDENT``,
``JUPYTERHUB_USER``: the same order as the graded questions use), else a random id made once
and kept beside the progress store (``learner.json`` under
:func:`sanshe_edu.paths.data_dir`; in the browser edition that is the browser's own storage).
It travels with an exported progress file (:mod:`sanshe_edu.quiz.transfer`), so a learner who
moves to another computer keeps the same order. No id (the store cannot be written) means the
shipped order.

>>> import os, tempfile
>>> os.environ["SANSHE_EDU_DATA_DIR"] = tempfile.mkdtemp()
>>> first = learner_id()
>>> first == learner_id() and len(first) == 16
True
>>> q = {"qid": "l01.q", "type": "single", "options": [{"id": c} for c in "abcdef"]}
>>> practice_order(q) == practice_order(q)
True
>>> del os.environ["SANSHE_EDU_DATA_DIR"]
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

from ..paths import data_dir
from .graded import STUDENT_VARS, for_student
from .store import atomic_write_json

FORMAT = "sanshe-edu-learner/1"
FILENAME = "learner.json"


def learner_path() -> Path:
    return data_dir() / FILENAME


def _stored_id(path: Path) -> str | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    if isinstance(data, dict) and data.get("format") == FORMAT:
        lid = data.get("id")
        if isinstance(lid, str) and 8 <= len(lid) <= 64 and lid.isalnum():
            return lid
    return None


def learner_id() -> str | None:
    """The learner's id: the class's student id, else the one kept beside the progress store
    (made at the first call), else ``None`` when it cannot be kept."""
    for var in STUDENT_VARS:
        if os.environ.get(var):
            return os.environ[var]
    path = learner_path()
    found = _stored_id(path)
    if found:
        return found
    new = secrets.token_hex(8)
    try:
        atomic_write_json(path, {"format": FORMAT, "id": new})
    except OSError:
        return None
    return new


def practice_order(q: dict) -> dict:
    """A lesson question in this learner's own order of options, items and match sides
    (answers are ids: checking, the store and restoring never depend on the order)."""
    return for_student(q, learner_id())


__all__ = ["FILENAME", "FORMAT", "learner_id", "learner_path", "practice_order"]
