"""The network type's organisations and the graph of an answer: what ``network`` judges with
and ``_network_controls`` draws with (a module of its own, so neither imports the other)."""

from __future__ import annotations

from typing import Any

from ...i18n import pick

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


def organisation_names(q: dict) -> dict[str, dict]:
    return {o["id"]: o["name"] for o in _records(q)}


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


def diagram(graph: Any, lang: str) -> bytes:
    """The picture of ``graph`` for the builder's diagram (SVG text with its title and
    description, drawn inline by the browser)."""
    from ...draw import network_svg

    return network_svg(graph, lang=lang).encode("utf-8")
