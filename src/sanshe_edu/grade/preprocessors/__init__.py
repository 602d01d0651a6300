"""nbgrader preprocessors that close the gaps listed in docs/threat-model.md.

They are named in ``grading/nbgrader_config.py`` (``sanshe_edu.grade.preprocessors.<Class>``)
so that plain ``nbgrader autograde`` and ``nbgrader generate_feedback`` use them as well as
``sanshe-edu grade``. One module per preprocessor, as nbgrader keeps its own; every name is
re-exported here, and those paths are a public API.

- :class:`TemplateSolutions` (release): an answer cell gets its runnable template.
- :class:`CollectWidgetAnswers` (before the outputs are cleared): the graded widgets' answers
  kept in the notebook's metadata.
- :class:`RestoreCellMetadata` and :class:`OverwriteCells`: every known cell's nbgrader flags
  and locked sources back from the gradebook.
- :class:`ExportAnswers` (before ``Execute``): before every test cell, inject a cell printing
  the plain-data values of the names that test reads (see :mod:`sanshe_edu.grade.plain`).
- :class:`SealedRecheck` (after ``Execute``): remove the injected cells, run every test cell
  again *outside* the student's kernel (:func:`recheck`) and fail the cell unless both the
  kernel run and the re-check passed.
- :class:`HideHiddenTests` (feedback): strip the hidden-test region from test cells and replace
  test-cell tracebacks (which quote the failing hidden line) by the check's one-line docstring.

>>> sorted(free_names("x = answer + 1\\nassert sorted(x) == other"))
['answer', 'other']
"""

from ._cells import (
    BEGIN_HIDDEN,
    END_HIDDEN,
    EXPORT_KEY,
    INJECT_KEY,
    WIDGET_ANSWERS,
    WIDGET_RESOURCE,
    cell_grade_id,
    first_doc_line,
    free_names,
    is_test_cell,
    names_read,
)
from .export_answers import ExportAnswers
from .hide_hidden_tests import HideHiddenTests, strip_hidden
from .overwrite_cells import OverwriteCells
from .recheck import Recheck, recheck
from .restore_metadata import MarksRemovedError, RestoreCellMetadata
from .sealed_recheck import SealedRecheck
from .template_solutions import TemplateSolutions
from .widget_answers import (
    MAX_RECORD_CHARS,
    CollectWidgetAnswers,
    answer_record,
    merge_widget_answers,
)

__all__ = [
    "BEGIN_HIDDEN",
    "END_HIDDEN",
    "EXPORT_KEY",
    "INJECT_KEY",
    "MAX_RECORD_CHARS",
    "WIDGET_ANSWERS",
    "WIDGET_RESOURCE",
    "CollectWidgetAnswers",
    "ExportAnswers",
    "HideHiddenTests",
    "MarksRemovedError",
    "OverwriteCells",
    "Recheck",
    "RestoreCellMetadata",
    "SealedRecheck",
    "TemplateSolutions",
    "answer_record",
    "cell_grade_id",
    "first_doc_line",
    "free_names",
    "is_test_cell",
    "merge_widget_answers",
    "names_read",
    "recheck",
    "strip_hidden",
]
