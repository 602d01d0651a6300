"""sanshe_edu — helpers for the 三社联动 (community / social organisations / social work) course.

Importing the package is cheap and changes nothing global: submodules (and heavy libraries
such as matplotlib) load only when first used.

>>> import sanshe_edu
>>> sanshe_edu.get_lang() in ("zh", "en")
True
"""

from __future__ import annotations

from .i18n import get_lang, set_lang, t

__version__ = "0.1.0"

__all__ = ["__version__", "get_lang", "set_lang", "t"]
