"""``SealedRecheck`` (after ``Execute``): remove the injected cells, run every test cell again
*outside* the student's kernel — in the grader's process, on the exported plain data, with the
grader's own copy of the helper library (:mod:`.recheck`) — and fail the cell unless both the
kernel run and the re-check passed.  Also caps each output's size and drops result values a test
cell could use to claim partial credit."""

from __future__ import annotations

import json

from nbformat.notebooknode import NotebookNode, from_dict
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Integer

from ...i18n import t
from .. import plain
from ._cells import (
    EXPORT_KEY,
    INJECT_KEY,
    REPAIRED_KEY,
    SEALED_RESOURCE,
    WIDGET_ANSWERS,
    WIDGET_RESOURCE,
    cell_grade_id,
    first_doc_line,
    is_test_cell,
)
from .recheck import Recheck, recheck


def _exports_from(cell: NotebookNode) -> dict[str, object] | None:
    for output in cell.get("outputs", []):
        if output.get("output_type") != "stream" or output.get("name") != "stdout":
            continue
        for line in str(output.get("text", "")).split("\n"):  # not splitlines: \x1e splits
            if not line.startswith(plain.MARKER):
                continue
            try:
                data = json.loads(line[len(plain.MARKER) :])
            except ValueError:
                return None
            values = data.get("values") if isinstance(data, dict) else None
            if not isinstance(values, dict):
                return None
            return values
    return None


def _cap_outputs(cell: NotebookNode, max_chars: int) -> None:
    used = 0
    kept = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream":
            text = str(output.get("text", ""))
            room = max(max_chars - used, 0)
            if len(text) > room:
                output["text"] = text[:room] + "\n" + t("grade.output_truncated") + "\n"
            used += len(output["text"])
        elif output.get("output_type") in ("display_data", "execute_result"):
            size = len(json.dumps(output.get("data", {}), default=str))
            if used + size > max_chars:
                continue
            used += size
        kept.append(output)
    cell["outputs"] = kept


class SealedRecheck(NbGraderPreprocessor):
    """Re-run every test outside the kernel on plain data; a test passes only if both pass."""

    recheck_timeout = Integer(10, help="seconds allowed to re-check one test cell").tag(config=True)
    max_output_chars = Integer(
        20_000, help="characters of output kept per cell (student output can be huge)"
    ).tag(config=True)

    def preprocess(self, nb, resources):
        folder = resources.get("metadata", {}).get("path") or "."
        exports: dict[str, dict | None] = {}
        cells = []
        for cell in nb.cells:
            if cell.get("metadata", {}).get(INJECT_KEY):
                continue
            key = cell.get("metadata", {}).get(EXPORT_KEY)
            if key is not None:
                exports[str(key)] = _exports_from(cell)
                continue
            if cell.cell_type == "code":
                _cap_outputs(cell, self.max_output_chars)
                _note_repair(cell)
            cells.append(cell)
        nb.cells = cells
        # The injected cells used execution counts: number the remaining ones 1, 2, 3, …
        count = 0
        for cell in nb.cells:
            if cell.cell_type == "code" and cell.get("execution_count") is not None:
                count += 1
                cell["execution_count"] = count
                for output in cell.get("outputs", []):
                    if output.get("output_type") == "execute_result":
                        output["execution_count"] = count
        widget_answers = {
            qid: rec.get("answer")
            for qid, rec in (resources.get(WIDGET_RESOURCE) or {}).items()
            if isinstance(rec, dict)
        }
        sealed = resources.get(SEALED_RESOURCE) or {}
        for cell in nb.cells:
            if not is_test_cell(cell):
                continue
            key = cell_grade_id(cell)
            cell.source = sealed.get(key, cell.source)  # the kernel ran it without its key
            result = recheck(
                cell.source,
                exports.get(key),
                folder,
                timeout=self.recheck_timeout,
                extra={WIDGET_ANSWERS: widget_answers},
            )
            outputs = [o for o in cell.outputs if o.get("output_type") != "execute_result"]
            failed_in_kernel = any(o.get("output_type") == "error" for o in outputs)
            if result.passed and not failed_in_kernel and result.score is None and _scores(cell):
                # A points-giving check that gave no number (no key: a broken build or a
                # tampered cell) earns nothing, rather than nbgrader's "no value = full marks".
                result.score = 0.0
            if result.passed and not failed_in_kernel and result.score is not None:
                # A check that gives points: what the student sees and the score are the
                # grader's own, never the kernel's.
                cell.outputs = _grader_outputs(cell, result)
                continue
            if not result.passed and not failed_in_kernel:
                self.log.warning(
                    "Test %s passed in the kernel but not outside it: %s", key, result.detail
                )
                message = t("grade.recheck_failed", check=first_doc_line(cell.source) or key)
                outputs.append(
                    from_dict(
                        {
                            "output_type": "error",
                            "ename": "CheckFailed",
                            "evalue": message,
                            "traceback": [message],
                        }
                    )
                )
            cell.outputs = outputs
        return nb, resources


def _note_repair(cell: NotebookNode) -> None:
    """An answer cell ``ExportAnswers`` repaired says so in its output (and the feedback)."""
    changes = cell.get("metadata", {}).pop(REPAIRED_KEY, None)
    if not changes:
        return
    lines = "、".join(dict.fromkeys(str(line) for line, _ in changes))
    pairs = "、".join(dict.fromkeys(str(pair) for _, pair in changes))
    note = t("grade.repaired", lines=lines, pairs=pairs)
    cell.setdefault("outputs", []).insert(
        0, from_dict({"output_type": "stream", "name": "stdout", "text": note + "\n"})
    )


def _scores(cell: NotebookNode) -> bool:
    """A test cell of the points-giving checks (``sanshe_edu.grade.checks``)."""
    return "sanshe_edu.grade.checks" in cell.source


def _grader_outputs(cell: NotebookNode, result: Recheck) -> list:
    points = float(cell.metadata.get("nbgrader", {}).get("points", 0) or 0)
    score = min(max(result.score or 0.0, 0.0), points)
    shown = int(score) if float(score).is_integer() else round(score, 2)
    outputs = []
    if result.printed:
        text = result.printed[:4000]
        outputs.append(from_dict({"output_type": "stream", "name": "stdout", "text": text}))
    outputs.append(
        from_dict(
            {
                "output_type": "execute_result",
                "execution_count": cell.get("execution_count"),
                "metadata": {},
                "data": {"text/plain": str(shown)},
            }
        )
    )
    return outputs
