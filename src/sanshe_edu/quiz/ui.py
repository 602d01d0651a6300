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


#: The exercises' stylesheet: usable from a 360-px phone up. Text wraps instead of overlapping:
#: a button carries its whole text (on several lines if need be), rows of buttons wrap, an item's
#: text goes above its buttons when there is no room beside them; the matrix and the network
#: diagram keep a readable size and scroll sideways. Only class names of the widgets' layout
#: (``sanshe-*``) and ipywidgets' own (``widget-*``) are used.
CSS = """
.sanshe-quiz, .sanshe-transfer { max-width: 100%; box-sizing: border-box; }
.sanshe-quiz .widget-html-content { white-space: normal; overflow-wrap: anywhere; }
.sanshe-quiz .widget-button, .sanshe-quiz .widget-toggle-button {
  white-space: normal; height: auto; min-height: var(--jp-widgets-inline-height, 28px);
  max-width: 100%; overflow-wrap: anywhere; line-height: 1.3;
  padding-top: 4px; padding-bottom: 4px; }
.sanshe-quiz .widget-toggle-buttons { flex-wrap: wrap; height: auto; max-width: 100%;
  row-gap: 4px; }
.sanshe-quiz .widget-hbox, .sanshe-transfer .widget-hbox { flex-wrap: wrap; row-gap: 4px;
  max-width: 100%; }
.sanshe-chooser-row { align-items: flex-start; margin-bottom: 4px; }
.sanshe-chooser-row > .widget-html, .sanshe-order-row > .widget-html,
.sanshe-net-links .widget-hbox > .widget-html {
  flex: 1 1 12em; width: auto !important; min-width: 0 !important; }
.sanshe-chooser-row > .widget-html .widget-html-content > div { min-width: 0 !important; }
.sanshe-chooser-row > .widget-toggle-buttons { flex: 0 1 auto; }
.sanshe-quiz .widget-gridbox { overflow-x: auto; max-width: 100%; }
.sanshe-quiz-network .widget-vbox:has(> img.widget-image) { overflow-x: auto; }
.sanshe-quiz-network img.widget-image { min-width: 680px; }
"""


def stylesheet_html() -> str:
    """The stylesheet as a ``<style>`` element (shown by an invisible HTML widget)."""
    return f"<style class='sanshe-style'>{CSS}</style>"
