"""Shared set-up of the class-server tests: a class with unique names, always torn down.

Everything a run creates carries one random suffix (users, group, class folder), and
:func:`teardown` removes it all — the hub and every process of those users included — even
when the test failed.
"""

from __future__ import annotations

import contextlib
import grp
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CHP = REPO / ".node" / "node_modules" / ".bin" / "configurable-http-proxy"

# Under CI (and scripts/test.sh) a missing proxy or an unreadable checkout is a missing
# install step: the tests then fail instead of skipping.
REQUIRED = bool(os.environ.get("CI") or os.environ.get("SANSHE_EDU_REQUIRE_BROWSER"))

needs_root = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="creates Unix users: root only"
)


def hub_marks(unreadable_by_others) -> list:
    """The marks of a module of end-to-end hub tests: slow, root only, and skipped without the
    proxy or a checkout other Unix users can read (failing instead under CI: :data:`REQUIRED`).
    ``unreadable_by_others`` is :func:`sanshe_edu.classroom.server.unreadable_by_others`."""
    return [
        pytest.mark.slow,
        pytest.mark.skipif(os.geteuid() != 0, reason="creates Unix users: root only"),
        pytest.mark.skipif(
            not CHP.is_file() and not REQUIRED, reason="configurable-http-proxy not in .node/"
        ),
        pytest.mark.skipif(
            not REQUIRED
            and (
                unreadable_by_others(Path(sys.executable)) is not None
                or unreadable_by_others(REPO / "src") is not None
            ),
            reason="this checkout or its venv cannot be read by other Unix users",
        ),
    ]


def hub_api(port: int, token: str, method: str, path: str, body: object | None = None):
    """One call of the JupyterHub REST API on 127.0.0.1:``port`` (JSON in and out)."""
    import json
    import urllib.request

    req = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"token {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=60) as resp:
        data = resp.read()
    return json.loads(data) if data else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class ClassRun:
    suffix: str
    folder: Path
    trainer: str
    group: str
    users: list[str] = field(default_factory=list)
    hub: subprocess.Popen | None = None
    before: dict[str, set[str]] = field(default_factory=dict)  # system_snapshot() at the start

    def login(self, n: int) -> str:
        return f"c{self.suffix}s{n}"


def new_run() -> ClassRun:
    """Names for one run; the class folder's parent is world-readable (students must reach
    the exchange in it), unlike pytest's tmp_path.  It is made in /srv, where a class lives
    (``/srv/sanshe-edu``), not in /tmp: the grading sandbox makes /tmp read-only and hides
    its other folders from student code, and the class's Python must stay reachable."""
    suffix = secrets.token_hex(3)
    base = "/srv" if os.access("/srv", os.W_OK) else None
    parent = Path(tempfile.mkdtemp(prefix=f"sanshe-class-{suffix}-", dir=base))
    parent.chmod(0o755)
    return ClassRun(suffix, parent / "class", f"c{suffix}tr", f"c{suffix}grp")


def system_snapshot(run: ClassRun) -> dict[str, set[str]]:
    """What a class may add to the machine outside its own folder: accounts, groups, homes,
    mail spools, folders in /srv (but this run's parent), grading boxes left in /tmp."""

    def names(folder: str, pattern: str = "*") -> set[str]:
        path = Path(folder)
        return {p.name for p in path.glob(pattern)} if path.is_dir() else set()

    return {
        "users": {p.pw_name for p in pwd.getpwall()},
        "groups": {g.gr_name for g in grp.getgrall()},
        "home": names("/home"),
        "mail": names("/var/mail"),
        "srv": names("/srv") - {run.folder.parent.name},
        "boxes": names("/tmp", "sanshe-box-*"),
    }


def stop_hub(run: ClassRun, timeout: float = 20) -> None:
    """SIGINT to the hub's process group (hub, proxy, culler, servers), then SIGKILL."""
    proc = run.hub
    if proc is None or proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGINT)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


def teardown(run: ClassRun) -> None:
    """Remove every user, group, home and folder of this run (idempotent)."""
    stop_hub(run)
    known = {p.pw_name for p in pwd.getpwall()}
    for login in {*run.users, run.trainer} & known:
        subprocess.run(["pkill", "-KILL", "-u", login], capture_output=True, check=False)
        entry = pwd.getpwnam(login)
        home = Path(entry.pw_dir)
        for tmp in Path("/tmp").iterdir():  # files the user's kernels left in /tmp
            with contextlib.suppress(OSError):
                if tmp.lstat().st_uid == entry.pw_uid:
                    shutil.rmtree(tmp) if tmp.is_dir() and not tmp.is_symlink() else tmp.unlink()
        subprocess.run(["userdel", "--force", login], capture_output=True, check=False)
        if home.is_dir() and home.name == login:
            shutil.rmtree(home, ignore_errors=True)
        with contextlib.suppress(FileNotFoundError):
            Path("/var/mail", login).unlink()
    with contextlib.suppress(KeyError):
        grp.getgrnam(run.group)
        subprocess.run(["groupdel", run.group], capture_output=True, check=False)
    shutil.rmtree(run.folder.parent, ignore_errors=True)


def cli(*argv: str, env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """``sanshe-edu ARGV`` in a fresh process (as root); output captured as text."""
    return subprocess.run(
        [sys.executable, "-m", "sanshe_edu", *argv],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
        check=False,
    )


def start_hub(run: ClassRun, log: Path, timeout: float = 60) -> None:
    """Start the hub in its own process group and wait until its API answers."""
    import json
    import urllib.request

    cfg = json.loads((run.folder / "class.json").read_text())
    with log.open("wb") as out:
        run.hub = subprocess.Popen(
            [sys.executable, "-m", "sanshe_edu", "class", "--class-dir", str(run.folder), "start"],
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if run.hub.poll() is not None:
            raise AssertionError(f"hub exited: {log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{cfg['port']}/hub/api/", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"hub not ready after {timeout} s: {log.read_text()[-3000:]}")


@contextlib.contextmanager
def class_run() -> Iterator[ClassRun]:
    """A run's names; afterwards everything is removed and this checkout and its ``grading/``
    get their modes back (setup makes them private)."""
    modes = {p: p.stat().st_mode & 0o7777 for p in (REPO / "grading", REPO)}
    run = new_run()
    run.before = system_snapshot(run)
    try:
        yield run
    finally:
        teardown(run)
        for path, mode in modes.items():
            path.chmod(mode)
