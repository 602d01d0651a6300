"""Students' names: the roster's, else those read from hand-in file names by an import
(``names_from_files.csv`` in the course folder, 学号,姓名, UTF-8 with BOM)."""

from __future__ import annotations

import csv
from pathlib import Path

from ...i18n import t

FOUND_NAMES = "names_from_files.csv"  # 学号,姓名 read from the hand-ins' file names


def found_names(course: Path) -> dict[str, str]:
    """Names read from hand-in file names by earlier imports (``{}`` when none)."""
    path = Path(course) / FOUND_NAMES
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))[1:]  # after the header
    return {r[0]: r[1] for r in rows if len(r) >= 2 and r[0]}


def save_found_names(course: Path, names: dict[str, str]) -> None:
    merged = {**found_names(course), **names}
    with (Path(course) / FOUND_NAMES).open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([t("grade.col_id"), t("grade.col_name")])
        writer.writerows(sorted(merged.items()))


def class_names(course: Path, roster: dict[str, str]) -> dict[str, str]:
    """Each student's name: the roster's, else the one read from their hand-in's file name."""
    names = found_names(course)
    out = dict(names)
    for sid, name in roster.items():
        out[sid] = name or names.get(sid, "")
    return out
