"""``network`` — build a linkage network of organisations by pressing buttons; checked with the
model's ``analyse_network`` against ``require`` (no fixed drawing); share of requirements met.

The organisations and the graph of an answer are in ``_network_graph.py`` (the diagram is
drawn by its ``diagram`` alone, so the picture can change without the rest); the builder's
buttons are in ``_network_controls.py``. Both import the graph module, never each other.
"""

from __future__ import annotations

from typing import Any, ClassVar

from ...i18n import LANGS
from ..result import Msg, Result
from ._base import ID, TEXT, Controls, QuestionType, Sealer
from ._network_graph import network_graph, organisation_names, organisations

ORGANISATION = {
    "description": "An organisation of the fictional Xingfuli case by id (e.g. jwh), or a record.",
    "if": {"type": "string"},
    "then": ID,
    "else": {
        "type": "object",
        "required": ["id", "name", "kind"],
        "additionalProperties": False,
        "properties": {"id": ID, "name": TEXT, "kind": ID},
    },
}
REQUIRE = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "categories": {"type": "array", "items": ID, "uniqueItems": True},
        "connected": {"type": "boolean"},
        "linked": {"type": "boolean"},
        "min_bridges": {"type": "integer", "minimum": 1},
        "min_links": {"type": "integer", "minimum": 1},
    },
}
__all__ = ["TYPE", "network_graph", "organisations"]  # the graph helpers, for quiz.check


class Network(QuestionType):
    name = "network"
    fields: ClassVar[dict] = {
        "organisations": {"type": "array", "minItems": 2, "items": ORGANISATION},
        "require": REQUIRE,
    }
    required = ("organisations", "require")
    empty_key = "quiz.net_no_links"

    def rules(self, c: Any, q: dict, keyed: bool) -> None:
        seen: set[str] = set()
        for i, o in enumerate(q["organisations"]):
            oid = o if isinstance(o, str) else o["id"]
            if oid in seen:
                c.add(f"organisations[{i}]", "repeated_id", value=oid)
            seen.add(oid)

    def compile(self, q: dict, s: Sealer) -> dict:
        out = {"organisations": q["organisations"], "require": q["require"]}
        if q.get("explanation"):
            out["explanation_text"] = q["explanation"]  # no single right answer to seal it with
        return out

    def normalise(self, q: dict, answer: Any) -> Any:
        if not isinstance(answer, (list, tuple)):
            return None
        ids = {o if isinstance(o, str) else o["id"] for o in q["organisations"]}
        links = set()
        for pair in answer:
            if isinstance(pair, (list, tuple)) and len(pair) == 2:
                a, b = pair
                if a in ids and b in ids and a != b:
                    links.add(tuple(sorted((a, b))))
        return [list(p) for p in sorted(links)]

    def judge(self, q: dict, answer: Any, res: Result, s: Sealer) -> tuple[int, int]:
        from ...model import analyse_network, labels

        G = network_graph(q, answer)
        report = analyse_network(G)
        req, met = q.get("require", {}), []

        def need(ok: bool, good: Msg, *bad: Msg) -> None:
            met.append(ok)
            res.lines.extend([good] if ok else bad)

        def both(join: str, parts: Any) -> dict:  # {zh, en} of a list of {zh, en}
            return {lang: join.join(p[lang] for p in parts) or "—" for lang in LANGS}

        if req.get("categories"):
            gone = [c for c in req["categories"] if not report.categories.get(c)]
            bad = (
                Msg("quiz.net_missing_category", {"category": labels("category", c)}) for c in gone
            )
            need(not gone, Msg("quiz.net_ok_category"), *bad)
        if req.get("connected"):
            need(report.connected, Msg("quiz.net_ok_connected"), Msg("quiz.net_not_connected"))
        if req.get("linked"):
            pairs = [
                both(" – ", [labels("category", a), labels("category", b)])
                for a, b in report.unlinked_pairs
            ]
            bad = Msg("quiz.net_unlinked", {"pairs": both("; ", pairs)})
            need(not report.unlinked_pairs, Msg("quiz.net_ok_linked"), bad)
        if req.get("min_links"):
            n, have = req["min_links"], G.number_of_edges()
            need(
                have >= n, Msg("quiz.net_ok_links"), Msg("quiz.net_too_few", {"n": n, "have": have})
            )
        if req.get("min_bridges"):
            names = organisation_names(q)
            who, n = both(", ", [names[b] for b in report.bridges]), req["min_bridges"]
            bad = Msg("quiz.net_few_bridges", {"n": n, "names": who})
            need(len(report.bridges) >= n, Msg("quiz.net_ok_bridges", {"names": who}), bad)
        if not all(met):  # the model's own diagnosis, less what was said above
            said = {"model.problem.missing_category", "model.problem.not_connected"}
            texts = {lang: report.problems_in(lang) for lang in LANGS}
            for i, key in enumerate(report.problem_keys):
                if key not in said:
                    line = {lang: texts[lang][i] for lang in LANGS}
                    res.lines.append(Msg("quiz.net_model_line", {"text": line}))
        return sum(met), len(met)

    def explanation(self, q: dict, answer: Any, s: Sealer) -> dict | None:
        return q.get("explanation_text")

    def parts(self, q: dict, answer: Any, key: Any) -> tuple[int, int]:
        """The requirements met (no key: a network has no single right answer)."""
        if self.is_empty(answer):
            return 0, 1
        right, total = self.judge(q, answer, Result(status="checked"), Sealer(q, "-", False))
        return (right, total) if total else (0, 1)

    def model_answer(self, q: dict) -> list[list[str]]:
        """A network meeting the requirements: the first organisation of each category linked
        to the first of every other category, and every other organisation to the first of its
        own category (connected, every pair of categories linked)."""
        from ...model.organisations import ORG_KINDS

        heads: dict[str, str] = {}
        links = []
        for org in organisations(q):
            category = ORG_KINDS[org["kind"]].category
            if category in heads:
                links.append(sorted([heads[category], org["id"]]))
            else:
                links.extend(sorted([head, org["id"]]) for head in heads.values())
                heads[category] = org["id"]
        return sorted(links)

    def texts(self, q: dict, lang: str | None = None) -> dict[str, str]:
        """Each organisation's name (none for a case id the case lacks)."""
        try:
            return {o["id"]: o["name"] for o in organisations(q, lang)}
        except (KeyError, TypeError):
            return {}

    def controls(self, q: dict, frame: Any) -> Controls:
        from ._network_controls import Builder

        return Builder(q, frame)


TYPE = Network()
