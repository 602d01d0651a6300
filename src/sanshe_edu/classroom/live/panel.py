"""The poll panel of a student's ``课堂.ipynb``: the trainer's question appears here.

One cell (``from sanshe_edu.classroom.live.panel import show; show()``) shows a small panel
and keeps asking the live service, from the kernel and with the server's hub token, for the
current poll (every 1.5 s). When the trainer asks, the question appears with the same
controls the course's exercises use (all eight types); Submit sends the answer, which the
service judges; the results (totals only) appear when the trainer closes the question.
Outside the class server the panel says so and does nothing else.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import urllib.error
import urllib.request
from typing import Any

from ...i18n import get_lang, pick, t, use_lang
from ...quiz import events, types
from ...quiz.ui import esc

log = logging.getLogger("sanshe_edu.live")
INTERVAL = 1.5
RETRIES, RETRY_DELAY = 10, 0.4  # an empty answer on Submit: look again for up to 4 s


# Long options wrap instead of being cut off (the side panel is narrow).
PANEL_CSS = (
    "<style>.sanshe-live-panel .widget-toggle-button{white-space:normal;height:auto;"
    "min-height:var(--jp-widgets-inline-height);text-align:left;line-height:1.4;"
    "padding-top:4px;padding-bottom:4px;max-width:100%}"
    ".sanshe-live-panel .widget-toggle-buttons{max-width:100%}</style>"
)


class _Frame:
    """What a type's controls may call on their frame."""

    def __init__(self, panel: Panel) -> None:
        self.panel, self.lang = panel, panel.lang

    def show_error(self, exc: Exception) -> None:
        self.panel.note(t("live.panel_error", detail=exc))

    def say(self, messages: list[str]) -> None:
        self.panel.note(" ".join(messages))


class Panel:
    def __init__(self, url: str, token: str, interval: float = INTERVAL) -> None:
        import ipywidgets as W

        self.url, self.token, self.interval = url.rstrip("/") + "/", token, interval
        self.lang = get_lang()
        self.key: tuple | None = None
        self.poll: dict | None = None
        self.ctl: Any = None
        self.title = W.HTML(f"<b>{esc(t('live.panel_title'))}</b>")
        self.prompt = W.HTML(esc(t("live.panel_waiting")))
        self.area = W.VBox([])
        self.submit = W.Button(description=t("live.panel_submit"), button_style="primary")
        self.submit.layout.display = "none"
        self.submit.on_click(self._on_submit)
        self.status = W.HTML("")
        self.widget = W.VBox(
            [W.HTML(PANEL_CSS), self.title, self.prompt, self.area, self.submit, self.status],
            layout=W.Layout(border="2px solid #24527a", padding="8px", margin="8px 0"),
        )
        self.widget.add_class("sanshe-live-panel")
        self.stop = threading.Event()

    # ----- talking to the service ---------------------------------------------------------
    def fetch(self) -> dict:
        req = urllib.request.Request(
            self.url + "api/poll", headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(req, timeout=5) as resp:
            return json.loads(resp.read())

    def get_poll(self) -> dict | None:
        return self.fetch()["poll"]

    def run(self) -> None:
        offline = False
        while not self.stop.is_set():
            try:
                poll = self.get_poll()
                offline = False
                with use_lang(self.lang):
                    self.update(poll)
            except Exception as exc:
                log.info("live poll not fetched: %s", exc)
                if not offline:
                    with use_lang(self.lang):
                        self.note(t("live.panel_offline"))
                offline = True
            self.stop.wait(self.interval)

    # ----- showing ----------------------------------------------------------------------------
    def note(self, text: str) -> None:
        self.status.value = f"<div style='color:#555'>{esc(text)}</div>"

    def update(self, poll: dict | None) -> None:
        key = None if poll is None else (poll["id"], poll["vote"], poll["state"])
        if key == self.key:
            return
        self.key, self.poll = key, poll
        if poll is None:
            return
        q = poll["question"]
        self.prompt.value = f"<b>{esc(pick(q['prompt']))}</b>"
        answered = poll["vote"] in poll.get("answered_votes", [])
        if poll["state"] == "open":
            self.ctl = types.get(q["type"]).controls(q, _Frame(self))
            self.area.children = [self.ctl.widget]
            self.submit.layout.display = "none" if answered else ""
            self.submit.disabled = answered
            vote = t("live.panel_vote", vote=poll["vote"]) if poll["vote"] > 1 else ""
            self.note(vote + (t("live.panel_already") if answered else ""))
        else:
            self.area.children = []
            self.submit.layout.display = "none"
            self.status.value = results_html(poll)

    def _on_submit(self, _button: Any = None, tries: int = 0) -> None:
        with use_lang(self.lang):
            try:
                poll = self.poll
                answer = self.ctl.get() if self.ctl is not None else None
                if poll is None or answer in (None, [], {}, ""):
                    # The page may send the click before the choice made just before it
                    # (JupyterLab holds a widget's changes while a message is pending, for
                    # longer on a busy server): look again, a few times, once the kernel has
                    # read the messages waiting behind this one.
                    if tries < RETRIES and _later(
                        RETRY_DELAY, lambda: self._on_submit(tries=tries + 1)
                    ):
                        return
                    self.note(t("live.panel_empty"))
                    return
                events.post(
                    self.url + "api/poll/answer",
                    self.token,
                    {"id": poll["id"], "vote": poll["vote"], "answer": answer},
                    timeout=15,
                )
                self.submit.disabled = True
                self.submit.layout.display = "none"
                self.note(t("live.panel_sent"))
            except urllib.error.HTTPError as exc:
                if exc.code == 409:
                    self.submit.layout.display = "none"
                    self.note(t("live.panel_already"))
                else:
                    self.note(t("live.panel_error", detail=exc.reason))
            except Exception as exc:  # never a traceback in the student's notebook
                self.note(t("live.panel_error", detail=exc))


def _later(delay: float, func: Any) -> bool:
    """Run ``func`` on the kernel's own event loop after ``delay`` s (``False``: no kernel).

    The kernel's IOLoop, not "the running asyncio loop": ipykernel 7 handles a widget's click
    where a loop's ``call_later`` may never come round to run."""
    try:
        from IPython import get_ipython

        loop = getattr(getattr(get_ipython(), "kernel", None), "io_loop", None)
    except Exception:
        loop = None
    if loop is None:
        return False
    loop.call_later(delay, func)
    return True


def results_html(poll: dict) -> str:
    """Totals only: how many answered and the share right per vote, bars per choice."""
    parts = [f"<div><b>{esc(t('live.panel_closed'))}</b></div>"]
    for r in poll.get("results", []):
        head = t("live.panel_vote", vote=r["vote"]) if len(poll["results"]) > 1 else ""
        if r["share_right"] is None:
            head += t("live.panel_results_open", n=r["answered"])
        else:
            head += t(
                "live.panel_results", n=r["answered"], pct=f"{round(100 * r['share_right'])}%"
            )
        parts.append(f"<div class='sanshe-live-result'>{esc(head)}</div>")
        total = max(1, r["answered"])
        for b in r["bars"]:
            width = round(100 * b["count"] / total)
            right = b.get("correct") is True
            colour = "#4a9a5a" if right else "#7a9cc6"
            label = ("✔ " if right else "") + b["label"]
            parts.append(
                "<div style='display:flex;gap:6px;align-items:center;font-size:90%;"
                "line-height:1.35;margin:2px 0'>"
                f"<span style='flex:0 0 40%'>{esc(label)}</span>"
                "<span style='flex:1;background:#eef;height:12px'>"
                f"<span style='display:block;height:100%;width:{width}%;background:{colour}'>"
                f"</span></span><span>{b['count']}</span></div>"
            )
    return "".join(parts)


PANEL: Panel | None = None  # the panel on show in this kernel
AUTO: Panel | None = None  # the side panel following the polls by itself (``.kernel``)


def show(interval: float = INTERVAL) -> None:
    """Show the panel and start following the class's polls (the panel is :data:`PANEL`)."""
    global PANEL
    from IPython.display import HTML, display

    url, token = os.environ.get(events.ENV_URL), os.environ.get(events.ENV_TOKEN)
    if not (url and token):
        display(HTML(f"<p>{esc(t('live.panel_no_hub'))}</p>"))
        return
    if PANEL is not None:  # the cell run again: one panel follows the polls, not two
        PANEL.stop.set()
    if AUTO is not None:  # this kernel's side panel too: the notebook's panel is enough
        AUTO.stop.set()
    PANEL = Panel(url, token, interval)
    display(PANEL.widget)
    threading.Thread(target=PANEL.run, daemon=True, name="sanshe-live-panel").start()
