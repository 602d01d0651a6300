"""Interactive subject-linkage network (ipysigma) whose node clicks reach Python.

>>> from sanshe_edu.model import load_case, build_network
>>> case = load_case("xingfuli")
>>> w = interactive_network(build_network(case["organisations"], case["relations"]), lang="zh")
>>> w.selected_node is None
True
"""

from __future__ import annotations

from collections.abc import Callable

from ..model import analyse_network, label
from .layout import CATEGORY_COLOURS, network_layout


def _display_graph(G, lang: str):
    import networkx as nx

    H = nx.Graph()
    for n in sorted(G.nodes, key=str):
        d = G.nodes[n]
        name = d.get("name_en") if lang == "en" and d.get("name_en") else d.get("name", str(n))
        kind = label("kind", d["kind"], lang)
        role = d.get("role_en") if lang == "en" and d.get("role_en") else d.get("role", "")
        hover = f"{name}（{kind}）" if lang == "zh" else f"{name} ({kind})"
        if role:
            hover += ("：" if lang == "zh" else ": ") + role
        H.add_node(
            n,
            label=hover,
            name=name,
            category=label("category", d["category"], lang),
            kind=kind,
            role=role,
        )
    for a, b, d in sorted(G.edges(data=True), key=lambda e: (str(e[0]), str(e[1]))):
        attrs = {"relation": label("relation", d["type"], lang)} if d.get("type") else {}
        if d.get("mode"):
            attrs["mode"] = label("mode", d["mode"], lang)
        H.add_edge(a, b, **attrs)
    return H


def interactive_network(
    G,
    lang: str | None = None,
    on_select: Callable[[str | None, dict], None] | None = None,
    height: int = 420,
):
    """An ipysigma widget of a subject-linkage graph.

    ``interactive_network(G, lang=None, on_select=None, height=420) -> ipysigma.Sigma``.
    Categories are colours (same colours as the static figures); hovering a node shows its
    name, kind and role (the node label; ipysigma's English-only info panel and search box are
    hidden); positions come
    from :func:`~sanshe_edu.draw.network_layout`, so the picture is the same every time. A click
    on a node sets the widget's ``selected_node`` trait (observe it with ``widget.observe(...,
    "selected_node")``) and, when given, calls ``on_select(node_id, attributes)`` with the
    original graph's node attributes (``node_id`` is ``None`` when the selection is cleared).

    >>> from sanshe_edu.model import build_network
    >>> G = build_network([("a", "居委会甲", "居委会"), ("s", "社工站", "社工机构")], [("a", "s")])
    >>> clicked = []
    >>> w = interactive_network(G, lang="zh", on_select=lambda n, attrs: clicked.append(n))
    >>> w.selected_node = "s"  # what a click in the browser does
    >>> clicked
    ['s']
    """
    from ipysigma import Sigma

    from .figures import _lang

    lang = _lang(lang)
    report = analyse_network(G)
    H = _display_graph(G, lang)
    pos = network_layout(G)
    layout = {n: {"x": float(x), "y": float(-y)} for n, (x, y) in pos.items()}
    palette = {label("category", c, lang): col for c, col in CATEGORY_COLOURS.items()}
    sizes = {n: 1 + G.degree(n) for n in G.nodes}
    for n in H.nodes:
        H.nodes[n]["links"] = sizes[n]
        H.nodes[n]["bridge"] = n in report.bridges[:3]
    widget = Sigma(
        H,
        height=height,
        layout=layout,
        start_layout=False,
        node_color="category",
        node_color_palette=palette,
        node_label="label",
        node_size="links",
        node_size_range=(6, 16),
        edge_label="relation",
        default_edge_color="#999999",
        label_density=1,
        # ipysigma's panel and search box speak English only ("Undirected Graph 8 nodes …",
        # "Search a node…") and cannot be translated: students get them hidden; the hover
        # label (name, kind, role) is in their language.
        hide_info_panel=True,
        hide_search=True,
    )
    if on_select is not None:

        def _changed(change) -> None:
            node = change["new"]
            on_select(node, dict(G.nodes[node]) if node in G else {})

        widget.observe(_changed, names="selected_node")
    return widget
