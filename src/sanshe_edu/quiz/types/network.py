"""``network`` — build a linkage network of organisations by pressing buttons; checked with the
model's ``analyse_network`` against ``require`` (no fixed drawing); share of requirements met.

The diagram is drawn by :func:`_diagram` alone, so the picture can change without this module.
"""

from __future__ import annotations

from typing import Any, ClassVar

from ...i18n import LANGS, get_lang, pick, t
from ..result import Msg, Result
from ..ui import esc
from ._base import ID, TEXT, Controls, QuestionType, Sealer, guarded

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
_case: dict[str, dict] = {}


def _case_organisations() -> dict[str, dict]:
    """The Xingfuli case's organisations, names as ``{zh, en}`` (read once)."""
    if not _case:
        from ...model import load_case

        for o in load_case("xingfuli")["organisations"]:
            name = {"zh": o["name"], "en": o.get("name_en") or o["name"]}
            _case[o["id"]] = {"id": o["id"], "name": name, "kind": o["kind"]}
    return _case


def _records(q: dict) -> list[dict]:
    """``{id, name: {zh, en}, kind}`` per organisation (a case id naming no case org raises)."""
    return [o if isinstance(o, dict) else _case_organisations()[o] for o in q["organisations"]]


def organisations(q: dict, lang: str | None = None) -> list[dict]:
    """The question's organisations as ``{id, name, kind}`` with the name in ``lang``."""
    return [{**o, "name": pick(o["name"], lang)} for o in _records(q)]


def network_graph(q: dict, links: list, lang: str | None = None):
    """The graph of the student's network (``sanshe_edu.model.build_network``): the linked
    organisations; with no link at all, every organisation (for the drawing)."""
    from ...model import build_network

    linked = {x for p in links for x in p}
    orgs = organisations(q, lang)
    return build_network([o for o in orgs if o["id"] in linked] or orgs, [tuple(p) for p in links])


def _diagram(graph: Any, lang: str) -> bytes:
    """The picture of ``graph`` for the builder's ``Image`` widget (PNG bytes)."""
    from ...draw import draw_network

    return draw_network(graph, lang=lang).to_png()


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
        names = {o["id"]: o["name"] for o in _records(q)}
        req = q.get("require", {})
        checks = []  # (met, ok message, failure messages)
        if req.get("categories"):
            missing = [c for c in req["categories"] if not report.categories.get(c)]
            fails = [
                Msg("quiz.net_missing_category", {"category": labels("category", c)})
                for c in missing
            ]
            checks.append((not missing, Msg("quiz.net_ok_category"), fails))
        if req.get("connected"):
            checks.append(
                (report.connected, Msg("quiz.net_ok_connected"), [Msg("quiz.net_not_connected")])
            )
        if req.get("linked"):
            pairs = {
                lang: "; ".join(
                    f"{labels('category', a)[lang]} – {labels('category', b)[lang]}"
                    for a, b in report.unlinked_pairs
                )
                for lang in LANGS
            }
            fail = Msg("quiz.net_unlinked", {"pairs": pairs})
            checks.append((not report.unlinked_pairs, Msg("quiz.net_ok_linked"), [fail]))
        if req.get("min_links"):
            n, have = req["min_links"], G.number_of_edges()
            fail = Msg("quiz.net_too_few", {"n": n, "have": have})
            checks.append((have >= n, Msg("quiz.net_ok_links"), [fail]))
        if req.get("min_bridges"):
            who = {lang: ", ".join(names[b][lang] for b in report.bridges) or "—" for lang in LANGS}
            n = req["min_bridges"]
            ok = Msg("quiz.net_ok_bridges", {"names": who})
            checks.append(
                (
                    len(report.bridges) >= n,
                    ok,
                    [Msg("quiz.net_few_bridges", {"n": n, "names": who})],
                )
            )
        for met, ok, fails in checks:
            res.lines.extend([ok] if met else fails)
        met = sum(1 for c in checks if c[0])
        if met < len(checks):  # the model's own diagnosis, less what was said above
            said = {"model.problem.missing_category", "model.problem.not_connected"}
            texts = {lang: report.problems_in(lang) for lang in LANGS}
            for i, key in enumerate(report.problem_keys):
                if key not in said:
                    line = {lang: texts[lang][i] for lang in LANGS}
                    res.lines.append(Msg("quiz.net_model_line", {"text": line}))
        return met, len(checks)

    def explanation(self, q: dict, answer: Any, s: Sealer) -> dict | None:
        return q.get("explanation_text")

    def controls(self, q: dict, frame: Any) -> Controls:
        return Builder(q, frame)


class Builder(Controls):
    """Step 1: press an organisation; step 2: press each of its partners (again to unlink).
    Every link has its own Remove button too.

    Only plain buttons, each meaning one thing: ipywidgets sends a button press as a message
    that can overtake a pending value update of another control (ipywidgets issue #252), so a
    "pick From, pick To, press Link" design could link the wrong pair while the kernel is busy
    redrawing. Here the kernel holds the state, so presses count in order. Tab + Enter do
    everything (no drop-down, whose arrow keys JupyterLab takes)."""

    def __init__(self, q: dict, frame: Any) -> None:
        import ipywidgets as W

        self.W, self.q, self.frame = W, q, frame
        self.names = {o["id"]: o["name"] for o in organisations(q)}
        self.links: list[list[str]] = []
        self.picked: str | None = None

        def buttons(on_press: Any, css: str) -> tuple[dict, W.Widget]:
            group = {}
            for oid, name in self.names.items():
                b = W.Button(description=name, layout=W.Layout(width="auto"))
                b.on_click(guarded(frame, lambda _b, oid=oid: on_press(oid)))
                group[oid] = b
            box = W.HBox(list(group.values()), layout=W.Layout(flex_flow="row wrap"))
            box.add_class(css)
            return group, box

        self.from_buttons, from_box = buttons(self.pick, "sanshe-net-from")
        self.to_buttons, to_box = buttons(self.toggle, "sanshe-net-to")
        self.links_box = W.VBox()
        self.links_box.add_class("sanshe-net-links")
        # An Image whose bytes are replaced, not an Output that is cleared and refilled:
        # re-rendering an output area moves the keyboard focus in JupyterLab.
        self.drawing = W.Image(format="png", layout=W.Layout(max_width="100%", height="auto"))
        self.drawing_note = W.HTML("")
        self.sync()
        self.widget = W.VBox(
            [
                W.VBox([W.HTML(f"<b>{esc(t('quiz.net_from'))}</b>"), from_box]),
                W.VBox([W.HTML(f"<b>{esc(t('quiz.net_to'))}</b>"), to_box]),
                self.links_box,
                self.drawing_note,
                self.drawing,
            ]
        )

    def get(self) -> list[list[str]]:
        return [list(p) for p in self.links]

    def set(self, answer: Any) -> None:
        self.links = [list(p) for p in answer]
        self.picked = None
        self.sync()

    def clear(self) -> None:
        self.set([])

    def pick(self, oid: str) -> None:
        self.picked = oid
        self.frame.say([])
        self.style()

    def toggle(self, oid: str) -> None:
        if self.picked is None or oid == self.picked:
            self.frame.say([t("quiz.net_pick_first" if self.picked is None else "quiz.net_same")])
            return
        pair = sorted((self.picked, oid))
        if pair in self.links:
            self.links.remove(pair)
        else:
            self.links = sorted([*self.links, pair])
        self.sync()

    def unlink(self, pair: list[str]) -> None:
        if pair in self.links:
            self.links.remove(pair)
        self.sync()

    def style(self) -> None:
        """The chosen organisation is blue; its current partners are green. Partner buttons
        are never disabled: a press reaching a button before its kernel update would be lost
        without a word; pressing the chosen organisation itself says why it is refused."""
        partners = {x for p in self.links if self.picked in p for x in p} - {self.picked}
        for oid, b in self.from_buttons.items():
            b.button_style = "info" if oid == self.picked else ""
        for oid, b in self.to_buttons.items():
            b.button_style = "success" if oid in partners else ""
            if self.picked is None:
                b.tooltip = t("quiz.net_pick_first")
            else:
                key = "quiz.net_unlink_tip" if oid in partners else "quiz.net_link_tip"
                b.tooltip = t(key, link=f"{self.names[self.picked]} — {self.names[oid]}")

    def sync(self) -> None:
        W = self.W
        rows: list[Any] = [W.HTML(f"<b>{esc(t('quiz.net_links'))}</b>")]
        if not self.links:
            rows.append(W.HTML(f"<span style='color:#777'>{esc(t('quiz.net_none'))}</span>"))
        for a, b in self.links:
            text = f"{self.names[a]} — {self.names[b]}"
            remove = W.Button(
                description=t("quiz.net_unlink"),
                tooltip=t("quiz.net_unlink_tip", link=text),
                icon="times",
                layout=W.Layout(width="auto"),
            )
            remove.on_click(guarded(self.frame, lambda _b, pair=[a, b]: self.unlink(pair)))
            label = W.HTML(esc(text), layout=W.Layout(min_width="16em"))
            label.add_class("sanshe-net-link")
            rows.append(W.HBox([label, remove]))
        self.links_box.children = rows
        self.style()
        try:  # the diagram is an aid, not the answer: a drawing failure never blocks answering
            self.drawing.value = _diagram(network_graph(self.q, self.links), get_lang())
            self.drawing_note.value = ""
        except Exception as exc:
            self.drawing_note.value = esc(t("quiz.internal_error", detail=exc))


TYPE = Network()
