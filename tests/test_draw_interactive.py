"""The ipysigma network: categories as colours, hover label with kind and role, positions from
the deterministic layout, and node clicks reported back to Python.

A click in the browser sets the widget's ``selected_node`` trait (ipysigma syncs it from the
front end); here the trait is set from Python, which runs the same observer path. The real
browser click is exercised by the browser tests of the lessons that use the widget.
"""

from __future__ import annotations

import pytest

from sanshe_edu.draw import CATEGORY_COLOURS, interactive_network, network_layout
from sanshe_edu.errors import SansheError
from sanshe_edu.model import build_network, load_case

CASE = load_case("xingfuli")
G = build_network(CASE["organisations"], CASE["relations"])


def _nodes(widget):
    return {n["key"]: n["attributes"] for n in widget.data["nodes"]}


def test_nodes_show_kind_and_role_on_hover():
    nodes = _nodes(interactive_network(G, lang="zh"))
    assert set(nodes) == set(G.nodes)
    assert (
        nodes["jwh"]["label"]
        == "幸福里社区居委会（居委会）：社区基础平台，协助街道开展工作，召集各方"
    )
    assert nodes["sg"]["kind"] == "社工机构" and nodes["sg"]["category"] == "社工机构"
    en = _nodes(interactive_network(G, lang="en"))
    assert en["hct"]["label"] == (
        "Sunset Choir (recreation group): older residents' leisure group; knows the residents "
        "living alone"
    )


def test_categories_are_colours_matching_the_static_figures():
    w = interactive_network(G, lang="en")
    colour = w.visual_variables["nodeColor"]
    assert colour["attribute"] == "category"
    palette = dict(colour["palette"])
    assert palette["social-work agencies"] == CATEGORY_COLOURS["social_work"]
    assert palette["traditional community bodies"] == CATEGORY_COLOURS["community"]


def test_layout_is_the_deterministic_one():
    w = interactive_network(G, lang="zh")
    pos = network_layout(G)
    assert w.layout["sg"] == {"x": pos["sg"][0], "y": -pos["sg"][1]}
    assert interactive_network(G, lang="zh").layout == w.layout


def test_clicking_a_node_reaches_python():
    seen = []
    w = interactive_network(G, lang="zh", on_select=lambda node, attrs: seen.append((node, attrs)))
    w.selected_node = "sg"
    w.selected_node = "lv"
    w.selected_node = None
    assert [n for n, _ in seen] == ["sg", "lv", None]
    assert seen[0][1]["kind"] == "social_work_agency"
    assert seen[1][1]["inside"] is False
    assert seen[2][1] == {}


def test_edges_carry_relation_and_mode():
    w = interactive_network(G, lang="zh")
    edges = {frozenset((e["source"], e["target"])): e["attributes"] for e in w.data["edges"]}
    assert edges[frozenset(("jwh", "sg"))] == {"relation": "购买服务", "mode": "协作性联动"}


def test_english_only_panels_are_hidden_for_students():
    w = interactive_network(G, lang="zh-CN")
    assert w.ui_settings == {"hideInfoPanel": True, "hideSearch": True}
    assert _nodes(w)["sg"]["category"] == "社工机构"


def test_bad_input():
    with pytest.raises(SansheError):
        interactive_network(G, lang="de")
    with pytest.raises(SansheError):
        interactive_network({"not": "a graph"})
