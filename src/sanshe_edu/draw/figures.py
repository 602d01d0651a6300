"""Course figures as SVG (drawsvg; no matplotlib, no numpy): the browser draws the text.

Every function takes ``lang=None`` (the current language; ``"zh-CN"``, ``"en"`` … work too) and
returns an :class:`~sanshe_edu.draw.svg.SvgFigure` that shows itself inline in JupyterLab,
JupyterLite and exported HTML, carries a ``<title>`` and ``<desc>`` in that language, and can be
saved with ``fig.save("figure.svg")``. Layouts are fixed (no randomness): the same input gives
the same SVG, byte for byte.

>>> from sanshe_edu.model import load_case, build_network
>>> case = load_case("xingfuli")
>>> fig = draw_network(build_network(case["organisations"], case["relations"]), lang="zh-CN")
>>> "社工机构" in figure_texts(fig) and fig.svg.startswith("<svg")
True
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

from ..i18n import resolve_lang, t
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
from .layout import CATEGORY_COLOURS, network_layout
from .svg import Box, SvgFigure, text_width, wrap

#: Kept for code that imported the old name: every figure is an :class:`SvgFigure` now.
CourseFigure = SvgFigure

OUTCOME_COLOURS = {
    "cooperate": "#009E73",
    "let_be": "#F0E442",
    "compete": "#E69F00",
    "not_taken_up": "#CCCCCC",
}
CRITERION_COLOURS = {
    "population": "#0072B2",
    "severity": "#D55E00",
    "urgency": "#CC79A7",
    "ease": "#009E73",
}
BLUE = "#0072B2"
RED = "#CC0000"


def _lang(lang: str | None) -> str:
    """:func:`~sanshe_edu.i18n.resolve_lang`, with an unknown language reported as a translated
    :class:`~sanshe_edu.errors.SansheError` like every other bad argument."""
    try:
        return resolve_lang(lang)
    except ValueError:
        from ..model._common import choose

        choose("lang", lang, ("zh", "en"))  # raises the translated error
        raise


def figure_texts(fig: SvgFigure) -> str:
    """All text drawn in ``fig`` joined by newlines (for tests and accessibility checks).

    >>> fig = draw_benefit_matrix(lang="en")
    >>> "compete" in figure_texts(fig)
    True
    """
    return "\n".join(fig.texts)


def _sep(lang: str) -> str:
    return "、" if lang == "zh" else ", "


def _fit(text: str, size: float, width: float, bold: bool = False) -> str:
    """``text`` cut with an ellipsis to fit ``width`` px."""
    if text_width(text, size, bold) <= width:
        return text
    while text and text_width(text + "…", size, bold) > width:
        text = text[:-1]
    return text + "…"


def _name(data: Mapping, lang: str, fallback: str) -> str:
    if lang == "en" and data.get("name_en"):
        return str(data["name_en"])
    return str(data.get("name", fallback))


def _heading(fig: SvgFigure, title: str, sub: str | None = None, colour: str = "#333333") -> float:
    fig.text(fig.width / 2, 26, title, size=20, anchor="middle", bold=True)
    if not sub:
        return 44
    lines = wrap(sub, 14, fig.width - 40)
    return fig.lines(fig.width / 2, 44, lines, size=14, anchor="middle", fill=colour)


def _legend(fig: SvgFigure, y: float, entries: list[tuple[str, str]], size: float = 13) -> None:
    """Colour squares with labels in one centred row (two rows when too wide)."""
    widths = [16 + 6 + text_width(text, size) + 18 for _, text in entries]
    rows = [entries]
    if sum(widths) > fig.width - 40:
        half = (len(entries) + 1) // 2
        rows = [entries[:half], entries[half:]]
    for r, row in enumerate(rows):
        total = sum(16 + 6 + text_width(text, size) + 18 for _, text in row) - 18
        x = (fig.width - total) / 2
        yy = y + r * 24
        for colour, text in row:
            fig.rect(x, yy - 8, 16, 16, fill=colour, rx=3)
            fig.text(x + 22, yy, text, size=size)
            x += 16 + 6 + text_width(text, size) + 18


# --- subject linkage network ---------------------------------------------------------------


def _network_figure(G, lang: str, title: str | None, highlight=None) -> SvgFigure:
    report = analyse_network(G)
    near = {highlight, *G.neighbors(highlight)} if highlight in G else None
    pos = network_layout(G)
    bridges = set(report.bridges[:3])
    nodes = sorted(G.nodes, key=str)
    small = len(nodes) <= 40
    counts = {c: len(report.categories[c]) for c in CATEGORIES}
    if G.number_of_edges() == 0:  # an empty canvas is not "11 problems"
        status = t("draw.network_empty", lang=lang)
    elif report.ok:
        status = t("draw.network_ok", lang=lang)
    else:
        status = t("draw.network_problems", lang=lang, count=len(report.problems_in(lang)))
    cats = _sep(lang).join(
        t("draw.count_of", lang=lang, what=label("category", c, lang), count=counts[c])
        for c in CATEGORIES
    )
    heading = title or t("draw.network_title", lang=lang)
    desc = t(
        "draw.network_alt",
        lang=lang,
        orgs=len(nodes),
        links=G.number_of_edges(),
        categories=cats,
        status=status,
    )
    if small and report.bridges:
        names = _sep(lang).join(_name(G.nodes[n], lang, str(n)) for n in report.bridges[:3])
        desc += " " + t("draw.network_alt_bridges", lang=lang, names=names)
    fig = SvgFigure(880, 780, heading, desc, lang)
    top = _heading(fig, heading, status)
    scale = 265.0
    cx, cy = fig.width / 2, top + 30 + 1.1 * scale

    def xy(n):
        x, y = pos[n]
        return cx + scale * x, cy - scale * y

    def radius(n):
        return 9 + 2 * min(G.degree(n), 6) if small else 5

    edges = sorted(
        ((*sorted((u, v), key=str), d) for u, v, d in G.edges(data=True)),
        key=lambda e: (str(e[0]), str(e[1])),
    )
    faint = 1.0 if small else 0.35
    for a, b, _ in edges:
        cross = G.nodes[a]["category"] != G.nodes[b]["category"]
        (x1, y1), (x2, y2) = xy(a), xy(b)
        lit = near is not None and highlight in (a, b)
        fig.line(
            x1,
            y1,
            x2,
            y2,
            stroke=RED if lit else "#444444" if cross else "#AAAAAA",
            stroke_width=3.5 if lit else 2 if cross else 1.2,
            opacity=faint if near is None or lit else 0.15,
        )
    for n in nodes:
        x, y = xy(n)
        bridge = n in bridges
        fig.circle(
            x,
            y,
            radius(n),
            fill=CATEGORY_COLOURS[G.nodes[n]["category"]],
            stroke=RED if n == highlight else "#000000" if bridge else "#ffffff",
            stroke_width=4 if n == highlight else 3 if bridge else 1.5,
            opacity=1.0 if near is None or n in near else 0.3,
        )
    if small:
        for n in nodes:
            x, y = xy(n)
            lines = wrap(_name(G.nodes[n], lang, str(n)), 13, 150)
            fig.lines(x, y + radius(n) + 3, lines, size=13, leading=1.3, anchor="middle", halo=True)
    if small and G.number_of_edges() <= 20:
        for a, b, d in edges:
            if not d.get("type"):
                continue
            text = label("relation", d["type"], lang)
            (x1, y1), (x2, y2) = xy(a), xy(b)
            w = text_width(text, 11)
            for f in (0.5, 0.4, 0.6, 0.32, 0.68, 0.25, 0.75):
                mx, my = x1 + f * (x2 - x1), y1 + f * (y2 - y1)
                box = Box(mx - w / 2, my - 7, mx + w / 2, my + 7, "probe")
                if not any(box.hits(o, 1.5) for o in fig.boxes):
                    fig.text(mx, my, text, size=11, anchor="middle", fill="#555555", halo=True)
                    break
    entries = [
        (
            CATEGORY_COLOURS[c],
            t("draw.count_of", lang=lang, what=label("category", c, lang), count=counts[c]),
        )
        for c in CATEGORIES
    ]
    fig.height = max(b.y1 for b in fig.boxes) + 60
    _legend(fig, fig.height - 30, entries)
    _network_tables(fig, G, lang, set(report.bridges), edges)
    return fig


def _network_tables(fig: SvgFigure, G, lang: str, bridges: set, edges: list) -> None:
    """The organisations and their links as tables under the figure (its data alternative)."""
    fig.tables_label = t("draw.data_table", lang=lang)
    nodes = sorted(G.nodes, key=lambda n: _name(G.nodes[n], lang, str(n)))
    fig.add_table(
        t("draw.table_orgs", lang=lang),
        [t(f"draw.col_{k}", lang=lang) for k in ("org", "category", "degree", "bridge")],
        [
            [
                _name(G.nodes[n], lang, str(n)),
                label("category", G.nodes[n]["category"], lang),
                str(G.degree(n)),
                t("draw.yes", lang=lang) if n in bridges else "",
            ]
            for n in nodes
        ],
    )
    fig.add_table(
        t("draw.table_links", lang=lang),
        [t(f"draw.col_{k}", lang=lang) for k in ("from", "to", "relation")],
        [
            [
                _name(G.nodes[a], lang, str(a)),
                _name(G.nodes[b], lang, str(b)),
                label("relation", d["type"], lang) if d.get("type") else "",
            ]
            for a, b, d in edges
        ],
    )


def draw_network(G, lang: str | None = None, title: str | None = None, highlight=None) -> SvgFigure:
    """Draw a subject-linkage graph coloured by category, with a legend.

    ``draw_network(G, lang=None, title=None) -> SvgFigure``. Nodes are sized by degree;
    relations between categories are darker than those inside one; organisations that bridge
    categories (see :func:`~sanshe_edu.model.analyse_network`) get a black outline. Names are
    shown for networks of up to 40 organisations, relation types for up to 20 relations (each
    placed along its line where it covers no name and no node, left out where there is no room).
    ``highlight``: a node shown with its links in red and the others faded (the explorer of
    :func:`~sanshe_edu.draw.interactive_network`).

    >>> from sanshe_edu.model import build_network
    >>> G = build_network([("a", "居委会甲", "居委会"), ("b", "社工站", "社工机构")], [("a", "b")])
    >>> fig = draw_network(G, lang="zh")
    >>> "居委会甲" in figure_texts(fig), fig.overlaps()
    (True, [])
    """
    lang = _lang(lang)
    fig = _network_figure(G, lang, title, highlight)
    return fig


def network_svg(G, lang: str | None = None) -> str:
    """The network as SVG text, for the network builder's live diagram (a few ms).

    >>> from sanshe_edu.model import build_network
    >>> network_svg(build_network([("a", "居委会甲", "居委会")]), lang="en").startswith("<svg")
    True
    """
    return draw_network(G, lang=lang).svg


# --- element linkage -------------------------------------------------------------------------


def draw_elements(
    case: Mapping | ElementReport | None = None, network=None, lang: str | None = None
) -> SvgFigure:
    """Draw the five practice elements around the practice system, with a case's items.

    ``draw_elements(case=None, network=None, lang=None) -> SvgFigure``. ``case`` is what
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
    status = None
    if report:
        status = (
            t("draw.all_fine", lang=lang)
            if report.ok
            else t("draw.problems_count", lang=lang, count=len(report.problem_keys))
        )
    heading = t("draw.elements_title", lang=lang)
    names = _sep(lang).join(label("element", e, lang) for e in ELEMENTS)
    desc = t("draw.elements_alt", lang=lang, elements=names)
    if report:
        desc += " " + status
        if report.missing:
            desc += " " + t(
                "draw.alt_missing",
                lang=lang,
                names=_sep(lang).join(label("element", e, lang) for e in report.missing),
            )
    fig = SvgFigure(940, 860, heading, desc, lang)
    _heading(fig, heading, status)
    cx, cy, bw = 470.0, 470.0, 250.0
    misplaced = {(n, p): b for n, p, b in report.misplaced} if report else {}
    blocks = []
    for element in ELEMENTS:
        missing = bool(report) and element in report.missing
        lines: list[tuple[str, str, bool]] = []  # text, colour, italic
        for line in wrap(label("element_role", element, lang), 13, bw - 20)[:2]:
            lines.append((line, "#555555", True))
        if report:
            items = report.mapping[element]
            for item in items[:3]:
                belongs = misplaced.get((item["name"], element))
                text = item["name"] + (f" → {label('element', belongs, lang)}" if belongs else "")
                lines.append(
                    (
                        _fit(("✗ " if belongs else "• ") + text, 13, bw - 20),
                        RED if belongs else "#222222",
                        False,
                    )
                )
            if len(items) > 3:
                lines.append((t("draw.more_items", lang=lang, count=len(items)), "#222222", False))
            if missing:
                lines.append((t("draw.missing", lang=lang), RED, False))
        blocks.append((element, missing, lines))
    bh = 34 + 19 * max(len(lines) for _, _, lines in blocks) + 12
    for i, (element, missing, lines) in enumerate(blocks):
        angle = math.pi / 2 + i * 2 * math.pi / 5
        x, y = cx + 330 * math.cos(angle), cy - 300 * math.sin(angle)
        # arrow from the centre box's edge to the element box's edge
        fig.arrow(
            cx + 120 * math.cos(angle),
            cy - 45 * math.sin(angle),
            x - (bw / 2 + 6) * math.cos(angle) * 0.75,
            y + (bh / 2 + 6) * math.sin(angle),
            both=True,
        )
        fig.rect(
            x - bw / 2,
            y - bh / 2,
            bw,
            bh,
            rx=8,
            fill="#ffffff",
            stroke=RED if missing else BLUE,
            stroke_width=1.8,
            stroke_dasharray="6 4" if missing else None,
        )
        top = y - bh / 2 + 8
        fig.text(x, top + 12, label("element", element, lang), size=17, anchor="middle", bold=True)
        yy = top + 30
        for text, colour, italic in lines:
            fig.text(x, yy + 9, text, size=13, anchor="middle", fill=colour, italic=italic)
            yy += 19
    fig.rect(cx - 115, cy - 40, 230, 80, rx=10, fill="#F2F2F2", stroke="#333333")
    fig.text(cx, cy - 12, t("draw.practice_system", lang=lang), size=17, anchor="middle", bold=True)
    fig.text(cx, cy + 16, _fit(t("draw.via_project", lang=lang), 13, 220), size=13, anchor="middle")
    # Subject linkage feeds the subject element.
    feed = t("draw.subject_linkage_feeds", lang=lang)
    fw = text_width(feed, 13) + 24
    fig.rect(20, 70, fw, 34, rx=8, fill="#FFF4E0", stroke="#D55E00")
    fig.text(32, 87, feed, size=13)
    top_box_left = cx - bw / 2
    fig.arrow(20 + fw, 87, top_box_left - 4, 87 + 30, colour="#D55E00")
    return fig


# --- committee -------------------------------------------------------------------------------


def _star(cx: float, cy: float, r: float) -> list[tuple[float, float]]:
    pts = []
    for k in range(10):
        a = -math.pi / 2 + k * math.pi / 5
        rr = r if k % 2 == 0 else r * 0.45
        pts.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
    return pts


def draw_committee(committee: Committee, terms: int = 6, lang: str | None = None) -> SvgFigure:
    """Draw the committee (members by category, chair of term 1 starred) and its rotation.

    ``draw_committee(committee, terms=6, lang=None) -> SvgFigure``; the right-hand side lists
    the chair of each term from :func:`~sanshe_edu.model.rotation_schedule` and the chair's
    duties. Member names sit outside the ring, clear of the circles, and a bracketed aside such
    as "（虚构）" is never split across lines.

    >>> from sanshe_edu.model import build_committee
    >>> c = build_committee([("a", "居委会", "居委会"), ("s", "社工站", "社工机构"),
    ...                      ("n", "书屋", "nonprofit")], independent="大学专家")
    >>> fig = draw_committee(c, terms=3, lang="zh")
    >>> text = figure_texts(fig)
    >>> "第 1 届" in text and "轮值主席" in text and "独立方" in text, fig.overlaps()
    (True, [])
    """
    lang = _lang(lang)
    schedule = rotation_schedule(committee, terms)
    chair_count: dict[str, int] = {}
    for term in schedule:
        chair_count[term.chair] = chair_count.get(term.chair, 0) + 1
    members = committee.members
    heading = t("draw.committee_title", lang=lang)
    note = (
        t("draw.committee_ok", lang=lang)
        if committee.ok
        else "；".join(committee.problems_in(lang))
    )
    desc = (
        t(
            "draw.committee_alt",
            lang=lang,
            count=len(members),
            names=_sep(lang).join(m.name for m in members),
            chairs=_sep(lang).join(
                t("draw.term_row", lang=lang, term=s.term, name=s.name) for s in schedule
            ),
        )
        + " "
        + note
    )
    rows = schedule[:12]
    side_h = 60 + 24 * (len(rows) + (len(schedule) > len(rows))) + 40 + 24 * len(CHAIR_DUTIES)
    fig = SvgFigure(1080, max(700, 130 + side_h), heading, desc, lang)
    top = _heading(
        fig,
        heading,
        note + "  " + t("draw.star_note", lang=lang),
        colour="#333333" if committee.ok else RED,
    )
    cx, cy, ring, r = 340.0, top + 270, 175.0, 24.0
    fig.circle(cx, cy, 72, fill="#F2F2F2", stroke="#333333")
    centre = wrap(t("draw.committee_centre", lang=lang), 14, 120)
    fig.lines(cx, cy - len(centre) * 19.6 / 2, centre, size=14, anchor="middle", kind="inside")
    first = schedule[0].chair
    n = len(members)
    for i, m in enumerate(members):
        a = math.pi / 2 - i * 2 * math.pi / n
        x, y = cx + ring * math.cos(a), cy - ring * math.sin(a)
        fig.line(
            cx + 72 * math.cos(a),
            cy - 72 * math.sin(a),
            x - r * math.cos(a),
            y + r * math.sin(a),
            stroke="#BBBBBB",
            stroke_width=1.5,
        )
        colour = CATEGORY_COLOURS[m.category]
        if m.id == first:
            fig.polygon(_star(x, y, r + 8), fill=colour, stroke="#000000", stroke_width=1.2)
            fig.boxes.append(Box(x - r - 8, y - r - 8, x + r + 8, y + r + 8, "shape"))
        else:
            fig.circle(x, y, r, fill=colour, stroke="#000000", stroke_width=1.2)
        fig.text(
            x,
            y + 1,
            str(chair_count.get(m.id, 0)),
            size=14,
            anchor="middle",
            bold=True,
            fill="#ffffff",
            kind="inside",
        )
        # Label beside the circle, on the side facing away from the centre.
        c, s = math.cos(a), math.sin(a)
        lines = wrap(m.name, 14, 128)
        block = 14 * 1.3 * len(lines)
        clear = r + (8 if m.id == first else 0) + 8
        if c > 0.35:
            fig.lines(x + clear, y - block / 2, lines, size=14, leading=1.3)
        elif c < -0.35:
            fig.lines(x - clear, y - block / 2, lines, size=14, leading=1.3, anchor="end")
        else:
            top_y = y - clear - block if s > 0 else y + clear
            fig.lines(x, top_y, lines, size=14, leading=1.3, anchor="middle")
    cats = [*CATEGORIES, "independent"]
    present = [c for c in cats if any(m.category == c for m in members)]
    entries = [(CATEGORY_COLOURS[c], label("category", c, lang)) for c in present]
    widths = sum(16 + 6 + text_width(e, 13) + 18 for _, e in entries)
    x = max(20.0, cx - widths / 2)
    ly = cy + ring + 78
    for colour, text in entries:
        fig.rect(x, ly - 8, 16, 16, fill=colour, rx=3)
        fig.text(x + 22, ly, text, size=13)
        x += 16 + 6 + text_width(text, 13) + 18
    sx = 720.0
    y = top + 20
    fig.text(sx, y, t("draw.rotation", lang=lang), size=17, bold=True)
    y += 30
    for term in rows:
        row = _fit(
            t("draw.term_row", lang=lang, term=term.term, name=term.name), 14, fig.width - sx - 30
        )
        fig.text(sx + 8, y, row, size=14, fill=CATEGORY_COLOURS[term.category])
        y += 24
    if len(schedule) > len(rows):
        fig.text(sx + 8, y, "…", size=14)
        y += 24
    y += 16
    fig.text(sx, y, t("draw.chair_duties", lang=lang), size=17, bold=True)
    y += 30
    for duty in CHAIR_DUTIES:
        fig.text(sx + 8, y - 2.2, "•", size=14)
        y = fig.paragraph(sx + 22, y - 12, label("duty", duty, lang), fig.width - sx - 44) + 14
    fig.height = max(fig.height, y + 20)
    return fig


# --- four phases -----------------------------------------------------------------------------


def draw_phases(plan: ProjectPlan | Mapping | None = None, lang: str | None = None) -> SvgFigure:
    """Draw the four project phases in order, each with its activities (and participants).

    ``draw_phases(plan=None, lang=None) -> SvgFigure``. With a :class:`ProjectPlan` the
    participants of each phase are listed, missing phases are dashed red and the plan's
    problems (from :func:`~sanshe_edu.model.check_plan`) are listed underneath. Every text is
    wrapped to its column at a readable size, so no two lines overlap.

    >>> fig = draw_phases(lang="zh")
    >>> text = figure_texts(fig)
    >>> [w in text for w in ("需求评估", "方案制订", "计划推行", "评估总结", "发现可控原因")]
    [True, True, True, True, True]
    >>> fig.overlaps()
    []
    """
    lang = _lang(lang)
    report = None
    steps = {}
    if plan is not None:
        if isinstance(plan, Mapping):
            plan = ProjectPlan.from_dict(plan)
        report = check_plan(plan)
        steps = {s.phase: s for s in plan.steps}
    heading = t("draw.phases_title", lang=lang)
    if plan is not None:
        heading += f" — {plan.issue}"
    order = " → ".join(label("phase", p, lang) for p in PHASES)
    desc = t("draw.phases_alt", lang=lang, phases=order)
    problems = []
    if report is not None:
        problems = report.problems_in(lang) or [t("draw.all_fine", lang=lang)]
        desc += " " + t("draw.check_result", lang=lang) + ": " + _sep(lang).join(problems)
    width, col, gap = 1140.0, 257.0, 24.0
    fig = SvgFigure(width, 100, heading, desc, lang)
    _heading(fig, heading)
    names = {}
    if plan is not None:
        names = {
            o.id: (o.name_en or o.name) if lang == "en" else o.name for o in plan.organisations
        }
    bottom = 0.0
    for i, phase in enumerate(PHASES):
        x = 20 + i * (col + gap)
        missing = report is not None and phase not in steps
        fig.rect(
            x,
            60,
            col,
            50,
            rx=8,
            fill="#ffffff" if missing else "#E8F1FA",
            stroke=RED if missing else BLUE,
            stroke_width=1.8,
            stroke_dasharray="6 4" if missing else None,
        )
        name = f"{i + 1}. {label('phase', phase, lang)}"
        size = 17 if text_width(name, 17, True) <= col - 12 else 15
        fig.text(
            x + col / 2,
            85,
            _fit(name, size, col - 12, True),
            size=size,
            anchor="middle",
            bold=True,
        )
        if i < 3:
            fig.arrow(x + col + 2, 85, x + col + gap - 2, 85, colour=BLUE, width=2)
        y = 126.0
        for act in PHASE_ACTIVITIES[phase]:
            y = (
                fig.paragraph(
                    x + 4, y, "• " + label("activity", act, lang), col - 8, size=14, leading=1.35
                )
                + 6
            )
        if report is not None and phase in steps:
            parts = _sep(lang).join(names.get(p, p) for p in steps[phase].participants) or "—"
            y = fig.paragraph(
                x + 4,
                y + 6,
                t("draw.participants", lang=lang, names=parts),
                col - 8,
                size=14,
                leading=1.35,
                fill="#B34700",
            )
        bottom = max(bottom, y)
    fig.line(20, 118, width - 20, 118, stroke=BLUE, stroke_width=1, opacity=0.5)
    if report is not None:
        y = bottom + 20
        fig.text(24, y + 10, t("draw.check_result", lang=lang), size=17, bold=True)
        y += 26
        for line in problems[:6]:
            y = fig.paragraph(
                28, y, "• " + line, width - 60, size=14, fill="#333333" if report.ok else RED
            )
        bottom = y
    fig.height = bottom + 20
    return fig


# --- benefit matrix --------------------------------------------------------------------------


def draw_benefit_matrix(highlight=None, lang: str | None = None) -> SvgFigure:
    """Draw the 3×3 benefit matrix (government × residents → outcome).

    ``draw_benefit_matrix(highlight=None, lang=None) -> SvgFigure``; ``highlight`` is a
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
    heading = t("draw.benefit_title", lang=lang)
    cells = []
    for gov in BENEFIT_LEVELS:
        for res in BENEFIT_LEVELS:
            o = benefit_outcome(gov, res)
            cells.append(
                t(
                    "draw.benefit_alt_cell",
                    lang=lang,
                    government=label("benefit", gov, lang),
                    residents=label("benefit", res, lang),
                    outcome=label("outcome", o.outcome, lang),
                )
            )
    desc = t("draw.benefit_alt", lang=lang) + " " + ("；" if lang == "zh" else "; ").join(cells)
    fig = SvgFigure(760, 740, heading, desc, lang)
    _heading(fig, heading)
    x0, y0, cell = 200.0, 140.0, 170.0
    fig.text(
        x0 + 1.5 * cell,
        66,
        t("draw.residents_axis", lang=lang),
        size=16,
        anchor="middle",
        bold=True,
    )
    gov_axis = t("draw.government_axis", lang=lang)
    gw = text_width(gov_axis, 16, True)
    import drawsvg as dw

    fig.add(
        dw.Text(
            gov_axis,
            x=36,
            y=round(y0 + 1.5 * cell, 2),
            font_size=16,
            font_weight="bold",
            text_anchor="middle",
            dominant_baseline="central",
            transform=f"rotate(-90 36 {round(y0 + 1.5 * cell, 2)})",
        ),
        Box(36 - 10, y0 + 1.5 * cell - gw / 2, 36 + 10, y0 + 1.5 * cell + gw / 2, "text", gov_axis),
    )
    fig.texts.append(gov_axis)
    for c, res in enumerate(BENEFIT_LEVELS):
        fig.text(
            x0 + (c + 0.5) * cell, y0 - 18, label("benefit", res, lang), size=14, anchor="middle"
        )
    for r, gov in enumerate(BENEFIT_LEVELS):
        y = y0 + r * cell
        fig.text(x0 - 12, y + cell / 2, label("benefit", gov, lang), size=14, anchor="end")
        for c, res in enumerate(BENEFIT_LEVELS):
            o = benefit_outcome(gov, res)
            mark = (gov, res) in marks
            x = x0 + c * cell
            fig.rect(
                x + 4,
                y + 4,
                cell - 8,
                cell - 8,
                rx=6,
                fill=OUTCOME_COLOURS[o.outcome],
                stroke="#000000" if mark else "#ffffff",
                stroke_width=5 if mark else 1,
            )
            fig.text(
                x + cell / 2,
                y + cell / 2 - 16,
                label("outcome", o.outcome, lang),
                size=18,
                anchor="middle",
                bold=True,
            )
            if o.passive:
                key = "draw.passive_let_be" if o.outcome == "let_be" else "draw.passive_harmed"
                text = t(key, lang=lang, party=label("party", o.passive, lang))
                fig.paragraph(
                    x + cell / 2, y + cell / 2 + 6, text, cell - 24, size=13, anchor="middle"
                )
    fig.paragraph(
        fig.width / 2,
        y0 + 3 * cell + 20,
        t("draw.benefit_note", lang=lang),
        fig.width - 40,
        size=14,
        anchor="middle",
    )
    fig.tables_label = t("draw.data_table", lang=lang)
    sp = "" if lang == "zh" else " "
    fig.add_table(
        t("draw.benefit_table", lang=lang),
        [t("draw.government_axis", lang=lang)]
        + [
            f"{t('draw.residents_axis', lang=lang)}{sp}{label('benefit', r, lang)}"
            for r in BENEFIT_LEVELS
        ],
        [
            [f"{t('draw.government_axis', lang=lang)}{sp}{label('benefit', g, lang)}"]
            + [label("outcome", benefit_outcome(g, r).outcome, lang) for r in BENEFIT_LEVELS]
            for g in BENEFIT_LEVELS
        ],
    )
    return fig


# --- priorities ------------------------------------------------------------------------------


def draw_priorities(
    issues: Iterable, weights: Mapping | None = None, lang: str | None = None
) -> SvgFigure:
    """Draw ranked issues as stacked bars: each criterion's weighted contribution to the score.

    ``draw_priorities(issues, weights=None, lang=None) -> SvgFigure``; ``issues`` are what
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
    w = ranked[0].weights if ranked else {}
    weights_text = (
        "  ".join(f"{label('criterion', c, lang)}×{w[c]:g}" for c in CRITERIA) if w else ""
    )
    heading = t("draw.priorities_title", lang=lang)
    desc = t(
        "draw.priorities_alt",
        lang=lang,
        ranking=_sep(lang).join(f"{r.rank}. {r.name} ({r.score:.2f})" for r in ranked),
    )
    row = 50.0
    fig = SvgFigure(1000, 0, heading, desc, lang)
    top = _heading(fig, heading, t("draw.weights", lang=lang, weights=weights_text))
    x0, scale = 420.0, 95.0
    y = top + 16
    for r in ranked:
        lines = wrap(f"{r.rank}. {r.name}", 14, x0 - 40)[:2]
        fig.lines(x0 - 12, y + row / 2 - len(lines) * 9.8, lines, size=14, anchor="end")
        left = 0.0
        for c in CRITERIA:
            v = r.contributions[c]
            if v > 0:
                fig.rect(
                    x0 + left * scale,
                    y + 10,
                    v * scale,
                    row - 20,
                    fill=CRITERION_COLOURS[c],
                    stroke="#ffffff",
                    stroke_width=1,
                )
            left += v
        fig.text(x0 + left * scale + 8, y + row / 2, f"{r.score:.2f}", size=14)
        y += row
    fig.line(x0, y + 4, x0 + 5.5 * scale, y + 4, stroke="#333333")
    for k in range(6):
        fig.line(x0 + k * scale, y + 4, x0 + k * scale, y + 10, stroke="#333333")
        fig.text(x0 + k * scale, y + 20, str(k), size=13, anchor="middle")
    fig.text(x0 + 2.75 * scale, y + 44, t("draw.score_axis", lang=lang), size=14, anchor="middle")
    _legend(fig, y + 76, [(CRITERION_COLOURS[c], label("criterion", c, lang)) for c in CRITERIA])
    fig.height = y + 100
    return fig


# --- timeline --------------------------------------------------------------------------------


def draw_timeline(entries: Iterable[Mapping] | None = None, lang: str | None = None) -> SvgFigure:
    """Draw the timeline of the term 三社联动 (from :func:`~sanshe_edu.model.load_timeline`).

    ``draw_timeline(entries=None, lang=None) -> SvgFigure``; entries dated in the seed have a
    filled marker, undated ones a hollow marker.

    >>> "两工联动" in figure_texts(draw_timeline(lang="zh"))
    True
    """
    lang = _lang(lang)
    entries = sorted(entries if entries is not None else load_timeline(), key=lambda e: e["order"])
    heading = t("draw.timeline_title", lang=lang)
    desc = t(
        "draw.timeline_alt",
        lang=lang,
        entries=("；" if lang == "zh" else "; ").join(
            f"{e['when'][lang]}: {e['event'][lang]}" for e in entries
        ),
    )
    fig = SvgFigure(1000, 0, heading, desc, lang)
    y = _heading(fig, heading, t("draw.timeline_note", lang=lang)) + 14
    line_x, first = 270.0, None
    for e in entries:
        when = wrap(e["when"][lang], 14, 230, True)
        event = wrap(e["event"][lang], 14, fig.width - line_x - 50)
        h = max(len(when), len(event)) * 20 + 18
        mid = y + h / 2 - 9
        first = mid if first is None else first
        fig.lines(
            line_x - 20, mid - len(when) * 10, when, size=14, leading=1.43, anchor="end", bold=True
        )
        fig.lines(line_x + 20, mid - len(event) * 10, event, size=14, leading=1.43)
        dated = bool(e.get("date_in_seed"))
        fig.circle(
            line_x,
            mid,
            7,
            kind=None,
            fill=BLUE if dated else "#ffffff",
            stroke=BLUE,
            stroke_width=2.5,
        )
        y += h
        last = mid
    if entries:
        fig._elements.insert(
            0,
            __import__("drawsvg").Line(
                line_x, round(first, 2), line_x, round(last, 2), stroke=BLUE, stroke_width=2.5
            ),
        )
    fig.height = y + 10
    return fig


# --- class report (trainer) ------------------------------------------------------------------


def draw_class_report(
    students: list[dict], questions: list[dict], assignment: str, lang: str | None = None
) -> SvgFigure:
    """The class report chart: how total scores are spread, and each question's success rate.

    ``draw_class_report(students, questions, assignment, lang=None) -> SvgFigure`` with rows as
    :func:`sanshe_edu.grade.trainer.report.collect_rows` returns them (``score``/``max_score`` per
    student, ``question``/``success_rate`` per question; ``""`` where there is no value).

    >>> fig = draw_class_report([{"score": 2, "max_score": 3}, {"score": 3, "max_score": 3}],
    ...                         [{"question": "q1", "success_rate": 0.5}], "lesson05", lang="en")
    >>> "q1" in figure_texts(fig) and fig.overlaps() == []
    True
    """
    lang = _lang(lang)
    scores = [r["score"] for r in students if r["score"] != ""]
    top = students[0]["max_score"] if students else 1
    whole = max(int(top), 1)
    bins = [0] * (whole + 1)
    for s in scores:
        bins[min(max(round(float(s)), 0), whole)] += 1
    rates = [(q["question"], q["success_rate"]) for q in questions]
    desc = t(
        "draw.report_alt",
        lang=lang,
        assignment=assignment,
        students=len(scores),
        rates=_sep(lang).join(
            f"{name} {rate * 100:.0f}%" if rate != "" else f"{name} —" for name, rate in rates
        ),
    )
    height = max(440.0, 150 + 26 * len(rates))
    fig = SvgFigure(1040, height, assignment, desc, lang)
    _heading(fig, assignment)
    # left: histogram
    lx, ly, lw, lh = 70.0, 110.0, 380.0, height - 210
    fig.text(
        lx + lw / 2,
        ly - 36,
        t("grade.report_distribution", lang=lang, n=len(scores)),
        size=15,
        anchor="middle",
        bold=True,
    )
    most = max(bins) or 1
    bw = lw / len(bins)
    for k, count in enumerate(bins):
        h = lh * count / most
        fig.rect(lx + k * bw + 3, ly + lh - h, bw - 6, h, fill="#4c72b0")
        if count:
            fig.text(lx + (k + 0.5) * bw, ly + lh - h - 10, str(count), size=12, anchor="middle")
        if len(bins) <= 21 or k % 5 == 0:
            fig.text(lx + (k + 0.5) * bw, ly + lh + 14, str(k), size=12, anchor="middle")
    fig.line(lx, ly + lh, lx + lw, ly + lh, stroke="#333333")
    fig.text(
        lx + lw / 2,
        ly + lh + 40,
        t("grade.report_score", lang=lang, max=f"{top:g}"),
        size=13,
        anchor="middle",
    )
    fig.text(
        lx + lw / 2,
        ly + lh + 62,
        t("grade.report_students", lang=lang) + f" ↑ (max {most})",
        size=13,
        anchor="middle",
    )
    # right: success rate per question
    rx, rw = 720.0, 260.0
    fig.text(
        rx + rw / 2 - 60,
        ly - 18,
        t("grade.report_success", lang=lang) + " (%)",
        size=15,
        anchor="middle",
        bold=True,
    )
    y = ly
    for name, rate in rates:
        value = rate if rate != "" else 0
        fig.text(rx - 10, y + 10, _fit(str(name), 13, 230), size=13, anchor="end")
        fig.rect(rx, y + 2, rw * value, 16, fill="#c44e52" if value < 0.5 else "#55a868")
        fig.text(rx + rw * value + 6, y + 10, f"{value * 100:.0f}", size=12)
        y += 26
    return fig
