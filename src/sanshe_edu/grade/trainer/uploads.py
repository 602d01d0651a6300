"""Hand-ins uploaded from the cockpit, kept in the course's ``imports/`` folder.

Each upload goes into ``imports/<date-time>/`` with its own file time, so a notebook keeps
the time it was saved (the hand-in time); a trainer may also drop a zip or a folder into
``imports/`` with the file browser and pick it in the cockpit.  ``imports/`` is ignored by git
(``.gitignore``), so nothing a student handed in becomes part of the checkout.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

IMPORTS = "imports"


def save_uploads(course: Path, files, now: datetime | None = None) -> Path:
    """Write the cockpit's uploaded files (``FileUpload.value``: dicts with ``name``,
    ``content`` and ``last_modified``) into a new folder of ``imports/``; return it."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    folder = course / IMPORTS / stamp
    n = 2
    while folder.exists():
        folder = course / IMPORTS / f"{stamp}-{n}"
        n += 1
    folder.mkdir(parents=True)
    for item in files:
        name = Path(str(item.get("name", "")).replace("\\", "/")).name.strip()
        if not name or name in {".", ".."}:
            continue
        target = folder / name
        target.write_bytes(bytes(item["content"]))
        when = item.get("last_modified")
        if isinstance(when, datetime):
            os.utime(target, (when.timestamp(), when.timestamp()))
    return folder


def choices(course: Path) -> list[str]:
    """What ``imports/`` holds that can be imported: zips, notebooks and folders (newest
    first), as paths relative to ``imports/``."""
    root = course / IMPORTS
    if not root.is_dir():
        return []
    found = [
        p
        for p in root.iterdir()
        if not p.name.startswith(".")
        and not p.is_symlink()
        and (p.is_dir() or p.suffix.lower() in {".zip", ".ipynb"})
    ]
    return [p.name for p in sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)]
