"""The concept map a learner looks at ("我的掌握情况"): every concept of the course, lesson by
lesson, with arrows from what it builds on, each box coloured by mastery *and* labelled in words
(掌握 / 学习中 / 待加强 / 未作答, with the estimate), each a link to the lesson section that
teaches it (an HTML link laid over the box); under it, a table of the weak concepts and the
questions to practise them.

Plain SVG and HTML strings (no drawing library), so the same code runs in the browser edition.

>>> svg = concept_map_svg({"subject_linkage": {"p": 0.1, "n": 2, "right": 0, "state": "weak"}})
>>> svg.startswith("<svg") and "subject_linkage" in svg and "待加强" in svg
True
"""

from __future__ import annotations

import json
import re
from functools import cache
from html import escape
from pathlib import Path
from typing import Any

from ..i18n import get_lang, pick, t, use_lang
from ..paths import course_dir
from . import concepts as C

BOX_W, BOX_H, GAP_X, ROW_H, LEFT, TOP = 150, 50, 12, 86, 92, 40
#: Fill, border and text colour of each state; the state is also written in the box.
STYLE = {
    "mastered": ("#e3f1e4", "#2e7d32", "#1b5e20"),
    "learning": ("#fff4d6", "#b7791f", "#6b4a00"),
    "weak": ("#fde4e4", "#c62828", "#8e1b1b"),
    "unseen": ("#f2f2f2", "#9e9e9e", "#555555"),
}


def lessons_folder() -> Path:
    """Where the lessons are for the notebook on show: its own folder (the learner's workspace,
    the browser edition's ``/drive``) when the lessons are there, else the shipped course."""
    here = Path.cwd()
    return here if any(here.glob("0[0-9]_*.ipynb")) else course_dir()


def lesson_file(lesson: str) -> str:
    """The notebook of a lesson (``05`` -> ``05_subject_element_linkage.ipynb``)."""
    return _lesson_file(lessons_folder(), lesson)


@cache
def _lesson_file(folder: Path, lesson: str) -> str:
    found = sorted(folder.glob(f"{lesson}_*.ipynb"))
    return found[0].name if found else ""


def section_anchor(lesson: str, section: int) -> str:
    """The link target of a lesson's ``## N.`` heading, as JupyterLab makes heading ids (the
    heading text with spaces as ``-``); the notebook alone when the heading is not found."""
    return _anchor(lessons_folder(), lesson, section)


@cache
def _anchor(folder: Path, lesson: str, section: int) -> str:
    name = _lesson_file(folder, lesson)
    if not name:
        return ""
    try:
        nb = json.loads((folder / name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return name
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        source = "".join(cell.get("source", []))
        for line in source.splitlines():
            if re.match(rf"##\s+{section}\.\s", line):
                return name + "#" + line.lstrip("#").strip().replace(" ", "-")
    return name


def href(cid: str) -> str:
    c = C.concept(cid)
    return section_anchor(c["lesson"], int(c.get("section", 0)))


def state_words(v: dict[str, Any]) -> str:
    """The state in words, with the estimate once there is evidence: ``待加强 18%``."""
    words = t(f"mastery.state_{v['state']}")
    return words if not v["n"] else f"{words} {round(v['p'] * 100)}%"


def _layout() -> dict[str, tuple[float, float]]:
    rows: dict[str, list[str]] = {}
    for c in C.all_concepts():
        rows.setdefault(c["lesson"], []).append(c["id"])
    pos = {}
    for r, lesson in enumerate(sorted(rows)):
        for i, cid in enumerate(rows[lesson]):
            pos[cid] = (LEFT + i * (BOX_W + GAP_X), TOP + r * ROW_H)
    return pos


def concept_map_svg(mastery: dict[str, dict[str, Any]], lang: str | None = None) -> str:
    """The map as an SVG string; ``mastery`` as :func:`quiz.mastery.learner_mastery` gives
    (concepts it lacks are drawn unseen), in ``lang`` (default: the language in use)."""
    lang = lang or get_lang()
    with use_lang(lang):
        return _svg(mastery, lang)


def _svg(mastery: dict[str, dict[str, Any]], lang: str) -> str:
    pos = _layout()
    width, height = size()
    lessons = sorted({C.concept(c)["lesson"] for c in pos})
    unseen = {"p": 0.0, "n": 0, "right": 0, "state": "unseen"}
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" style="display:block;font-family:sans-serif" role="img" '
        f'class="sanshe-concept-map" aria-label="{escape(t("mastery.map_title"))}">',
        '<defs><marker id="sanshe-arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="6" '
        'markerHeight="6" orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#8a8a8a"/></marker>'
        "</defs>",
    ]
    for r, lesson in enumerate(lessons):
        y = TOP + r * ROW_H + BOX_H / 2 + 5
        label = t("mastery.lesson_label", lesson=lesson)
        out.append(f'<text x="8" y="{y}" font-size="13" fill="#333">{escape(label)}</text>')
    for c in C.all_concepts():
        x2, y2 = pos[c["id"]]
        for b in c.get("builds_on", []):
            if b not in pos:
                continue
            x1, y1 = pos[b]
            if y1 == y2:  # the same lesson: an arc above the row, in the gap between rows
                a, z = x1 + BOX_W / 2, x2 + BOX_W / 2
                path = f"M{a},{y1} Q{(a + z) / 2},{y1 - 30} {z},{y2}"
            else:
                path = f"M{x1 + BOX_W / 2},{y1 + BOX_H} L{x2 + BOX_W / 2},{y2}"
            out.append(
                f'<path d="{path}" fill="none" stroke="#b8b8b8" stroke-width="1" '
                'marker-end="url(#sanshe-arrow)"/>'
            )
    for c in C.all_concepts():
        cid = c["id"]
        x, y = pos[cid]
        v = mastery.get(cid, unseen)
        fill, border, ink = STYLE[v["state"]]
        short = pick(c["short"], lang)
        title = f"{pick(c['name'], lang)} — {state_words(v)}"
        weight = ' stroke-width="3"' if v["state"] == "weak" else ' stroke-width="1.5"'
        dash = ' stroke-dasharray="4 3"' if v["state"] == "unseen" else ""
        out.append(
            f'<g class="sanshe-concept sanshe-concept-{v["state"]}" '
            f'data-concept="{cid}" data-state="{v["state"]}"><title>{escape(title)}</title>'
            f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="6" fill="{fill}" '
            f'stroke="{border}"{weight}{dash}/>'
            f'<text x="{x + BOX_W / 2}" y="{y + 20}" font-size="13" text-anchor="middle" '
            f'fill="#111">{escape(short)}</text>'
            f'<text x="{x + BOX_W / 2}" y="{y + 39}" font-size="12" text-anchor="middle" '
            f'fill="{ink}" font-weight="bold">{escape(state_words(v))}</text></g>'
        )
    out.append("</svg>")
    return "".join(out)


def size() -> tuple[float, float]:
    pos = _layout()
    lessons = {C.concept(c)["lesson"] for c in pos}
    return max(x for x, _ in pos.values()) + BOX_W + 16, TOP + len(lessons) * ROW_H


def linked_map_html(mastery: dict[str, dict[str, Any]]) -> str:
    """The SVG with a transparent HTML link over each box (to its lesson section). HTML links,
    not SVG ones: JupyterLab opens an HTML link to a notebook in the app itself (an SVG ``<a>``
    in an output breaks its link handling)."""
    width, height = size()
    links = []
    for cid, (x, y) in _layout().items():
        v = mastery.get(cid, {"p": 0.0, "n": 0, "right": 0, "state": "unseen"})
        label = f"{name_words(cid)} — {state_words(v)}"
        links.append(
            f"<a class='sanshe-concept-link' data-concept='{cid}' href='{escape(href(cid))}' "
            f"title='{escape(label)}' aria-label='{escape(label)}' style='position:absolute;"
            f"left:{x / width * 100:.3f}%;top:{y / height * 100:.3f}%;"
            f"width:{BOX_W / width * 100:.3f}%;height:{BOX_H / height * 100:.3f}%'></a>"
        )
    return (
        f"<div style='position:relative;max-width:{width}px'>"
        f"{concept_map_svg(mastery)}{''.join(links)}</div>"
    )


def name_words(cid: str) -> str:
    return pick(C.concept(cid)["name"])


def legend_html() -> str:
    items = []
    for state in ("mastered", "learning", "weak", "unseen"):
        fill, border, _ink = STYLE[state]
        items.append(
            f"<span style='display:inline-block;margin-right:14px'>"
            f"<span style='display:inline-block;width:14px;height:12px;background:{fill};"
            f"border:2px solid {border};vertical-align:middle'></span> "
            f"{escape(t(f'mastery.state_{state}'))}：{escape(t(f'mastery.means_{state}'))}</span>"
        )
    return f"<div style='font-size:90%;margin:4px 0'>{''.join(items)}</div>"


def weak_table_html(mastery: dict[str, dict[str, Any]]) -> str:
    """The concepts to work on (weak first, then learning), each with its lesson section and
    the practice questions that test it."""
    from .bank import short_title

    rank = {"weak": 0, "learning": 1}
    todo = sorted(
        (cid for cid, v in mastery.items() if v["state"] in rank),
        key=lambda cid: (rank[mastery[cid]["state"]], mastery[cid]["p"]),
    )
    if not todo:
        return f"<p class='sanshe-no-weak'>{escape(t('mastery.nothing_weak'))}</p>"
    rows = []
    for cid in todo:
        v = mastery[cid]
        c = C.concept(cid)
        lesson = lesson_file(c["lesson"])
        questions = "<br>".join(
            f"<a href='{escape(lesson_file(q.split('.')[0][1:]) or lesson)}'>"
            f"{escape(short_title(q, 36))}</a>"
            for q in C.questions_of(cid, practice_only=True)
        )
        rows.append(
            f"<tr class='sanshe-weak-row' data-concept='{cid}'>"
            f"<td><b>{escape(state_words(v))}</b></td>"
            f"<td><a href='{escape(href(cid))}'>{escape(pick(c['name']))}</a></td>"
            f"<td>{escape(t('mastery.lesson_label', lesson=c['lesson']))}</td>"
            f"<td>{questions}</td></tr>"
        )
    heads = "".join(
        f"<th style='text-align:left'>{escape(t(f'mastery.col_{k}'))}</th>"
        for k in ("state", "concept", "lesson", "questions")
    )
    return (
        "<table class='sanshe-weak-table' style='border-collapse:collapse' cellpadding='4'>"
        f"<tr>{heads}</tr>{''.join(rows)}</table>"
    )


def concept_map_html(mastery: dict[str, dict[str, Any]]) -> str:
    """Title, counts, legend, the map, and the table of what to work on."""
    counts = {s: sum(1 for v in mastery.values() if v["state"] == s) for s in STYLE}
    summary = t("mastery.summary", total=len(mastery), **counts)
    return (
        "<div class='sanshe-mastery'>"
        f"<h3 style='margin:4px 0'>{escape(t('mastery.map_title'))}</h3>"
        f"<p>{escape(summary)}</p>{legend_html()}{linked_map_html(mastery)}"
        f"<h4>{escape(t('mastery.todo_title'))}</h4>{weak_table_html(mastery)}</div>"
    )


class ConceptMap:
    """What a notebook cell shows: the learner's concept map (HTML with an inline SVG)."""

    def __init__(self, store: Any = None) -> None:
        from .mastery import learner_mastery

        self.mastery = learner_mastery(store)

    def _repr_html_(self) -> str:
        return concept_map_html(self.mastery)


def text_report(mastery: dict[str, dict[str, Any]]) -> str:
    """``sanshe-edu progress --concepts``: one line per concept, lesson by lesson."""
    lines = [t("mastery.map_title")]
    counts = {s: sum(1 for v in mastery.values() if v["state"] == s) for s in STYLE}
    lines.append(t("mastery.summary", total=len(mastery), **counts))
    for c in C.all_concepts():
        v = mastery[c["id"]]
        mark = {"mastered": "✓", "learning": "~", "weak": "!", "unseen": "·"}[v["state"]]
        words = state_words(v)
        pad = " " * max(0, 12 - sum(2 if ord(ch) > 0x2E80 else 1 for ch in words))
        lines.append(f"  {mark} {c['lesson']}  {words}{pad}{pick(c['name'])}")
    return "\n".join(lines)
