"""Small HTML helpers shared by the frame, the type controls and the overview (no widgets)."""

from __future__ import annotations

import html


def esc(text: object) -> str:
    return html.escape(str(text))


def fmt(x: float) -> str:
    """A score as people write it: ``1``, ``0.67``."""
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def notes_html(messages: list[str]) -> str:
    return "".join(f"<div style='color:#a60'>{esc(m)}</div>" for m in messages)


def error_html(text: str) -> str:
    return f"<div style='color:#a00'>{esc(text)}</div>"
