"""``CollectWidgetAnswers``: the graded widgets' answers kept in a submission (its outputs, and
a ``sanshe_answers.json`` beside it), read as bounded plain records (docs/threat-model.md)."""

from __future__ import annotations

import json

from nbgrader.preprocessors import NbGraderPreprocessor

MAX_RECORD_CHARS = 20_000


def answer_record(data) -> dict | None:
    """A graded widget's answer as kept in a notebook output, if it looks like one (plain JSON
    of bounded size; anything else is ignored)."""
    if not isinstance(data, dict) or not isinstance(data.get("qid"), str):
        return None
    if len(data["qid"]) > 100 or data.get("answer") is None:
        return None
    try:
        size = len(json.dumps(data.get("answer"), ensure_ascii=False))
    except (TypeError, ValueError):
        return None
    if size > MAX_RECORD_CHARS:
        return None
    updated = data.get("updated")
    return {
        "type": str(data.get("type", ""))[:20],
        "answer": data["answer"],
        "updated": updated[:40] if isinstance(updated, str) else "",
    }


def _newer(a: dict | None, b: dict) -> bool:
    """Whether ``b`` replaces ``a``: compared as times (``quiz.graded.newer``), not as text."""
    from ...quiz.graded import newer

    return newer(a, b)


class CollectWidgetAnswers(NbGraderPreprocessor):
    """Before the outputs are cleared: keep the graded widgets' answers saved in the notebook
    (``quiz.graded``) in the notebook's metadata, for :class:`ExportAnswers`. Whatever the
    metadata held before is replaced: only the outputs count."""

    def preprocess(self, nb, resources):
        from ...quiz.graded import NOTEBOOK_MIME

        found: dict[str, dict] = {}
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            for output in cell.get("outputs", []):
                data = output.get("data", {}) if isinstance(output, dict) else {}
                rec = answer_record(data.get(NOTEBOOK_MIME)) if isinstance(data, dict) else None
                qid = data.get(NOTEBOOK_MIME, {}).get("qid") if rec else None
                if rec and _newer(found.get(qid), rec):
                    found[qid] = rec
        nb.metadata["sanshe_edu"] = {"widget_answers": found}
        return nb, resources


def merge_widget_answers(nb, folder: str) -> dict[str, dict]:
    """The widget answers of a submission: those kept in the notebook, and those of a
    ``sanshe_answers.json`` handed in beside it (the newer one of each question wins)."""
    from ...quiz import graded

    meta = nb.metadata.get("sanshe_edu", {})
    inside = meta.get("widget_answers", {}) if isinstance(meta, dict) else {}
    merged: dict[str, dict] = {}
    try:
        beside, _ = graded.load_answers(folder)
    except Exception:  # an unreadable file beside the notebook: the notebook's answers count
        beside = {}
    for source in (beside, inside):
        if not isinstance(source, dict):
            continue
        for qid, data in source.items():
            rec = answer_record({**data, "qid": qid}) if isinstance(data, dict) else None
            if rec and _newer(merged.get(qid), rec):
                merged[str(qid)] = rec
    return merged
