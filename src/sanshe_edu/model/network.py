"""Subject linkage (主体联动) as a networkx graph, its analysis, and Wang Sibin's linkage modes.

Nodes are organisations (attributes ``name, kind, category, role, inside``); edges are typed
relations (attribute ``type``, optionally ``mode`` when the partners' goals are given).

>>> from sanshe_edu.model import load_case
>>> case = load_case("xingfuli")
>>> G = build_network(case["organisations"], case["relations"])
>>> report = analyse_network(G)
>>> report.ok, report.connected, report.missing_categories
(True, True, [])
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import combinations

from ..errors import SansheError
from ..i18n import t
from ._common import Report, choose
from .organisations import CATEGORIES, Organisation

#: Relation types an edge may carry. These are our modelling vocabulary: the seed speaks of
#: partnership (伙伴合作), the community as platform (平台), social work as professional support
#: (专业支撑), government purchase of services, venture philanthropy and outsourcing of facility
#: projects, and resource integration (资源整合).
RELATION_TYPES: tuple[str, ...] = (
    "partnership",
    "platform_support",
    "professional_support",
    "service_purchase",
    "venture_philanthropy",
    "facility_outsourcing",
    "resource_sharing",
)

#: Wang Sibin's three linkage modes (王思斌：工具性、协作性、合作式联动).
LINKAGE_MODES: tuple[str, ...] = ("instrumental", "collaborative", "cooperative")

#: What :func:`linkage_mode` returns when the parties stand in different modes.
MIXED = "mixed"


def _relation(rel: object, known: Mapping[str, Organisation]) -> tuple[str, str, dict]:
    if isinstance(rel, Mapping):
        data = dict(rel)
        try:
            a, b = data.pop("source"), data.pop("target")
        except KeyError as exc:
            raise SansheError("model.missing_field", field=exc.args[0], value=dict(rel)) from None
        rtype = data.pop("type", "partnership")
    elif isinstance(rel, (tuple, list)) and len(rel) in (2, 3):
        a, b = rel[0], rel[1]
        rtype = rel[2] if len(rel) == 3 else "partnership"
        data = {}
    else:
        raise SansheError("model.bad_relation", value=rel)
    for end in (a, b):
        if end not in known:
            choose("organisation", end, sorted(known))
    if a == b:
        raise SansheError("model.self_relation", org=a)
    attrs = {"type": choose("relation_type", rtype, RELATION_TYPES, group="relation")}
    goals = data.pop("goals", None)
    serves = data.pop("serves", None)
    willing = data.pop("willing", None)
    if goals is not None:
        attrs["goals"] = {k: list(v) for k, v in goals.items()}
        attrs["party_modes"] = party_modes(goals, serves, willing or ())
        mode = linkage_mode(goals, serves, willing or ())
        if mode != MIXED:  # one mode for the whole relation; else see party_modes
            attrs["mode"] = mode
        if serves is not None:
            attrs["serves"] = {k: list(v) for k, v in serves.items()}
        if willing is not None:
            attrs["willing"] = list(willing)
    attrs.update(data)
    return a, b, attrs


def build_network(orgs: Iterable, relations: Iterable = ()):
    """Build the subject-linkage graph.

    ``build_network(orgs, relations) -> networkx.Graph``. ``orgs``: :class:`Organisation`
    objects or dicts (``id, name, kind, role?, inside?``). ``relations``: ``(a, b)``,
    ``(a, b, type)`` or dicts ``{"source", "target", "type"?, "goals"?, "serves"?,
    "willing"?}``; when ``goals`` (party → its goals) is given the edge also gets
    ``party_modes`` from :func:`party_modes` and, when both parties stand in one mode, ``mode``
    from :func:`linkage_mode`.

    >>> G = build_network(
    ...     [{"id": "jwh", "name": "居委会", "kind": "residents_committee"},
    ...      {"id": "sg", "name": "社工站", "kind": "social_work_agency"}],
    ...     [("jwh", "sg", "platform_support")])
    >>> G.nodes["sg"]["category"], G.edges["jwh", "sg"]["type"]
    ('social_work', 'platform_support')
    >>> from sanshe_edu.i18n import use_lang
    >>> with use_lang("zh"):
    ...     build_network([], [])
    Traceback (most recent call last):
    ...
    sanshe_edu.errors.SansheError: 网络是空的：至少需要一个组织
    """
    import networkx as nx

    if isinstance(orgs, (str, bytes)) or not isinstance(orgs, Iterable):
        raise SansheError("model.bad_org", value=orgs)
    organisations = [Organisation.from_dict(o) for o in orgs]
    if not organisations:
        raise SansheError("model.empty_network")
    known: dict[str, Organisation] = {}
    for o in organisations:
        if o.id in known:
            raise SansheError("model.duplicate_org", org=o.id)
        known[o.id] = o
    G = nx.Graph()
    for o in organisations:
        attrs = o.as_dict()
        attrs.pop("id")
        # Extra fields from the data (e.g. role_en) travel along as node attributes.
        attrs.update({k: v for k, v in o.extra.items() if k not in attrs})
        attrs["label"] = o.name
        G.add_node(o.id, **attrs)
    for rel in relations:
        a, b, attrs = _relation(rel, known)
        if G.has_edge(a, b):
            raise SansheError("model.duplicate_relation", a=a, b=b)
        G.add_edge(a, b, **attrs)
    return G


@dataclass
class NetworkReport(Report):
    """Result of :func:`analyse_network`.

    Fields: ``ok``, ``problems`` (translated), ``categories`` (category → org ids),
    ``missing_categories``, ``unlinked_pairs`` (pairs of present categories with no direct
    relation), ``isolated`` (org ids with no relation), ``connected`` (bool), ``components``
    (list of sorted id lists), ``bridges`` (org ids linking other categories, by betweenness,
    highest first), ``centrality`` (id → betweenness), ``modes`` (``(a, b)`` → linkage mode,
    for relations whose goals were given).

    >>> r = analyse_network(build_network([("a", "A", "居委会"), ("s", "S", "社工机构")],
    ...                                   [("a", "s")]))
    >>> r.missing_categories, r.linked
    (['nonprofit'], False)
    """

    categories: dict[str, list[str]] = field(default_factory=dict)
    missing_categories: list[str] = field(default_factory=list)
    unlinked_pairs: list[tuple[str, str]] = field(default_factory=list)
    isolated: list[str] = field(default_factory=list)
    connected: bool = False
    components: list[list[str]] = field(default_factory=list)
    bridges: list[str] = field(default_factory=list)
    centrality: dict[str, float] = field(default_factory=dict)
    modes: dict[tuple[str, str], str] = field(default_factory=dict)

    @property
    def linked(self) -> bool:
        """All three categories present and each pair directly related.

        >>> NetworkReport(missing_categories=["nonprofit"]).linked
        False
        """
        return not self.missing_categories and not self.unlinked_pairs


def _check_graph(G) -> None:
    import networkx as nx

    if not isinstance(G, nx.Graph):
        raise SansheError("model.not_a_network", value=type(G).__name__)
    if G.number_of_nodes() == 0:
        raise SansheError("model.empty_network")
    for n, data in G.nodes(data=True):
        if data.get("category") not in CATEGORIES:
            raise SansheError("model.node_without_category", org=n)


def analyse_network(G) -> NetworkReport:
    """Analyse a subject-linkage graph built by :func:`build_network`.

    ``analyse_network(G) -> NetworkReport`` (see there for the fields). A problem is reported for
    a missing category, a pair of categories without a direct relation, an isolated organisation
    and a network in several pieces. Bridges are organisations with a relation to a category other
    than their own, ranked by betweenness centrality (ties by id).

    >>> G = build_network(
    ...     [("a", "A", "residents_committee"), ("b", "B", "social_work_agency"),
    ...      ("c", "C", "nonprofit"), ("d", "D", "recreation_group")],
    ...     [("a", "b"), ("b", "c")])
    >>> r = analyse_network(G)
    >>> r.isolated, r.connected, r.unlinked_pairs, r.bridges
    (['d'], False, [('community', 'nonprofit')], ['b', 'a', 'c'])
    """
    import networkx as nx

    _check_graph(G)
    if G.is_directed() or G.is_multigraph():
        G = nx.Graph(G)  # linkage is mutual: analyse the plain undirected graph
    report = NetworkReport()
    cats: dict[str, list[str]] = {c: [] for c in CATEGORIES}
    for n in sorted(G.nodes):
        cats[G.nodes[n]["category"]].append(n)
    report.categories = cats
    report.missing_categories = [c for c in CATEGORIES if not cats[c]]
    for c in report.missing_categories:
        report.add("model.problem.missing_category", category=("category", c))
    linked_pairs = set()
    for a, b in G.edges:
        ca, cb = G.nodes[a]["category"], G.nodes[b]["category"]
        if ca != cb:
            linked_pairs.add(frozenset((ca, cb)))
    present = [c for c in CATEGORIES if cats[c]]
    for ca, cb in combinations(present, 2):
        if frozenset((ca, cb)) not in linked_pairs:
            report.unlinked_pairs.append((ca, cb))
            report.add("model.problem.unlinked_pair", a=("category", ca), b=("category", cb))
    report.isolated = sorted(n for n in G.nodes if G.degree(n) == 0)
    for n in report.isolated:
        report.add("model.problem.isolated", org=G.nodes[n].get("name", n))
    report.components = sorted(
        (sorted(c) for c in nx.connected_components(G)), key=lambda c: (-len(c), c)
    )
    report.connected = len(report.components) == 1
    if not report.connected:
        report.add("model.problem.not_connected", parts=len(report.components))
    bc = nx.betweenness_centrality(G) if G.number_of_nodes() > 2 else dict.fromkeys(G, 0.0)
    report.centrality = {n: round(v, 6) for n, v in sorted(bc.items())}
    crossing = [
        n
        for n in G.nodes
        if any(G.nodes[m]["category"] != G.nodes[n]["category"] for m in G.neighbors(n))
    ]
    report.bridges = sorted(crossing, key=lambda n: (-bc[n], str(n)))
    report.modes = {
        tuple(sorted((a, b), key=str)): d["mode"]
        for a, b, d in sorted(G.edges(data=True), key=lambda e: (str(e[0]), str(e[1])))
        if d.get("mode")
    }
    return report


def party_modes(
    goals: Mapping[str, Iterable[str]],
    serves: Mapping[str, Iterable[str]] | None = None,
    willing: Iterable[str] = (),
) -> dict[str, str]:
    """Wang Sibin's linkage mode of each party of one relation or project.

    ``party_modes(goals, serves=None, willing=()) -> {party: mode}``.

    The seed names the three modes (王思斌) but gives no procedure; this is the course's
    reading. ``goals`` maps each party (two or more) to the goals it holds; a goal held by two
    or more parties is *shared*. ``serves`` maps a shared goal to the parties' own goals that
    reaching it also reaches. ``willing`` names the parties on record as willing to complete
    the shared goal for its own sake. Each party stands in its own mode, so the parties of one
    project may stand in different modes:

    * it holds no shared goal — it works for its own goals and uses the partners as tools →
      ``instrumental`` (工具性联动);
    * it is named in ``willing`` → ``cooperative`` (合作式联动: it has goals of its own but is
      willing to complete the shared goal — whether or not its own goals come about as well);
    * otherwise, reaching a shared goal it holds also reaches one of its own goals →
      ``collaborative`` (协作性联动: it reaches its own goal through the shared one);
    * otherwise (it holds a shared goal that does not serve its own goals) → ``cooperative``.

    >>> party_modes({"wy": ["通过消防检查"], "zyd": ["楼道畅通"], "sg": ["楼道畅通", "积累案例"]},
    ...             serves={"楼道畅通": ["积累案例"]})
    {'wy': 'instrumental', 'zyd': 'cooperative', 'sg': 'collaborative'}
    >>> party_modes({"jwh": ["楼道畅通", "完成考核"], "sg": ["楼道畅通", "积累案例"]},
    ...             serves={"楼道畅通": ["完成考核", "积累案例"]}, willing=["sg"])
    {'jwh': 'collaborative', 'sg': 'cooperative'}
    """
    if not isinstance(goals, Mapping):
        raise SansheError("model.bad_goals", value=goals)
    held = {
        str(p): {str(g) for g in ([gs] if isinstance(gs, str) else gs)} for p, gs in goals.items()
    }
    if len(held) < 2:
        raise SansheError("model.too_few_parties", count=len(held))
    shared = {g for a, b in combinations(held.values(), 2) for g in a & b}
    served: dict[str, set[str]] = {}
    for g, targets in (serves or {}).items():
        if g not in shared:
            choose("shared_goal", g, sorted(shared))
        served[str(g)] = {str(x) for x in ([targets] if isinstance(targets, str) else targets)}
    if isinstance(willing, str):
        willing = [willing]
    keen = {choose("party", str(w), sorted(held)) for w in willing}
    modes: dict[str, str] = {}
    for p, gs in held.items():
        common, own = gs & shared, gs - shared
        if not common:
            modes[p] = "instrumental"
        elif p in keen:
            modes[p] = "cooperative"
        elif any(own & served.get(g, set()) for g in common):
            modes[p] = "collaborative"
        else:
            modes[p] = "cooperative"
    return modes


def linkage_mode(
    goals: Mapping[str, Iterable[str]],
    serves: Mapping[str, Iterable[str]] | None = None,
    willing: Iterable[str] = (),
) -> str:
    """The linkage mode of a relation when all its parties stand in the same mode.

    ``linkage_mode(goals, serves=None, willing=()) ->
    "instrumental" | "collaborative" | "cooperative" | "mixed"``.

    The arguments are those of :func:`party_modes`, which gives each party's mode; this returns
    the one mode every party stands in, or ``"mixed"`` (:data:`MIXED`) when the parties stand
    in different modes — the seed does not require one mode for a whole relation or project.

    >>> linkage_mode({"jwh": ["完成考核"], "sg": ["拿到项目经费"]})
    'instrumental'
    >>> linkage_mode({"jwh": ["楼道畅通", "完成考核"], "sg": ["楼道畅通", "积累服务案例"]},
    ...              serves={"楼道畅通": ["完成考核", "积累服务案例"]})
    'collaborative'
    >>> linkage_mode({"jwh": ["楼道畅通", "完成考核"], "sg": ["楼道畅通", "积累服务案例"]})
    'cooperative'
    >>> linkage_mode({"jwh": ["楼道畅通", "完成考核"], "sg": ["楼道畅通", "积累服务案例"]},
    ...              serves={"楼道畅通": ["完成考核"]})
    'mixed'
    """
    modes = set(party_modes(goals, serves, willing).values())
    return modes.pop() if len(modes) == 1 else MIXED


def mode_label(mode: str, lang: str | None = None) -> str:
    """The name of a linkage mode, e.g. ``mode_label("cooperative", "zh") == "合作式联动"``.

    ``"mixed"`` (parties in different modes, see :func:`party_modes`) has a name too.

    >>> mode_label("instrumental", "en")
    'instrumental linkage'
    >>> mode_label("mixed", "en")
    'parties in different modes (see party_modes)'
    """
    if mode == MIXED:
        return t("model.mode_mixed", lang=lang)
    return t(f"model.mode.{choose('linkage_mode', mode, LINKAGE_MODES, group='mode')}", lang=lang)
