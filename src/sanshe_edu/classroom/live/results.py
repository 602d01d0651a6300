"""The live data as others use it: participation per student (``class live export``, the
gradebook's columns) and the lessons' practice item analysis (the service's ``api/export``
for the trainer's cockpit, :mod:`sanshe_edu.grade.trainer.practice`)."""

from __future__ import annotations

from collections import defaultdict

from .store import LiveStore


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


def export_data(store: LiveStore, members: dict[str, str], lang: str = "zh") -> dict:
    """What the trainer's cockpit takes from the service (``GET api/export``, trainer only):
    per lesson with answers, the live view's item analysis over *practice* answers (answered,
    share right at the last try and at the first, common wrong answers with why) and the
    participation rows of :func:`participation`."""
    from .summary import judge, lesson_view

    events = store.events()
    first: dict[tuple[str, str], dict] = {}
    for e in events:
        if e["user"] in members:
            first.setdefault((e["qid"], e["user"]), e)
    banks = sorted({e["bank"] for e in events})
    lessons = []
    for bank in banks:
        view = lesson_view(store, members, bank, lang)
        view["questions"] = [q for q in view["questions"] if q["answered"]]
        for q in view["questions"]:
            firsts = [e for (qid, _u), e in first.items() if qid == q["qid"]]
            ok = sum(1 for e in firsts if judge(q["qid"], e["answer"], lang)[0])
            q["share_first"] = round(ok / len(firsts), 3) if firsts else None
            q.pop("bars", None)
        if view["questions"]:
            lessons.append(view)
    return {"lessons": lessons, "participation": participation(store, members)}
