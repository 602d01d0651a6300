"""Where the course is running: JupyterLab on a computer, or the browser edition (Pyodide).

The browser edition's kernel runs in WebAssembly (``sys.platform == "emscripten"``). There only
``/drive`` — the JupyterLite file browser's folder, kept in the browser's storage — survives a
reload; the home folder does not. The site built by ``sanshe-edu lite build`` sets
``SANSHE_EDU_DATA_DIR`` to :data:`BROWSER_DATA_DIR` at kernel start, so the progress store
(:func:`sanshe_edu.paths.data_dir`) is under ``/drive`` with no change to the store.

>>> in_browser()
False
>>> browser_data_dir()
PurePosixPath('/drive/.sanshe-edu')
"""

from __future__ import annotations

import sys
from pathlib import PurePosixPath

#: The progress store's folder in the browser edition.
BROWSER_DATA_DIR = "/drive/.sanshe-edu"


def in_browser() -> bool:
    """True inside the browser edition's Pyodide kernel."""
    return sys.platform == "emscripten"


def browser_data_dir() -> PurePosixPath:
    """The progress store's folder in the browser edition (under the persistent ``/drive``)."""
    return PurePosixPath(BROWSER_DATA_DIR)
