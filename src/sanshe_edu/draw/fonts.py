"""Find an installed font with Chinese glyphs so figures never show boxes.

``find_cjk_font()`` looks through matplotlib's font list for well-known CJK fonts on Linux
(Noto / Source Han / WenQuanYi), Windows (Microsoft YaHei, SimHei, DengXian, SimSun) and macOS
(PingFang, Hiragino, Heiti, Songti, Arial Unicode). ``SANSHE_EDU_CJK_FONT`` names one to prefer.
If none is installed, drawing warns once (:class:`CJKFontWarning`, in the user's language) and
``font_status()`` says what to install — ``sanshe-edu doctor`` can report it.

>>> status = font_status()
>>> sorted(status)
['font', 'found', 'message', 'path']
"""

from __future__ import annotations

import os
import warnings
from functools import cache

from ..i18n import t

CJK_FONT_CANDIDATES: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "SimHei",
    "DengXian",
    "SimSun",
    "PingFang SC",
    "Hiragino Sans GB",
    "Heiti SC",
    "STHeiti",
    "Songti SC",
    "Arial Unicode MS",
    "Noto Sans CJK JP",
    "Noto Sans CJK TC",
    "Noto Serif CJK SC",
    "AR PL UMing CN",
)

ENV_VAR = "SANSHE_EDU_CJK_FONT"


class CJKFontWarning(UserWarning):
    """No font with Chinese glyphs is installed: Chinese labels would show as boxes.

    >>> issubclass(CJKFontWarning, UserWarning)
    True
    """


_warned = False


@cache
def _installed() -> dict[str, str]:
    from matplotlib import font_manager

    return {f.name: f.fname for f in font_manager.fontManager.ttflist}


def find_cjk_font(candidates: tuple[str, ...] | None = None) -> str | None:
    """``find_cjk_font(candidates=None) -> font family name or None``.

    >>> find_cjk_font(("No Such Font",)) is None
    True
    """
    installed = _installed()
    wanted = list(candidates if candidates is not None else CJK_FONT_CANDIDATES)
    preferred = os.environ.get(ENV_VAR)
    if preferred and candidates is None:
        wanted.insert(0, preferred)
    for name in wanted:
        if name in installed:
            return name
    return None


def font_status(lang: str | None = None) -> dict:
    """``font_status(lang=None) -> {"found": bool, "font": name|None, "path": str|None,
    "message": translated sentence}``.

    >>> font_status(lang="en")["message"].startswith(("Chinese font found", "No Chinese font"))
    True
    """
    font = find_cjk_font()
    if font:
        return {
            "found": True,
            "font": font,
            "path": _installed()[font],
            "message": t("draw.font_found", lang=lang, font=font),
        }
    return {
        "found": False,
        "font": None,
        "path": None,
        "message": t("draw.font_missing", lang=lang),
    }


def cjk_rc(font: str | None = None) -> dict:
    """rcParams for a local ``matplotlib.rc_context`` that draws Chinese with ``font``.

    Warns once (:class:`CJKFontWarning`) when no CJK font is installed.

    >>> cjk_rc("Noto Sans CJK SC")["font.family"]
    ['Noto Sans CJK SC', 'DejaVu Sans']
    """
    global _warned
    font = font or find_cjk_font()
    rc = {"axes.unicode_minus": False, "svg.fonttype": "none"}
    if font:
        rc["font.family"] = [font, "DejaVu Sans"]
    elif not _warned:
        _warned = True
        warnings.warn(t("draw.font_missing"), CJKFontWarning, stacklevel=3)
    return rc
