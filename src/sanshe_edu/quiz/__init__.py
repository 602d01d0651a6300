"""Widget exercises: eight question types built from question-bank records.

>>> from sanshe_edu.quiz import TYPES
>>> len(TYPES)
8
"""

from __future__ import annotations

from .records import TYPES

__all__ = ["TYPES"]
