"""课堂实时互动 under load: 200 simulated students answer one poll within 10 s (issue 26).

The live service (``sanshe_edu.classroom.live``, the same tornado application the hub runs,
with a token table instead of the hub's OAuth) runs in its own process on 127.0.0.1 with its
SQLite file in a temporary folder. The trainer's view is open (server-sent events); the
trainer opens a poll; each of 200 students sends one answer at a random moment in the next
10 s. For every answer the time from the moment it was sent to the first pushed view that
lists its student is measured. Printed:

- ``live.n200.answer_to_view_median`` / ``_p95``: milliseconds (goal: p95 ≤ 1000 ms on a
  2-core machine);
- ``live.n200.answers_seen``: answers the view showed (of 200);
- ``live.n200.service_rss`` / ``service_peak_rss``: the service's resident memory at the end
  and its peak, MB.

Bounded: it stops by itself after at most 60 s and always stops the service.
Run: ``.venv/bin/python bench/bench_live.py [N]`` (or through ``bench/run.py``).
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
N = 200
WINDOW = 10.0
LIMIT = 60.0
QID = "l05.folds_into"
OPTIONS = ["subject", "ethics", "object", "method"]

SERVICE = r"""
import asyncio, json, sys
from sanshe_edu.classroom.live.app import Live, TokenAuth, make_app
from sanshe_edu.classroom.live.store import LiveStore, private_db
from pathlib import Path
folder, port, n = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
members = {f"s{i:03d}": f"学生{i:03d}" for i in range(n)}
tokens = {f"tok{i:03d}": f"s{i:03d}" for i in range(n)}
tokens["trainer-token"] = "trainer"
live = Live(LiveStore(private_db(folder)), lambda: members, "trainer", "zh")
async def main():
    make_app(live, TokenAuth(tokens, "trainer")).listen(port, address="127.0.0.1")
    print("ready", flush=True)
    await asyncio.Event().wait()
asyncio.run(main())
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> tuple[float, float]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    kb = lambda key: int(fields.get(key, "0 kB").split()[0])  # noqa: E731
    return kb("VmRSS") / 1024, kb("VmHWM") / 1024


async def drive(port: int, n: int) -> tuple[list[float], int]:
    from tornado.httpclient import AsyncHTTPClient, HTTPRequest

    AsyncHTTPClient.configure(None, max_clients=n + 10)
    client = AsyncHTTPClient()
    base = f"http://127.0.0.1:{port}/services/live/"
    trainer = {"Authorization": "token trainer-token", "X-Requested-With": "sanshe-live"}
    sent: dict[str, float] = {}
    seen: dict[str, float] = {}
    buffer = bytearray()
    first_state = asyncio.Event()

    def on_chunk(chunk: bytes) -> None:
        now = time.perf_counter()
        buffer.extend(chunk)
        while b"\n\n" in buffer:
            block, _, rest = bytes(buffer).partition(b"\n\n")
            buffer[:] = rest
            if not block.startswith(b"event: state"):
                continue
            first_state.set()
            state = json.loads(block.split(b"data: ", 1)[1])
            for name in (state.get("poll") or {}).get("answered", []):
                seen.setdefault(name, now)

    stream = client.fetch(
        HTTPRequest(base + "api/stream?bank=l05", headers=trainer,
                    streaming_callback=on_chunk, request_timeout=LIMIT + 10),
        raise_error=False,
    )  # fmt: skip
    await asyncio.wait_for(first_state.wait(), 20)
    reply = await client.fetch(
        base + "api/poll", method="POST", headers=trainer, body=json.dumps({"qid": QID})
    )
    pid = json.loads(reply.body)["poll"]["id"]

    async def student(i: int) -> None:
        await asyncio.sleep(random.uniform(0, WINDOW))
        name = f"学生{i:03d}"
        headers = {"Authorization": f"token tok{i:03d}", "X-Requested-With": "sanshe-live"}
        body = json.dumps({"id": pid, "vote": 1, "answer": random.choice(OPTIONS)})
        sent[name] = time.perf_counter()
        await client.fetch(base + "api/poll/answer", method="POST", headers=headers, body=body)

    await asyncio.wait_for(asyncio.gather(*(student(i) for i in range(n))), LIMIT)
    deadline = time.perf_counter() + 10
    while len(seen) < n and time.perf_counter() < deadline:
        await asyncio.sleep(0.05)
    import logging

    logging.getLogger("tornado.application").setLevel(logging.CRITICAL)  # the stream's end
    stream.cancel()
    client.close()
    latencies = [1000 * (seen[name] - sent[name]) for name in sent if name in seen]
    return latencies, len(seen)


def main(n: int = N) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="sanshe-live-bench-") as tmp:
        proc = subprocess.Popen(
            [sys.executable, "-c", SERVICE, tmp, str(port), str(n)],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        try:
            assert proc.stdout is not None
            if proc.stdout.readline().strip() != "ready":
                raise RuntimeError("the live service did not start")
            latencies, shown = asyncio.run(asyncio.wait_for(drive(port, n), LIMIT + 20))
            rss, peak = rss_mb(proc.pid)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
    latencies.sort()
    p95 = latencies[max(0, round(0.95 * len(latencies)) - 1)] if latencies else float("nan")
    median = statistics.median(latencies) if latencies else float("nan")
    print(f"live.n{n}.answer_to_view_median: {median:.0f} ms")
    print(f"live.n{n}.answer_to_view_p95: {p95:.0f} ms")
    print(f"live.n{n}.answers_seen: {shown} of {n}")
    print(f"live.n{n}.service_rss: {rss:.1f} MB")
    print(f"live.n{n}.service_peak_rss: {peak:.1f} MB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else N)
