"""Every quiz message used in the code exists in zh and en (and none is left unused)."""

from __future__ import annotations

import re
from pathlib import Path

from sanshe_edu.i18n import catalogue, missing_translations

QUIZ = Path(__file__).resolve().parents[1] / "src" / "sanshe_edu" / "quiz"


def _used_keys() -> set[str]:
    keys = set()
    for path in QUIZ.rglob("*.py"):  # the frame, the phases and every type module
        text = path.read_text(encoding="utf-8")
        keys |= set(re.findall(r"[\"'](quiz\.[a-z_]+)[\"']", text))
        # keys built from a prefix: t(f"quiz.problem_{key}") with c.add(field, "<key>"), in the
        # validator and in every type's rules
        keys |= {f"quiz.problem_{k}" for k in re.findall(r"\.add\([^,]+, \"([a-z_]+)\"", text)}
        # a type's problem key held in a class attribute: no_key = "no_bin"
        keys |= {f"quiz.problem_{k}" for k in re.findall(r"no_key = \"([a-z_]+)\"", text)}
        # t(f"quiz.{mark}") with mark one of the literal option_chosen_* names
        keys |= {f"quiz.{k}" for k in re.findall(r"\"(option_chosen_[a-z]+)\"", text)}
    return keys


def test_no_missing_translation():
    assert [m for m in missing_translations() if m.startswith("quiz.")] == []


def test_every_key_used_in_the_code_exists():
    missing = sorted(k for k in _used_keys() if k not in catalogue())
    assert missing == []


def test_problem_keys_found():
    """The scan above is not empty-handed (else the test could not fail)."""
    used = _used_keys()
    assert {"quiz.problem_no_bin", "quiz.problem_repeated_id", "quiz.all_right"} <= used
    assert {"quiz.problem_single_needs_one", "quiz.item_wrong_cell"} <= used  # in type modules
