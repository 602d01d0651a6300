"""Find an installed font with Chinese glyphs (for ``sanshe-edu doctor``: the browser draws the
figures' text with the system's fonts, so a machine without one shows boxes).

``find_cjk_font()`` asks fontconfig (``fc-list``) on Linux, and looks for the system fonts'
files on Windows (Microsoft YaHei, SimHei, DengXian, SimSun) and macOS (PingFang, Hiragino,
Heiti, Songti, Arial Unicode) — no matplotlib and no font cache, so a font installed a minute
ago is found. ``SANSHE_EDU_CJK_FONT`` names one to prefer. ``font_status()`` says what to
install.

>>> status = font_status()
>>> sorted(status)
['font', 'found', 'message', 'path']
"""

from __future__ import annotations

import os
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


#: Font files of the fonts that come with Windows and macOS.
_SYSTEM_FILES = {
    "msyh.ttc": "Microsoft YaHei",
    "simhei.ttf": "SimHei",
    "Deng.ttf": "DengXian",
    "simsun.ttc": "SimSun",
    "PingFang.ttc": "PingFang SC",
    "Hiragino Sans GB.ttc": "Hiragino Sans GB",
    "STHeiti Light.ttc": "Heiti SC",
    "Songti.ttc": "Songti SC",
    "Arial Unicode.ttf": "Arial Unicode MS",
}


def _fontconfig() -> dict[str, str]:
    import shutil
    import subprocess

    fc = shutil.which("fc-list")
    if not fc:
        return {}
    try:
        out = subprocess.run(
            [fc, "--format", "%{family}\t%{file}\n"],
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    found: dict[str, str] = {}
    for line in sorted(out.splitlines()):
        families, _, path = line.partition("\t")
        for family in families.split(","):
            found.setdefault(family.strip(), path)
    return found


@cache
def _installed() -> dict[str, str]:
    import sys
    from pathlib import Path

    found = _fontconfig() if not sys.platform.startswith("win") else {}
    folders = [
        Path(os.environ.get("WINDIR", "C:/Windows")) / "Fonts",
        Path("/System/Library/Fonts"),
        Path("/System/Library/Fonts/Supplementary"),
        Path("/Library/Fonts"),
        Path.home() / "Library" / "Fonts",
    ]
    for folder in folders:
        for file, family in _SYSTEM_FILES.items():
            path = folder / file
            if family not in found and path.is_file():
                found[family] = str(path)
    return found


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
