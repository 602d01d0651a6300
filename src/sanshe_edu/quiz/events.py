"""Answer events of practice widgets, for the class server's live view (issue 26).

When a student's server runs under the class hub, the hub puts ``JUPYTERHUB_API_TOKEN`` (the
server's token) and ``SANSHE_EDU_LIVE_URL`` (the live class service, on the server's loopback)
into its environment, and every kernel inherits them. A checked practice answer is then sent
to the service; anywhere else (``sanshe-edu lab``, the browser edition, tests) there is no
sink and nothing is sent.

Sending never blocks or breaks a widget: it runs in a daemon thread with a short timeout, and
any error is logged and swallowed.

>>> configure(None)            # no hub: answered() does nothing and says so
>>> answered({"qid": "l05.folds_into", "type": "single", "bank": "l05"}, "same", None)
False
>>> seen = []
>>> configure(seen.append, background=False)     # a test's sink, called inline
>>> from types import SimpleNamespace as NS
>>> answered({"qid": "l05.folds_into", "bank": "l05", "concepts": ["linkage"]}, "same",
...          NS(status="checked", correct=False), attempt=2)
True
>>> [(e["qid"], e["answer"], e["correct"], e["concepts"], e["attempt"]) for e in seen]
[('l05.folds_into', 'same', False, ['linkage'], 2)]
>>> configure(None)
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
import urllib.request
from collections.abc import Callable
from typing import Any

log = logging.getLogger("sanshe_edu.live")

ENV_URL = "SANSHE_EDU_LIVE_URL"
ENV_TOKEN = "JUPYTERHUB_API_TOKEN"
TIMEOUT = 3.0  # seconds: a slow service costs a background thread this long, never the student

Sink = Callable[[dict], Any]
_UNSET: Any = object()
_sink: Any = _UNSET
_background = True


def hub_sink() -> Sink | None:
    """The sink of a server running under the class hub, else ``None``."""
    url, token = os.environ.get(ENV_URL), os.environ.get(ENV_TOKEN)
    if not (url and token and os.environ.get("JUPYTERHUB_USER")):
        return None
    return lambda event: post(url.rstrip("/") + "/api/events", token, event)


def post(url: str, token: str, body: dict, timeout: float = TIMEOUT) -> dict:
    """POST ``body`` as JSON with the hub token; the JSON reply."""
    req = urllib.request.Request(
        url,
        data=json.dumps(body, ensure_ascii=False).encode("utf-8"),
        method="POST",
        headers={
            "Authorization": f"token {token}",
            "Content-Type": "application/json",
            "X-Requested-With": "sanshe-live",
        },
    )
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        data = resp.read()
    return json.loads(data) if data else {}


def configure(sink: Sink | None, *, background: bool = True) -> None:
    """Use ``sink`` (a callable taking one event) instead of the hub's; ``None``: send nothing.
    ``background=False`` calls it inline (tests)."""
    global _sink, _background
    _sink, _background = sink, background


def current_sink() -> Sink | None:
    global _sink
    if _sink is _UNSET:
        _sink = hub_sink()
    return _sink


def _deliver(sink: Sink, event: dict) -> None:
    try:
        sink(event)
    except Exception as exc:  # the live view is a bonus: never the student's problem
        log.warning("live event for %s not sent: %s", event.get("qid"), exc)


def answered(q: dict, answer: Any, res: Any, attempt: int = 0) -> bool:
    """Report a checked practice answer (graded questions and saved texts are never sent);
    ``True`` when an event was handed to a sink. Never raises."""
    try:
        sink = current_sink()
        if sink is None or res is None or getattr(res, "status", "") != "checked":
            return False
        if q.get("graded"):
            return False
        event = {
            "qid": q["qid"],
            "answer": answer,
            "correct": bool(res.correct),
            "concepts": list(q.get("concepts") or []),
            "attempt": int(attempt),
            "time": time.time(),
        }
        if not _background:
            _deliver(sink, event)
        else:
            threading.Thread(target=_deliver, args=(sink, event), daemon=True).start()
        return True
    except Exception as exc:  # pragma: no cover - defensive
        log.warning("live event not sent: %s", exc)
        return False
