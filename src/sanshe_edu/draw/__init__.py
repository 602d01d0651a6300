"""Drawing layer: static matplotlib figures and interactive ipysigma networks.

Importing ``sanshe_edu.draw`` is cheap: matplotlib and ipysigma load on the first call. Nothing
global changes — figures are built with :class:`matplotlib.figure.Figure` (no pyplot, no
``matplotlib.use``) inside a local ``rc_context`` that selects an installed CJK font, so Chinese
labels render as characters. Every figure function returns a figure that shows itself inline in a
notebook (it has ``_repr_png_``) and can be saved with ``fig.savefig(path)``.

Public API:

* ``draw_network(G, lang=None, title=None) -> Figure`` — subject linkage coloured by category.
* ``draw_elements(case=None, network=None, lang=None) -> Figure`` — element-linkage map.
* ``draw_committee(committee, terms=6, lang=None) -> Figure`` — members and rotation.
* ``draw_phases(plan=None, lang=None) -> Figure`` — the four phases as a timeline.
* ``draw_benefit_matrix(highlight=None, lang=None) -> Figure`` — the 3×3 benefit matrix.
* ``draw_priorities(issues, weights=None, lang=None) -> Figure`` — issue-priority chart.
* ``draw_timeline(entries=None, lang=None) -> Figure`` — timeline of the term.
* ``interactive_network(G, lang=None, on_select=None, height=420) -> ipysigma.Sigma`` —
  categories as colours, hover shows kind and role, a click sets ``widget.selected_node`` and
  calls ``on_select(node_id, attributes)``.
* ``network_layout(G) -> {node: (x, y)}`` — the deterministic layout both use.
* ``find_cjk_font() -> str | None``, ``font_status() -> dict`` (for ``sanshe-edu doctor``),
  ``CATEGORY_COLOURS``.

>>> from sanshe_edu.draw import CATEGORY_COLOURS
>>> CATEGORY_COLOURS["social_work"]
'#D55E00'
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "draw_network": "figures",
    "draw_elements": "figures",
    "draw_committee": "figures",
    "draw_phases": "figures",
    "draw_benefit_matrix": "figures",
    "draw_priorities": "figures",
    "draw_timeline": "figures",
    "figure_texts": "figures",
    "CourseFigure": "figures",
    "interactive_network": "interactive",
    "network_layout": "layout",
    "CATEGORY_COLOURS": "layout",
    "find_cjk_font": "fonts",
    "font_status": "fonts",
    "cjk_rc": "fonts",
    "CJKFontWarning": "fonts",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        module = importlib.import_module(f".{_EXPORTS[name]}", __name__)
        return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
