"""What a reader sees of a course file, as text: the wording and source-claim tests read the
course through this one function."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import yaml


def notebook_text(path: Path) -> str:
    """Every cell's source of a notebook."""
    return "\n".join(cell.source for cell in nbformat.read(path, as_version=4).cells)


def strings(data) -> list[str]:
    """Every string in parsed YAML or JSON data (keys left out), in order."""
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for v in data.values() for s in strings(v)]
    if isinstance(data, list):
        return [s for v in data for s in strings(v)]
    return []


def file_text(path: Path) -> str:
    """What a reader sees of ``path``: cell sources, or the strings of a YAML/JSON data file
    (parsed, so that escaped quotation marks still mark quotations), or the file's text."""
    if path.suffix == ".ipynb":
        return notebook_text(path)
    if path.suffix in {".yaml", ".yml"}:
        return "\n".join(strings(yaml.safe_load(path.read_text(encoding="utf-8"))))
    if path.suffix == ".json":
        return "\n".join(strings(json.loads(path.read_text(encoding="utf-8"))))
    return path.read_text(encoding="utf-8")
