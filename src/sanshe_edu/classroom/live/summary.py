"""What the trainer's live view and the students' poll panel show, from the store's rows.

Every answer is judged here, on the server, with the shipped bank (the same ``evaluate`` the
widgets use): a student's claim of right or wrong is never trusted. A student's *latest*
answer to a question counts for the bars and the share right; every wrong try counts towards
"卡住了" (three wrong tries on one concept, the last one still wrong).

>>> from sanshe_edu.classroom.live.store import LiveStore
>>> s = LiveStore(":memory:")
>>> for user, ans in (("s1", "subject"), ("s2", "object")):
...     _ = s.add_event(user, "l05.folds_into", ans, False, [], 1.0)
>>> view = lesson_view(s, {"s1": "张三", "s2": "李四", "s3": "王五"}, "l05", "zh")
>>> q = next(q for q in view["questions"] if q["qid"] == "l05.folds_into")
>>> q["answered"], q["right"], q["missing"]
(2, 1, ['王五'])
>>> q["wrong"][0]["reason"].startswith("不对")  # the bank's own feedback on that answer
True
"""

from __future__ import annotations

import functools
import json
from collections import Counter, defaultdict
from typing import Any

from ...i18n import pick
from ...quiz import types
from ...quiz.bank import load_bank, question
from ...quiz.check import evaluate

STUCK_AFTER = 3  # wrong tries on one concept
MAX_WRONG_SHOWN = 3


# ----- judging ---------------------------------------------------------------------------
@functools.lru_cache(maxsize=4096)
def _judged(qid: str, answer_json: str, lang: str) -> tuple[bool | None, str]:
    """(right?, why the answer is wrong) of a bank question; ``None``: not judged (text)."""
    q = question(qid)
    res = evaluate(q, json.loads(answer_json))
    if res.status != "checked":
        return None, ""
    if res.correct:
        return True, ""
    reasons = []
    for m in res.lines:
        if m.reason:
            reasons.append(m.reason_in(lang))
        elif m.key == "quiz.text_line":
            reasons.append(m.text(lang))
    return False, "；".join(r for r in reasons if r)


def judge(qid: str, answer: Any, lang: str = "zh") -> tuple[bool | None, str]:
    try:
        return _judged(qid, json.dumps(answer, sort_keys=True, ensure_ascii=False), lang)
    except Exception:  # a malformed answer is simply wrong, never a crash of the service
        return False, ""


def poll_question(spec: dict) -> dict:
    """The record a poll shows: a bank question as shipped, or the trainer's quick single
    choice (its right option, if any, kept out)."""
    if spec.get("qid"):
        return question(spec["qid"])
    custom = spec["custom"]
    return {
        "qid": "poll.quick",
        "bank": "poll",
        "type": "single",
        "prompt": {"zh": custom["prompt"], "en": custom["prompt"]},
        "options": [
            {"id": f"o{i + 1}", "text": {"zh": text, "en": text}}
            for i, text in enumerate(custom["options"])
        ],
    }


def judge_poll(spec: dict, answer: Any) -> bool | None:
    """Right or wrong on the server; ``None`` for an opinion question (no right option)."""
    if spec.get("qid"):
        return judge(spec["qid"], answer)[0]
    right = spec["custom"].get("correct")
    return None if right is None else answer == f"o{int(right) + 1}"


def valid_answer(q: dict, answer: Any) -> bool:
    try:
        return types.get(q["type"]).normalise(q, answer) is not None
    except Exception:
        return False


# ----- choices as bars --------------------------------------------------------------------
def choices(q: dict, answer: Any, lang: str) -> list[tuple[str, str]]:
    """The bars an answer adds to: one option each for single and multiple choice, else the
    whole answer in words."""
    qt = types.get(q["type"])
    if q["type"] in ("single", "multiple"):
        texts = qt.texts(q, lang)
        picked = [answer] if isinstance(answer, str) else list(answer or [])
        return [(str(a), texts.get(str(a), str(a))) for a in picked]
    try:
        from ...i18n import use_lang

        with use_lang(lang):
            words = qt.readable(q, answer)
    except Exception:
        words = json.dumps(answer, ensure_ascii=False)
    return [(words, words)]


def bars(q: dict, answers: list[Any], lang: str, judge_fn=None) -> list[dict]:
    """Count per choice (options of a choice question listed even at zero)."""
    counts: Counter = Counter()
    labels: dict[str, str] = {}
    for a in answers:
        for key, label in choices(q, a, lang):
            counts[key] += 1
            labels[key] = label
    order: list[str] = []
    if q["type"] in ("single", "multiple"):
        order = [o["id"] for o in q["options"]]
        labels = {**{o["id"]: pick(o["text"], lang) for o in q["options"]}, **labels}
    order += [k for k, _ in counts.most_common() if k not in order]
    out = []
    for key in order:
        row = {"key": key, "label": labels.get(key, key), "count": counts[key]}
        if judge_fn is not None and q["type"] == "single":
            row["correct"] = judge_fn(key)
        out.append(row)
    return out


# ----- the trainer's lesson view ---------------------------------------------------------
def lesson_view(store: Any, members: dict[str, str], bank: str, lang: str = "zh") -> dict:
    """Per question of ``bank``: bars, share right, common wrong answers with why, who has not
    answered (names); and the students stuck on a concept."""
    try:
        data = load_bank(bank)
    except Exception:
        return {"bank": bank, "title": bank, "questions": [], "stuck": [], "n": len(members)}
    events = [e for e in store.events(bank) if e["user"] in members]
    latest: dict[tuple[str, str], dict] = {}
    for e in events:
        latest[(e["qid"], e["user"])] = e
    questions = []
    for raw in data["questions"]:
        qid = f"{bank}.{raw['id']}"
        q = {**raw, "qid": qid, "bank": bank}
        mine = {u: e for (i, u), e in latest.items() if i == qid}
        verdicts = {u: judge(qid, e["answer"], lang) for u, e in mine.items()}
        right = sum(1 for ok, _ in verdicts.values() if ok)
        wrong: dict[str, dict] = {}
        for u, e in mine.items():
            ok, why = verdicts[u]
            if ok is False:
                label = " / ".join(lbl for _, lbl in choices(q, e["answer"], lang))
                w = wrong.setdefault(label, {"label": label, "count": 0, "reason": why})
                w["count"] += 1
        questions.append(
            {
                "qid": qid,
                "title": pick(q["prompt"], lang),
                "type": q["type"],
                "answered": len(mine),
                "right": right,
                "share_right": round(right / len(mine), 3) if mine else None,
                "bars": bars(
                    q,
                    [e["answer"] for e in mine.values()],
                    lang,
                    judge_fn=lambda key, qid=qid: judge(qid, key, lang)[0],
                ),
                "wrong": sorted(wrong.values(), key=lambda w: -w["count"])[:MAX_WRONG_SHOWN],
                "missing": sorted(members[u] for u in members if u not in mine),
            }
        )
    return {
        "bank": bank,
        "title": pick(data.get("title"), lang) or bank,
        "n": len(members),
        "questions": questions,
        "stuck": stuck(events, members, lang),
    }


def stuck(events: list[dict], members: dict[str, str], lang: str) -> list[dict]:
    """Students with at least three wrong tries on one concept whose last try there is still
    wrong (a question without concepts is its own concept)."""
    wrong: dict[tuple[str, str], int] = defaultdict(int)
    last: dict[tuple[str, str], bool] = {}
    for e in events:
        ok = judge(e["qid"], e["answer"], lang)[0]
        for concept in e["concepts"] or [e["qid"]]:
            key = (e["user"], concept)
            last[key] = bool(ok)
            if ok is False:
                wrong[key] += 1
    out = []
    for (user, concept), n in wrong.items():
        if n >= STUCK_AFTER and not last[(user, concept)]:
            label = concept
            if "." in concept:  # a question id: its prompt, shortened
                try:
                    text = pick(question(concept)["prompt"], lang)
                    label = text if len(text) <= 30 else text[:29] + "…"
                except Exception:
                    pass
            out.append({"name": members.get(user, user), "concept": label, "wrong": n})
    return sorted(out, key=lambda s: (-s["wrong"], s["name"]))


# ----- polls -----------------------------------------------------------------------------
def _vote_totals(spec: dict, q: dict, votes: list[dict], lang: str) -> dict:
    judged = [v for v in votes if v["correct"] is not None]
    right = sum(1 for v in judged if v["correct"])
    return {
        "answered": len(votes),
        "right": right,
        "share_right": round(right / len(judged), 3) if judged else None,
        "bars": bars(q, [v["answer"] for v in votes], lang, lambda key: judge_poll(spec, key)),
    }


def poll_view(store: Any, poll: dict | None, members: dict[str, str], lang: str, *,
              trainer: bool) -> dict | None:  # fmt: skip
    """A poll as the trainer sees it (names, live counts) or as a student sees it (the
    question; totals only once the poll is closed, never a name)."""
    if poll is None:
        return None
    q = poll_question(poll["spec"])
    out: dict[str, Any] = {
        "id": poll["id"],
        "vote": poll["vote"],
        "state": poll["state"],
        "title": pick(q["prompt"], lang),
    }
    votes = store.votes(poll["id"])
    by_vote = {n: [v for v in votes if v["vote"] == n] for n in (1, 2)}
    if trainer:
        out["question"] = q
        out["answered"] = sorted(members.get(v["user"], v["user"]) for v in by_vote[poll["vote"]])
        done = {v["user"] for v in by_vote[poll["vote"]]}
        out["missing"] = sorted(name for u, name in members.items() if u not in done)
    else:
        out["question"] = q
        out["answered_count"] = len(by_vote[poll["vote"]])
    if trainer or poll["state"] == "closed":
        out["results"] = [
            {"vote": n, **_vote_totals(poll["spec"], q, by_vote[n], lang)}
            for n in range(1, poll["vote"] + 1)
        ]
        if poll["vote"] == 2:
            first = {v["user"]: v for v in by_vote[1]}
            changed = sum(
                1
                for v in by_vote[2]
                if v["user"] in first and first[v["user"]]["answer"] != v["answer"]
            )
            out["shift"] = {
                "from": out["results"][0]["share_right"],
                "to": out["results"][1]["share_right"],
                "changed": changed,
            }
    return out
