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
_MARKS = {"✔": "right", "✘": "wrong", "◐": "partial"}


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


def mark_class(text: str) -> str:
    """The class of a feedback line or headline that starts with ✔ / ✘ / ◐ (``""`` if none).

    >>> mark_class("✘ 社区"), mark_class("社区")
    ('sanshe-m-wrong', '')
    """
    kind = _MARKS.get(text[:1])
    return f"sanshe-m-{kind}" if kind else ""


def marks_css(lang: str | None = None) -> str:
    """A ``<style>`` that gives each ✔ / ✘ / ◐ line a spoken word before it (对： / 错： /
    部分对：) as CSS generated content with an empty look (``content: "" / "错："``): screen
    readers read it, the page shows and copies the line as it is, and the text of the line in
    the page (``innerText``) is unchanged.

    >>> "错：" in marks_css("zh") and "wrong: " in marks_css("en")
    True
    """
    words = {kind: esc(t(f"quiz.mark_{kind}", lang)) for kind in _MARKS.values()}
    rules = "".join(
        f'.sanshe-feedback .sanshe-m-{kind}::before{{content:"" / "{word}"}}'
        for kind, word in words.items()
    )
    return f"<style>{rules}</style>"


def notes_html(messages: list[str]) -> str:
    return "".join(f"<div style='color:#a60'>{esc(m)}</div>" for m in messages)


def error_html(text: str) -> str:
    return f"<div style='color:#a00'>{esc(text)}</div>"
