"""The live service's data: one SQLite file in the class folder (mode 600, the service's own).

Three tables: ``events`` (a student's checked practice answer: who, which question, the answer,
right or wrong, the concepts, when), ``polls`` (a question the trainer asked the class, its
vote round and whether it is open) and ``votes`` (one answer per student per vote round of a
poll: the primary key refuses a second one). Every write is committed before the reply, so a
closed browser or a restarted hub loses nothing already acknowledged.

>>> s = LiveStore(":memory:")
>>> s.add_event("s1", "l05.folds_into", "same", False, [], 1.0)
1
>>> [e["user"] for e in s.events("l05")]
['s1']
>>> p = s.open_poll({"qid": "l05.folds_into"}, 2.0)
>>> s.vote(p["id"], 1, "s1", "part_of", True, 3.0), s.vote(p["id"], 1, "s1", "same", False, 4.0)
(True, False)
>>> s.close_poll(p["id"], 5.0)["state"]
'closed'
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY, user TEXT NOT NULL, qid TEXT NOT NULL, bank TEXT NOT NULL,
    answer TEXT NOT NULL, correct INTEGER NOT NULL, concepts TEXT NOT NULL, t REAL NOT NULL);
CREATE INDEX IF NOT EXISTS events_bank ON events (bank, qid);
CREATE TABLE IF NOT EXISTS polls (
    id INTEGER PRIMARY KEY, spec TEXT NOT NULL, vote INTEGER NOT NULL DEFAULT 1,
    state TEXT NOT NULL DEFAULT 'open', opened REAL NOT NULL, closed REAL);
CREATE TABLE IF NOT EXISTS votes (
    poll INTEGER NOT NULL, vote INTEGER NOT NULL, user TEXT NOT NULL, answer TEXT NOT NULL,
    correct INTEGER, t REAL NOT NULL, PRIMARY KEY (poll, vote, user));
"""


def private_db(folder: Path) -> Path:
    """``folder/live/live.sqlite``: the folder 700 and the file 600, owned by whoever runs the
    service (root, the hub's user, on the class server)."""
    live = folder / "live"
    live.mkdir(mode=0o700, exist_ok=True)
    live.chmod(0o700)
    path = live / "live.sqlite"
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)
    path.chmod(0o600)
    return path


class LiveStore:
    """Thread-safe enough for one tornado process (one connection, one lock)."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self.db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self.db.row_factory = sqlite3.Row
        if self.path != ":memory:":
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)
        self.lock = threading.Lock()

    # ----- practice answers ---------------------------------------------------------------
    def add_event(
        self, user: str, qid: str, answer: Any, correct: bool, concepts: list, t: float
    ) -> int:
        bank = qid.split(".", 1)[0]
        with self.lock:
            cur = self.db.execute(
                "INSERT INTO events (user, qid, bank, answer, correct, concepts, t)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (user, qid, bank, _dump(answer), int(bool(correct)), _dump(concepts), t),
            )
            return int(cur.lastrowid or 0)

    def events(self, bank: str | None = None) -> list[dict]:
        """Events in the order they came (of one bank, or all)."""
        sql = "SELECT * FROM events" + (" WHERE bank = ?" if bank else "") + " ORDER BY id"
        with self.lock:
            rows = self.db.execute(sql, (bank,) if bank else ()).fetchall()
        return [_event(r) for r in rows]

    def latest_bank(self) -> str | None:
        with self.lock:
            row = self.db.execute("SELECT bank FROM events ORDER BY id DESC LIMIT 1").fetchone()
        return row["bank"] if row else None

    # ----- polls ----------------------------------------------------------------------------
    def open_poll(self, spec: dict, t: float) -> dict:
        """A new poll (any open one is closed first: the class answers one question at a time)."""
        with self.lock:
            self.db.execute(
                "UPDATE polls SET state = 'closed', closed = ? WHERE state = 'open'", (t,)
            )
            cur = self.db.execute(
                "INSERT INTO polls (spec, opened) VALUES (?, ?)", (_dump(spec), t)
            )
            pid = int(cur.lastrowid or 0)
        return self.poll(pid) or {}

    def poll(self, pid: int) -> dict | None:
        with self.lock:
            row = self.db.execute("SELECT * FROM polls WHERE id = ?", (pid,)).fetchone()
        return _poll(row) if row else None

    def current_poll(self) -> dict | None:
        """The newest poll, open or closed (``None`` before the first)."""
        with self.lock:
            row = self.db.execute("SELECT * FROM polls ORDER BY id DESC LIMIT 1").fetchone()
        return _poll(row) if row else None

    def close_poll(self, pid: int, t: float) -> dict | None:
        with self.lock:
            self.db.execute(
                "UPDATE polls SET state = 'closed', closed = ? WHERE id = ? AND state = 'open'",
                (t, pid),
            )
        return self.poll(pid)

    def second_vote(self, pid: int, t: float) -> dict | None:
        """Peer instruction: after the discussion the same poll opens for vote 2."""
        with self.lock:
            self.db.execute(
                "UPDATE polls SET vote = 2, state = 'open', closed = NULL"
                " WHERE id = ? AND vote = 1",
                (pid,),
            )
        return self.poll(pid)

    def vote(
        self, pid: int, vote: int, user: str, answer: Any, correct: bool | None, t: float
    ) -> bool:
        """Record ``user``'s answer to vote ``vote`` of poll ``pid``; ``False`` if they already
        answered this vote."""
        with self.lock:
            try:
                self.db.execute(
                    "INSERT INTO votes (poll, vote, user, answer, correct, t)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (pid, vote, user, _dump(answer), None if correct is None else int(correct), t),
                )
            except sqlite3.IntegrityError:
                return False
        return True

    def votes(self, pid: int) -> list[dict]:
        with self.lock:
            rows = self.db.execute(
                "SELECT * FROM votes WHERE poll = ? ORDER BY t", (pid,)
            ).fetchall()
        return [
            {
                "vote": r["vote"],
                "user": r["user"],
                "answer": json.loads(r["answer"]),
                "correct": None if r["correct"] is None else bool(r["correct"]),
                "t": r["t"],
            }
            for r in rows
        ]

    # ----- the end of term --------------------------------------------------------------------
    def clear(self) -> dict[str, int]:
        """Delete everything; how many rows each table had."""
        counts = {}
        with self.lock:
            for table in ("events", "votes", "polls"):
                counts[table] = self.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
                self.db.execute(f"DELETE FROM {table}")
            self.db.execute("VACUUM")
        return counts

    def close(self) -> None:
        self.db.close()


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _event(r: sqlite3.Row) -> dict:
    return {
        "id": r["id"],
        "user": r["user"],
        "qid": r["qid"],
        "bank": r["bank"],
        "answer": json.loads(r["answer"]),
        "correct": bool(r["correct"]),
        "concepts": json.loads(r["concepts"]),
        "t": r["t"],
    }


def _poll(r: sqlite3.Row) -> dict:
    return {
        "id": r["id"],
        "spec": json.loads(r["spec"]),
        "vote": r["vote"],
        "state": r["state"],
        "opened": r["opened"],
        "closed": r["closed"],
    }
