"""Random click sequences on every question type: no exception, score never above maximum.

Hypothesis drives each widget with sequences of actions (set a control to any value it
offers, click any button); the settings are derandomized so a run is repeatable.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanshe_edu.quiz import ask
from sanshe_edu.quiz.bank import load_bank
from sanshe_edu.quiz.store import ProgressStore
from sanshe_edu.quiz.widgets import bank_score

QIDS = [f"example.{q['id']}" for q in load_bank("example")["questions"]]


def _value_widgets(w):
    """Every control a student can set, found by walking the widget tree."""
    import ipywidgets as W

    out, stack = [], [w]
    while stack:
        node = stack.pop()
        if isinstance(
            node, (W.RadioButtons, W.ToggleButtons, W.Dropdown, W.Select, W.Checkbox, W.Textarea)
        ):
            out.append(node)
        if isinstance(node, W.Button):
            out.append(node)
        stack.extend(getattr(node, "children", ()))
    return out


ACTIONS = st.lists(
    st.tuples(st.integers(0, 10_000), st.integers(0, 10_000), st.text(max_size=30)),
    max_size=25,
)


# A progress store, a working folder and English, all private to each test (root conftest).
pytestmark = pytest.mark.usefixtures("quiz_in_tmp")


@pytest.mark.parametrize("qid", QIDS)
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(actions=ACTIONS, graded=st.booleans())
def test_random_clicks_never_raise(qid, actions, graded):
    import ipywidgets as W

    w = ask(qid, graded=graded)
    controls = _value_widgets(w)
    for which, pick, text in actions:
        c = controls[which % len(controls)]
        if isinstance(c, W.Button):
            c.click()
        elif isinstance(c, W.Checkbox):
            c.value = not c.value
        elif isinstance(c, W.Textarea):
            c.value = text
        elif c.options:
            c.index = pick % len(c.options)
        assert "Something went wrong" not in w.feedback_html.value, w.feedback_html.value
        if w.result is not None:
            assert 0 <= w.result.score <= w.result.max_score
    s = bank_score("example", ProgressStore())
    assert 0 <= s["score"] <= s["max"]
    assert 0 <= s["done"] <= s["total"]
