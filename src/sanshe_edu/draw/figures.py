"""Static figures (matplotlib, object API only: nothing global changes).

Every function takes ``lang=None`` (the current language) and returns a :class:`CourseFigure`
— a :class:`matplotlib.figure.Figure` that displays itself in a notebook. Layouts are fixed
(no randomness): the same input gives the same picture.

>>> from sanshe_edu.model import load_case, build_network
>>> case = load_case("xingfuli")
>>> fig = draw_network(build_network(case["organisations"], case["relations"]), lang="zh")
>>> "社工机构" in figure_texts(fig)
True
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Iterable, Mapping

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Patch
from matplotlib.text import Text

from ..i18n import get_lang, t
from ..model import (
    BENEFIT_LEVELS,
    CATEGORIES,
    CHAIR_DUTIES,
    CRITERIA,
    ELEMENTS,
    PHASE_ACTIVITIES,
    PHASES,
    Committee,
    ElementReport,
    ProjectPlan,
    RankedIssue,
    analyse_network,
    benefit_outcome,
    check_plan,
    label,
    load_timeline,
    map_elements,
    prioritise_issues,
    rotation_schedule,
)
from ..model._common import choose
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


def figure_texts(fig: Figure) -> str:
    """All text drawn in ``fig`` joined by newlines (handy for tests and accessibility).

    >>> fig = draw_benefit_matrix(lang="en")
    >>> "compete" in figure_texts(fig)
    True
    """
    return "\n".join(x.get_text() for x in fig.findobj(Text) if x.get_text() and x.get_visible())


def _lang(lang: str | None) -> str:
    return choose("lang", lang, ("zh", "en")) if lang else get_lang()


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
    >>> "居委会甲" in figure_texts(draw_network(G, lang="zh"))
    True
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


# --- element linkage -------------------------------------------------------------------------


def draw_elements(
    case: Mapping | ElementReport | None = None, network=None, lang: str | None = None
) -> CourseFigure:
    """Draw the five practice elements around the practice system, with a case's items.

    ``draw_elements(case=None, network=None, lang=None) -> CourseFigure``. ``case`` is what
    :func:`~sanshe_edu.model.map_elements` takes, or its report; without a case the figure shows
    the general roles (issue = object, social organisation = subject, social work = method).
    Missing elements are drawn dashed red, misplaced items in red with where they belong.

    >>> text = figure_texts(draw_elements(lang="zh"))
    >>> all(w in text for w in ("主体", "对象", "方法", "目标", "伦理", "主体联动"))
    True
    """
    lang = _lang(lang)
    if case is None:
        report = None
    elif isinstance(case, ElementReport):
        report = case
    else:
        report = map_elements(case, network=network)
    import math

    with matplotlib.rc_context(cjk_rc()):
        fig = _new(9, 8)
        ax = fig.add_axes((0.02, 0.02, 0.96, 0.9))
        ax.set_axis_off()
        ax.set_xlim(-1.6, 1.6)
        ax.set_ylim(-1.5, 1.5)
        ax.set_aspect("equal")
        ax.add_patch(
            FancyBboxPatch(
                (-0.42, -0.16), 0.84, 0.32, boxstyle="round,pad=0.04", fc="#F2F2F2", ec="#333333"
            )
        )
        ax.text(
            0, 0.03, t("draw.practice_system", lang=lang), ha="center", va="center", fontsize=11
        )
        ax.text(0, -0.09, t("draw.via_project", lang=lang), ha="center", va="center", fontsize=8)
        misplaced = {(n, p) for n, p, _ in report.misplaced} if report else set()
        for i, element in enumerate(ELEMENTS):
            angle = math.pi / 2 + i * 2 * math.pi / 5
            x, y = 1.05 * math.cos(angle), 1.0 * math.sin(angle)
            missing = bool(report) and element in report.missing
            ax.add_patch(
                FancyBboxPatch(
                    (x - 0.44, y - 0.32),
                    0.88,
                    0.64,
                    boxstyle="round,pad=0.03",
                    fc="#FFFFFF",
                    ec="#CC0000" if missing else "#0072B2",
                    ls="--" if missing else "-",
                    lw=1.5,
                )
            )
            ax.add_patch(
                FancyArrowPatch(
                    (0.5 * math.cos(angle), 0.2 * math.sin(angle)),
                    (x - 0.45 * math.cos(angle), y - 0.33 * math.sin(angle)),
                    arrowstyle="<->",
                    mutation_scale=10,
                    color="#777777",
                )
            )
            ax.text(
                x,
                y + 0.22,
                label("element", element, lang),
                ha="center",
                fontsize=12,
                weight="bold",
            )
            lines = [label("element_role", element, lang)]
            if report:
                for item in report.mapping[element][:3]:
                    bad = (item["name"], element) in misplaced
                    text = item["name"]
                    if bad:
                        belongs = next(
                            b for n, p, b in report.misplaced if (n, p) == (item["name"], element)
                        )
                        text += " → " + label("element", belongs, lang)
                    lines.append(("✗ " if bad else "• ") + text)
                if len(report.mapping[element]) > 3:
                    lines.append(
                        t("draw.more_items", lang=lang, count=len(report.mapping[element]))
                    )
                if missing:
                    lines.append(t("draw.missing", lang=lang))
            y0 = y + 0.12
            for j, line in enumerate(lines):
                bad = line.startswith("✗") or line == t("draw.missing", lang=lang)
                ax.text(
                    x,
                    y0 - j * 0.085,
                    _shorten(line, lang),
                    ha="center",
                    va="top",
                    fontsize=8 if j else 8.5,
                    color="#CC0000" if bad else ("#555555" if j == 0 else "#000000"),
                    style="italic" if j == 0 else "normal",
                )
        # Subject linkage feeds the subject element.
        sx, sy = 0.0, 1.0
        ax.add_patch(
            FancyBboxPatch(
                (-1.55, 1.18), 0.9, 0.22, boxstyle="round,pad=0.03", fc="#FFF4E0", ec="#D55E00"
            )
        )
        ax.text(
            -1.1,
            1.29,
            t("draw.subject_linkage_feeds", lang=lang),
            ha="center",
            va="center",
            fontsize=8.5,
        )
        ax.add_patch(
            FancyArrowPatch(
                (-0.65, 1.27),
                (sx - 0.45, sy + 0.12),
                arrowstyle="->",
                mutation_scale=12,
                color="#D55E00",
            )
        )
        fig.suptitle(t("draw.elements_title", lang=lang), fontsize=13)
        if report:
            fig.text(
                0.5,
                0.925,
                t("draw.all_fine", lang=lang)
                if report.ok
                else t("draw.problems_count", lang=lang, count=len(report.problem_keys)),
                ha="center",
                fontsize=9,
            )
    return fig


# --- committee -------------------------------------------------------------------------------


def draw_committee(committee: Committee, terms: int = 6, lang: str | None = None) -> CourseFigure:
    """Draw the committee (members by category, chair of term 1 starred) and its rotation.

    ``draw_committee(committee, terms=6, lang=None) -> CourseFigure``; the right-hand side lists
    the chair of each term from :func:`~sanshe_edu.model.rotation_schedule` and the chair's
    duties.

    >>> from sanshe_edu.model import build_committee
    >>> c = build_committee([("a", "居委会", "居委会"), ("s", "社工站", "社工机构"),
    ...                      ("n", "书屋", "nonprofit")], independent="大学专家")
    >>> text = figure_texts(draw_committee(c, terms=3, lang="zh"))
    >>> "第 1 届" in text and "轮值主席" in text and "独立方" in text
    True
    """
    import math

    lang = _lang(lang)
    schedule = rotation_schedule(committee, terms)
    chair_count: dict[str, int] = {}
    for term in schedule:
        chair_count[term.chair] = chair_count.get(term.chair, 0) + 1
    with matplotlib.rc_context(cjk_rc()):
        fig = _new(11, 6.5)
        ax = fig.add_axes((0.01, 0.04, 0.55, 0.84))
        ax.set_axis_off()
        ax.set_xlim(-1.5, 1.5)
        ax.set_ylim(-1.4, 1.4)
        ax.set_aspect("equal")
        ax.add_patch(matplotlib.patches.Circle((0, 0), 0.42, fc="#F2F2F2", ec="#333333"))
        ax.text(
            0,
            0,
            _wrap(t("draw.committee_centre", lang=lang), lang, 6, 14),
            ha="center",
            va="center",
            fontsize=9,
        )
        members = committee.members
        first = schedule[0].chair
        for i, m in enumerate(members):
            a = math.pi / 2 - i * 2 * math.pi / len(members)
            x, y = math.cos(a), math.sin(a)
            ax.plot([0.42 * x, 0.85 * x], [0.42 * y, 0.85 * y], color="#BBBBBB", zorder=1)
            ax.scatter(
                [x],
                [y],
                s=900,
                color=CATEGORY_COLOURS[m.category],
                marker="*" if m.id == first else "o",
                edgecolors="black",
                zorder=3,
            )
            count = chair_count.get(m.id, 0)
            ax.text(
                1.28 * x,
                1.2 * y - 0.04,
                _wrap(m.name, lang, 8, 16),
                ha="center",
                va="center",
                fontsize=8,
            )
            ax.text(
                x,
                y,
                str(count),
                ha="center",
                va="center",
                fontsize=8,
                color="white",
                weight="bold",
                zorder=4,
            )
        cats = [*CATEGORIES, "independent"]
        handles = [
            Patch(color=CATEGORY_COLOURS[c], label=label("category", c, lang))
            for c in cats
            if any(m.category == c for m in members)
        ]
        ax.legend(
            handles=handles,
            loc="lower center",
            ncol=2,
            fontsize=8,
            frameon=False,
            bbox_to_anchor=(0.5, -0.08),
        )
        side = fig.add_axes((0.58, 0.04, 0.41, 0.84))
        side.set_axis_off()
        side.set_xlim(0, 1)
        side.set_ylim(0, 1)
        side.text(0, 0.98, t("draw.rotation", lang=lang), fontsize=11, weight="bold", va="top")
        rows = schedule[:12]
        for j, term in enumerate(rows):
            side.text(
                0.02,
                0.9 - j * 0.045,
                t("draw.term_row", lang=lang, term=term.term, name=term.name),
                fontsize=8.5,
                color=CATEGORY_COLOURS[term.category],
                va="top",
            )
        if len(schedule) > len(rows):
            side.text(0.02, 0.9 - len(rows) * 0.045, "…", fontsize=8.5, va="top")
        y0 = 0.9 - (len(rows) + 1) * 0.045 - 0.02
        side.text(0, y0, t("draw.chair_duties", lang=lang), fontsize=10, weight="bold", va="top")
        for k, duty in enumerate(CHAIR_DUTIES):
            side.text(
                0.02,
                y0 - 0.05 - k * 0.042,
                "• " + label("duty", duty, lang),
                fontsize=8.5,
                va="top",
            )
        fig.suptitle(t("draw.committee_title", lang=lang), fontsize=13)
        note = (
            t("draw.committee_ok", lang=lang)
            if committee.ok
            else "；".join(committee.problems_in(lang))
        )
        fig.text(
            0.28,
            0.9,
            note + "  " + t("draw.star_note", lang=lang),
            ha="center",
            fontsize=8.5,
            color="#333333" if committee.ok else "#CC0000",
        )
    return fig


# --- four phases -----------------------------------------------------------------------------


def draw_phases(plan: ProjectPlan | Mapping | None = None, lang: str | None = None) -> CourseFigure:
    """Draw the four project phases in order as a timeline with each phase's activities.

    ``draw_phases(plan=None, lang=None) -> CourseFigure``. With a :class:`ProjectPlan` the
    participants of each phase are listed, missing phases are dashed red and the plan's
    problems (from :func:`~sanshe_edu.model.check_plan`) are listed underneath.

    >>> text = figure_texts(draw_phases(lang="zh"))
    >>> [w in text for w in ("需求评估", "方案制订", "计划推行", "评估总结", "发现可控原因")]
    [True, True, True, True, True]
    """
    lang = _lang(lang)
    report = None
    steps = {}
    if plan is not None:
        if isinstance(plan, Mapping):
            plan = ProjectPlan.from_dict(plan)
        report = check_plan(plan)
        steps = {s.phase: s for s in plan.steps}
    height = 6.5 if report is None else 8
    with matplotlib.rc_context(cjk_rc()):
        fig = _new(13, height)
        ax = fig.add_axes((0.01, 0.02, 0.98, 0.88))
        ax.set_axis_off()
        ax.set_xlim(0, 4)
        ax.set_ylim(-1.45 if report else -0.9, 1.0)
        for i, phase in enumerate(PHASES):
            missing = report is not None and phase not in steps
            ax.add_patch(
                FancyBboxPatch(
                    (i + 0.06, 0.55),
                    0.8,
                    0.3,
                    boxstyle="round,pad=0.02",
                    fc="#FFFFFF" if missing else "#E8F1FA",
                    ec="#CC0000" if missing else "#0072B2",
                    ls="--" if missing else "-",
                    lw=1.5,
                )
            )
            ax.text(
                i + 0.46,
                0.75,
                f"{i + 1}. {label('phase', phase, lang)}",
                ha="center",
                va="center",
                fontsize=11,
                weight="bold",
            )
            if i < 3:
                ax.add_patch(
                    FancyArrowPatch(
                        (i + 0.88, 0.7),
                        (i + 1.04, 0.7),
                        arrowstyle="-|>",
                        mutation_scale=15,
                        color="#0072B2",
                    )
                )
            y = 0.45
            for act in PHASE_ACTIVITIES[phase]:
                text = _wrap("• " + label("activity", act, lang), lang, 18, 34)
                ax.text(i + 0.08, y, text, fontsize=8, va="top")
                y -= 0.075 * (text.count("\n") + 1) + 0.02
            if report is not None and phase in steps:
                names = {
                    o.id: (o.name_en or o.name) if lang == "en" else o.name
                    for o in plan.organisations
                }
                sep = "、" if lang == "zh" else ", "
                parts = sep.join(names.get(p, p) for p in steps[phase].participants) or "—"
                ax.text(
                    i + 0.08,
                    y - 0.02,
                    _wrap(t("draw.participants", lang=lang, names=parts), lang, 18, 34),
                    fontsize=8,
                    va="top",
                    color="#D55E00",
                )
        ax.plot([0.06, 3.86], [0.5, 0.5], color="#0072B2", lw=0.5, alpha=0.5)
        if report is not None:
            lines = report.problems_in(lang) or [t("draw.all_fine", lang=lang)]
            ax.text(
                0.08, -0.95, t("draw.check_result", lang=lang), fontsize=10, weight="bold", va="top"
            )
            for k, line in enumerate(lines[:6]):
                ax.text(
                    0.1,
                    -1.07 - k * 0.08,
                    "• " + line,
                    fontsize=8.5,
                    va="top",
                    color="#333333" if report.ok else "#CC0000",
                )
        title = t("draw.phases_title", lang=lang)
        if plan is not None:
            title += f" — {plan.issue}"
        fig.suptitle(title, fontsize=13)
    return fig


# --- benefit matrix --------------------------------------------------------------------------


def draw_benefit_matrix(highlight=None, lang: str | None = None) -> CourseFigure:
    """Draw the 3×3 benefit matrix (government × residents → outcome).

    ``draw_benefit_matrix(highlight=None, lang=None) -> CourseFigure``; ``highlight`` is a
    ``(government, residents)`` pair (or a list of pairs) to outline, e.g. an issue under
    discussion.

    >>> text = figure_texts(draw_benefit_matrix(highlight=("有利", "有害"), lang="zh"))
    >>> lines = text.splitlines()
    >>> [lines.count(w) for w in ("合作", "放任", "竞争", "难以应对处理")]
    [1, 2, 2, 4]
    """
    lang = _lang(lang)
    if highlight is None:
        marks = set()
    elif isinstance(highlight, tuple) and len(highlight) == 2 and isinstance(highlight[0], str):
        o = benefit_outcome(*highlight)
        marks = {(o.government, o.residents)}
    else:
        marks = set()
        for pair in highlight:
            o = benefit_outcome(*pair)
            marks.add((o.government, o.residents))
    with matplotlib.rc_context(cjk_rc()):
        fig = _new(8, 7)
        ax = fig.add_axes((0.18, 0.06, 0.78, 0.78))
        ax.set_axis_off()
        ax.set_xlim(-0.05, 3.05)
        ax.set_ylim(-0.05, 3.45)
        for r, gov in enumerate(BENEFIT_LEVELS):
            y = 2 - r
            ax.text(
                -0.08,
                y + 0.5,
                label("benefit", gov, lang),
                ha="right",
                va="center",
                fontsize=10,
                transform=ax.transData,
                clip_on=False,
            )
            for c, res in enumerate(BENEFIT_LEVELS):
                o = benefit_outcome(gov, res)
                mark = (gov, res) in marks
                ax.add_patch(
                    matplotlib.patches.Rectangle(
                        (c + 0.03, y + 0.03),
                        0.94,
                        0.94,
                        fc=OUTCOME_COLOURS[o.outcome],
                        ec="black" if mark else "white",
                        lw=4 if mark else 1,
                        alpha=0.85,
                    )
                )
                ax.text(
                    c + 0.5,
                    y + 0.6,
                    label("outcome", o.outcome, lang),
                    ha="center",
                    va="center",
                    fontsize=12,
                    weight="bold",
                )
                if o.passive:
                    key = "draw.passive_let_be" if o.outcome == "let_be" else "draw.passive_harmed"
                    ax.text(
                        c + 0.5,
                        y + 0.3,
                        t(key, lang=lang, party=label("party", o.passive, lang)),
                        ha="center",
                        va="center",
                        fontsize=8.5,
                    )
        for c, res in enumerate(BENEFIT_LEVELS):
            ax.text(
                c + 0.5, 3.1, label("benefit", res, lang), ha="center", va="center", fontsize=10
            )
        ax.text(
            1.5, 3.35, t("draw.residents_axis", lang=lang), ha="center", fontsize=11, weight="bold"
        )
        fig.text(
            0.03,
            0.42,
            t("draw.government_axis", lang=lang),
            rotation=90,
            ha="center",
            va="center",
            fontsize=11,
            weight="bold",
        )
        fig.suptitle(t("draw.benefit_title", lang=lang), fontsize=13)
        fig.text(0.5, 0.02, t("draw.benefit_note", lang=lang), ha="center", fontsize=8.5)
    return fig


# --- priorities ------------------------------------------------------------------------------


def draw_priorities(
    issues: Iterable, weights: Mapping | None = None, lang: str | None = None
) -> CourseFigure:
    """Draw ranked issues as stacked bars: each criterion's weighted contribution to the score.

    ``draw_priorities(issues, weights=None, lang=None) -> CourseFigure``; ``issues`` are what
    :func:`~sanshe_edu.model.prioritise_issues` takes, or its result.

    >>> from sanshe_edu.model import load_case
    >>> text = figure_texts(draw_priorities(load_case()["issues"], lang="zh"))
    >>> "楼道堆物与消防隐患" in text and "人群覆盖面" in text
    True
    """
    lang = _lang(lang)
    issues = list(issues)
    if issues and all(isinstance(i, RankedIssue) for i in issues):
        ranked = issues
    else:
        if lang == "en":
            issues = [
                {**i, "name": i.get("name_en") or i.get("name")} if isinstance(i, Mapping) else i
                for i in issues
            ]
        ranked = prioritise_issues(issues, weights)
    n = len(ranked)
    with matplotlib.rc_context(cjk_rc()):
        fig = _new(10, 1.6 + 0.55 * n)
        ax = fig.add_axes((0.3, 0.14 if n > 3 else 0.25, 0.62, 0.7 if n > 3 else 0.5))
        for row, r in enumerate(ranked):
            y = n - 1 - row
            left = 0.0
            for c in CRITERIA:
                w = r.contributions[c]
                ax.barh(
                    y,
                    w,
                    left=left,
                    color=CRITERION_COLOURS[c],
                    edgecolor="white",
                    height=0.6,
                    label=label("criterion", c, lang) if row == 0 else None,
                )
                left += w
            ax.text(left + 0.05, y, f"{r.score:.2f}", va="center", fontsize=9)
            ax.text(-0.1, y, f"{r.rank}. {r.name}", ha="right", va="center", fontsize=9)
        ax.set_yticks([])
        ax.set_xlim(0, 5.6)
        ax.set_ylim(-0.6, n - 0.4)
        ax.set_xlabel(t("draw.score_axis", lang=lang), fontsize=9)
        ax.spines[["top", "right", "left"]].set_visible(False)
        ax.legend(
            loc="upper center",
            bbox_to_anchor=(0.5, -0.22 if n > 3 else -0.4),
            ncol=4,
            fontsize=8,
            frameon=False,
        )
        w = ranked[0].weights if ranked else {}
        weights_text = "  ".join(f"{label('criterion', c, lang)}×{w[c]:g}" for c in CRITERIA)
        fig.suptitle(t("draw.priorities_title", lang=lang), fontsize=13)
        fig.text(
            0.5,
            0.9 if n > 3 else 0.85,
            t("draw.weights", lang=lang, weights=weights_text),
            ha="center",
            fontsize=8.5,
        )
    return fig


# --- timeline --------------------------------------------------------------------------------


def draw_timeline(
    entries: Iterable[Mapping] | None = None, lang: str | None = None
) -> CourseFigure:
    """Draw the timeline of the term 三社联动 (from :func:`~sanshe_edu.model.load_timeline`).

    ``draw_timeline(entries=None, lang=None) -> CourseFigure``; entries dated in the seed have a
    filled marker, undated ones a hollow marker.

    >>> "两工联动" in figure_texts(draw_timeline(lang="zh"))
    True
    """
    lang = _lang(lang)
    entries = sorted(entries if entries is not None else load_timeline(), key=lambda e: e["order"])
    n = len(entries)
    with matplotlib.rc_context(cjk_rc()):
        fig = _new(11, 1.2 + 0.85 * n)
        ax = fig.add_axes((0.02, 0.02, 0.96, 0.9))
        ax.set_axis_off()
        ax.set_xlim(0, 1)
        ax.set_ylim(-0.5, n - 0.3)
        ax.plot([0.27, 0.27], [-0.3, n - 0.5], color="#0072B2", lw=2)
        for i, e in enumerate(entries):
            y = n - 1 - i
            dated = bool(e.get("date_in_seed"))
            ax.scatter(
                [0.27],
                [y],
                s=90,
                color="#0072B2" if dated else "white",
                edgecolors="#0072B2",
                zorder=3,
                linewidths=2,
            )
            ax.text(
                0.25,
                y,
                _wrap(e["when"][lang], lang, 14, 28),
                ha="right",
                va="center",
                fontsize=9,
                weight="bold",
            )
            event = _wrap(e["event"][lang], lang, 50, 100)
            ax.text(0.29, y, event, ha="left", va="center", fontsize=8.5)
        fig.suptitle(t("draw.timeline_title", lang=lang), fontsize=13)
        fig.text(0.5, 0.935, t("draw.timeline_note", lang=lang), ha="center", fontsize=8.5)
    return fig
