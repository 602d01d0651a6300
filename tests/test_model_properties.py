"""Property tests (seeded by hypothesis' database-free defaults): invariants of the analyses
that must hold for every input, not just the worked examples."""

from __future__ import annotations

from itertools import chain

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanshe_edu.model import (
    CATEGORIES,
    CRITERIA,
    ORG_KINDS,
    analyse_network,
    build_network,
    prioritise_issues,
)

KINDS = sorted(ORG_KINDS)


@st.composite
def networks(draw):
    n = draw(st.integers(1, 12))
    orgs = [(f"o{i}", f"O{i}", draw(st.sampled_from(KINDS))) for i in range(n)]
    pairs = [(a, b) for a in range(n) for b in range(a + 1, n)]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True)) if pairs else []
    return orgs, [(f"o{a}", f"o{b}") for a, b in chosen]


@settings(max_examples=80, deadline=None)
@given(data=networks())
def test_network_report_is_consistent(data):
    orgs, relations = data
    G = build_network(orgs, relations)
    r = analyse_network(G)
    assert sorted(chain.from_iterable(r.categories.values())) == sorted(G.nodes)
    assert set(r.isolated) == {n for n in G if G.degree(n) == 0}
    assert r.connected == nx.is_connected(G)
    assert sorted(chain.from_iterable(r.components)) == sorted(G.nodes)
    assert set(r.missing_categories) == set(CATEGORIES) - {G.nodes[n]["category"] for n in G}
    # A bridge always has a neighbour of another category, and bridges are ranked by centrality.
    for b in r.bridges:
        assert any(G.nodes[m]["category"] != G.nodes[b]["category"] for m in G[b])
    scores = [r.centrality[b] for b in r.bridges]
    assert scores == sorted(scores, reverse=True)
    assert r.ok == (not r.problems)
    # A directed copy gives the same answers (linkage is mutual).
    d = analyse_network(nx.DiGraph(G))
    assert (d.isolated, d.connected, d.bridges) == (r.isolated, r.connected, r.bridges)


scores = st.integers(1, 5)
issue = st.fixed_dictionaries({c: scores for c in CRITERIA})
weights = st.fixed_dictionaries({c: st.floats(0, 10, allow_nan=False) for c in CRITERIA}).filter(
    lambda w: sum(w.values()) > 0.01
)


@settings(max_examples=80, deadline=None)
@given(values=st.lists(issue, min_size=1, max_size=8), w=weights, k=st.floats(0.1, 10))
def test_ranking_properties(values, w, k):
    issues = [{"id": f"i{j}", **v} for j, v in enumerate(values)]
    ranked = prioritise_issues(issues, w)
    assert [r.rank for r in ranked] == list(range(1, len(issues) + 1))
    assert all(1 - 1e-9 <= r.score <= 5 + 1e-9 for r in ranked)
    assert [r.score for r in ranked] == sorted((r.score for r in ranked), reverse=True)
    for r in ranked:
        assert sum(r.contributions.values()) == pytest.approx(r.score, abs=1e-5)
    # Scaling every weight by the same factor changes nothing.
    scaled = prioritise_issues(issues, {c: v * k for c, v in w.items()})
    assert [r.score for r in scaled] == pytest.approx([r.score for r in ranked], abs=1e-5)
