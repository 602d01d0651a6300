"""``课堂.ipynb``: the one-cell notebook in each student's course folder that shows the poll
panel (written by the hub's single-user wrapper when the class has the live service)."""

from __future__ import annotations

import json
from pathlib import Path

from ...i18n import t

NAME = "课堂.ipynb"
CELL = "from sanshe_edu.classroom.live.panel import show\n\nshow()"


def notebook(lang: str) -> dict:
    intro = t("live.notebook_intro", lang=lang)
    return {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": intro, "id": "live-intro"},
            {
                "cell_type": "code",
                "metadata": {"tags": ["sanshe-live"]},
                "source": CELL,
                "outputs": [],
                "execution_count": None,
                "id": "live-panel",
            },
        ],
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def write(folder: Path, lang: str) -> Path:
    """``folder/课堂.ipynb`` unless it is there already (a student's copy is never replaced)."""
    path = folder / NAME
    if not path.exists():
        path.write_text(json.dumps(notebook(lang), ensure_ascii=False, indent=1), "utf-8")
    return path
