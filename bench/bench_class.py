"""Class-server figures: N synthetic students (N = 5, 10, 20) on one real JupyterHub.

For each N, a class with that many students from a roster (real Unix users, PAM, the
LocalProcessSpawner, configurable-http-proxy; all on 127.0.0.1) is driven through the hub's
REST API with the class's admin token (which adds the students to the hub, as their first
login would): every student's server is started at once, then every
student runs lesson 05's code cells at once in their own kernel (through their server's REST
and websocket API, as JupyterLab does).  Printed, per N:

- ``class.n<N>.ready_median`` / ``ready_max``: seconds from the start request to the server
  being ready (all N started together);
- ``class.n<N>.lesson05_median`` / ``lesson05_max``: seconds to run lesson 05 in each kernel
  (all N together);
- ``class.n<N>.mem_per_student``: resident memory of one student (server + kernel, all their
  processes), median, after lesson 05; ``class.n<N>.mem_hub``: hub + proxy + culler.

Needs root and ``.node/`` (``sh scripts/test.sh`` installs it); otherwise prints why and stops.
Everything it creates (users, group, class folder) is removed afterwards, also on failure.

Run: ``.venv/bin/python bench/bench_class.py [N ...]`` (or through ``bench/run.py``).
"""

from __future__ import annotations

import asyncio
import csv
import json
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

SIZES = (5, 10, 20)
LESSON = REPO / "course" / "05_subject_element_linkage.ipynb"
READY_TIMEOUT = 300.0
CELL_TIMEOUT = 300.0


def api(cfg: dict, token: str, method: str, path: str, body: object | None = None) -> object:
    from classroom_support import hub_api

    return hub_api(cfg["port"], token, method, path, body)


def rss_by_user(logins: list[str]) -> dict[str, int]:
    """Resident bytes of all processes of each user."""
    import pwd

    import psutil

    uids = {pwd.getpwnam(u).pw_uid: u for u in logins}
    out = dict.fromkeys(logins, 0)
    for proc in psutil.process_iter(["uids", "memory_info"]):
        info = proc.info
        if info["uids"] and info["uids"].real in uids and info["memory_info"]:
            out[uids[info["uids"].real]] += info["memory_info"].rss
    return out


def hub_rss(pid: int) -> int:
    import psutil

    root = psutil.Process(pid)
    total = root.memory_info().rss
    for child in root.children(recursive=True):
        try:
            if child.uids().real == 0:
                total += child.memory_info().rss
        except psutil.Error:
            pass
    return total


async def start_and_wait(cfg: dict, token: str, login: str) -> float:
    start = time.perf_counter()
    await asyncio.to_thread(api, cfg, token, "POST", f"/hub/api/users/{login}/server")
    while time.perf_counter() - start < READY_TIMEOUT:
        user = await asyncio.to_thread(api, cfg, token, "GET", f"/hub/api/users/{login}")
        server = user.get("servers", {}).get("")
        if server and server.get("ready"):
            return time.perf_counter() - start
        if not server:  # a failed spawn is removed (and would never turn ready)
            raise RuntimeError(f"{login}: the server stopped while starting")
        await asyncio.sleep(0.25)
    raise RuntimeError(f"{login}: not ready after {READY_TIMEOUT} s")


async def run_lesson(cfg: dict, admin: str, login: str, cells: list[str]) -> float:
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    tok = await asyncio.to_thread(
        api, cfg, admin, "POST", f"/hub/api/users/{login}/tokens", {"expires_in": 3600}
    )
    token = tok["token"]
    kernel = await asyncio.to_thread(
        api, cfg, token, "POST", f"/user/{login}/api/kernels",
        {"name": "python3", "path": "sanshe-edu-course/" + LESSON.name},
    )  # fmt: skip
    session = uuid.uuid4().hex
    url = (
        f"ws://127.0.0.1:{cfg['port']}/user/{login}/api/kernels/{kernel['id']}/channels"
        f"?session_id={session}"
    )
    conn = await websocket_connect(HTTPRequest(url, headers={"Authorization": f"token {token}"}))
    start = time.perf_counter()
    try:
        for code in cells:
            msg_id = uuid.uuid4().hex
            await conn.write_message(json.dumps({
                "header": {"msg_id": msg_id, "msg_type": "execute_request", "session": session,
                           "username": login, "version": "5.3", "date": ""},
                "parent_header": {}, "metadata": {}, "channel": "shell",
                "content": {"code": code, "silent": False, "store_history": True,
                            "user_expressions": {}, "allow_stdin": False, "stop_on_error": True},
            }))  # fmt: skip
            while True:
                raw = await asyncio.wait_for(conn.read_message(), CELL_TIMEOUT)
                if raw is None:
                    raise RuntimeError(f"{login}: the kernel connection closed")
                if isinstance(raw, bytes):
                    continue  # a message with binary buffers (widget state), never a reply
                msg = json.loads(raw)
                if msg.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                if msg["msg_type"] == "error":
                    raise RuntimeError(f"{login}: {msg['content']['ename']} in lesson 05")
                if msg["msg_type"] == "execute_reply":
                    break
        return time.perf_counter() - start
    finally:
        conn.close()


def lesson_cells() -> list[str]:
    import nbformat

    nb = nbformat.read(str(LESSON), 4)
    return [c.source for c in nb.cells if c.cell_type == "code" and c.source.strip()]


async def one_size(run, cfg: dict, admin: str, logins: list[str]) -> dict[str, float]:
    ready = await asyncio.gather(*(start_and_wait(cfg, admin, u) for u in logins))
    cells = lesson_cells()
    lesson = await asyncio.gather(*(run_lesson(cfg, admin, u, cells) for u in logins))
    mem = rss_by_user(logins)
    out = {
        "ready_median": statistics.median(ready),
        "ready_max": max(ready),
        "lesson05_median": statistics.median(lesson),
        "lesson05_max": max(lesson),
        "mem_per_student": statistics.median(mem.values()) / 2**20,
        "mem_hub": hub_rss(run.hub.pid) / 2**20,
    }
    await asyncio.gather(
        *(asyncio.to_thread(api, cfg, admin, "DELETE", f"/hub/api/users/{u}/server")
          for u in logins)
    )  # fmt: skip
    return out


def main(sizes: tuple[int, ...] = SIZES) -> None:
    from classroom_support import CHP, class_run, cli, free_port, start_hub

    if os.geteuid() != 0 or not CHP.is_file():
        print("bench_class: skipped: needs root and .node/ (sh scripts/test.sh)", flush=True)
        return
    with class_run() as run:
        proc = cli("class", "--class-dir", str(run.folder), "setup", "--trainer", run.trainer,
                   "--group", run.group, "--ip", "127.0.0.1", "--port", str(free_port()),
                   "--proxy", str(CHP))  # fmt: skip
        if proc.returncode:
            raise RuntimeError(proc.stderr.strip())
        students = [run.login(n) for n in range(1, max(sizes) + 1)]
        run.users += students
        roster = run.folder.parent / "roster.csv"
        with roster.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["学号", "姓名"])
            w.writerows((s, f"学生{i}") for i, s in enumerate(students, 1))
        proc = cli("class", "--class-dir", str(run.folder), "roster", str(roster))
        if proc.returncode:
            raise RuntimeError(proc.stderr.strip())
        cfg = json.loads((run.folder / "class.json").read_text())
        admin = (run.folder / "admin-token").read_text().strip()
        start_hub(run, run.folder.parent / "hub.log")
        # The hub learns of a PAM user at their first login; the API adds them all at once.
        api(cfg, admin, "POST", "/hub/api/users", {"usernames": students})
        for n in sizes:
            figures = asyncio.run(one_size(run, cfg, admin, students[:n]))
            for key, value in figures.items():
                unit = "MiB" if key.startswith("mem") else "s"
                print(f"class.n{n}.{key}: {value:.1f} {unit}", flush=True)
            time.sleep(3)  # let the stopped servers go before the next size


if __name__ == "__main__":
    main(tuple(int(a) for a in sys.argv[1:]) or SIZES)
