"""Organisations, the subject-linkage network, its analysis and Wang Sibin's linkage modes."""

from __future__ import annotations

import networkx as nx
import pytest

from sanshe_edu.errors import SansheError
from sanshe_edu.i18n import use_lang
from sanshe_edu.model import (
    CATEGORIES,
    MIXED,
    ORG_KINDS,
    Organisation,
    analyse_network,
    build_network,
    linkage_mode,
    load_case,
    mode_label,
    party_modes,
)


@pytest.fixture(autouse=True)
def _zh():
    with use_lang("zh"):
        yield


@pytest.fixture
def case():
    return load_case("xingfuli")


# --- organisation kinds (seed: 组成元素) ------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "category", "nature", "formal", "dual"),
    [
        ("residents_committee", "community", "public", True, True),
        ("owners_committee", "community", "service", True, False),
        ("property_company", "community", "commercial", True, False),
        ("recreation_group", "community", "mutual_benefit", False, False),
        ("volunteer_team", "community", None, None, False),
        ("social_work_agency", "social_work", "nonprofit", True, False),
        # The seed leaves open whether 社会组织 are only non-state, non-market bodies (尚未明确).
        ("nonprofit", "nonprofit", None, None, False),
    ],
)
def test_org_kinds_follow_the_seed(kind, category, nature, formal, dual):
    """居委会 public/formal/dual; 业委会 service; 物业 commercial; 康乐群团 mutual-benefit,
    informal; the seed says nothing about volunteer teams' nature or formality (None)."""
    k = ORG_KINDS[kind]
    assert (k.category, k.nature, k.formal, k.dual_character) == (category, nature, formal, dual)
    assert k.labels["zh"] and k.labels["en"]


def test_only_the_residents_committee_has_dual_character():
    assert [k for k, v in ORG_KINDS.items() if v.dual_character] == ["residents_committee"]


def test_every_category_has_a_kind():
    assert {k.category for k in ORG_KINDS.values()} == set(CATEGORIES)


@pytest.mark.parametrize("name", ["居委会", "residents' committee", "Residents' Committee"])
def test_kind_accepts_zh_and_en_names(name):
    assert Organisation("x", "X", name).kind == "residents_committee"


def test_unknown_kind_lists_choices_and_suggests_in_both_languages():
    with pytest.raises(SansheError) as err:
        Organisation("x", "X", "social_work_agncy")
    assert isinstance(err.value, ValueError)
    msg = str(err.value)
    assert "social_work_agncy" in msg and "nonprofit" in msg and "social_work_agency" in msg
    assert "你是不是想输入" in msg
    assert "did you mean: social_work_agency" in err.value.message("en")


# --- build_network ---------------------------------------------------------------------------


def test_build_network_from_case(case):
    G = build_network(case["organisations"], case["relations"])
    assert G.number_of_nodes() == 8
    assert G.number_of_edges() == len(case["relations"]) == 12
    assert G.nodes["jwh"]["kind"] == "residents_committee"
    assert G.nodes["lv"]["inside"] is False and G.nodes["sh"]["inside"] is True
    assert G.edges["jwh", "sg"]["type"] == "service_purchase"


@pytest.mark.parametrize(
    ("orgs", "relations", "needle"),
    [
        ([], [], "网络是空的"),
        ([("a", "A", "居委会")], [("a", "b")], "未知的组织「b」"),
        ([("a", "A", "居委会")], [("a", "a")], "不能和自己建立关系"),
        ([("a", "A", "居委会"), ("a", "B", "nonprofit")], [], "重复"),
        ([("a", "A", "居委会"), ("b", "B", "nonprofit")], [("a", "b"), ("b", "a")], "两次"),
        ([("a", "A", "居委会"), ("b", "B", "nonprofit")], [("a", "b", "frendship")], "关系类型"),
        ([("a", "A", "居委会"), ("b", "B", "nonprofit")], ["ab"], "无法把"),
        ([{"id": "a", "name": "A"}], [], "缺少字段「kind」"),
        ("not a list", [], "无法把"),
    ],
)
def test_bad_network_input_is_a_translated_value_error(orgs, relations, needle):
    with pytest.raises(SansheError) as err:
        build_network(orgs, relations)
    assert needle in str(err.value)


def test_misspelt_org_in_relation_suggests_the_right_one():
    with pytest.raises(SansheError, match="你是不是想输入：jwh"):
        build_network([("jwh", "A", "居委会"), ("sg", "B", "社工机构")], [("jhw", "sg")])


# --- analyse_network (hand-worked) -----------------------------------------------------------


def test_case_network_is_complete(case):
    r = analyse_network(build_network(case["organisations"], case["relations"]))
    assert r.ok and r.linked and r.connected and r.problems == []
    assert r.categories == {
        "community": ["hct", "jwh", "wy", "ywh", "zyd"],
        "social_work": ["sg"],
        "nonprofit": ["lv", "sh"],
    }
    # jwh touches 7 of 8 organisations and all other categories: the main bridge.
    assert r.bridges[0] == "jwh"
    assert set(r.bridges) == {"jwh", "sg", "zyd", "hct", "lv", "sh"}  # ywh, wy stay inside


def test_path_network_hand_worked():
    """a(community) – b(social work) – c(non-profit), d(community) alone.

    Betweenness (normalised, 4 nodes → divide by (n-1)(n-2)/2 = 3): b lies on the one shortest
    path a–c → 1/3; everyone else 0. d is isolated; two components; community and non-profit
    have no direct relation; bridges: b first (highest), then a, c by id.
    """
    G = build_network(
        [
            ("a", "A", "residents_committee"),
            ("b", "B", "social_work_agency"),
            ("c", "C", "nonprofit"),
            ("d", "D", "recreation_group"),
        ],
        [("a", "b"), ("b", "c")],
    )
    r = analyse_network(G)
    assert r.centrality == {"a": 0.0, "b": pytest.approx(1 / 3, abs=1e-6), "c": 0.0, "d": 0.0}
    assert r.isolated == ["d"]
    assert r.connected is False and r.components == [["a", "b", "c"], ["d"]]
    assert r.unlinked_pairs == [("community", "nonprofit")]
    assert r.bridges == ["b", "a", "c"]
    assert not r.ok
    assert r.problem_keys == [
        "model.problem.unlinked_pair",
        "model.problem.isolated",
        "model.problem.not_connected",
    ]
    assert r.problems_in("en") == [
        "no direct relation between traditional community bodies and other non-profit "
        "organisations",
        "'D' is not linked to any organisation (isolated)",
        "the network falls into 2 separate parts",
    ]
    assert r.problems[0] == "社区传统机构与其他非营利组织之间没有直接的联动关系"


def test_missing_category_is_reported():
    G = build_network([("a", "A", "居委会"), ("b", "B", "业委会")], [("a", "b")])
    r = analyse_network(G)
    assert r.missing_categories == ["social_work", "nonprofit"]
    assert r.bridges == []  # nobody links to another category
    assert "缺少主体类别：社工机构" in r.problems


def test_analyse_rejects_non_networks_and_empty_graphs():
    with pytest.raises(SansheError, match="网络是空的"):
        analyse_network(nx.Graph())
    with pytest.raises(SansheError, match="build_network"):
        analyse_network({"a": 1})
    G = nx.Graph()
    G.add_node("x")
    with pytest.raises(SansheError, match="没有主体类别"):
        analyse_network(G)


def test_analysis_does_not_depend_on_insertion_order(case):
    a = analyse_network(build_network(case["organisations"], case["relations"]))
    b = analyse_network(build_network(case["organisations"][::-1], case["relations"][::-1]))
    assert (a.bridges, a.centrality, a.components) == (b.bridges, b.centrality, b.components)


# --- Wang Sibin's linkage modes --------------------------------------------------------------


@pytest.mark.parametrize(
    ("goals", "serves", "expected"),
    [
        # 工具性: no goal held in common — each uses the other for its own end.
        ({"jwh": ["完成考核"], "sg": ["项目经费"]}, None, "instrumental"),
        # 协作性: a shared goal through which each reaches an own goal (mutual leverage).
        (
            {"jwh": ["楼道畅通", "完成考核"], "sg": ["楼道畅通", "积累案例"]},
            {"楼道畅通": ["完成考核", "积累案例"]},
            "collaborative",
        ),
        # 合作式: own goals exist, the shared goal is accepted, but not as a route to them.
        ({"jwh": ["楼道畅通", "完成考核"], "sg": ["楼道畅通", "积累案例"]}, None, "cooperative"),
        # Only one party's own goal is served by the shared goal: the parties stand in
        # different modes (jwh collaborative, sg cooperative) → mixed.
        (
            {"jwh": ["楼道畅通", "完成考核"], "sg": ["楼道畅通", "积累案例"]},
            {"楼道畅通": ["完成考核"]},
            "mixed",
        ),
        # Three parties; the goal shared by all three makes it non-instrumental.
        ({"a": ["g", "x"], "b": ["g"], "c": ["g", "y"]}, None, "cooperative"),
        # Shared by two of three only: a and b share it, c uses the others as tools → mixed.
        ({"a": ["g"], "b": ["g"], "c": ["h"]}, None, "mixed"),
    ],
)
def test_linkage_modes(goals, serves, expected):
    assert linkage_mode(goals, serves) == expected


@pytest.mark.parametrize(
    ("goals", "serves", "willing", "expected"),
    [
        # Parties of one project in three different modes (the seed does not forbid it).
        (
            {"wy": ["通过检查"], "zyd": ["楼道畅通"], "sg": ["楼道畅通", "积累案例"]},
            {"楼道畅通": ["积累案例"]},
            (),
            {"wy": "instrumental", "zyd": "cooperative", "sg": "collaborative"},
        ),
        # Cooperative does not require the own goal to go unmet: willing to complete the shared
        # goal although reaching it also reaches its own goal.
        (
            {"jwh": ["楼道畅通", "完成考核"], "sg": ["楼道畅通", "积累案例"]},
            {"楼道畅通": ["完成考核", "积累案例"]},
            ["sg"],
            {"jwh": "collaborative", "sg": "cooperative"},
        ),
        # A party named as willing but sharing no goal is still instrumental.
        ({"a": ["x"], "b": ["y"]}, None, "a", {"a": "instrumental", "b": "instrumental"}),
    ],
)
def test_party_modes(goals, serves, willing, expected):
    assert party_modes(goals, serves, willing) == expected


def test_party_modes_reach_the_network_and_the_label():
    G = build_network(
        [
            {"id": "jwh", "name": "居委会", "kind": "residents_committee"},
            {"id": "sg", "name": "社工站", "kind": "social_work_agency"},
        ],
        [
            {
                "source": "jwh",
                "target": "sg",
                "goals": {"jwh": ["楼道畅通", "完成考核"], "sg": ["楼道畅通", "积累案例"]},
                "serves": {"楼道畅通": ["完成考核", "积累案例"]},
                "willing": ["sg"],
            }
        ],
    )
    edge = G.edges["jwh", "sg"]
    assert edge["party_modes"] == {"jwh": "collaborative", "sg": "cooperative"}
    assert "mode" not in edge and analyse_network(G).modes == {}
    assert mode_label(MIXED, "zh").startswith("各方处在不同的联动方式")


def test_party_modes_bad_willing():
    with use_lang("zh"), pytest.raises(SansheError, match="参与方"):
        party_modes({"a": ["g"], "b": ["g"]}, willing=["c"])


def test_case_relations_carry_modes(case):
    G = build_network(case["organisations"], case["relations"])
    modes = {(a, b): d["mode"] for a, b, d in G.edges(data=True) if "mode" in d}
    assert modes == {
        ("jwh", "sg"): "collaborative",
        ("ywh", "wy"): "cooperative",
        ("jwh", "lv"): "instrumental",
    }
    assert analyse_network(G).modes == {
        ("jwh", "lv"): "instrumental",
        ("jwh", "sg"): "collaborative",
        ("wy", "ywh"): "cooperative",
    }


@pytest.mark.parametrize(
    ("goals", "serves", "needle"),
    [
        ({"a": ["g"]}, None, "至少需要两个参与方"),
        ("goals", None, "字典"),
        ({"a": ["g", "x"], "b": ["g"]}, {"h": ["x"]}, "未知的共同目标「h」"),
    ],
)
def test_linkage_mode_bad_input(goals, serves, needle):
    with pytest.raises(SansheError, match=needle):
        linkage_mode(goals, serves)
