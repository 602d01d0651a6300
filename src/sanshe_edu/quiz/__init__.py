"""Widget exercises: eight question types (``quiz/types``) built from question-bank records.

``ask("l04.org_kinds")`` shows a question (it is a cell's last expression); answers and scores
are saved to the per-user progress store and restored when the notebook is run again.
``ask("a2.phases", graded=True)`` shows "saved" rather than right/wrong and keeps the answer in
the notebook itself (and in ``sanshe_answers.json`` in the current folder); when nbgrader
re-executes the notebook it shows the question and the saved answer as static output, and an
assignment's check reads it (``sanshe_edu.grade.checks.check_widget``).
``progress_overview()`` shows done / score / what is left per lesson; ``my_mastery()`` the
concept map (mastery per concept, ``quiz.mastery``); ``review_today()`` the questions due for
spaced review (``quiz.review``); ``concepts_of(qid)`` the concepts a question tests.

Importing this package does not import ipywidgets; :func:`ask` does.

>>> from sanshe_edu.quiz import TYPES
>>> len(TYPES)
8
>>> recorded_answer("a2.never", folder="/nonexistent") is None
True
"""

from __future__ import annotations

import logging
import os
from typing import Any

from .graded import recorded_answer
from .types import names

TYPES = names()
DEBUG_VAR = "SANSHE_EDU_DEBUG"

__all__ = [
    "TYPES",
    "ask",
    "concepts_of",
    "my_mastery",
    "progress_overview",
    "progress_summary",
    "progress_transfer",
    "recorded_answer",
    "review_today",
]


def progress_transfer(folder: str | os.PathLike = "."):
    """Two buttons: export the whole progress as one file (saved in ``folder`` and offered as a
    download), and import such a file (:mod:`sanshe_edu.quiz.transfer`). The same file moves
    between the browser edition and JupyterLab."""
    from .transfer_panel import TransferPanel

    return TransferPanel(folder)


def ask(qid: str | list[str], *, graded: bool = False, folder: str | os.PathLike = ".") -> Any:
    """The widget for question ``qid`` (``"<bank>.<id>"``), ready to display.

    A graded question is shown to each student with its options and items in an order of
    their own; a list of equivalent questions (a bank ``group``) shows each student one of
    them (``quiz.graded.choose_variant``).

    An unknown id gives a widget that says so (in the user's language), not a traceback. A
    failure while building the widget (a bug, or a bank naming something that is not there)
    gives a widget naming the question and the error; ``SANSHE_EDU_DEBUG=1`` raises it
    instead, for the developer.
    """
    from .graded import under_nbgrader

    if isinstance(qid, list | tuple):
        from .graded import choose_variant, student_id

        qid = choose_variant([str(x) for x in qid], student_id(), folder)
    if graded and under_nbgrader():
        # nbgrader re-running a hand-in: nobody clicks, so no widget (ipywidgets is not even
        # imported) — the graded copy and the feedback show the question and the saved answer.
        from .graded import GradedRecord

        return GradedRecord(qid, folder)

    import ipywidgets as W

    from ..errors import SansheError
    from ..i18n import t
    from .bank import question
    from .ui import error_html
    from .widgets import QuestionWidget

    try:
        q = question(qid)
    except SansheError as exc:
        return W.HTML(error_html(t("quiz.unknown_question", qid=qid, detail=exc)))
    try:
        return QuestionWidget(q, graded=graded, folder=str(folder))
    except Exception as exc:
        if os.environ.get(DEBUG_VAR):
            raise
        logging.getLogger(__name__).debug("building %s failed", qid, exc_info=exc)
        detail = f"{type(exc).__name__}: {exc}"
        shown = W.HTML(error_html(t("quiz.build_failed", qid=qid, detail=detail)))
        shown.error = exc  # for a developer looking at the widget
        return shown


def progress_summary() -> list[dict]:
    """Per lesson bank: ``bank, title, done, total, score, max, left`` (qids not done yet)."""
    from .score import progress_summary as summary

    return summary()


def progress_overview() -> Any:
    """A widget with one row per lesson: done, score and what is left; a Refresh button."""
    from .overview import ProgressOverview

    return ProgressOverview()


def concepts_of(qid: str) -> list[str]:
    """The concepts question ``qid`` tests (``[]`` for an unknown id)."""
    from .concepts import concepts_of as of

    return of(qid)


def my_mastery() -> Any:
    """The learner's concept map ("我的掌握情况"): each concept coloured and labelled by mastery,
    a link to its lesson section, and the concepts to work on with their questions."""
    from .review_ui import my_mastery as shown

    return shown()


def review_today(today: Any = None) -> Any:
    """The questions due for review today ("复习"); ``today`` (a date) or ``SANSHE_EDU_NOW``
    moves the day."""
    from .review_ui import review_today as shown

    return shown(today)
