"""The network builder's old PNG diagram (matplotlib), kept only until the quiz shows the SVG.

Nothing in the lessons uses this module: :func:`sanshe_edu.draw.draw_network` returns an SVG
figure whose ``to_png()`` comes here. Remove it (and matplotlib) once the network builder
uses :func:`sanshe_edu.draw.network_svg`.

>>> from sanshe_edu.model import load_case, build_network
>>> case = load_case("xingfuli")
>>> png = draw_network(build_network(case["organisations"], case["relations"]), lang="zh").to_png()
>>> png[:4]
b'\x89PNG'
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Mapping

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from ..i18n import resolve_lang, t
from ..model import (
    CATEGORIES,
    analyse_network,
    label,
)
from .fonts import cjk_rc
from .layout import CATEGORY_COLOURS, network_layout

OUTCOME_COLOURS = {
    "cooperate": "#009E73",
    "let_be": "#F0E442",
    "compete": "#D55E00",
    "not_taken_up": "#BBBBBB",
}
CRITERION_COLOURS = {
    "population": "#0072B2",
    "severity": "#D55E00",
    "urgency": "#CC79A7",
    "ease": "#009E73",
}


class CourseFigure(Figure):
    """A :class:`~matplotlib.figure.Figure` with an Agg canvas that shows itself in notebooks.

    >>> fig = CourseFigure(figsize=(2, 1))
    >>> fig._repr_png_()[:4]
    b'\x89PNG'
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        FigureCanvasAgg(self)

    def _repr_png_(self) -> bytes:
        buf = io.BytesIO()
        self.savefig(buf, format="png", dpi=100, bbox_inches="tight")
        return buf.getvalue()

    def to_png(self, dpi: int = 100) -> bytes:
        """The figure as PNG bytes.

        >>> CourseFigure(figsize=(1, 1)).to_png(dpi=10)[:4]
        b'\x89PNG'
        """
        buf = io.BytesIO()
        self.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
        return buf.getvalue()


def _lang(lang: str | None) -> str:
    return resolve_lang(lang)


def _wrap(text: str, lang: str, width_zh: int = 12, width_en: int = 24) -> str:
    if lang == "zh":
        return "\n".join(text[i : i + width_zh] for i in range(0, len(text), width_zh))
    return textwrap.fill(text, width_en)


def _shorten(text: str, lang: str, width_zh: int = 14, width_en: int = 32) -> str:
    width = width_zh if lang == "zh" else width_en
    return text if len(text) <= width else text[: width - 1] + "…"


def _new(width: float, height: float) -> CourseFigure:
    return CourseFigure(figsize=(width, height), dpi=100, layout=None)


def _name(data: Mapping, lang: str, fallback: str) -> str:
    if lang == "en" and data.get("name_en"):
        return str(data["name_en"])
    return str(data.get("name", fallback))


# --- subject linkage network ---------------------------------------------------------------


def draw_network(G, lang: str | None = None, title: str | None = None) -> CourseFigure:
    """Draw a subject-linkage graph coloured by category, with a legend.

    ``draw_network(G, lang=None, title=None) -> CourseFigure``. Nodes are sized by degree;
    relations between categories are drawn darker than those inside one; organisations that
    bridge categories (see :func:`~sanshe_edu.model.analyse_network`) get a thick outline.
    Names are shown for networks of up to 40 organisations; relation types up to 20 relations.

    >>> from sanshe_edu.model import build_network
    >>> G = build_network([("a", "居委会甲", "居委会"), ("b", "社工站", "社工机构")], [("a", "b")])
    >>> draw_network(G, lang="zh").to_png()[:4]
    b'\x89PNG'
    """
    lang = _lang(lang)
    report = analyse_network(G)
    pos = network_layout(G)
    bridges = set(report.bridges[:3])
    with matplotlib.rc_context(cjk_rc()):
        fig = _new(8, 7)
        ax = fig.add_axes((0.02, 0.02, 0.96, 0.88))
        ax.set_axis_off()
        ax.set_xlim(-1.3, 1.3)
        ax.set_ylim(-1.05, 1.15)
        ax.set_aspect("equal")
        show_edge_labels = G.number_of_edges() <= 20
        edges = sorted(
            ((*sorted((u, v), key=str), d) for u, v, d in G.edges(data=True)),
            key=lambda e: (str(e[0]), str(e[1])),
        )
        segments: dict[bool, list] = {False: [], True: []}
        for a, b, _ in edges:
            cross = G.nodes[a]["category"] != G.nodes[b]["category"]
            segments[cross].append([pos[a], pos[b]])
        for cross, segs in segments.items():
            if segs:
                ax.add_collection(
                    LineCollection(
                        segs,
                        colors="#444444" if cross else "#AAAAAA",
                        linewidths=1.6 if cross else 1.0,
                        alpha=1.0 if G.number_of_nodes() <= 40 else 0.3,
                        zorder=1,
                    )
                )
        if show_edge_labels:
            for a, b, d in edges:
                if not d.get("type"):
                    continue
                (x1, y1), (x2, y2) = pos[a], pos[b]
                ax.text(
                    0.55 * x1 + 0.45 * x2,
                    0.55 * y1 + 0.45 * y2,
                    label("relation", d["type"], lang),
                    fontsize=6.5,
                    color="#555555",
                    ha="center",
                    va="center",
                    zorder=2,
                    bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.8},
                )
        nodes = sorted(G.nodes, key=str)
        small = len(nodes) <= 40
        size_base = 420 if small else 60
        ax.scatter(
            [pos[n][0] for n in nodes],
            [pos[n][1] for n in nodes],
            s=[size_base * (1 + 0.15 * G.degree(n)) if small else size_base for n in nodes],
            c=[CATEGORY_COLOURS[G.nodes[n]["category"]] for n in nodes],
            edgecolors=["black" if n in bridges else "white" for n in nodes],
            linewidths=[2.5 if n in bridges else 1.0 for n in nodes],
            zorder=3,
        )
        for n in nodes:
            d = G.nodes[n]
            x, y = pos[n]
            if len(nodes) <= 40:
                ax.text(
                    x,
                    y - 0.075,
                    _wrap(_name(d, lang, str(n)), lang, 8, 18),
                    fontsize=8,
                    ha="center",
                    va="top",
                    zorder=4,
                    bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.75},
                )
        handles = [
            Patch(
                color=CATEGORY_COLOURS[c],
                label=f"{label('category', c, lang)}（{len(report.categories[c])}）"
                if lang == "zh"
                else f"{label('category', c, lang)} ({len(report.categories[c])})",
            )
            for c in CATEGORIES
        ]
        ax.legend(handles=handles, loc="lower center", ncol=3, fontsize=8, frameon=False)
        fig.suptitle(title or t("draw.network_title", lang=lang), fontsize=13)
        status = (
            t("draw.network_ok", lang=lang)
            if report.ok
            else t("draw.network_problems", lang=lang, count=len(report.problems_in(lang)))
        )
        fig.text(0.5, 0.91, status, ha="center", fontsize=9, color="#333333")
    return fig
