"""``sanshe-edu grade validate PATH``: run a notebook's tests; exit 1 when any fails.

``nbgrader validate`` prints failures but exits 0 (jupyter/nbgrader#1908), which is useless in
CI.  This uses nbgrader's own ``Validator`` (structured results) and turns them into an exit
status: 0 all checks passed, 1 a check failed or a locked cell was changed, 2 bad input (a path
that does not exist or is not a readable notebook; the other paths are still validated).
"""

from __future__ import annotations

import sys
from pathlib import Path

from ...i18n import t
from ..preprocessors import first_doc_line


def _notebooks(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    return [path]


def _config(course_path: str | None):
    from traitlets.config import Config

    from .course import find_course, load_config

    try:
        return load_config(find_course(course_path))
    except Exception:  # no course folder: nbgrader's defaults are fine for validating
        return Config()


def _widget_answers(nb_path: Path) -> dict:
    """The widget answers a notebook is validated with: those saved inside it and in a
    ``sanshe_answers.json`` beside it (the newer of each wins), or for a source notebook the
    model answers (``model_answers.json``, which nbgrader never copies to students)."""
    import nbformat

    from ...quiz.graded import answers_path, read_answers
    from ..preprocessors import CollectWidgetAnswers, merge_widget_answers

    model = nb_path.parent / "model_answers.json"
    if model.is_file() and not answers_path(nb_path.parent).exists():
        return read_answers(model)
    try:
        nb = nbformat.read(str(nb_path), as_version=4)
    except Exception:  # reported as unreadable by the caller
        return {}
    nb, _ = CollectWidgetAnswers().preprocess(nb, {})
    return merge_widget_answers(nb, str(nb_path.parent))


def _validate_one(validator, nb_path: Path) -> dict:
    """Validate in a scratch copy holding the notebook's widget answers as its answers file
    (so a notebook handed in alone is validated as autograde will grade it)."""
    import shutil
    import tempfile

    from ...quiz.graded import write_answers

    answers = _widget_answers(nb_path)
    if not answers:
        return validator.validate(str(nb_path))
    with tempfile.TemporaryDirectory(prefix="sanshe-validate-") as tmp:
        copy = Path(tmp) / nb_path.name
        shutil.copy2(nb_path, copy)
        write_answers(Path(tmp), answers)
        return validator.validate(str(copy))


def _validator_class():
    from nbgrader.validator import Validator

    class KeepingValidator(Validator):
        """nbgrader's Validator, keeping the executed notebook (for the checks' own words)."""

        executed = None

        def _preprocess(self, nb):
            nb = super()._preprocess(nb)
            self.executed = nb
            return nb

    return KeepingValidator


def _said(executed, source: str) -> str:
    """What the executed test cell with ``source`` printed (the check's plain words)."""
    if executed is None:
        return ""
    for cell in executed.cells:
        if cell.cell_type == "code" and cell.source.strip() == source.strip():
            text = "".join(
                str(o.get("text", ""))
                if o.get("output_type") == "stream"
                else str(o.get("data", {}).get("text/plain", "")) + "\n"
                for o in cell.get("outputs", [])
                if (o.get("output_type") == "stream" and o.get("name") == "stdout")
                or o.get("output_type") == "display_data"  # a widget check's updatable line
            )
            return " ".join(line.strip() for line in text.splitlines() if line.strip())
    return ""


def validate_paths(paths: list[Path], course_path: str | None = None) -> int:
    """Validate every notebook in ``paths``; print one line per notebook and a summary.

    A failed check is reported in the check's own words (what the student sees under the item,
    in the user's language), else by its one-line description."""
    import nbformat

    Validator = _validator_class()

    cfg = _config(course_path)
    status = 0
    checked = failed = bad = 0
    for path in paths:
        if not path.exists():
            print(f"sanshe-edu: {t('grade.no_such_path', path=path)}", file=sys.stderr)
            bad += 1
            continue
        for nb_path in _notebooks(path):
            try:
                nbformat.validate(nbformat.read(str(nb_path), as_version=4))
            except Exception as exc:  # not JSON, not a notebook, wrong schema
                detail = (str(exc).splitlines() or [type(exc).__name__])[0][:120]
                print(
                    f"sanshe-edu: {t('grade.unreadable', file=nb_path, detail=detail)}",
                    file=sys.stderr,
                )
                bad += 1
                continue
            checked += 1
            validator = Validator(config=cfg)
            result = _validate_one(validator, nb_path)
            problems = []
            stub = str(cfg.get("ClearSolutions", {}).get("text_stub", "YOUR ANSWER HERE"))
            for cell in result.get("failed", []):
                if cell["source"].strip() in (stub.strip(), "YOUR ANSWER HERE"):
                    problems.append(t("grade.validate_written_empty"))  # a short answer
                    continue
                doc = first_doc_line(cell["source"]) or cell["source"][:60]
                said = _said(validator.executed, cell["source"])
                problems.append(t("grade.validate_item", doc=doc, said=said) if said else doc)
            for _cell in result.get("changed", []) + result.get("type_changed", []):
                problems.append(t("grade.cell_changed"))
            if problems:
                failed += 1
                print(t("grade.validate_failed", file=nb_path, n=len(problems)))
                for problem in problems:
                    print(f"  - {problem}")
            else:
                print(t("grade.validate_ok", file=nb_path))
    print(t("grade.summary_validate", checked=checked, failed=failed, bad=bad))
    if failed:
        status = 1
    elif bad:
        status = 2
    return status
