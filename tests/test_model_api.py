"""The model's public names (``sanshe_edu.model.__all__``, used by lessons, quiz, draw, grade)
exist with their documented shapes, and every label lookup fails with a translated error
rather than a KeyError."""

from __future__ import annotations

import inspect

import pytest

import sanshe_edu.draw as draw
import sanshe_edu.model as model
from sanshe_edu.errors import SansheError
from sanshe_edu.i18n import use_lang

MODEL_NAMES = [
    "Organisation",
    "ORG_KINDS",
    "CATEGORIES",
    "build_network",
    "analyse_network",
    "linkage_mode",
    "party_modes",
    "ELEMENTS",
    "map_elements",
    "build_committee",
    "rotation_schedule",
    "CHAIR_DUTIES",
    "PHASES",
    "ProjectPlan",
    "check_plan",
    "ISSUE_CLASSES",
    "classify_issue",
    "benefit_outcome",
    "analyse_causes",
    "prioritise_issues",
    "load_glossary",
    "load_scholars",
    "load_governance_forms",
    "load_structures",
    "load_timeline",
    "load_case",
]
DRAW_NAMES = [
    "draw_network",
    "draw_elements",
    "draw_committee",
    "draw_phases",
    "draw_benefit_matrix",
    "draw_priorities",
    "draw_timeline",
    "interactive_network",
]


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_model_contract_names(name):
    assert name in model.__all__
    obj = getattr(model, name)
    if callable(obj):
        assert ">>>" in (obj.__doc__ or ""), f"{name} needs a doctested example"


@pytest.mark.parametrize("name", DRAW_NAMES)
def test_draw_contract_names(name):
    assert name in draw.__all__
    fn = getattr(draw, name)
    assert callable(fn) and "lang" in inspect.signature(fn).parameters


def test_promised_signatures():
    assert list(inspect.signature(model.prioritise_issues).parameters) == ["issues", "weights"]
    assert list(inspect.signature(model.benefit_outcome).parameters) == ["government", "residents"]
    assert list(inspect.signature(model.rotation_schedule).parameters) == ["committee", "terms"]
    report = model.analyse_network(model.build_network([("a", "A", "居委会")]))
    for field in ("ok", "problems", "missing_categories", "isolated", "connected", "bridges"):
        assert hasattr(report, field)


@pytest.mark.parametrize(
    ("group", "key", "needle"),
    [
        ("phase", "evaluaton", "did you mean: evaluation"),
        ("kind", "charity", "unknown organisation kind 'charity'"),
        ("phse", "x", "unknown label group 'phse'"),
    ],
)
def test_label_errors_are_translated(group, key, needle):
    with use_lang("en"), pytest.raises(SansheError, match=needle):
        model.label(group, key)
