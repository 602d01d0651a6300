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
from pathlib import Path

from ...errors import SansheError
from ...i18n import t
from .results import export_data, participation
from .store import LiveStore

__all__ = ["db_path", "export_data", "participation", "run"]


def db_path(class_dir: Path) -> Path:
    return class_dir / "live" / "live.sqlite"


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
