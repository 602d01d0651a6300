"""Polls in every lesson a student has open, without opening anything new (issue 26, item 3).

Under the class hub every Python kernel of a student's server runs :mod:`.startup` (through
``PYTHONSTARTUP``, set by :mod:`sanshe_edu.classroom.singleuser`), which calls
:func:`follow`: a background thread asks the live service for the current poll (every 1.5 s,
the kernel's server token, as the panel of ``课堂.ipynb`` does). Nothing is shown until the
trainer asks a question; then the poll panel opens by itself in a **side panel** of the
student's JupyterLab (``sidecar``'s ``Sidecar`` widget, in the right-hand sidebar), next to
whatever lesson is open, with no cell to run. A new question opens a fresh panel (one closed by
the student comes back with the next question). The trainer's own kernels stop at the first
answer (the service says who is asking); outside the hub nothing starts.

>>> follow()  # no hub here: nothing starts
False
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Any

from ...i18n import t
from ...quiz import events
from . import panel as panel_mod
from .panel import INTERVAL, Panel

log = logging.getLogger("sanshe_edu.live")


class SidePanel(Panel):
    """The poll panel, opened in a side panel when a question arrives.

    Its widgets are made only then, not when the kernel starts: a widget made before the
    notebook is connected to its kernel would only reach the page as restored state."""

    side: Any = None
    shown_poll: int | None = None
    trainer = False
    built = False
    kernel: Any = None

    def __init__(self, url: str, token: str, interval: float = INTERVAL) -> None:
        from ...i18n import get_lang

        self.url, self.token, self.interval = url.rstrip("/") + "/", token, interval
        self.lang = get_lang()
        self.stop = threading.Event()

    def build(self) -> None:
        stop = self.stop
        Panel.__init__(self, self.url, self.token, self.interval)
        self.stop, self.built = stop, True

    def note(self, text: str) -> None:
        if self.built:
            super().note(text)

    def get_poll(self) -> dict | None:
        reply = self.fetch()
        if reply.get("trainer"):  # the trainer asks the questions: no panel in their lab
            self.trainer = True
            self.stop.set()
            return None
        return reply["poll"]

    def update(self, poll: dict | None) -> None:
        """From the polling thread: hand over to the kernel's own event loop, which makes and
        changes the widgets (ipykernel 7 loses some widget messages made in other threads)."""
        loop = getattr(getattr(self, "kernel", None), "io_loop", None)
        if loop is None or threading.current_thread() is threading.main_thread():
            self.update_here(poll)
            return
        lang = self.lang

        def here() -> None:
            from ...i18n import use_lang

            with use_lang(lang):
                self.update_here(poll)

        loop.add_callback(here)

    def update_here(self, poll: dict | None) -> None:
        if poll is not None and poll["state"] == "open" and poll["id"] != self.shown_poll:
            if not self.built:
                self.build()
            self.shown_poll = poll["id"]
            self.open_side()
        if self.built:
            super().update(poll)

    def open_side(self) -> None:
        """A new side panel holding the poll panel (the last one closed)."""
        from sidecar import Sidecar

        if not self.built:
            self.build()
        old, self.side = self.side, Sidecar(title=t("live.panel_title"), anchor="right")
        self.side.add_class("sanshe-live-side")
        self.side.append_display_data(self.widget)
        if old is not None:
            old.close()


def under_hub() -> bool:
    return all(os.environ.get(k) for k in (events.ENV_URL, events.ENV_TOKEN, "JUPYTERHUB_USER"))


def follow(interval: float = INTERVAL) -> bool:
    """Start following the class's polls in this kernel (``True`` if it started)."""
    try:
        from IPython import get_ipython

        shell = get_ipython()
        if not under_hub() or shell is None or getattr(shell, "kernel", None) is None:
            return False
        import sidecar  # noqa: F401 - no side panel possible: 课堂.ipynb is the way
    except Exception:
        return False
    if panel_mod.AUTO is not None:
        return True
    side = SidePanel(os.environ[events.ENV_URL], os.environ[events.ENV_TOKEN], interval)
    side.kernel = shell.kernel
    panel_mod.AUTO = side
    threading.Thread(target=side.run, daemon=True, name="sanshe-live-follow").start()
    return True
