"""Interactive subject-linkage network: the course's own SVG figure with a button per
organisation. Picking one shows it with its links in red (the others faded) and says, in the
learner's language, what it is, whom it links to and how, and what happens to the network
without it. Built only of ipywidgets' own buttons and HTML, so it works the same in JupyterLab
and in the browser edition (no front-end extension, no canvas, no English panel), and a click
reaches Python.

>>> from sanshe_edu.model import load_case, build_network
>>> case = load_case("xingfuli")
>>> w = interactive_network(build_network(case["organisations"], case["relations"]), lang="zh")
>>> w.selected_node is None
True
>>> w.select("sg"); "社工" in w.details_html.value
True
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from ..errors import SansheError
from ..i18n import t
from ..model import analyse_network, label

#: Narrow screens: the organisations' buttons wrap, each with its whole name.
CSS = (
    ".sanshe-explorer .widget-toggle-buttons { flex-wrap: wrap; height: auto; row-gap: 4px; }"
    " .sanshe-explorer .widget-toggle-button { white-space: normal; height: auto;"
    " min-height: var(--jp-widgets-inline-height, 28px); max-width: 100%; }"
    " .sanshe-explorer .widget-html-content { white-space: normal; }"
)


def _name(data: dict, lang: str, fallback: str) -> str:
    if lang == "en" and data.get("name_en"):
        return str(data["name_en"])
    return str(data.get("name", fallback))


def describe(G, node, lang: str) -> str:
    """HTML: the organisation, its kind and category, its role, its links with their relation
    and mode, and how the network falls apart without it."""
    import html

    import networkx as nx

    esc = html.escape
    d = G.nodes[node]
    name = _name(d, lang, str(node))
    head = t(
        "draw.explorer_node",
        lang=lang,
        name=name,
        kind=label("kind", d["kind"], lang),
        category=label("category", d["category"], lang),
    )
    parts = [f"<div style='font-weight:bold'>{esc(head)}</div>"]
    role = d.get("role_en") if lang == "en" and d.get("role_en") else d.get("role", "")
    if role:
        parts.append(f"<div>{esc(t('draw.explorer_role', lang=lang, role=role))}</div>")
    links = sorted(G[node].items(), key=lambda e: _name(G.nodes[e[0]], lang, str(e[0])))
    if links:
        parts.append(f"<div>{esc(t('draw.explorer_links', lang=lang, count=len(links)))}</div>")
        items = []
        for other, e in links:
            text = _name(G.nodes[other], lang, str(other))
            if e.get("type"):
                text += t(
                    "draw.explorer_relation", lang=lang, relation=label("relation", e["type"], lang)
                )
            if e.get("mode"):
                text += t("draw.explorer_mode", lang=lang, mode=label("mode", e["mode"], lang))
            items.append(f"<li>{esc(text)}</li>")
        parts.append(f"<ul style='margin:2px 0 4px 0'>{''.join(items)}</ul>")
    else:
        parts.append(f"<div>{esc(t('draw.explorer_no_links', lang=lang))}</div>")
    if node in analyse_network(G).bridges:
        parts.append(f"<div>{esc(t('draw.explorer_bridge', lang=lang))}</div>")
    rest = G.subgraph([n for n in G.nodes if n != node])
    pieces = nx.number_connected_components(rest) if rest.number_of_nodes() else 0
    before = nx.number_connected_components(G)
    key = "draw.explorer_without_split" if pieces > before else "draw.explorer_without_whole"
    parts.append(f"<div style='color:#036'>{esc(t(key, lang=lang, parts=pieces))}</div>")
    return "".join(parts)


@functools.cache
def _explorer_class():
    """The widget class, made at the first call (importing this module imports no ipywidgets)."""
    import ipywidgets as W
    import traitlets

    from .figures import draw_network

    class NetworkExplorer(W.VBox):
        """The figure (``figure_html``), the organisations' buttons (``node_buttons``), the
        selected one's description (``details_html``). ``selected_node`` is the selected
        node's id or ``None``; :meth:`select` sets it as a click does."""

        selected_node = traitlets.Any(None, allow_none=True)

        def __init__(self, G, lang: str) -> None:
            self.graph, self.lang = G, lang
            nodes = sorted(G.nodes, key=lambda n: _name(G.nodes[n], lang, str(n)))
            self.figure_html = W.HTML(self._figure(None))
            self.figure_html.add_class("sanshe-explorer-figure")
            self.node_buttons = W.ToggleButtons(
                options=[(_name(G.nodes[n], lang, str(n)), n) for n in nodes],
                value=None,
                style={"button_width": "auto"},
                tooltips=[label("kind", G.nodes[n]["kind"], lang) for n in nodes],
            )
            self.node_buttons.add_class("sanshe-explorer-nodes")
            self.details_html = W.HTML(f"<div>{t('draw.explorer_pick', lang=lang)}</div>")
            self.details_html.add_class("sanshe-explorer-details")
            prompt = W.HTML(f"<b>{t('draw.explorer_pick', lang=lang)}</b>")
            style = W.HTML(f"<style>{CSS}</style>", layout=W.Layout(display="none"))
            super().__init__(
                children=[self.figure_html, prompt, self.node_buttons, self.details_html, style],
                layout=W.Layout(border="1px solid #ccc", padding="8px", margin="8px 0"),
            )
            self.add_class("sanshe-explorer")
            self.node_buttons.observe(self._picked, names="value")
            self.observe(self._show, names="selected_node")

        def _figure(self, node) -> str:
            return draw_network(self.graph, lang=self.lang, highlight=node)._repr_html_()

        def select(self, node) -> None:
            """Select ``node`` (``None`` clears), as a click on its button does."""
            if node is not None and node not in self.graph:
                raise SansheError("draw.explorer_unknown", node=node)
            self.selected_node = node

        def _picked(self, change) -> None:
            self.selected_node = change["new"]

        def _show(self, change) -> None:
            node = change["new"]
            if self.node_buttons.value != node:
                self.node_buttons.value = node
            self.figure_html.value = self._figure(node)
            self.details_html.value = (
                describe(self.graph, node, self.lang)
                if node is not None
                else f"<div>{t('draw.explorer_pick', lang=self.lang)}</div>"
            )

    return NetworkExplorer


def interactive_network(
    G,
    lang: str | None = None,
    on_select: Callable[[str | None, dict], None] | None = None,
    height: int | None = None,
) -> Any:
    """An explorer of a subject-linkage graph (ipywidgets, the course's SVG figure).

    ``interactive_network(G, lang=None, on_select=None) -> NetworkExplorer``. The figure is
    :func:`~sanshe_edu.draw.draw_network`'s (categories as colours, bridges outlined, positions
    from :func:`~sanshe_edu.draw.network_layout`); under it one button per organisation. A click
    on one sets the widget's ``selected_node`` (observe it with ``widget.observe(...,
    "selected_node")``), draws the organisation with its links in red and says what it is, whom
    it links to (relation, mode) and what the network becomes without it; when given,
    ``on_select(node_id, attributes)`` is called with the graph's node attributes (``node_id``
    is ``None`` when the selection is cleared). ``height`` is accepted for old notebooks and
    not used (the figure keeps its proportions, and scrolls sideways on a narrow screen).

    >>> from sanshe_edu.model import build_network
    >>> G = build_network([("a", "居委会甲", "居委会"), ("s", "社工站", "社工机构")], [("a", "s")])
    >>> clicked = []
    >>> w = interactive_network(G, lang="zh", on_select=lambda n, attrs: clicked.append(n))
    >>> w.node_buttons.value = "s"  # what a click in the browser does
    >>> clicked
    ['s']
    """
    import networkx as nx

    from .figures import _lang

    lang = _lang(lang)
    if not isinstance(G, nx.Graph):
        raise SansheError("draw.explorer_not_graph", kind=type(G).__name__)
    widget = _explorer_class()(G, lang)
    if on_select is not None:

        def _changed(change) -> None:
            node = change["new"]
            on_select(node, dict(G.nodes[node]) if node in G else {})

        widget.observe(_changed, names="selected_node")
    return widget
