"""``matrix`` — decide the outcome of the listed cells of a rows × columns grid; share of right
cells. Each asked cell holds a chooser of the outcomes (lettered when many or long)."""

from __future__ import annotations

from typing import Any, ClassVar

from ...i18n import pick
from ..result import Msg, Result
from ..ui import esc
from ._base import (
    ID,
    TEXT,
    Controls,
    QuestionType,
    Sealer,
    entries,
    open_wrong,
    seal_wrong,
    wrong_feedback_rules,
)

CELLS = {
    "type": "array",
    "minItems": 1,
    "items": {
        "type": "object",
        "required": ["row", "column"],
        "additionalProperties": False,
        "properties": {
            "row": ID,
            "column": ID,
            "answer": ID,
            "feedback": TEXT,
            "wrong_feedback": TEXT,
        },
    },
}


def cell_id(c: dict) -> str:
    return f"{c['row']}/{c['column']}"


class Matrix(QuestionType):
    name = "matrix"
    fields: ClassVar[dict] = {
        "rows": entries(),
        "columns": entries(),
        "outcomes": entries(min_items=2),
        "cells": CELLS,
    }
    required = ("rows", "columns", "outcomes", "cells")
    lists = ("rows", "columns", "outcomes")

    def rules(self, c: Any, q: dict, keyed: bool) -> None:
        ids = {f: sorted(e["id"] for e in q[f]) for f in ("rows", "columns", "outcomes")}
        seen: set[tuple] = set()
        for i, cell in enumerate(q["cells"]):
            where = f"cells[{i}]"
            for part, what in (("row", "quiz.what_row"), ("column", "quiz.what_column")):
                if cell[part] not in ids[f"{part}s"]:
                    c.choice(f"{where}.{part}", what, cell[part], ids[f"{part}s"])
            if (cell["row"], cell["column"]) in seen:
                c.add(where, "repeated_id", value=cell_id(cell))
            seen.add((cell["row"], cell["column"]))
            if "answer" not in cell:
                if keyed:
                    c.add(f"{where}.answer", "missing")
            elif cell["answer"] not in ids["outcomes"]:
                c.choice(f"{where}.answer", "quiz.what_outcome", cell["answer"], ids["outcomes"])
        wrong_feedback_rules(c, "cells", q["cells"], keyed, name=lambda i, _e: f"cells[{i}]")

    def compile(self, q: dict, s: Sealer) -> dict:
        out: dict[str, Any] = {
            f: [{"id": e["id"], "text": e["text"]} for e in q[f]]
            for f in ("rows", "columns", "outcomes")
        }
        out["cells"] = []
        outcomes = [o["id"] for o in q["outcomes"]]
        for cell in q["cells"]:
            entry = {"row": cell["row"], "column": cell["column"]}
            if s.keyed:
                entry["key"] = s.digest(cell_id(cell), cell["answer"])
                entry["why"] = s.seal(cell.get("feedback"), "why", cell_id(cell), cell["answer"])
                entry["not"] = seal_wrong(s, cell, cell_id(cell), cell["answer"], outcomes)
            out["cells"].append(entry)
        return out

    def plain_answer(self, q: dict) -> Any:
        return {cell_id(c): c.get("answer") for c in q["cells"]}

    def key_string(self, q: dict, answer: Any) -> str:
        return ",".join(f"{cell_id(c)}={answer.get(cell_id(c))}" for c in q["cells"])

    def normalise(self, q: dict, answer: Any) -> Any:
        if not isinstance(answer, dict):
            return None
        values = {o["id"] for o in q["outcomes"]}
        return {k: answer[k] for k in map(cell_id, q["cells"]) if answer.get(k) in values}

    def incomplete(self, q: dict, answer: Any) -> Msg | None:
        n = len(q["cells"]) - len(answer)
        return Msg("quiz.incomplete", {"n": n}) if n else None

    def judge(self, q: dict, answer: Any, res: Result, s: Sealer) -> tuple[int, int]:
        rows, cols, outs = (
            {e["id"]: e["text"] for e in q[f]} for f in ("rows", "columns", "outcomes")
        )
        right = 0
        for c in q["cells"]:
            chosen = answer[cell_id(c)]
            fields = {"row": rows[c["row"]], "column": cols[c["column"]], "outcome": outs[chosen]}
            if s.digest(cell_id(c), chosen) == c["key"]:
                right += 1
                why = s.open(c.get("why"), "why", cell_id(c), chosen)
                res.lines.append(Msg("quiz.item_right", {"item": Msg("quiz.cell", fields)}, why))
            else:
                why = open_wrong(s, c, cell_id(c), chosen)
                res.lines.append(Msg("quiz.item_wrong_cell", fields, reason=why))
        return right, len(q["cells"])

    def texts(self, q: dict, lang: str | None = None) -> dict[str, str]:
        """The rows, columns and outcomes, and each asked cell ``row/column`` in words."""
        out = super().texts(q, lang)
        for c in q.get("cells") or []:
            if isinstance(c, dict) and "row" in c and "column" in c:
                row, col = str(c["row"]), str(c["column"])
                out[f"{row}/{col}"] = f"{out.get(row, row)} · {out.get(col, col)}"
        return out

    def reason_entry(self, q: dict, part: str, choice: str) -> dict | None:
        cells = q.get("cells") or []
        return next((c for c in cells if isinstance(c, dict) and cell_id(c) == part), None)

    def controls(self, q: dict, frame: Any) -> Controls:
        import ipywidgets as W

        from ._choosers import Choosers, chooser, legend, lettered

        asked = {(c["row"], c["column"]) for c in q["cells"]}
        with_letters = lettered(q["outcomes"])
        choosers = {}
        cells: list[W.Widget] = [W.HTML("")]
        cells += [W.HTML(f"<b>{esc(pick(c['text']))}</b>") for c in q["columns"]]
        for r in q["rows"]:
            cells.append(W.HTML(f"<b>{esc(pick(r['text']))}</b>"))
            for c in q["columns"]:
                if (r["id"], c["id"]) in asked:
                    d = chooser(
                        q["outcomes"], with_letters, f"{pick(r['text'])} × {pick(c['text'])}"
                    )
                    choosers[f"{r['id']}/{c['id']}"] = d
                    cells.append(d)
                else:
                    cells.append(W.HTML("—"))
        columns = f"minmax(8em, auto) repeat({len(q['columns'])}, minmax(8em, 1fr))"
        grid = W.GridBox(cells, layout=W.Layout(grid_template_columns=columns, grid_gap="4px 8px"))
        return Choosers(choosers, W.VBox([legend(q["outcomes"]), grid]) if with_letters else grid)


TYPE = Matrix()
