"""Shared by ``categorise`` and ``match``: each entry of one list is given one target."""

from __future__ import annotations

from typing import Any

from ..result import Msg, Result
from ._base import (
    Controls,
    QuestionType,
    Sealer,
    entry_texts,
    find_entry,
    open_wrong,
    seal_wrong,
    wrong_feedback_rules,
)


class Assign(QuestionType):
    entries_field = ""  # the entries: "items" / "left"
    targets_field = ""  # what they are given: "bins" / "right"
    key_field = ""  # the plain key on an entry: "bin" / "match"
    what = ""  # the did-you-mean noun for a target
    no_key = "missing"  # problem key when a keyed entry names no target
    wrong_line = ""  # message of a wrong entry, fields item and target

    def rules(self, c: Any, q: dict, keyed: bool) -> None:
        targets = sorted(t["id"] for t in q[self.targets_field])
        for e in q[self.entries_field]:
            where = f"{self.entries_field}[{e['id']}].{self.key_field}"
            if self.key_field not in e:
                if keyed:
                    c.add(where, self.no_key)
            elif e[self.key_field] not in targets:
                c.choice(where, self.what, e[self.key_field], targets)
        wrong_feedback_rules(c, self.entries_field, q[self.entries_field], keyed)

    def compile(self, q: dict, s: Sealer) -> dict:
        ids = [t["id"] for t in q[self.targets_field]]
        out = []
        for e in q[self.entries_field]:
            entry = {"id": e["id"], "text": e["text"]}
            if s.keyed:
                target = e[self.key_field]
                entry["key"] = s.digest(e["id"], target)
                entry["why"] = s.seal(e.get("feedback"), "why", e["id"], target)
                entry["not"] = seal_wrong(s, e, e["id"], target, ids)
            out.append(entry)
        targets = [{"id": t["id"], "text": t["text"]} for t in q[self.targets_field]]
        return {self.entries_field: out, self.targets_field: targets}

    def plain_answer(self, q: dict) -> Any:
        return {e["id"]: e.get(self.key_field) for e in q[self.entries_field]}

    def key_string(self, q: dict, answer: Any) -> str:
        return ",".join(f"{e['id']}={answer.get(e['id'])}" for e in q[self.entries_field])

    def normalise(self, q: dict, answer: Any) -> Any:
        if not isinstance(answer, dict):
            return None
        values = {t["id"] for t in q[self.targets_field]}
        keys = [e["id"] for e in q[self.entries_field]]
        return {k: answer[k] for k in keys if answer.get(k) in values}

    def incomplete(self, q: dict, answer: Any) -> Msg | None:
        n = len(q[self.entries_field]) - len(answer)
        return Msg("quiz.incomplete", {"n": n}) if n else None

    def judge(self, q: dict, answer: Any, res: Result, s: Sealer) -> tuple[int, int]:
        targets = {t["id"]: t["text"] for t in q[self.targets_field]}
        right = 0
        for e in q[self.entries_field]:
            chosen = answer[e["id"]]
            if s.digest(e["id"], chosen) == e["key"]:
                right += 1
                why = s.open(e.get("why"), "why", e["id"], chosen)
                res.lines.append(Msg("quiz.item_right", {"item": e["text"]}, why))
            else:
                fields = {"item": e["text"], "target": targets.get(chosen, chosen)}
                why = open_wrong(s, e, e["id"], chosen)
                res.lines.append(Msg(self.wrong_line, fields, reason=why))
        return right, len(q[self.entries_field])

    def texts(self, q: dict, lang: str | None = None) -> dict[str, str]:
        return entry_texts(q, (self.entries_field, self.targets_field), lang)

    def reason_entry(self, q: dict, part: str, choice: str) -> dict | None:
        return find_entry(q.get(self.entries_field), part)

    def controls(self, q: dict, frame: Any) -> Controls:
        from ._choosers import chooser_rows

        return chooser_rows(q[self.entries_field], q[self.targets_field])
