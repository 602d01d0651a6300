"""The command line's progress bar."""

from __future__ import annotations

import os
import sys


class Progress:
    """A one-line progress bar on stderr (only on a terminal, or with SANSHE_EDU_PROGRESS=1)."""

    def __init__(self, total: int, label: str) -> None:
        self.total = max(total, 1)
        self.done = 0
        self.label = label
        self.show = sys.stderr.isatty() or os.environ.get("SANSHE_EDU_PROGRESS") == "1"
        self._draw("")

    def _draw(self, item: str) -> None:
        if not self.show:
            return
        width = 24
        filled = int(width * self.done / self.total)
        bar = "#" * filled + "." * (width - filled)
        sys.stderr.write(f"\r{self.label} [{bar}] {self.done}/{self.total} {item[:30]:30}")
        sys.stderr.flush()

    def step(self, item: str = "") -> None:
        self.done += 1
        self._draw(item)

    def close(self) -> None:
        if self.show:
            sys.stderr.write("\n")
            sys.stderr.flush()
