"""Building an assignment's source notebook: the cells every kind uses.

A :class:`Builder` collects cells with stable ids; the helpers write the nbgrader metadata, the
bilingual texts and the hidden part of a check call the way every kind needs them.
"""

from __future__ import annotations

import pprint
from typing import Any

from ...i18n import t, use_lang
from ._base import points_of


def meta(**nbgrader: Any) -> dict:
    return {"nbgrader": {"schema_version": 3, "task": False, **nbgrader}}


def machinery(**nbgrader: Any) -> dict:
    """Metadata of a cell the student runs but need not read (set-up, widget, check, self-check):
    JupyterLab shows its input collapsed (a click opens it)."""
    return {"jupyter": {"source_hidden": True}, **meta(**nbgrader)}


def both(text: dict, sep: str = "\n\n") -> str:
    """``{zh, en}`` as the notebook shows it: Chinese, then English."""
    return text["zh"].strip() + sep + text["en"].strip()


def t_both(key: str, sep: str = "\n\n", **fields: Any) -> str:
    """A catalogue message in Chinese, then English."""
    with use_lang("zh"):
        zh = t(key, **fields)
    with use_lang("en"):
        en = t(key, **fields)
    return zh + sep + en


def literal(value: Any) -> str:
    return pprint.pformat(value, width=88, sort_dicts=False)


def hidden(args: dict[str, Any], keep: tuple[str, ...] = ("key",)) -> str:
    """The hidden lines of a check call: the key (always, even ``None``: a network question is
    judged by its requirements), and the other arguments that are set."""
    lines = [f"    {k}={literal(v)}," for k, v in args.items() if v is not None or k in keep]
    return "### BEGIN HIDDEN TESTS\n" + "\n".join(lines) + "\n### END HIDDEN TESTS\n"


def heading(n: int, item: dict, points: float) -> str:
    pts = points_of(points)
    return f"## {n}. {item['title']['zh']} / {item['title']['en']}（{pts} 分 / points）"


def rubric_md(rubric: list[dict]) -> str:
    head = t_both("assign.rubric_heading", sep=" / ")
    lines = [f"- {points_of(r['points'])} 分 / pt：{r['zh']} / {r['en']}" for r in rubric]
    return f"**{head}**\n\n" + "\n".join(lines)


def check_doc(n: int) -> str:
    """The one-line docstring that opens every check cell."""
    return f'"""{t_both("assign.check_doc", sep=" / ", n=n)}"""\n\n'


class Builder:
    """The cells of one notebook, each with the id ``<assignment>-NN``."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.cells: list = []

    def add(self, cell) -> None:
        cell["id"] = f"{self.name}-{len(self.cells):02d}"
        self.cells.append(cell)

    def markdown(self, source: str, metadata: dict | None = None) -> None:
        import nbformat

        cell = nbformat.v4.new_markdown_cell(source)
        if metadata:
            cell.metadata = metadata
        self.add(cell)

    def code(self, source: str, metadata: dict) -> Any:
        import nbformat

        cell = nbformat.v4.new_code_cell(source)
        cell.metadata = metadata
        self.add(cell)
        return cell
