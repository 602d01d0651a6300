"""``ExportAnswers`` (before ``Execute``): before every test cell, a cell printing the plain-data
values of the names that test reads (see :mod:`sanshe_edu.grade.plain`); and an answer cell that
does not compile only because of Chinese-keyboard punctuation outside strings is repaired
first (:func:`sanshe_edu.grade.forms.repair_syntax`, the repairs the course prints when such a
cell runs), so a right answer saved without running is graded; ``SealedRecheck`` notes it.

The student's kernel never executes a key: its input history (``In``, ``_ih``, ``_i3`` …) and
anything a later student cell could print hold only the visible part of each check. The whole
source stays in the grader's memory (``resources``) for the re-check outside the kernel, which
alone scores (:mod:`.sealed_recheck`)."""

from __future__ import annotations

import contextlib
import os

from nbformat.notebooknode import NotebookNode, from_dict
from nbgrader.preprocessors import NbGraderPreprocessor
from nbgrader.utils import is_solution

from .. import forms, plain
from ._cells import (
    EXPORT_KEY,
    INJECT_KEY,
    REPAIRED_KEY,
    SEALED_RESOURCE,
    WIDGET_RESOURCE,
    cell_grade_id,
    is_test_cell,
    names_read,
)
from .hide_hidden_tests import strip_hidden
from .widget_answers import merge_widget_answers


def repair_answers(nb) -> list[str]:
    """Repair each answer cell that does not compile only because of Chinese punctuation
    outside strings; mark it (``REPAIRED_KEY``: the changes) and return the cells' grade ids.

    >>> from nbformat.v4 import new_code_cell, new_notebook
    >>> cell = new_code_cell('x = ["a"，"b"]', metadata={"nbgrader": {"solution": True,
    ...     "grade_id": "q1"}})
    >>> nb = new_notebook(cells=[cell])
    >>> repair_answers(nb), cell.source, cell.metadata[REPAIRED_KEY]
    (['q1'], 'x = ["a","b"]', [[1, '， → ,']])
    """
    repaired = []
    for cell in nb.cells:
        if cell.cell_type != "code" or not is_solution(cell):
            continue
        fixed = forms.repair_syntax(cell.source)
        if fixed is None:
            continue
        cell.source = fixed[0]
        cell.metadata[REPAIRED_KEY] = [list(change) for change in fixed[1]]
        repaired.append(cell_grade_id(cell))
    return repaired


def _injected(source: str, meta: dict, n: int) -> NotebookNode:
    return from_dict(
        {
            "cell_type": "code",
            "execution_count": None,
            "id": f"sanshe-inject-{n}",
            "metadata": meta,
            "outputs": [],
            "source": source,
        }
    )


class ExportAnswers(NbGraderPreprocessor):
    """Inject, before each test cell, a cell that prints the plain answers the test reads.

    A first injected cell remembers the kernel's own ``sys.stdout``/``sys.stderr`` and folder;
    each export cell gives them back to the test (whatever the student's code changed) and a
    cell after the test restores the student's choice, so honest oddities cost nothing (only
    when the student's code mentions the streams or `chdir`: each cell is a round trip)."""

    #: Words of the student's code that may change the kernel's streams or folder; only then
    #: are the setup and resume cells added (each cell costs a round trip to the kernel).
    state_words = ("stdout", "stderr", "chdir")

    def preprocess(self, nb, resources):
        from ...quiz import graded

        folder = resources.get("metadata", {}).get("path") or "."
        for grade_id in repair_answers(nb):
            self.log.info("Answer cell %s: Chinese punctuation replaced for grading", grade_id)
        answers = merge_widget_answers(nb, folder)
        resources[WIDGET_RESOURCE] = answers
        if answers:  # the re-executed widgets show them (in the graded copy and the feedback)
            with contextlib.suppress(OSError):
                path = graded.answers_path(folder)
                graded.write_answers(path, answers)
                os.chmod(path, 0o644)  # the sandboxed kernel (another uid) reads it
        guard = any(
            word in cell.source
            for cell in nb.cells
            if cell.cell_type == "code" and not is_test_cell(cell)
            for word in self.state_words
        )
        cells = [_injected(plain.SETUP_CODE, {INJECT_KEY: "setup"}, 0)] if guard else []
        sealed = resources.setdefault(SEALED_RESOURCE, {})
        for cell in nb.cells:
            if is_test_cell(cell):
                names = sorted(names_read(cell.source))
                key = cell_grade_id(cell)
                sealed[key] = cell.source
                cell.source = strip_hidden(cell.source)
                cells.append(
                    _injected(plain.export_code(key, names), {EXPORT_KEY: key}, len(cells))
                )
                cells.append(cell)
                if guard:
                    cells.append(_injected(plain.RESUME_CODE, {INJECT_KEY: "resume"}, len(cells)))
                continue
            cells.append(cell)
        nb.cells = cells
        return nb, resources
