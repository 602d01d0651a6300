"""Small HTML helpers shared by the frame, the type controls and the overview (no widgets).

Accessibility (issue 28): every block of text carries the ``lang`` of the language it is
written in (a screen reader then speaks it with the right voice), and a ✔ / ✘ / ◐ at the start
of a line is read as a word (对 / 错 / 部分对), so the mark is never the only carrier.
"""

from __future__ import annotations

import html

from ..i18n import get_lang, t

#: The colour of secondary text: 5.7:1 on white (WCAG AA asks 4.5:1; #777 was 4.48:1).
MUTED = "#666"
#: Visually hidden, still read by screen readers (the usual "sr-only" rule, inline).
SR_ONLY = (
    "position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;"
    "clip:rect(0,0,0,0);white-space:nowrap;border:0"
)
_MARKS = {"✔": "quiz.mark_right", "✘": "quiz.mark_wrong", "◐": "quiz.mark_partial"}


def esc(text: object) -> str:
    return html.escape(str(text))


def fmt(x: float) -> str:
    """A score as people write it: ``1``, ``0.67``."""
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def html_lang(lang: str | None = None) -> str:
    """The HTML ``lang`` of a course language (default: the current one).

    >>> html_lang("zh"), html_lang("en")
    ('zh-CN', 'en')
    """
    return "en" if (lang or get_lang()) == "en" else "zh-CN"


def marked(text: str) -> str:
    """``text`` as HTML, a leading ✔ / ✘ / ◐ preceded by its meaning in words (in the current
    language) that only a screen reader reads (the visible text is left as it was).

    >>> marked("✘ 社区")
    '<span class="sanshe-sr" style="...">错：</span>✘ 社区'
    >>> marked("plain & simple")
    'plain &amp; simple'
    """
    key = _MARKS.get(text[:1])
    if key is None:
        return esc(text)
    return f'<span class="sanshe-sr" style="{SR_ONLY}">{esc(t(key))}：</span>{esc(text)}'


def notes_html(messages: list[str]) -> str:
    return "".join(f"<div style='color:#a60'>{esc(m)}</div>" for m in messages)


def error_html(text: str) -> str:
    return f"<div style='color:#a00'>{esc(text)}</div>"
