"""Deterministic layout and colours shared by static and interactive drawings (no matplotlib).

Each category gets a cluster around its own centre (community at the top, social-work agencies
bottom left, other non-profits bottom right); inside a cluster up to eight organisations sit on a
ring, more on a sunflower spiral, best-connected first. Same graph → same positions, whatever
the insertion order.

>>> from sanshe_edu.model import build_network
>>> G = build_network([("b", "B", "nonprofit"), ("a", "A", "居委会")], [("a", "b")])
>>> pos = network_layout(G)
>>> pos["a"][1] > pos["b"][1]
True
>>> network_layout(G) == pos
True
"""

from __future__ import annotations

import math

from ..model.organisations import CATEGORIES

#: Okabe–Ito colours (readable with colour-blindness), one per category.
CATEGORY_COLOURS: dict[str, str] = {
    "community": "#0072B2",
    "social_work": "#D55E00",
    "nonprofit": "#009E73",
    "independent": "#999999",
}

_CENTRES = {
    "community": (0.0, 0.62),
    "social_work": (-0.62, -0.42),
    "nonprofit": (0.62, -0.42),
}
_GOLDEN = math.pi * (3 - math.sqrt(5))
_RING_MAX = 8


def network_layout(G, spread: float = 0.42) -> dict:
    """``network_layout(G, spread=0.42) -> {node: (x, y)}`` with coordinates in about [-1, 1].

    >>> from sanshe_edu.model import build_network
    >>> network_layout(build_network([("s", "S", "社工机构")]))
    {'s': (-0.62, -0.42)}
    """
    from ..model.network import _check_graph

    _check_graph(G)
    pos = {}
    for cat in CATEGORIES:
        nodes = sorted(
            (n for n, d in G.nodes(data=True) if d["category"] == cat),
            key=lambda n: (-G.degree(n), str(n)),
        )
        cx, cy = _CENTRES[cat]
        step = spread / math.sqrt(max(len(nodes), 1))
        outward = math.atan2(cy, cx)
        for i, n in enumerate(nodes):
            if len(nodes) == 1:
                pos[n] = (cx, cy)
                continue
            if len(nodes) <= _RING_MAX:
                # Few organisations: a ring around the centre, first one pointing outwards.
                a = outward + i * 2 * math.pi / len(nodes)
                r = 0.36
                pos[n] = (round(cx + r * math.cos(a), 9), round(cy + r * math.sin(a), 9))
                continue
            r = step * math.sqrt(i + 0.5)
            a = i * _GOLDEN + math.pi / 2
            pos[n] = (round(cx + r * math.cos(a), 9), round(cy + r * math.sin(a), 9))
    return pos
