"""The ``sanshe-edu`` command as the user can type it from where they are.

A hint such as "run sanshe-edu lab" only helps when ``sanshe-edu`` is on ``PATH``; after the
README's set-up it is in ``.venv/bin`` (``.venv\\Scripts`` on Windows) and the virtual
environment is usually not active.  :func:`command` gives what works from the current folder.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path


def _script() -> Path:
    """The ``sanshe-edu`` script installed beside this Python (it may not exist)."""
    folder = Path(sys.executable).parent
    return folder / ("sanshe-edu.exe" if os.name == "nt" else "sanshe-edu")


def _shown(path: Path) -> str:
    """``path`` relative to the current folder when it is inside it, else absolute."""
    try:
        rel = path.absolute().relative_to(Path.cwd())
    except ValueError:
        return str(path.absolute())
    text = str(rel)
    return text if os.sep in text else f".{os.sep}{text}"


def command() -> str:
    """``sanshe-edu`` when that name runs this installation, else a path or ``python -m``.

    >>> import sys
    >>> command().endswith(("sanshe-edu", "sanshe-edu.exe", "-m sanshe_edu"))
    True
    """
    script = _script()
    found = shutil.which("sanshe-edu")
    if found and script.exists() and Path(found).resolve() == script.resolve():
        return "sanshe-edu"
    if script.exists():
        shown = _shown(script)
        return f'"{shown}"' if " " in shown else shown
    python = _shown(Path(sys.executable))
    return f'"{python}" -m sanshe_edu' if " " in python else f"{python} -m sanshe_edu"
