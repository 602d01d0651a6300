"""SVG canvas for the course figures (drawsvg, pure Python): text is laid out here and rendered by
the browser with a CJK font stack, so there is no font search in Python and no missing-glyph box.

:class:`SvgFigure` records the box of every text it draws (and of every shape that text must not
cover), so tests compute overlaps from the layout instead of looking at pixels. Text widths are
estimated generously (a CJK character is one em, a Latin letter about 0.6 em), which makes the
estimate an upper bound for the usual sans-serif fonts.

>>> fig = SvgFigure(200, 60, title="例图", desc="一个例子", lang="zh")
>>> _ = fig.text(10, 30, "社区（虚构）", size=14)
>>> svg = fig.svg
>>> svg.startswith("<svg") and "<title" in svg and "社区（虚构）" in svg
True
>>> fig.overlaps() == []
True
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass

import drawsvg as dw

#: A figure shown in a notebook is never narrower than this (or its own width): its 13-px
#: labels stay about 10 px on a phone, and the figure scrolls sideways instead of shrinking.
MIN_WIDTH_PX = 680
#: Fonts the browser tries in order; every system has at least one CJK font in this list.
FONT_STACK = (
    "'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'Microsoft YaHei', "
    "'PingFang SC', 'Hiragino Sans GB', 'WenQuanYi Micro Hei', sans-serif"
)

_OPENING = "（(“‘《「【"
_CLOSING = "）)”’》」】，。、；：！？,.;:!?"


class Desc(dw.Title):
    """``<desc>``: the long text alternative of a figure."""

    TAG_NAME = "desc"


def char_width(ch: str) -> float:
    """Width of one character in em (an upper estimate).

    >>> char_width("社"), char_width("a"), char_width("W")
    (1.0, 0.6, 0.8)
    """
    if unicodedata.east_asian_width(ch) in "WFA":  # "A": quotes, arrows… are wide in CJK fonts
        return 1.0
    if ch in " .,;:'!|il":
        return 0.32
    if ch in "MW@%m":
        return 0.8
    if ch.isupper() or ch.isdigit():
        return 0.66
    return 0.6


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Estimated width in px of ``text`` at ``size`` px.

    >>> text_width("社区", 10)
    20.0
    """
    w = sum(char_width(c) for c in text) * size
    return round(w * (1.06 if bold else 1.0), 3)


def _tokens(text: str) -> list[str]:
    """Break opportunities: a CJK character each, a Latin word whole, a bracketed aside whole,
    closing punctuation glued to what precedes it and opening punctuation to what follows."""
    tokens: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in "（(":
            close = "）" if ch == "（" else ")"
            j = text.find(close, i)
            if 0 < j - i <= 8:
                tokens.append(text[i : j + 1])
                i = j + 1
                continue
        if unicodedata.east_asian_width(ch) in "WF" or ch == " ":
            tokens.append(ch)
            i += 1
            continue
        j = i
        while (
            j < len(text) and text[j] != " " and unicodedata.east_asian_width(text[j]) not in "WF"
        ):
            j += 1
        word = text[i:j]
        while "-" in word[:-1]:  # a hyphenated word may break after its hyphen
            k = word.index("-") + 1
            tokens.append(word[:k])
            word = word[k:]
        tokens.append(word)
        i = j
    glued: list[str] = []
    for tok in tokens:
        if glued and (tok[0] in _CLOSING or glued[-1][-1] in _OPENING or glued[-1] in "•✗"):
            glued[-1] += tok
        else:
            glued.append(tok)
    return glued


def _greedy(tokens: list[str], size: float, width: float, bold: bool) -> list[str]:
    lines: list[str] = []
    line = ""
    for tok in tokens:
        candidate = line + tok
        if line and text_width(candidate.rstrip(), size, bold) > width:
            lines.append(line.rstrip())
            line = tok.lstrip()
        else:
            line = candidate
        while text_width(line, size, bold) > width and len(line) > 1:
            cut = len(line)
            while cut > 1 and text_width(line[:cut], size, bold) > width:
                cut -= 1
            lines.append(line[:cut])
            line = line[cut:]
    if line.strip() or not lines:
        lines.append(line)
    return [x.strip() for x in lines]


def wrap(text: str, size: float, width: float, bold: bool = False) -> list[str]:
    """Lines of ``text`` no wider than ``width`` px, as even as possible (no lone last
    character); a bracketed aside such as "（虚构）" stays on one line.

    >>> wrap("楼道堆物与消防隐患（虚构）", 10, 60)
    ['楼道堆物与', '消防隐患', '（虚构）']
    >>> wrap("社区事务工作委员会", 10, 80)
    ['社区事务工', '作委员会']
    >>> wrap("draft the work plan", 10, 60)
    ['draft the', 'work plan']
    >>> wrap("Neighbourhood Reading Club", 13, 150)
    ['Neighbourhood', 'Reading Club']
    >>> wrap("community-affairs committee", 14, 116)
    ['community-', 'affairs', 'committee']
    """
    tokens = _tokens(text)
    lines = _greedy(tokens, size, width, bold)
    if len(lines) < 2:
        return lines
    # The narrowest width that needs no more lines and cuts no word that fitted before.
    widest = max(text_width(tok.strip(), size, bold) for tok in tokens)
    lo, hi = min(widest, width) - 0.5, width
    while hi - lo > 1:
        mid = (lo + hi) / 2
        if len(_greedy(tokens, size, mid, bold)) <= len(lines):
            hi = mid
        else:
            lo = mid
    return _greedy(tokens, size, hi, bold)


@dataclass(frozen=True)
class Box:
    """An axis-aligned box ``(x0, y0)–(x1, y1)`` in px, of a text or a shape."""

    x0: float
    y0: float
    x1: float
    y1: float
    kind: str
    text: str = ""

    def hits(self, other: Box, margin: float = 0.0) -> bool:
        return (
            self.x0 < other.x1 + margin
            and other.x0 < self.x1 + margin
            and self.y0 < other.y1 + margin
            and other.y0 < self.y1 + margin
        )


class SvgFigure:
    """A figure drawn with drawsvg that shows itself inline in a notebook.

    ``fig.svg`` is the SVG text (``role="img"`` with ``<title>`` and ``<desc>`` in the figure's
    language), ``fig.texts`` every text drawn, ``fig.boxes`` the laid-out boxes,
    ``fig.save(path)`` writes the SVG file.
    """

    def __init__(self, width: float, height: float, title: str, desc: str, lang: str) -> None:
        self.width = width
        self.height = height
        self.title = title
        self.desc = desc
        self.lang = lang
        self.texts: list[str] = []
        self.boxes: list[Box] = []
        self._elements: list = []
        #: Data tables shown under the figure (folded): what a screen reader walks cell by cell
        #: instead of the picture (see :meth:`add_table`).
        self.tables: list[str] = []
        self.tables_label = ""

    # drawing ----------------------------------------------------------------------------
    def add(self, element, box: Box | None = None):
        self._elements.append(element)
        if box is not None:
            self.boxes.append(box)
        return element

    def text(
        self,
        x: float,
        y: float,
        text: str,
        size: float = 14,
        anchor: str = "start",
        bold: bool = False,
        fill: str = "#222222",
        italic: bool = False,
        kind: str = "text",
        halo: bool = False,
    ) -> Box:
        """One line of text whose vertical middle is at ``y``; returns its box."""
        w = text_width(text, size, bold)
        x0 = {"start": x, "middle": x - w / 2, "end": x - w}[anchor]
        box = Box(
            round(x0, 2),
            round(y - 0.62 * size, 2),
            round(x0 + w, 2),
            round(y + 0.62 * size, 2),
            kind,
            text,
        )
        if halo:
            self.add(
                dw.Rectangle(
                    box.x0 - 2, box.y0, w + 4, box.y1 - box.y0, rx=3, fill="#ffffff", opacity=0.85
                )
            )
        attrs = {"font_size": size, "fill": fill, "dominant_baseline": "central"}
        if anchor != "start":
            attrs["text_anchor"] = anchor
        if bold:
            attrs["font_weight"] = "bold"
        if italic:
            attrs["font_style"] = "italic"
        self.add(dw.Text(text, x=round(x, 2), y=round(y, 2), **attrs), box)
        self.texts.append(text)
        return box

    def lines(
        self,
        x: float,
        top: float,
        lines: list[str],
        size: float = 14,
        leading: float = 1.4,
        **kwargs,
    ) -> float:
        """Lines of text from ``top`` down; returns the y just below the last line."""
        step = size * leading
        for i, line in enumerate(lines):
            self.text(x, top + step * (i + 0.5), line, size=size, **kwargs)
        return top + step * len(lines)

    def paragraph(self, x: float, top: float, text: str, width: float, size: float = 14, **kw):
        """``text`` wrapped to ``width`` px from ``top`` down; returns the y below it."""
        return self.lines(x, top, wrap(text, size, width, kw.get("bold", False)), size=size, **kw)

    def rect(self, x, y, w, h, kind: str | None = None, **attrs) -> None:
        box = Box(x, y, x + w, y + h, kind) if kind else None
        self.add(dw.Rectangle(round(x, 2), round(y, 2), round(w, 2), round(h, 2), **attrs), box)

    def circle(self, cx, cy, r, kind: str | None = "shape", **attrs) -> None:
        box = Box(cx - r, cy - r, cx + r, cy + r, kind) if kind else None
        self.add(dw.Circle(round(cx, 2), round(cy, 2), round(r, 2), **attrs), box)

    def line(self, x1, y1, x2, y2, **attrs) -> None:
        self.add(dw.Line(round(x1, 2), round(y1, 2), round(x2, 2), round(y2, 2), **attrs))

    def polygon(self, points: list[tuple[float, float]], **attrs) -> None:
        flat = [round(v, 2) for p in points for v in p]
        self.add(dw.Lines(*flat, close=True, **attrs))

    def arrow(self, x1, y1, x2, y2, colour="#777777", width=1.5, both=False, head=9) -> None:
        """A line with a filled arrow head at the end (and the start when ``both``)."""
        import math

        self.line(x1, y1, x2, y2, stroke=colour, stroke_width=width)
        ends = [(x1, y1, x2, y2)] + ([(x2, y2, x1, y1)] if both else [])
        for ax, ay, bx, by in ends:
            a = math.atan2(by - ay, bx - ax)
            left = (bx - head * math.cos(a - 0.4), by - head * math.sin(a - 0.4))
            right = (bx - head * math.cos(a + 0.4), by - head * math.sin(a + 0.4))
            self.polygon([(bx, by), left, right], fill=colour)

    # checks -----------------------------------------------------------------------------
    def text_boxes(self) -> list[Box]:
        return [b for b in self.boxes if b.kind != "shape" and b.kind != "area"]

    def overlaps(self, margin: float = 0.0) -> list[tuple[str, str]]:
        """Pairs of texts whose boxes overlap, and texts that cover a shape (a node, a circle)
        or leave the canvas. Texts of kind ``"inside"`` sit in a shape on purpose."""
        texts = self.text_boxes()
        found = []
        for i, a in enumerate(texts):
            for b in texts[i + 1 :]:
                if a.hits(b, margin):
                    found.append((a.text, b.text))
            if a.x0 < 0 or a.y0 < 0 or a.x1 > self.width or a.y1 > self.height:
                found.append((a.text, "<canvas edge>"))
            if a.kind == "inside":
                continue
            for s in self.boxes:
                if s.kind == "shape" and a.hits(s, margin):
                    found.append((a.text, "<shape>"))
        return found

    # output -----------------------------------------------------------------------------
    @property
    def svg(self) -> str:
        ident = (
            "sanshe-"
            + hashlib.sha1(
                f"{self.title}\n{self.desc}\n{len(self._elements)}".encode()
            ).hexdigest()[:10]
        )
        d = dw.Drawing(
            round(self.width),
            round(self.height),
            role="img",
            aria_labelledby=f"{ident}-t {ident}-d",
            font_family=FONT_STACK,
            style="max-width:100%;height:auto;background:#ffffff",
        )
        d.append(dw.Title(self.title, id=f"{ident}-t"))
        d.append(Desc(self.desc, id=f"{ident}-d"))
        d.append(dw.Rectangle(0, 0, round(self.width), round(self.height), fill="#ffffff"))
        for element in self._elements:
            d.append(element)
        svg = d.as_svg(header="")
        return svg.replace("<defs>\n</defs>\n", "")

    def _repr_svg_(self) -> str:
        return self.svg

    def add_table(self, caption: str, headers: list[str], rows: list[list[str]]) -> None:
        """Add a data table of the figure: ``headers`` name the columns, the first cell of each
        row names the row (``<th scope="row">``).

        >>> fig = SvgFigure(10, 10, "t", "d", "en")
        >>> fig.add_table("Links", ["a", "b"], [["x", "y & z"]])
        >>> table = fig.tables[0]
        >>> '<th scope="col">b</th>' in table, '<th scope="row">x</th><td>y &amp; z</td>' in table
        (True, True)
        """
        from html import escape

        head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headers)
        body = "".join(
            f'<tr><th scope="row">{escape(str(r[0]))}</th>'
            + "".join(f"<td>{escape(str(c))}</td>" for c in r[1:])
            + "</tr>"
            for r in rows
        )
        self.tables.append(
            f"<table><caption>{escape(caption)}</caption><tr>{head}</tr>{body}</table>"
        )

    def _repr_html_(self) -> str:
        # Inline SVG (not an <img>): screen readers read its title and description; the data
        # tables, when the figure has them, follow folded (a <details> opens with Enter). On a
        # narrow screen the figure keeps a readable width (:data:`MIN_WIDTH_PX`) and scrolls.
        lang = "zh-CN" if self.lang == "zh" else "en"
        data = ""
        if self.tables:
            from html import escape

            data = (
                f'<details class="sanshe-figure-data"><summary>{escape(self.tables_label)}'
                f"</summary>{''.join(self.tables)}</details>"
            )
        least = min(MIN_WIDTH_PX, round(self.width))
        return (
            f'<div class="sanshe-figure" lang="{lang}">'
            f'<div style="overflow-x:auto"><div style="min-width:{least}px">'
            f"{self.svg}</div></div>{data}</div>"
        )

    def save(self, path) -> None:
        """Write the figure as an SVG file (UTF-8)."""
        from pathlib import Path

        Path(path).write_text('<?xml version="1.0" encoding="UTF-8"?>\n' + self.svg, "utf-8")

    def __repr__(self) -> str:
        return f"<SvgFigure {self.title!r} {self.width:g}×{self.height:g}>"
