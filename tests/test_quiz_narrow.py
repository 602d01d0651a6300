"""Narrow screens (issue 25, point 2): every exercise carries the stylesheet that lets its
buttons and texts wrap instead of overlapping (checked on screen at 360 and 768 px by
``tests/browser/test_lite_browser.py``), and the rows it styles carry its class names."""

from __future__ import annotations

import pytest

from sanshe_edu.quiz import ask
from sanshe_edu.quiz.ui import CSS

pytestmark = pytest.mark.usefixtures("quiz_in_tmp")
QIDS = ["rc_nature", "three_she", "issue_classes", "scholars", "phases", "build_linkage"]


def _html_values(w) -> list[str]:
    found, todo = [], [w]
    while todo:
        x = todo.pop()
        todo.extend(getattr(x, "children", ()))
        if hasattr(x, "value") and isinstance(x.value, str):
            found.append(x.value)
    return found


@pytest.mark.parametrize("qid", QIDS)
def test_every_exercise_carries_the_stylesheet(qid):
    w = ask(f"example.{qid}")
    assert any(CSS in v for v in _html_values(w))
    hidden = [c for c in w.children if CSS in str(getattr(c, "value", ""))]
    assert hidden and hidden[0].layout.display == "none"


def test_chooser_rows_are_styled_rows():
    w = ask("example.issue_classes")
    rows = [c for c in w.controls.children if "sanshe-chooser-row" in c._dom_classes]
    assert len(rows) == 3
    assert ".sanshe-chooser-row" in CSS and "flex-wrap: wrap" in CSS
