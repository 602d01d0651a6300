"""``HideHiddenTests`` (feedback): the hidden-test region stripped from test cells, and test-cell
tracebacks (which quote the failing hidden line) replaced by the check's one-line docstring."""

from __future__ import annotations

import copy

from nbgrader.preprocessors import NbGraderPreprocessor

from ...i18n import t
from ._cells import BEGIN_HIDDEN, END_HIDDEN, cell_grade_id, first_doc_line, is_test_cell


def strip_hidden(source: str) -> str:
    """Remove the hidden-test region, leaving one comment line in its place.

    >>> print(strip_hidden('a = 1\\n### BEGIN HIDDEN TESTS\\nassert a == 2\\n### END HIDDEN TESTS'))
    a = 1
    # …
    """
    lines, hiding = [], False
    for line in source.splitlines():
        if BEGIN_HIDDEN in line:
            hiding = True
            lines.append("# …")
            continue
        if END_HIDDEN in line:
            hiding = False
            continue
        if not hiding:
            lines.append(line)
    return "\n".join(lines)


class HideHiddenTests(NbGraderPreprocessor):
    """Feedback without hidden tests: no hidden source, no traceback quoting it."""

    def preprocess(self, nb, resources):
        nb = copy.deepcopy(nb)
        for cell in nb.cells:
            if not is_test_cell(cell):
                continue
            check = first_doc_line(cell.source) or cell_grade_id(cell)
            cell.source = strip_hidden(cell.source)
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    message = t("grade.feedback_check_failed", check=check)
                    output["ename"] = t("grade.feedback_failed_name")
                    output["evalue"] = message
                    output["traceback"] = [message]
        return nb, resources
