"""``sanshe-edu class live status | export | clear``: the live data as the trainer manages it
(as root, like every ``class`` command: the file is root's, mode 600).

- ``status``: how much is stored and where;
- ``export``: participation per student as CSV (login, name, practice answers, questions
  answered, of those right at the last try, poll votes), for the gradebook's participation
  column;
- ``clear``: deletes every answer, poll and vote (the end of term; the service may keep running).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from pathlib import Path

from ...errors import SansheError
from ...i18n import t
from .store import LiveStore


def db_path(class_dir: Path) -> Path:
    return class_dir / "live" / "live.sqlite"


def participation(store: LiveStore, members: dict[str, str]) -> list[dict]:
    """One row per student (every member, also those with nothing stored)."""
    from .summary import judge

    latest: dict[tuple[str, str], dict] = {}
    answers: dict[str, int] = defaultdict(int)
    for e in store.events():
        latest[(e["user"], e["qid"])] = e
        answers[e["user"]] += 1
    questions: dict[str, int] = defaultdict(int)
    right: dict[str, int] = defaultdict(int)
    for (user, qid), e in latest.items():
        questions[user] += 1
        right[user] += bool(judge(qid, e["answer"])[0])
    votes: dict[str, int] = defaultdict(int)
    with store.lock:
        for row in store.db.execute("SELECT user, COUNT(*) AS n FROM votes GROUP BY user"):
            votes[row["user"]] = row["n"]
    users = sorted(set(members) | set(answers) | set(votes))
    return [
        {
            "login": u,
            "name": members.get(u, ""),
            "practice_answers": answers[u],
            "questions": questions[u],
            "right": right[u],
            "poll_votes": votes[u],
        }
        for u in users
    ]


def run(class_dir: Path, group: str, trainer: str, action: str, out: str | None) -> int:
    from ..accounts import require_root

    require_root()
    path = db_path(class_dir)
    if not path.is_file():
        print(t("live.no_data", path=path))
        return 0
    store = LiveStore(path)
    try:
        if action == "clear":
            n = store.clear()
            print(t("live.cleared", events=n["events"], polls=n["polls"], votes=n["votes"]))
        elif action == "export":
            from .service import ClassMembers

            rows = participation(store, ClassMembers(group, trainer)())
            buf = io.StringIO()
            writer = csv.DictWriter(buf, fieldnames=list(rows[0]) if rows else ["login"])
            writer.writeheader()
            writer.writerows(rows)
            if out:
                try:
                    Path(out).write_text(buf.getvalue(), encoding="utf-8-sig")
                except OSError as exc:
                    raise SansheError("live.cannot_write", path=out, detail=exc) from None
                print(t("live.exported", path=out))
            else:
                print(buf.getvalue(), end="")
        else:
            with store.lock:
                n = {
                    table: store.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
                    for table in ("events", "polls", "votes")
                }
            print(t("live.status_line", path=path, **n))
    finally:
        store.close()
    return 0
