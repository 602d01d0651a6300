"""课堂练习 in the class report and the gradebook: what the live class service knows about a
lesson's *practice* answers (issue 26, "it flows on").

On the class server the service's data is root's (mode 600); the trainer's process never reads
the file. The trainer's kernel asks the service instead, ``GET api/export`` with its server's
hub token (the hub puts ``JUPYTERHUB_API_TOKEN`` and ``SANSHE_EDU_LIVE_URL`` into every
server's environment; the service answers the trainer only). Elsewhere (a laptop, tests)
there is no service and the report and gradebook are exactly as before.

>>> data = {"lessons": [{"bank": "l05", "title": "第五课", "n": 3, "questions": [
...     {"qid": "l05.q", "title": "关系？", "answered": 2, "share_right": 0.5,
...      "share_first": 0.0, "missing": ["王五"],
...      "wrong": [{"label": "方向反了", "count": 1, "reason": "不对"}]}]}],
...     "participation": [{"login": "s1", "questions": 2, "poll_votes": 1}]}
>>> [(r["bank"], r["answered"], r["share_right"], r["wrong"]) for r in rows(data)]
[('l05', 2, 0.5, '方向反了 ×1（不对）')]
>>> by_student(data)
{'s1': {'login': 's1', 'questions': 2, 'poll_votes': 1}}
>>> by_student(None)
{}
"""

from __future__ import annotations

import json
import logging
import os
import urllib.request

from ...i18n import t

log = logging.getLogger("sanshe_edu.grade")
FIELDS = ["bank", "lesson", "qid", "title", "answered", "n", "share_right", "share_first"]
FIELDS += ["wrong"]


def fetch(timeout: float = 10.0) -> tuple[dict | None, str]:
    """``(data, problem)``: the service's export, or ``None`` and why not (``""`` when there
    is simply no class service here). Never raises."""
    from ...quiz.events import ENV_TOKEN, ENV_URL

    url, token = os.environ.get(ENV_URL), os.environ.get(ENV_TOKEN)
    if not (url and token):
        return None, ""
    req = urllib.request.Request(
        url.rstrip("/") + "/api/export", headers={"Authorization": f"token {token}"}
    )
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            data = json.loads(resp.read())
        if not isinstance(data, dict) or not isinstance(data.get("lessons"), list):
            raise ValueError("not an export")
        return data, ""
    except Exception as exc:  # the report goes on without the lesson data, saying so
        log.info("live export not fetched: %s", exc)
        return None, t("grade.practice_unreachable", detail=str(exc)[:200])


def rows(data: dict | None) -> list[dict]:
    """One row per practice question answered (for ``practice.csv`` and the page)."""
    out = []
    for lesson in (data or {}).get("lessons", []):
        for q in lesson.get("questions", []):
            wrong = "；".join(
                f"{w['label']} ×{w['count']}" + (f"（{w['reason']}）" if w.get("reason") else "")
                for w in q.get("wrong", [])
            )
            out.append(
                {
                    "bank": lesson.get("bank", ""),
                    "lesson": lesson.get("title", ""),
                    "qid": q.get("qid", ""),
                    "title": q.get("title", ""),
                    "answered": q.get("answered", 0),
                    "n": lesson.get("n", 0),
                    "share_right": q.get("share_right"),
                    "share_first": q.get("share_first"),
                    "wrong": wrong,
                    "missing": q.get("missing", []),
                    "wrong_list": q.get("wrong", []),
                }
            )
    return out


def headers() -> list[str]:
    return [t(f"grade.practice_{k}") for k in FIELDS]


def by_student(data: dict | None) -> dict[str, dict]:
    """``{login: participation row}`` (``{}`` without data)."""
    return {r["login"]: r for r in (data or {}).get("participation", []) if r.get("login")}
