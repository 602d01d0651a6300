"""The class roster for the grade commands: the one reader in :mod:`sanshe_edu.roster`
(kept importable here; new code imports ``sanshe_edu.roster``)."""

from __future__ import annotations

from ...roster import ROSTER_NAME, course_roster, load_roster

__all__ = ["ROSTER_NAME", "course_roster", "load_roster"]
