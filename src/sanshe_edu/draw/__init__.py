"""Drawing layer: figures as SVG (drawsvg, pure Python) and an interactive network explorer.

Importing ``sanshe_edu.draw`` is cheap: drawsvg and ipywidgets load on the first call. Figures
need neither matplotlib nor numpy (the browser edition has neither): each function returns an
:class:`SvgFigure` that shows itself inline (``_repr_html_``/``_repr_svg_``), whose text the
browser renders with a CJK font stack, with a ``<title>``/``<desc>`` text alternative in the
figure's language. Same input → byte-identical SVG.

Public API:

* ``draw_network(G, lang=None, title=None, highlight=None) -> SvgFigure`` — subject linkage
  coloured by category (``highlight``: one organisation and its links in red).
* ``network_svg(G, lang=None) -> str`` — the same as SVG text (the network builder's diagram).
* ``draw_elements(case=None, network=None, lang=None) -> SvgFigure`` — element-linkage map.
* ``draw_committee(committee, terms=6, lang=None) -> SvgFigure`` — members and rotation.
* ``draw_phases(plan=None, lang=None) -> SvgFigure`` — the four phases, activities, participants.
* ``draw_benefit_matrix(highlight=None, lang=None) -> SvgFigure`` — the 3×3 benefit matrix.
* ``draw_priorities(issues, weights=None, lang=None) -> SvgFigure`` — issue-priority chart.
* ``draw_timeline(entries=None, lang=None) -> SvgFigure`` — timeline of the term.
* ``draw_class_report(students, questions, assignment, lang=None) -> SvgFigure`` — the
  trainer's class report chart.
* ``interactive_network(G, lang=None, on_select=None) -> NetworkExplorer`` — the network
  figure and a button per organisation (ipywidgets only: the same in the browser edition); a
  click shows its links in red and describes it, sets ``widget.selected_node`` and calls
  ``on_select(node_id, attributes)``.
* ``network_layout(G) -> {node: (x, y)}`` — the deterministic layout both use (no numpy).
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
    "network_svg": "figures",
    "draw_class_report": "figures",
    "SvgFigure": "svg",
    "CourseFigure": "figures",
    "interactive_network": "interactive",
    "network_layout": "layout",
    "CATEGORY_COLOURS": "layout",
    "find_cjk_font": "fonts",
    "font_status": "fonts",
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
