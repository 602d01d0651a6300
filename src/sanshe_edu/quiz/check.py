"""Judge an answer against a shipped (hashed) record, and say why — no widgets here.

``evaluate(q, answer) -> Result``. Answers are plain data (the shapes ``recorded_answer``
returns): single ``str``; multiple ``list[str]``; categorise ``{item: bin}``; match
``{left: right}``; order ``[step ids, first to last]``; network ``[[a, b], ...]``; matrix
``{"row/column": outcome}``; text ``str``.

>>> from sanshe_edu.quiz.bank import question
>>> from sanshe_edu.i18n import use_lang
>>> q = question("example.rc_nature")
>>> with use_lang("en"):
...     r = evaluate(q, "grassroots_self_gov")
>>> r.correct, r.score, r.max_score, r.headline
(True, 1, 1, '✔ Correct!')
>>> evaluate(q, "company").score
0
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..i18n import t
from .bank import tx
from .build import explanation_key
from .keys import digest, unseal


@dataclass
class Result:
    """The verdict on one answer: ``status`` is ``empty``, ``incomplete``, ``checked`` or
    ``saved`` (graded and text questions); ``lines`` explain it in the current language."""

    status: str
    score: float = 0
    max_score: float = 0
    correct: bool = False
    headline: str = ""
    lines: list[str] = field(default_factory=list)
    explanation: str = ""

    @property
    def done(self) -> bool:
        return self.status in ("checked", "saved")


def max_points(q: dict) -> float:
    """What the question can score (graded and text questions score nothing here)."""
    return 0 if q.get("graded") or q["type"] == "text" else q.get("points", 1)


def _round(x: float) -> float:
    x = round(x, 2)
    return int(x) if x == int(x) else x


def _labels(entries: list[dict]) -> dict[str, str]:
    return {e["id"]: tx(e["text"]) for e in entries}


def normalise(q: dict, answer: Any) -> Any:
    """Keep only what fits the record (ids it knows); ``None`` when nothing usable is left.

    Protects against stale or hand-edited stores: a restored answer never breaks a widget.
    """
    qtype = q["type"]
    try:
        if qtype == "single":
            ids = {o["id"] for o in q["options"]}
            return answer if answer in ids else None
        if qtype == "multiple":
            ids = [o["id"] for o in q["options"]]
            if not isinstance(answer, (list, tuple, set)):
                return None
            return sorted(a for a in set(answer) if a in ids)
        if qtype in ("categorise", "match", "matrix"):
            if not isinstance(answer, dict):
                return None
            if qtype == "categorise":
                keys, values = [i["id"] for i in q["items"]], {b["id"] for b in q["bins"]}
            elif qtype == "match":
                keys, values = [i["id"] for i in q["left"]], {r["id"] for r in q["right"]}
            else:
                keys = [f"{c['row']}/{c['column']}" for c in q["cells"]]
                values = {o["id"] for o in q["outcomes"]}
            return {k: answer[k] for k in keys if answer.get(k) in values}
        if qtype == "order":
            ids = [s["id"] for s in q["steps"]]
            if not isinstance(answer, (list, tuple)) or sorted(answer) != sorted(ids):
                return None
            return list(answer)
        if qtype == "network":
            ids = {o if isinstance(o, str) else o["id"] for o in q["organisations"]}
            if not isinstance(answer, (list, tuple)):
                return None
            links = set()
            for pair in answer:
                if isinstance(pair, (list, tuple)) and len(pair) == 2:
                    a, b = pair
                    if a in ids and b in ids and a != b:
                        links.add(tuple(sorted((a, b))))
            return [list(p) for p in sorted(links)]
        if qtype == "text":
            return answer if isinstance(answer, str) else None
    except (TypeError, KeyError):
        return None
    return None


def evaluate(q: dict, answer: Any) -> Result:
    """Judge ``answer`` (already :func:`normalise`-d or raw) for the shipped record ``q``."""
    answer = normalise(q, answer)
    qtype = q["type"]
    res = Result(status="empty", max_score=max_points(q))
    if answer is None or (answer in ("", [], {}) and qtype != "multiple"):
        res.headline = t("quiz.net_no_links" if qtype == "network" else "quiz.answer_first")
        return res
    if qtype == "multiple" and not answer:
        res.headline = t("quiz.answer_first")
        return res
    if qtype == "text":
        return _text(q, answer, res)
    missing = _missing(q, answer)
    if missing:
        res.status = "incomplete"
        res.headline = t("quiz.incomplete", n=missing)
        return res
    if q.get("graded"):
        res.status = "saved"
        res.headline = t("quiz.saved_graded")
        return res
    if qtype == "network":
        return _network(q, answer, res)
    return _keyed(q, answer, res)


def _missing(q: dict, answer: Any) -> int:
    qtype = q["type"]
    if qtype == "categorise":
        return len(q["items"]) - len(answer)
    if qtype == "match":
        return len(q["left"]) - len(answer)
    if qtype == "matrix":
        return len(q["cells"]) - len(answer)
    return 0


def _text(q: dict, answer: str, res: Result) -> Result:
    have = len(answer.strip())
    need = q.get("min_chars", 1)
    if have < need:
        res.status = "incomplete"
        res.headline = t("quiz.too_short", n=need, have=have)
        return res
    res.status = "saved"
    res.headline = t("quiz.saved_graded") if q.get("graded") else t("quiz.saved_text")
    if q.get("guidance") and not q.get("graded"):
        res.lines.append(t("quiz.guidance", text=tx(q["guidance"])))
    return res


def _why(blob: str | None, salt: str, *parts: str) -> str:
    if not blob:
        return ""
    opened = unseal(blob, salt, *parts)
    return tx(opened) if opened else ""


def _keyed(q: dict, answer: Any, res: Result) -> Result:
    qtype, salt, qid = q["type"], q["salt"], q["id"]
    res.status = "checked"
    right = total = 0
    if qtype == "single":
        total = 1
        right = int(digest(salt, qid, "answer", answer) == q["key"])
        opt = next(o for o in q["options"] if o["id"] == answer)
        why = _why(opt.get("fb"), salt, qid, "fb", answer)
        if why:
            res.lines.append(why)
    elif qtype == "multiple":
        chosen = set(answer)
        total = 1
        all_ok = True
        missed = False
        for o in q["options"]:
            flag = "1" if o["id"] in chosen else "0"
            ok = digest(salt, qid, o["id"], flag) == o["key"]
            all_ok &= ok
            if o["id"] in chosen:
                why = _why(o.get("fb"), salt, qid, "fb", o["id"], "1" if ok else "0")
                mark = "option_chosen_right" if ok else "option_chosen_wrong"
                line = t(f"quiz.{mark}", option=tx(o["text"]))
                res.lines.append(f"{line} — {why}" if why else line)
            elif not ok:
                missed = True
        if missed:
            res.lines.append(t("quiz.missed_options"))
        right = int(all_ok)
    elif qtype in ("categorise", "match"):
        entries = q["items"] if qtype == "categorise" else q["left"]
        targets = _labels(q["bins"] if qtype == "categorise" else q["right"])
        total = len(entries)
        for e in entries:
            chosen = answer[e["id"]]
            if digest(salt, qid, e["id"], chosen) == e["key"]:
                right += 1
                why = _why(e.get("why"), salt, qid, "why", e["id"], chosen)
                line = t("quiz.item_right", item=tx(e["text"]))
                res.lines.append(f"{line} — {why}" if why else line)
            elif qtype == "categorise":
                res.lines.append(
                    t("quiz.item_wrong_bin", item=tx(e["text"]), bin=targets.get(chosen, chosen))
                )
            else:
                res.lines.append(
                    t(
                        "quiz.item_wrong_match",
                        item=tx(e["text"]),
                        right=targets.get(chosen, chosen),
                    )
                )
    elif qtype == "order":
        steps = {s["id"]: s for s in q["steps"]}
        total = len(steps)
        for pos, sid in enumerate(answer, start=1):
            s = steps[sid]
            if digest(salt, qid, sid, str(pos)) == s["key"]:
                right += 1
                why = _why(s.get("why"), salt, qid, "why", sid, str(pos))
                line = t("quiz.item_right", item=f"{pos}. {tx(s['text'])}")
                res.lines.append(f"{line} — {why}" if why else line)
            else:
                res.lines.append(t("quiz.item_wrong_place", pos=pos, item=tx(s["text"])))
    elif qtype == "matrix":
        rows, cols, outs = _labels(q["rows"]), _labels(q["columns"]), _labels(q["outcomes"])
        total = len(q["cells"])
        for c in q["cells"]:
            cid = f"{c['row']}/{c['column']}"
            chosen = answer[cid]
            if digest(salt, qid, cid, chosen) == c["key"]:
                right += 1
                why = _why(c.get("why"), salt, qid, "why", cid, chosen)
                line = t(
                    "quiz.item_right",
                    item=f"{rows[c['row']]} × {cols[c['column']]}: {outs[chosen]}",
                )
                res.lines.append(f"{line} — {why}" if why else line)
            else:
                res.lines.append(
                    t(
                        "quiz.item_wrong_cell",
                        row=rows[c["row"]],
                        column=cols[c["column"]],
                        outcome=outs[chosen],
                    )
                )
    res.correct = right == total
    res.score = _round(res.max_score * right / total) if total else 0
    if res.correct:
        res.headline = t("quiz.all_right")
        if q.get("explanation"):
            res.explanation = _why(
                q["explanation"], salt, qid, "explanation", explanation_key(q, answer)
            )
    elif qtype in ("categorise", "match", "order", "matrix") and right:
        res.headline = t("quiz.partly", right=right, total=total)
    else:
        res.headline = t("quiz.wrong")
    return res


def organisations(q: dict) -> list[dict]:
    """The network question's organisations as ``{id, name, kind}`` dicts (case ids resolved)."""
    out = []
    case_orgs: dict[str, dict] | None = None
    for o in q["organisations"]:
        if isinstance(o, dict):
            out.append({"id": o["id"], "name": tx(o["name"]), "kind": o["kind"]})
            continue
        if case_orgs is None:
            case_orgs = _case_organisations()
        if o not in case_orgs:
            raise KeyError(o)
        out.append(case_orgs[o])
    return out


_case_cache: dict[str, dict[str, dict]] = {}


def _case_organisations() -> dict[str, dict]:
    """The Xingfuli case's organisations in the current language (read once per language)."""
    from ..i18n import get_lang

    lang = get_lang()
    if lang not in _case_cache:
        _case_cache[lang] = _read_case_organisations()
    return _case_cache[lang]


def _read_case_organisations() -> dict[str, dict]:
    from ..model import load_case

    case = load_case("xingfuli")
    orgs = case.get("organisations", []) if isinstance(case, dict) else case.organisations
    found = {}
    for o in orgs:
        d = o if isinstance(o, dict) else o.__dict__
        name = d.get("name")
        if isinstance(name, dict):
            name = tx(name)
        from ..i18n import get_lang

        if get_lang() == "en" and d.get("name_en"):
            name = d["name_en"]
        found[d["id"]] = {"id": d["id"], "name": name, "kind": d["kind"]}
    return found


def network_graph(q: dict, links: list):
    """The networkx graph of the student's network (via ``sanshe_edu.model.build_network``).

    The network is the organisations the student has linked; an organisation with no link is
    not part of it. With no link at all, every organisation is shown (for the drawing).
    """
    from ..model import build_network

    linked = {x for p in links for x in p}
    orgs = [o for o in organisations(q) if o["id"] in linked] or organisations(q)
    return build_network(orgs, [tuple(p) for p in links])


def _network(q: dict, answer: list, res: Result) -> Result:
    from ..model import analyse_network, label

    res.status = "checked"
    G = network_graph(q, answer)
    report = analyse_network(G)
    req = q.get("require", {})
    met = total = 0
    if req.get("categories"):
        total += 1
        missing = [c for c in req["categories"] if not report.categories.get(c)]
        if missing:
            for c in missing:
                res.lines.append(t("quiz.net_missing_category", category=label("category", c)))
        else:
            met += 1
            res.lines.append(t("quiz.net_ok_category"))
    if req.get("connected"):
        total += 1
        if report.connected:
            met += 1
            res.lines.append(t("quiz.net_ok_connected"))
        else:
            res.lines.append(t("quiz.net_not_connected"))
    if req.get("linked"):
        total += 1
        if not report.unlinked_pairs:
            met += 1
            res.lines.append(t("quiz.net_ok_linked"))
        else:
            pairs = "; ".join(
                f"{label('category', a)} – {label('category', b)}" for a, b in report.unlinked_pairs
            )
            res.lines.append(t("quiz.net_unlinked", pairs=pairs))
    if req.get("min_links"):
        total += 1
        if G.number_of_edges() >= req["min_links"]:
            met += 1
            res.lines.append(t("quiz.net_ok_links"))
        else:
            res.lines.append(t("quiz.net_too_few", n=req["min_links"], have=G.number_of_edges()))
    if req.get("min_bridges"):
        total += 1
        names = ", ".join(str(G.nodes[n].get("name", n)) for n in report.bridges) or "—"
        if len(report.bridges) >= req["min_bridges"]:
            met += 1
            res.lines.append(t("quiz.net_ok_bridges", names=names))
        else:
            res.lines.append(t("quiz.net_few_bridges", n=req["min_bridges"], names=names))
    # The model's own diagnosis (isolated organisations, categories not directly linked).
    shown_ok = met == total
    if not shown_ok:
        said = {"model.problem.missing_category", "model.problem.not_connected"}
        res.lines.extend(
            f"· {text}"
            for key, text in zip(report.problem_keys, report.problems, strict=True)
            if key not in said
        )
    res.correct = total > 0 and met == total
    res.score = _round(res.max_score * met / total) if total else 0
    if res.correct:
        res.headline = t("quiz.all_right")
        if q.get("explanation_text"):
            res.explanation = tx(q["explanation_text"])
    elif met:
        res.headline = t("quiz.partly", right=met, total=total)
    else:
        res.headline = t("quiz.wrong")
    return res
