"""The progress overview widget for the start-here notebook."""

from __future__ import annotations

from typing import Any

import ipywidgets as W

from ..i18n import get_lang, t, use_lang
from .bank import short_title as _short
from .score import progress_summary
from .ui import error_html, esc, fmt

SHOWN_LEFT = 2


def _left_text(left: list[str]) -> str:
    """The first exercises still to do, then how many more (a full list made the column long).

    >>> from sanshe_edu.i18n import use_lang
    >>> with use_lang("en"):
    ...     _left_text([]), _left_text(["x.a", "x.b", "x.c", "x.d"])
    ('all done ✔', 'x.a; x.b; and 2 more')
    """
    if not left:
        return t("quiz.overview_all_done")
    shown = t("quiz.overview_sep").join(_short(q) for q in left[:SHOWN_LEFT])
    rest = len(left) - SHOWN_LEFT
    return shown + (t("quiz.overview_more", n=rest) if rest > 0 else "")


def overview_html() -> str:
    rows = progress_summary()
    if not rows:
        return f"<p>{esc(t('quiz.overview_empty'))}</p>"
    notes = [m for r in rows for m in r.get("messages", [])]
    head = "".join(
        f"<th style='text-align:left;padding:2px 8px'>{esc(t(k))}</th>"
        for k in (
            "quiz.overview_lesson",
            "quiz.overview_done",
            "quiz.overview_score",
            "quiz.overview_correct",
            "quiz.overview_left",
        )
    )
    body = []
    for r in rows:
        left = _left_text(r["left"])
        body.append(
            "<tr>"
            f"<td style='padding:2px 8px'>{esc(r['title'])}</td>"
            f"<td style='padding:2px 8px'>{r['done']} / {r['total']}</td>"
            f"<td style='padding:2px 8px'>{fmt(r['score'])} / {fmt(r['max'])}</td>"
            f"<td style='padding:2px 8px'>{r['correct']} / {r['total']}</td>"
            f"<td style='padding:2px 8px'>{esc(left)}</td>"
            "</tr>"
        )
    note_html = "".join(f"<div style='color:#a60'>{esc(m)}</div>" for m in notes)
    return (
        f"{note_html}<table class='sanshe-progress'><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>"
    )


class ProgressOverview(W.VBox):
    """The overview; like a question widget it keeps the language it was made in (Refresh
    after ``set_lang`` redraws it in that language; re-run the cell for the other one)."""

    def __init__(self) -> None:
        self.lang = get_lang()
        self.table = W.HTML()
        self.refresh_button = W.Button(
            description=t("quiz.overview_refresh"), icon="refresh", layout=W.Layout(width="auto")
        )
        self.refresh_button.on_click(self.refresh)
        super().__init__(
            [W.HTML(f"<h4>{esc(t('quiz.overview_title'))}</h4>"), self.table, self.refresh_button]
        )
        self.add_class("sanshe-progress-overview")
        self.refresh()

    def refresh(self, _button: Any = None) -> None:
        with use_lang(self.lang):
            try:
                self.table.value = overview_html()
            except Exception as exc:  # never raise into the notebook
                self.table.value = error_html(t("quiz.internal_error", detail=exc))
