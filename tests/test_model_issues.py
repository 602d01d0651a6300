"""Issue analysis: classes, the benefit matrix, cause analysis and prioritisation."""

from __future__ import annotations

import math

import pytest

from sanshe_edu.errors import SansheError
from sanshe_edu.i18n import use_lang
from sanshe_edu.model import (
    BENEFIT_MATRIX,
    ISSUE_CLASSES,
    analyse_causes,
    benefit_outcome,
    check_weights,
    classify_issue,
    load_case,
    prioritise_issues,
)


@pytest.fixture(autouse=True)
def _zh():
    with use_lang("zh"):
        yield


# --- three issue classes (seed examples) -----------------------------------------------------


@pytest.mark.parametrize(
    ("issue", "cls", "handled_by"),
    [
        ("个人作息", "personal_matter", "residents"),
        ("小区卫生", "collective_affair", "all_parties"),
        ("征兵工作", "public_task", "public_bodies"),
    ],
)
def test_seed_examples_classify(issue, cls, handled_by):
    assert classify_issue(issue) == cls
    assert ISSUE_CLASSES[cls]["handled_by"] == handled_by
    assert ISSUE_CLASSES[cls]["example"] == issue


@pytest.mark.parametrize(
    ("public_duty", "only_self", "cls"),
    [
        (True, False, "public_task"),
        (True, None, "public_task"),
        (False, True, "personal_matter"),
        (None, True, "personal_matter"),
        (False, False, "collective_affair"),
    ],
)
def test_classify_by_description(public_duty, only_self, cls):
    assert classify_issue(public_duty=public_duty, only_self=only_self) == cls


def test_case_issue_classes_agree_with_classifier():
    for issue in load_case()["issues"]:
        assert classify_issue(issue["name"]) == issue["class"], issue["name"]


@pytest.mark.parametrize(
    ("args", "kwargs", "needle"),
    [
        ((), {}, "请给出议题名称"),
        (("买菜",), {}, "不认识议题「买菜」"),
        ((), {"public_duty": "yes"}, "必须是 True 或 False"),
    ],
)
def test_classify_bad_input(args, kwargs, needle):
    with pytest.raises(SansheError, match=needle):
        classify_issue(*args, **kwargs)


# --- benefit matrix: all nine cells ----------------------------------------------------------


@pytest.mark.parametrize(
    ("gov", "res", "outcome", "passive"),
    [
        ("beneficial", "beneficial", "cooperate", None),
        ("beneficial", "neutral", "let_be", "residents"),
        ("beneficial", "harmful", "compete", "residents"),
        ("neutral", "beneficial", "let_be", "government"),
        ("harmful", "beneficial", "compete", "government"),
        ("neutral", "neutral", "not_taken_up", None),
        ("neutral", "harmful", "not_taken_up", None),
        ("harmful", "neutral", "not_taken_up", None),
        ("harmful", "harmful", "not_taken_up", None),
    ],
)
def test_benefit_matrix_cell(gov, res, outcome, passive):
    o = benefit_outcome(gov, res)
    assert (o.outcome, o.passive) == (outcome, passive)
    assert o.taken_up is (outcome != "not_taken_up")
    assert BENEFIT_MATRIX[(gov, res)] == outcome
    assert o.explain("zh") and o.explain("en")


def test_benefit_accepts_chinese_and_explains():
    o = benefit_outcome("无利无害", "有利")
    assert o.outcome == "let_be"
    assert str(o) == "对政府无利无害、对居民有利：一方受益、另一方无利无害，政府就会放任"
    assert o.explain("en").endswith("so the government let it be")


def test_benefit_bad_level():
    with pytest.raises(SansheError, match="你是不是想输入：beneficial"):
        benefit_outcome("benificial", "neutral")


# --- cause analysis --------------------------------------------------------------------------


def test_core_cause_changeable_work_on_it():
    a = analyse_causes(
        [
            {"name": "居民不知道规定", "core": True, "changeable": True, "controllable": True},
            {"name": "物业巡查少", "changeable": True},
        ]
    )
    assert (a.strategy, a.targets) == ("change_core", ["居民不知道规定"])


def test_core_unchangeable_go_to_controllable_causes():
    """Case 楼道堆物: core (no storage space) cannot change; changeable causes are three, of which
    two are controllable by the worker."""
    causes = load_case()["issues"][0]["causes"]
    a = analyse_causes(causes)
    assert a.strategy == "work_on_controllable"
    assert a.core == "老旧小区缺少存放空间"
    assert a.changeable == ["居民不了解消防规定", "物业巡查不够", "邻里之间不好意思提醒"]
    assert a.targets == ["居民不了解消防规定", "邻里之间不好意思提醒"]
    assert "工作者可控的是：居民不了解消防规定、邻里之间不好意思提醒" in a.explain("zh")


def test_no_controllable_cause():
    a = analyse_causes([{"name": "x", "core": True}, {"name": "y", "changeable": True}])
    assert (a.strategy, a.targets, a.changeable) == ("no_controllable_cause", [], ["y"])


@pytest.mark.parametrize(
    ("causes", "needle"),
    [
        ([], "没有列出任何原因"),
        ([{"name": "x"}], "恰好一个核心原因"),
        ([{"name": "x", "core": True}, {"name": "y", "core": True}], "现在有 2 个"),
        ([{"name": "x", "core": True, "controllable": True}], "可控原因一定是可变的"),
        ([{"name": "x", "core": "yes"}], "必须是 True 或 False"),
        (["x"], "无法读取原因"),
    ],
)
def test_cause_bad_input(causes, needle):
    with pytest.raises(SansheError, match=needle):
        analyse_causes(causes)


# --- prioritisation --------------------------------------------------------------------------


def test_case_ranking_default_weights():
    """Equal weights → mean of the four scores:
    corridor (5+5+4+3)/4 = 4.25; elderly_meals (3+4+4+3)/4 = 3.5; waste_sorting (5+2+3+2)/4 = 3;
    after_school (2+3+3+4)/4 = 3 (tie: keeps input order); conscription 2.5; personal 2."""
    ranked = prioritise_issues(load_case()["issues"])
    assert [(r.rank, r.id, r.score) for r in ranked] == [
        (1, "corridor", 4.25),
        (2, "elderly_meals", 3.5),
        (3, "waste_sorting", 3.0),
        (4, "after_school", 3.0),
        (5, "conscription", 2.5),
        (6, "personal_schedule", 2.0),
    ]
    assert math.isclose(sum(ranked[0].contributions.values()), ranked[0].score)


def test_trainer_weights_change_the_ranking():
    """Severity ×3: waste_sorting (5+6+3+2)/6 = 2.67 drops below after_school (2+9+3+4)/6 = 3."""
    ranked = prioritise_issues(load_case()["issues"], weights={"severity": 3})
    order = [r.id for r in ranked]
    assert order.index("after_school") < order.index("waste_sorting")
    scores = {r.id: r.score for r in ranked}
    assert scores["after_school"] == pytest.approx(3.0)
    assert scores["waste_sorting"] == pytest.approx(16 / 6, abs=1e-6)


def test_ranking_explains_itself():
    r = prioritise_issues(load_case()["issues"])[0]
    with use_lang("en"):
        text = r.explain()
    assert text == (
        "#1 楼道堆物与消防隐患: score 4.25 = (population covered 5×1 + severity of consequences "
        "5×1 + urgency 4×1 + ease of action 3×1) ÷ 4; the largest contribution is population "
        "covered"
    )
    assert r.explain("zh").startswith("第 1 名 楼道堆物与消防隐患：得分 4.25")


def test_zero_weight_removes_a_criterion():
    ranked = prioritise_issues(
        [
            {"id": "a", "population": 5, "severity": 1, "urgency": 1, "ease": 1},
            {"id": "b", "population": 1, "severity": 2, "urgency": 2, "ease": 2},
        ],
        weights={"population": 0},
    )
    assert [r.id for r in ranked] == ["b", "a"]


@pytest.mark.parametrize(
    ("weights", "needle"),
    [
        ({"severity": -1}, "不小于 0"),
        ({"severity": "high"}, "不是数字"),
        ({"severity": float("nan")}, "不是数字"),
        ({"severity": True}, "不是数字"),
        ({"severity": None}, "不是数字"),
        ({"severty": 2}, "你是不是想输入：severity"),
        (dict.fromkeys(("population", "severity", "urgency", "ease"), 0), "不能全为 0"),
        ([1, 2, 3, 4], "字典"),
    ],
)
def test_bad_weights(weights, needle):
    with pytest.raises(SansheError, match=needle):
        check_weights(weights)
    with pytest.raises(ValueError):
        prioritise_issues(load_case()["issues"], weights=weights)


def test_weights_accept_chinese_names_and_numeric_strings():
    assert check_weights({"后果严重性": "2.5"})["severity"] == 2.5


@pytest.mark.parametrize(
    ("issue", "needle"),
    [
        ({"id": "a", "population": 3, "severity": 3, "urgency": 3}, "缺少「操作难易度」"),
        ({"id": "a", "population": 6, "severity": 3, "urgency": 3, "ease": 3}, "不能大于 5"),
        ({"id": "a", "population": 0, "severity": 3, "urgency": 3, "ease": 3}, "不小于 1"),
        ({"population": 3}, "无法读取议题"),
    ],
)
def test_bad_issue_scores(issue, needle):
    with pytest.raises(SansheError, match=needle):
        prioritise_issues([issue])


def test_no_issues():
    with pytest.raises(SansheError, match="没有候选议题"):
        prioritise_issues([])


def test_error_message_follows_language():
    with use_lang("en"), pytest.raises(SansheError, match="weight '-2' is invalid"):
        check_weights({"ease": -2})
