"""The interactive network of lesson 05: the course's own SVG figure with one button per
organisation; a click selects it (``selected_node``, ``on_select``), draws its links in red and
describes it in the learner's language. Only ipywidgets' own controls: the same in JupyterLab
and in the browser edition (the browser tests click it there)."""

from __future__ import annotations

import re

import pytest

from sanshe_edu.draw import interactive_network
from sanshe_edu.errors import SansheError
from sanshe_edu.model import build_network, load_case

CASE = load_case("xingfuli")
G = build_network(CASE["organisations"], CASE["relations"])


def _labels(w) -> list[str]:
    return [label for label, _ in w.node_buttons.options]


def test_one_button_per_organisation_named_in_the_learners_language():
    w = interactive_network(G, lang="zh")
    assert sorted(v for _, v in w.node_buttons.options) == sorted(G.nodes)
    assert "幸福里社区居委会" in _labels(w)
    assert w.selected_node is None and w.node_buttons.value is None
    svg = w.figure_html.value
    assert "<svg" in svg and "幸福里社区居委会" in svg and "Search" not in svg
    en = interactive_network(G, lang="en")
    assert "Sunset Choir" in _labels(en)


def test_a_click_highlights_the_links_and_describes_the_organisation():
    w = interactive_network(G, lang="zh")
    plain = w.figure_html.value
    w.node_buttons.value = "jwh"  # what a click does
    assert w.selected_node == "jwh"
    assert w.figure_html.value != plain and "#CC0000" in w.figure_html.value
    text = re.sub(r"<[^>]+>", " ", w.details_html.value)
    assert "幸福里社区居委会（居委会" in text
    assert "角色：社区基础平台" in text
    assert "同心社会工作服务中心：购买服务（协作性联动）" in text
    assert "如果把它从网络里拿掉" in text
    w.select(None)
    assert w.node_buttons.value is None and w.figure_html.value == plain


def test_removing_a_cut_organisation_says_the_network_splits():
    g = build_network(
        [
            ("a", "居委会甲", "居委会"),
            ("s", "社工站", "社工机构"),
            ("v", "志愿队", "volunteer_team"),
        ],
        [("a", "s"), ("s", "v")],
    )
    w = interactive_network(g, lang="en")
    w.select("s")
    assert "falls into 2 parts" in w.details_html.value
    w.select("a")
    assert "still connected" in w.details_html.value


def test_clicking_a_node_reaches_python():
    seen = []
    w = interactive_network(G, lang="zh", on_select=lambda node, attrs: seen.append((node, attrs)))
    w.node_buttons.value = "sg"
    w.select("lv")
    w.select(None)
    assert [n for n, _ in seen] == ["sg", "lv", None]
    assert seen[0][1]["kind"] == "social_work_agency"
    assert seen[1][1]["inside"] is False
    assert seen[2][1] == {}


def test_the_figure_keeps_a_readable_width_and_scrolls():
    w = interactive_network(G, lang="zh")
    assert "overflow-x:auto" in w.figure_html.value
    assert "min-width:680px" in w.figure_html.value


def test_bad_input():
    with pytest.raises(SansheError):
        interactive_network(G, lang="de")
    with pytest.raises(SansheError):
        interactive_network({"not": "a graph"})
    with pytest.raises(SansheError):
        interactive_network(G, lang="zh").select("nobody")
