"""Load the shipped (hashed) question banks.

>>> q = question("example.rc_nature")
>>> q["type"], "correct" in json.dumps(q)
('single', False)
>>> question("example.nope")
Traceback (most recent call last):
...
sanshe_edu.errors.SansheError: ...
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import SansheError, unknown_choice
from ..i18n import t

_cache: dict[Path, tuple[float, dict]] = {}


def banks_dir() -> Path:
    """The folder of the shipped banks (``sanshe_edu/data/banks``)."""
    return Path(str(resources.files("sanshe_edu") / "data" / "banks"))


def bank_ids(folder: Path | None = None) -> list[str]:
    """Ids of every shipped bank, sorted."""
    folder = folder or banks_dir()
    return sorted(p.stem for p in folder.glob("*.json")) if folder.is_dir() else []


def load_bank(bank: str, folder: Path | None = None) -> dict:
    """The bank ``bank`` as a dict (cached until the file changes)."""
    folder = folder or banks_dir()
    path = folder / f"{bank}.json"
    if not path.is_file():
        raise SansheError("quiz.bank_missing", bank=bank, choices=", ".join(bank_ids(folder)))
    try:
        mtime = path.stat().st_mtime
        hit = _cache.get(path)
        if hit and hit[0] == mtime:
            return hit[1]
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SansheError("quiz.bank_unreadable", file=path, detail=exc) from None
    _cache[path] = (mtime, data)
    return data


def split_qid(qid: str) -> tuple[str, str]:
    """``"l04.org_kinds"`` -> ``("l04", "org_kinds")``."""
    if not isinstance(qid, str) or qid.count(".") != 1 or not all(qid.split(".")):
        raise SansheError("quiz.bad_qid", qid=qid)
    bank, q = qid.split(".")
    return bank, q


def question(qid: str, folder: Path | None = None) -> dict[str, Any]:
    """The shipped record of ``qid`` (``"<bank>.<id>"``), with ``"qid"`` and ``"bank"`` added."""
    bank_id, q_id = split_qid(qid)
    bank = load_bank(bank_id, folder)
    for q in bank["questions"]:
        if q["id"] == q_id:
            return {**q, "qid": qid, "bank": bank_id}
    raise unknown_choice(t("quiz.what_question"), q_id, [q["id"] for q in bank["questions"]])


def short_title(qid: str, width: int = 28) -> str:
    """A question as a student knows it: the start of its prompt in the current language
    (never its id, unless the bank no longer has the question).

    >>> from sanshe_edu.i18n import use_lang
    >>> with use_lang("en"):
    ...     short_title("example.rc_nature", 20), short_title("example.gone")
    ('Under the Organic L…', 'example.gone')
    """
    from ..i18n import pick

    try:
        text = pick(question(qid)["prompt"])
    except Exception:  # a stale id still shows as its id
        return qid
    return text if len(text) <= width else text[: width - 1] + "…"
