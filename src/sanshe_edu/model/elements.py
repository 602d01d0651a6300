"""Element linkage (要素联动): the practice system's five elements and a case mapped onto them.

From the seed: community service, building, governance and civil-affairs work can each be seen
as a practice system with five elements — subject, object, method, goal and ethics. Read as
elements, 三社联动 links the community issue (the *object*), social organisations (the
*subject*) and social work (the *method*). Subject linkage is one element of element linkage:
the organisations linked in the subject network together form the subject. Both are meant to run
through the project process (see :mod:`sanshe_edu.model.phases`).

>>> ELEMENTS
('subject', 'object', 'method', 'goal', 'ethics')
>>> ITEM_ELEMENT["issue"], ITEM_ELEMENT["organisation"], ITEM_ELEMENT["social_work_method"]
('object', 'subject', 'method')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..errors import SansheError
from ._common import Report, choose
from .organisations import CATEGORIES, Organisation

#: The five practice elements, in the seed's order.
ELEMENTS: tuple[str, ...] = ("subject", "object", "method", "goal", "ethics")

#: The kind of thing an item of a case is, and the element where it belongs. ``worker``
#: (社会工作专业人才) belongs with the subject: the seed calls them the executors, and says
#: agencies together with their professionals make up the practice subject.
ITEM_ELEMENT: dict[str, str] = {
    "organisation": "subject",
    "worker": "subject",
    "issue": "object",
    "social_work_method": "method",
    "goal": "goal",
    "ethics": "ethics",
}
ITEM_TYPES: tuple[str, ...] = tuple(ITEM_ELEMENT)


@dataclass
class ElementReport(Report):
    """Result of :func:`map_elements`.

    Fields: ``ok``, ``problems``, ``mapping`` (element → list of ``{"name", "type"}``),
    ``missing`` (elements without items), ``misplaced`` (list of ``(name, placed_in,
    belongs_in)``), ``subject_categories`` (subject categories present), and
    ``missing_subject_categories``.

    >>> r = map_elements({"subject": [("社工站", "organisation")]})
    >>> r.ok, r.missing
    (False, ['object', 'method', 'goal', 'ethics'])
    """

    mapping: dict[str, list[dict]] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    misplaced: list[tuple[str, str, str]] = field(default_factory=list)
    subject_categories: list[str] = field(default_factory=list)
    missing_subject_categories: list[str] = field(default_factory=list)


def _item(raw: object) -> dict:
    if isinstance(raw, Organisation):
        return {"name": raw.name, "type": "organisation", "category": raw.category}
    if isinstance(raw, Mapping):
        if "name" not in raw or "type" not in raw:
            raise SansheError("model.bad_element_item", value=raw)
        item = dict(raw)
    elif isinstance(raw, (tuple, list)) and len(raw) == 2:
        item = {"name": raw[0], "type": raw[1]}
    else:
        raise SansheError("model.bad_element_item", value=raw)
    item["type"] = choose("item_type", item["type"], ITEM_TYPES, group="item")
    item["name"] = str(item["name"])
    return item


def subject_element(G) -> list[dict]:
    """The subject element fed by a subject-linkage graph: one item per organisation.

    ``subject_element(G) -> [{"name", "type": "organisation", "id", "category"}, ...]``
    (sorted by category order, then id).

    >>> from sanshe_edu.model import build_network
    >>> G = build_network([("sg", "社工站", "social_work_agency"), ("jwh", "居委会", "居委会")])
    >>> [i["id"] for i in subject_element(G)]
    ['jwh', 'sg']
    """
    from .network import _check_graph

    _check_graph(G)
    nodes = sorted(G.nodes, key=lambda n: (CATEGORIES.index(G.nodes[n]["category"]), str(n)))
    return [
        {
            "name": G.nodes[n].get("name", str(n)),
            "type": "organisation",
            "id": n,
            "category": G.nodes[n]["category"],
        }
        for n in nodes
    ]


def map_elements(case: Mapping[str, Iterable], network=None) -> ElementReport:
    """Check a case mapped onto the five elements.

    ``map_elements(case, network=None) -> ElementReport``. ``case`` maps element ids (or their
    zh/en names) to items; an item is ``{"name", "type"}`` or ``(name, type)`` with ``type`` in
    :data:`ITEM_TYPES`, or an :class:`Organisation`. When a subject-linkage ``network`` is given,
    its organisations are added to the subject element (subject linkage feeds the subject).
    Reported: elements with no item, items placed under the wrong element, and subject
    categories (of organisation items carrying a ``category``) that are missing.

    >>> r = map_elements({
    ...     "subject": [("同心社工中心", "organisation")],
    ...     "object": [("楼道堆物", "issue")],
    ...     "method": [("独居老人", "issue")],
    ...     "goal": [("楼道畅通", "goal")]})
    >>> r.missing, r.misplaced
    (['ethics'], [('独居老人', 'method', 'object')])
    """
    if not isinstance(case, Mapping):
        raise SansheError("model.bad_case", value=case)
    report = ElementReport()
    mapping: dict[str, list[dict]] = {e: [] for e in ELEMENTS}
    for key, items in case.items():
        element = choose("element", key, ELEMENTS, group="element")
        if isinstance(items, (str, Mapping)) or not isinstance(items, Iterable):
            items = [items]
        mapping[element].extend(_item(i) for i in items)
    if network is not None:
        seen = {i.get("id") for i in mapping["subject"]} | {i["name"] for i in mapping["subject"]}
        mapping["subject"].extend(
            i for i in subject_element(network) if i["id"] not in seen and i["name"] not in seen
        )
    report.mapping = mapping
    for element in ELEMENTS:
        if not mapping[element]:
            report.missing.append(element)
            report.add("model.problem.missing_element", element=("element", element))
        for item in mapping[element]:
            belongs = ITEM_ELEMENT[item["type"]]
            if belongs != element:
                report.misplaced.append((item["name"], element, belongs))
                report.add(
                    "model.problem.misplaced_item",
                    name=item["name"],
                    placed=("element", element),
                    belongs=("element", belongs),
                )
    cats = {i["category"] for i in mapping["subject"] if i.get("category") in CATEGORIES}
    report.subject_categories = [c for c in CATEGORIES if c in cats]
    if cats:
        report.missing_subject_categories = [c for c in CATEGORIES if c not in cats]
        for c in report.missing_subject_categories:
            report.add("model.problem.subject_missing_category", category=("category", c))
    return report
