"""Errors whose message is in the user's language and says what to do.

>>> from sanshe_edu.i18n import use_lang
>>> with use_lang("en"):
...     raise SansheError("common.unknown_choice", what="phase", value="needs", choices="a, b")
Traceback (most recent call last):
...
sanshe_edu.errors.SansheError: unknown phase 'needs'; valid choices: a, b
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from .i18n import t


class SansheError(ValueError):
    """A ``ValueError`` carrying a catalogue key, so the message follows the language."""

    def __init__(self, key: str, **fields: object) -> None:
        self.key = key
        self.fields = fields
        super().__init__(t(key, **fields))

    def message(self, lang: str | None = None) -> str:
        """The message again, in ``lang``."""
        return t(self.key, lang=lang, **self.fields)

    def _render_traceback_(self) -> list[str]:
        """What IPython/Jupyter shows instead of a traceback: one line saying what to fix.

        IPython calls this hook for an exception raised in a cell, so a student who passes a
        misspelt phase sees the message, not forty lines of library internals. The cell still
        fails (execution stops, nbgrader counts it as an error).

        >>> from sanshe_edu.i18n import use_lang
        >>> with use_lang("en"):
        ...     err = SansheError("common.unknown_choice", what="kind", value="x", choices="a")
        ...     lines = err._render_traceback_()
        >>> len(lines), "Input problem:" in lines[0], lines[0].endswith("valid choices: a")
        (1, True, True)
        """
        return [f"\x1b[1;31m{t('common.input_problem')}\x1b[0m {self}"]


def unknown_choice(what: str, value: object, choices: Iterable[str]) -> SansheError:
    """Build the error for a value outside ``choices``, with a "did you mean" when one is close.

    >>> from sanshe_edu.i18n import use_lang
    >>> with use_lang("en"):
    ...     print(unknown_choice("phase", "evaluaton", ["needs_assessment", "evaluation"]))
    unknown phase 'evaluaton'; valid choices: needs_assessment, evaluation
    (did you mean: evaluation)
    """
    choices = [str(c) for c in choices]
    listed = ", ".join(choices)
    close = difflib.get_close_matches(str(value), choices, n=3, cutoff=0.6)
    if close:
        return SansheError(
            "common.unknown_choice_close",
            what=what,
            value=value,
            choices=listed,
            close=", ".join(close),
        )
    return SansheError("common.unknown_choice", what=what, value=value, choices=listed)
