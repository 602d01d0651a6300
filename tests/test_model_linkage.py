"""Element linkage, the rotating-chair committee and the four project phases."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanshe_edu.errors import SansheError
from sanshe_edu.i18n import use_lang
from sanshe_edu.model import (
    CHAIR_DUTIES,
    ELEMENTS,
    ITEM_ELEMENT,
    PHASE_ACTIVITIES,
    PHASES,
    PhaseStep,
    ProjectPlan,
    build_committee,
    build_network,
    check_plan,
    label,
    load_case,
    map_elements,
    rotation_schedule,
    subject_element,
)


@pytest.fixture(autouse=True)
def _zh():
    with use_lang("zh"):
        yield


@pytest.fixture
def case():
    return load_case("xingfuli")


@pytest.fixture
def network(case):
    return build_network(case["organisations"], case["relations"])


# --- element linkage -------------------------------------------------------------------------


def test_elements_and_their_roles_follow_the_seed():
    assert ELEMENTS == ("subject", "object", "method", "goal", "ethics")
    # community issue = object, social organisation = subject, social work = method
    assert ITEM_ELEMENT["issue"] == "object"
    assert ITEM_ELEMENT["organisation"] == "subject"
    assert ITEM_ELEMENT["social_work_method"] == "method"
    assert [label("element", e, "zh") for e in ELEMENTS] == ["主体", "对象", "方法", "目标", "伦理"]


def test_case_elements_are_complete(case, network):
    r = map_elements(case["elements"], network=network)
    assert r.ok, r.problems
    assert r.subject_categories == ["community", "social_work", "nonprofit"]
    # The three named subjects plus the five network organisations not already named.
    assert len(r.mapping["subject"]) == 3 + 5


def test_subject_linkage_feeds_the_subject_element(network):
    """Only the network in the subject: every organisation appears, in category order."""
    r = map_elements({"object": [("楼道堆物", "issue")]}, network=network)
    assert [i["id"] for i in r.mapping["subject"]] == [i["id"] for i in subject_element(network)]
    assert [i["id"] for i in subject_element(network)] == [
        "hct", "jwh", "wy", "ywh", "zyd", "sg", "lv", "sh"
    ]  # fmt: skip
    assert r.missing == ["method", "goal", "ethics"]


@pytest.mark.parametrize(
    ("case_map", "missing", "misplaced"),
    [
        # The classic confusion: the social-work agency put as the method, the issue as subject.
        (
            {
                "subject": [("楼道堆物", "issue")],
                "object": [],
                "method": [("同心社工中心", "organisation")],
                "goal": [("楼道畅通", "goal")],
                "ethics": [("伙伴合作", "ethics")],
            },
            ["object"],
            [("楼道堆物", "subject", "object"), ("同心社工中心", "method", "subject")],
        ),
        # A social-work professional belongs with the subject (as its executor).
        (
            {
                "subject": [("社工小王", "worker")],
                "object": [("独居老人就餐难", "issue")],
                "method": [("助人自助", "social_work_method")],
                "goal": [("老人按时吃饭", "goal")],
                "ethics": [("尊重自决", "ethics")],
            },
            [],
            [],
        ),
    ],
)
def test_missing_and_misplaced(case_map, missing, misplaced):
    r = map_elements(case_map)
    assert r.missing == missing
    assert r.misplaced == misplaced
    assert r.ok is (not missing and not misplaced)


def test_misplaced_message_both_languages():
    r = map_elements({"method": [("楼道堆物", "issue")]})
    assert "「楼道堆物」放在了“方法”下，应属于“对象”" in r.problems
    assert "'楼道堆物' is placed under 'method' but belongs under 'object'" in r.problems_in("en")


def test_subject_missing_category_reported():
    r = map_elements(
        {"subject": [{"name": "居委会", "type": "organisation", "category": "community"}]}
    )
    assert r.missing_subject_categories == ["social_work", "nonprofit"]


@pytest.mark.parametrize(
    ("case_map", "needle"),
    [
        ({"subjekt": []}, "你是不是想输入：subject"),
        ({"subject": [("x", "charity")]}, "未知的条目类型「charity」"),
        ({"subject": [{"name": "x"}]}, "无法读取要素条目"),
        (["subject"], "字典"),
    ],
)
def test_elements_bad_input(case_map, needle):
    with pytest.raises(SansheError, match=needle):
        map_elements(case_map)


# --- committee -------------------------------------------------------------------------------


def test_case_committee_and_rotation(case):
    """Interleaving by category: community (jwh ywh wy hct zyd), social work (sg), non-profits
    (sh lv) → jwh sg sh ywh lv wy hct zyd; the independent party does not chair by default."""
    c = build_committee(case["organisations"], independent="区社会组织服务中心")
    assert c.ok and c.missing_categories == []
    assert c.members[-1].category == "independent"
    chairs = [t.chair for t in rotation_schedule(c, 10)]
    assert chairs == ["jwh", "sg", "sh", "ywh", "lv", "wy", "hct", "zyd", "jwh", "sg"]
    assert "independent" not in chairs


def test_independent_may_chair_when_allowed(case):
    c = build_committee(case["organisations"][:2], independent="专家", independent_can_chair=True)
    assert [t.chair for t in rotation_schedule(c, 3)] == ["jwh", "independent", "ywh"]


def test_committee_missing_category_is_reported():
    c = build_committee([("a", "A", "居委会"), ("b", "B", "业委会")])
    assert not c.ok
    assert c.missing_categories == ["social_work", "nonprofit"]
    assert c.problems == ["委员会中没有社工机构的代表", "委员会中没有其他非营利组织的代表"]


def test_committee_from_network_and_representatives(network):
    c = build_committee(network, representatives={"sg": "王社工"})
    assert {m.id: m.representative for m in c.members}["sg"] == "王社工"
    assert c.ok


@st.composite
def _committees(draw):
    kinds = ["居委会", "业委会", "物业公司", "社工机构", "nonprofit"]
    n = draw(st.integers(1, 9))
    return [(f"o{i}", f"O{i}", draw(st.sampled_from(kinds))) for i in range(n)]


@settings(max_examples=60, deadline=None)
@given(orgs=_committees(), terms=st.integers(1, 40))
def test_rotation_is_fair(orgs, terms):
    """Every chair candidate chairs ⌊terms/n⌋ or ⌈terms/n⌉ times, and the schedule is
    deterministic."""
    c = build_committee(orgs)
    schedule = rotation_schedule(c, terms)
    assert len(schedule) == terms and [t.term for t in schedule] == list(range(1, terms + 1))
    counts = Counter(t.chair for t in schedule)
    n = len(orgs)
    for o in orgs:
        assert counts.get(o[0], 0) in (terms // n, -(-terms // n))
    assert schedule == rotation_schedule(c, terms)


@pytest.mark.parametrize("terms", [0, -3, 2.5, "three", None, True])
def test_rotation_bad_terms(case, terms):
    c = build_committee(case["organisations"])
    with pytest.raises(SansheError, match="任期数"):
        rotation_schedule(c, terms)


def test_rotation_accepts_whole_number_strings(case):
    assert len(rotation_schedule(build_committee(case["organisations"]), "4")) == 4


def test_chair_duties_are_data():
    assert len(CHAIR_DUTIES) == 7
    assert label("duty", "draft_work_plan", "zh") == "拟订工作规划"


def test_empty_committee():
    with pytest.raises(SansheError, match="委员会没有成员"):
        build_committee([])


# --- four phases -----------------------------------------------------------------------------

ORGS = [("jwh", "居委会", "居委会"), ("sg", "社工", "社工机构"), ("lv", "环保中心", "nonprofit")]
ALL = ["jwh", "sg", "lv"]


def _plan(order, participants=None):
    return ProjectPlan(
        "楼道堆物",
        [PhaseStep(p, participants or ALL, outputs=["x"]) for p in order],
        organisations=ORGS,
    )


def test_phases_in_order_with_seed_activities():
    assert PHASES == ("needs_assessment", "plan_design", "implementation", "evaluation")
    assert [label("phase", p, "zh") for p in PHASES] == [
        "需求评估",
        "方案制订",
        "计划推行",
        "评估总结",
    ]
    assert PHASE_ACTIVITIES["needs_assessment"][-1] == "find_controllable_causes"
    assert PHASE_ACTIVITIES["plan_design"][0] == "target_controllable_causes"
    assert "invite_third_party" in PHASE_ACTIVITIES["evaluation"]
    assert "multi_angle_measurement" in PHASE_ACTIVITIES["evaluation"]


def test_good_plan_is_ok():
    r = check_plan(_plan(PHASES))
    assert r.ok and r.order_ok and r.problems == []


@pytest.mark.parametrize(
    ("order", "out_of_order", "missing"),
    [
        # plan designed before the needs were assessed
        (["plan_design", "needs_assessment", "implementation", "evaluation"],
         ["needs_assessment"], []),
        # evaluation put first
        (["evaluation", "needs_assessment", "plan_design", "implementation"],
         ["needs_assessment", "plan_design", "implementation"], []),
        # fully reversed: every step after the first is out of order
        (list(reversed(PHASES)), ["implementation", "plan_design", "needs_assessment"], []),
        # implementation skipped straight from needs assessment; evaluation missing
        (["needs_assessment", "implementation", "plan_design"], ["plan_design"], ["evaluation"]),
        # nothing but implementation
        (["implementation"], [], ["needs_assessment", "plan_design", "evaluation"]),
    ],
)  # fmt: skip
def test_phase_order_mistakes(order, out_of_order, missing):
    r = check_plan(_plan(order))
    assert r.out_of_order == out_of_order
    assert r.missing_phases == missing
    assert r.order_ok is (not out_of_order)
    assert not r.ok


def test_order_message():
    r = check_plan(_plan(["plan_design", "needs_assessment", "implementation", "evaluation"]))
    assert r.problems == ["阶段顺序有误：“需求评估”排在了“方案制订”之后"]
    assert r.problems_in("en") == ["wrong order: 'needs assessment' comes after 'plan design'"]


def test_duplicate_phase_and_missing_category_and_unknown_participant():
    plan = ProjectPlan(
        "x",
        [
            PhaseStep("needs_assessment", ["jwh", "sg"], outputs=["可控原因"]),
            PhaseStep("plan_design", ALL, outputs=["方案"]),
            PhaseStep("plan_design", ALL, outputs=["方案2"]),
            PhaseStep("implementation", ["jwh", "sg", "lv", "xx"], outputs=["记录"]),
            PhaseStep("evaluation", [], outputs=[]),
        ],
        organisations=ORGS,
    )
    r = check_plan(plan)
    assert r.duplicate_phases == ["plan_design"]
    assert r.missing_categories == {"needs_assessment": ["nonprofit"]}
    assert r.unknown_participants == ["xx"]
    assert r.problem_keys == [
        "model.problem.duplicate_phase",
        "model.problem.phase_missing_category",
        "model.problem.unknown_participant",
        "model.problem.no_participants",
    ]


def test_step_without_outputs_and_missing_activities():
    plan = ProjectPlan(
        "x",
        [
            PhaseStep(p, ALL, activities=["collect_data"] if i == 0 else [])
            for i, p in enumerate(PHASES)
        ],
        organisations=ORGS,
    )
    r = check_plan(plan)
    assert r.problem_keys == ["model.problem.no_outputs"] * 4
    assert r.missing_activities["needs_assessment"] == [
        "partner_up", "understand_cause_mechanism", "find_controllable_causes"
    ]  # fmt: skip
    assert "invite_third_party" not in r.missing_activities["evaluation"]  # optional


def test_case_plan_passes_every_check(case):
    plan = ProjectPlan.from_dict({**case["plan"], "organisations": case["organisations"]})
    r = check_plan(plan)
    assert r.ok and r.missing_activities == {}
    assert [s.phase for s in plan.steps] == list(PHASES)


def test_plan_checked_against_network(network):
    plan = ProjectPlan("x", [PhaseStep(p, ["jwh", "sg", "lv"], outputs=["y"]) for p in PHASES])
    assert check_plan(plan, network).ok


def test_plan_from_dict_and_chinese_phase_names():
    plan = ProjectPlan.from_dict(
        {"issue": "x", "organisations": ORGS,
         "steps": [{"phase": label("phase", p, "zh"), "participants": ALL, "outputs": "y"}
                   for p in PHASES]}
    )  # fmt: skip
    assert check_plan(plan).ok


@pytest.mark.parametrize(
    ("phase", "close"),
    [
        ("needs assesment", "needs_assessment"),
        ("evaluaton", "evaluation"),
        ("plan desing", "plan_design"),
    ],
)
def test_misspelt_phase_suggests(phase, close):
    with pytest.raises(SansheError, match=f"你是不是想输入：{close}"):
        PhaseStep(phase)


def test_bad_plan():
    with pytest.raises(SansheError, match="项目方案"):
        check_plan(["needs_assessment"])
    assert check_plan(ProjectPlan("x", [])).problem_keys[0] == "model.problem.empty_plan"
