"""Run JupyterLab for a learner with a quiet terminal.

Jupyter's own log (about 30 English lines at start, then a line for every request, kernel
and warning) goes to a file, ``<data dir>/logs/jupyterlab.log``; the learner's terminal
shows only the course's own lines: where the course is, the address to open, where the log
is, and how to stop.  ``sanshe-edu doctor`` names the log file.

To know the address before JupyterLab prints it, the port and the token are chosen here (the
token from ``JUPYTER_TOKEN`` when set).  JupyterLab runs in a process group of its own, so one
Ctrl-C (or SIGTERM) reaches this process only, which then stops JupyterLab cleanly — no
"Shut down this Jupyter server (y/[n])?" question hidden in the log file.

Warnings that have a setting are configured away: kernels use IPC sockets instead of TCP on
Linux and macOS (ipykernel warns about unencrypted TCP otherwise), the websocket keep-alive
timeout is not longer than its interval, and the workspace's notebooks are trusted (signed)
when they are copied, so opening one logs no "is not trusted".
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

from ..i18n import t

READY_TIMEOUT = 120.0
FIRST_PORT = 8888


def log_path() -> Path:
    """Where JupyterLab's own log goes (the previous run's is kept as ``.1``)."""
    from ..paths import data_dir

    return data_dir() / "logs" / "jupyterlab.log"


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    """True when nothing listens on ``host:port``.

    >>> with socket.socket() as s:
    ...     s.bind(("127.0.0.1", 0)); s.listen(); port_is_free(s.getsockname()[1])
    False
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def free_port(first: int = FIRST_PORT, tries: int = 100) -> int:
    """The first free port from ``first`` on (JupyterLab's own habit), else one the OS picks.

    >>> 1 <= free_port() <= 65535
    True
    """
    for port in range(first, min(first + tries, 65536)):
        if port_is_free(port):
            return port
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def quiet_options() -> list[str]:
    """Jupyter options that remove warnings which have a setting."""
    # A websocket handler's default keep-alive timeout (90 s) exceeds its ping interval (30 s),
    # and tornado warns about it on every connection.
    options = ['--ServerApp.tornado_settings={"ws_ping_timeout": 30000}']
    if os.name != "nt":  # IPC sockets exist on Linux and macOS only
        options.append("--KernelManager.transport=ipc")
    return options


def _answers(port: int, token: str) -> bool:
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/status", headers={"Authorization": f"token {token}"}
    )
    try:
        with urllib.request.urlopen(req, timeout=2) as resp:
            json.loads(resp.read())
            return resp.status == 200
    except (OSError, ValueError):
        return False


def _tail(path: Path, lines: int = 5) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    except OSError:
        return ""
    return "\n".join(text[-lines:])


def _stop(proc: subprocess.Popen) -> int:
    if proc.poll() is None:
        if os.name == "nt":
            proc.terminate()
        else:
            proc.send_signal(signal.SIGTERM)  # Jupyter's clean shutdown (kernels too)
        try:
            return proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
    return proc.wait()


def _raise_interrupt(signum, frame):  # SIGTERM: stop JupyterLab as Ctrl-C would
    raise KeyboardInterrupt


def serve(
    cmd: list[str],
    cwd: Path,
    env: dict[str, str],
    port: int | None,
    start: str,
    log_message: str = "platform.lab_log",
) -> int:
    """Start ``cmd`` (a ``jupyter lab`` command line) quietly; print the address when ready
    (and where the log is, with ``log_message``: a student's and a trainer's differ)."""
    port = port or free_port()
    token = env.get("JUPYTER_TOKEN") or secrets.token_hex(24)
    env = {**env, "JUPYTER_TOKEN": token}
    cmd = [*cmd, f"--port={port}", "--ServerApp.port_retries=0", *quiet_options()]
    log = log_path()
    log.parent.mkdir(parents=True, exist_ok=True)
    if log.exists():
        log.replace(log.with_name(log.name + ".1"))
    group = (
        {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}
        if os.name == "nt"
        else {"start_new_session": True}
    )
    with log.open("w", encoding="utf-8") as out:
        proc = subprocess.Popen(
            cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=out, **group
        )
    previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        deadline = time.monotonic() + READY_TIMEOUT
        while not _answers(port, token):
            if proc.poll() is not None or time.monotonic() > deadline:
                _stop(proc)
                print(t("platform.lab_failed", log=log, tail=_tail(log)), flush=True)
                return proc.returncode or 1
            time.sleep(0.3)
        url = f"http://127.0.0.1:{port}/lab/tree/{start}?token={token}"
        print(t("platform.lab_ready", url=url), flush=True)
        print(t(log_message, log=log), flush=True)
        return proc.wait()
    except KeyboardInterrupt:
        print(t("platform.lab_stopping"), flush=True)
        return _stop(proc)
    finally:
        signal.signal(signal.SIGTERM, previous)
