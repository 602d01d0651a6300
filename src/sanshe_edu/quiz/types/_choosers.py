"""Toggle-button choosers shared by categorise, match and matrix (imported with the widgets).

Only buttons, never a drop-down: in a JupyterLab notebook the arrow keys of a focused
drop-down go to JupyterLab's own shortcuts, while Tab + Enter work on buttons.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as W

from ...i18n import pick
from ..ui import esc
from ._base import Controls


def lettered(targets: list[dict]) -> bool:
    """Few short labels go on the buttons; many or long ones are listed once, lettered
    A, B, C …, and the buttons carry the letters (as on a paper matching exercise)."""
    return len(targets) > 4 or any(len(pick(b["text"])) > 24 for b in targets)


def letter(i: int) -> str:
    return chr(ord("A") + i) if i < 26 else str(i + 1)


def legend(targets: list[dict]) -> W.Widget:
    lines = "".join(
        f"<div><b>{letter(i)}</b>&nbsp; {esc(pick(b['text']))}</div>" for i, b in enumerate(targets)
    )
    box = W.HTML(
        f"<div style='margin:2px 0 6px 0;padding:4px 8px;background:#f6f6f6'>{lines}</div>"
    )
    box.add_class("sanshe-legend")
    return box


def chooser(targets: list[dict], with_letters: bool, part: str = "") -> W.ToggleButtons:
    """Toggle buttons to pick one of ``targets``; the value is ``None`` until one is picked.
    Lettered buttons show the full text as their tooltip; the others say which ``part`` (the
    row's item, the matrix cell) they answer, so a screen reader tabbing from button to button
    hears what each is for, not only "集体事务"."""
    if with_letters:
        options = [(letter(i), b["id"]) for i, b in enumerate(targets)]
        tooltips = [pick(b["text"]) for b in targets]
    else:
        options = [(pick(b["text"]), b["id"]) for b in targets]
        tooltips = [f"{part} → {pick(b['text'])}" for b in targets] if part else []
    w = W.ToggleButtons(
        options=options, value=None, tooltips=tooltips, style={"button_width": "auto"}
    )
    w.add_class("sanshe-chooser")
    if with_letters:
        w.add_class("sanshe-lettered")
    return w


class Choosers(Controls):
    """Answer = ``{key: chosen value}`` over a set of choosers (rows, or matrix cells)."""

    def __init__(self, choosers: dict[str, W.ToggleButtons], widget: W.Widget) -> None:
        self.choosers = choosers
        self.widget = widget

    def get(self) -> dict:
        return {k: d.value for k, d in self.choosers.items() if d.value is not None}

    def set(self, answer: Any) -> None:
        for k, d in self.choosers.items():
            d.value = answer.get(k)

    def clear(self) -> None:
        self.set({})


def chooser_rows(entries: list[dict], targets: list[dict]) -> Choosers:
    """One row per entry: its text and a chooser of ``targets`` (categorise, match)."""
    with_letters = lettered(targets)
    choosers = {e["id"]: chooser(targets, with_letters, pick(e["text"])) for e in entries}
    rows: list[W.Widget] = [
        W.HBox(
            [
                W.HTML(
                    f"<div style='min-width:16em;padding-right:1em'>{esc(pick(e['text']))}</div>",
                    layout=W.Layout(width="50%"),
                ),
                choosers[e["id"]],
            ]
        )
        for e in entries
    ]
    for row in rows:  # narrow screens: the text above its buttons (quiz.ui.CSS)
        row.add_class("sanshe-chooser-row")
    if with_letters:
        rows.insert(0, legend(targets))
    return Choosers(choosers, W.VBox(rows))
