"""nbgrader preprocessors (being split into one module per preprocessor)."""

from .sealed_recheck import *  # noqa: F403
from .sealed_recheck import (  # noqa: F401
    BEGIN_HIDDEN,
    END_HIDDEN,
    EXPORT_KEY,
    INJECT_KEY,
    MAX_RECORD_CHARS,
    WIDGET_ANSWERS,
    WIDGET_RESOURCE,
    CollectWidgetAnswers,
    ExportAnswers,
    HideHiddenTests,
    MarksRemovedError,
    OverwriteCells,
    Recheck,
    RestoreCellMetadata,
    SealedRecheck,
    TemplateSolutions,
    answer_record,
    first_doc_line,
    free_names,
    is_test_cell,
    merge_widget_answers,
    names_read,
    recheck,
    strip_hidden,
)
