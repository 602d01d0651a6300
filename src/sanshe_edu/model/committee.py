"""The community-affairs committee with a rotating chair (社区事务工作委员会领导下的轮值主席负责制).

From the seed: organisations of the three categories each send a representative to a
community-affairs committee; an independent party may be invited to send one too. Members agree
a charter and rules. To express "overall equality", representatives take turns as executive chair
(轮值主席). The chair's duties are listed in :data:`CHAIR_DUTIES`.

The seed does not say whether the independent party's representative also chairs; here it does
not unless ``independent_can_chair=True`` (our choice: the independent party stays outside the
rotation so it can stay independent).

>>> from sanshe_edu.model import load_case
>>> c = build_committee(load_case("xingfuli")["organisations"], independent="区社会组织服务中心")
>>> c.ok, len(c.members)
(True, 9)
>>> [term.chair for term in rotation_schedule(c, 4)]
['jwh', 'sg', 'sh', 'ywh']
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..errors import SansheError
from ._common import Report, number
from .organisations import CATEGORIES, Organisation

#: The executive chair's duties, in the seed's order.
CHAIR_DUTIES: tuple[str, ...] = (
    "preside",
    "daily_management",
    "draft_work_plan",
    "convene_meetings",
    "form_resolutions",
    "implement_resolutions",
    "charter_powers",
)

#: What the committee as a whole does (seed): agree a charter, set up rules, and oversee
#: community service, community building, community governance and civil-affairs work.
COMMITTEE_TASKS: tuple[str, ...] = (
    "charter",
    "rules",
    "community_service",
    "community_building",
    "community_governance",
    "civil_affairs",
)

INDEPENDENT = "independent"


@dataclass(frozen=True)
class Member:
    """A committee seat: ``Member(id, name, category, representative="")``.

    ``category`` is one of :data:`~sanshe_edu.model.CATEGORIES` or ``"independent"``.

    >>> Member("sg", "同心社工中心", "social_work").category
    'social_work'
    """

    id: str
    name: str
    category: str
    representative: str = ""


@dataclass
class Committee(Report):
    """A committee: ``members`` (list of :class:`Member`), ``independent_can_chair``, ``ok``,
    ``problems`` and ``missing_categories`` (categories without a representative).

    >>> c = build_committee([("a", "A", "居委会"), ("s", "S", "社工机构")])
    >>> c.ok, c.problems_in("en")
    (False, ['the committee has no representative of other non-profit organisations'])
    """

    members: list[Member] = field(default_factory=list)
    independent_can_chair: bool = False
    missing_categories: list[str] = field(default_factory=list)

    @property
    def chair_candidates(self) -> list[Member]:
        """Members who take turns as chair, interleaved by category for a fair rotation.

        >>> c = build_committee([("a", "A", "居委会"), ("b", "B", "业委会"),
        ...                      ("s", "S", "社工机构")])
        >>> [m.id for m in c.chair_candidates]
        ['a', 's', 'b']
        """
        groups: dict[str, list[Member]] = {}
        for m in self.members:
            if m.category == INDEPENDENT and not self.independent_can_chair:
                continue
            groups.setdefault(m.category, []).append(m)
        order = [c for c in (*CATEGORIES, INDEPENDENT) if c in groups]
        out: list[Member] = []
        depth = max((len(g) for g in groups.values()), default=0)
        for i in range(depth):
            out.extend(groups[c][i] for c in order if i < len(groups[c]))
        return out


def build_committee(
    orgs: Iterable,
    independent: str | None = None,
    representatives: dict[str, str] | None = None,
    independent_can_chair: bool = False,
) -> Committee:
    """Build the committee from the organisations that send representatives.

    ``build_committee(orgs, independent=None, representatives=None,
    independent_can_chair=False) -> Committee``. ``orgs``: :class:`Organisation` objects, dicts
    or a subject-linkage graph. ``independent``: the name of an invited independent party.
    ``representatives``: org id → representative's name. A missing category is reported in
    ``problems`` (the committee is still built, so it can be drawn and discussed).

    >>> c = build_committee([("jwh", "居委会", "residents_committee"),
    ...                      ("sg", "社工中心", "social_work_agency")])
    >>> c.ok, c.missing_categories
    (False, ['nonprofit'])
    """
    import networkx as nx

    if isinstance(orgs, nx.Graph):
        orgs = [
            Organisation(n, d.get("name", str(n)), d["kind"], d.get("role", ""))
            for n, d in sorted(orgs.nodes(data=True))
        ]
    organisations = [Organisation.from_dict(o) for o in orgs]
    if not organisations:
        raise SansheError("model.empty_committee")
    reps = representatives or {}
    committee = Committee(independent_can_chair=bool(independent_can_chair))
    seen = set()
    for o in organisations:
        if o.id in seen:
            raise SansheError("model.duplicate_org", org=o.id)
        seen.add(o.id)
        committee.members.append(Member(o.id, o.name, o.category, str(reps.get(o.id, ""))))
    if independent:
        committee.members.append(Member(INDEPENDENT, str(independent), INDEPENDENT))
    present = {m.category for m in committee.members}
    committee.missing_categories = [c for c in CATEGORIES if c not in present]
    for c in committee.missing_categories:
        committee.add("model.problem.committee_missing_category", category=("category", c))
    return committee


@dataclass(frozen=True)
class Term:
    """One term of the rotation: ``Term(term, chair, name, category)`` (``term`` from 1).

    >>> rotation_schedule(build_committee([("a", "A", "居委会")]), 1)[0]
    Term(term=1, chair='a', name='A', category='community')
    """

    term: int
    chair: str
    name: str
    category: str


def rotation_schedule(committee: Committee, terms: int) -> list[Term]:
    """A fair rotating-chair schedule over ``terms`` terms.

    ``rotation_schedule(committee, terms) -> list[Term]``. Chair candidates are interleaved by
    category (one from each category in turn) and the cycle repeats, so every candidate chairs
    either ⌊terms/n⌋ or ⌈terms/n⌉ times and no category waits longer than needed.

    >>> c = build_committee([("a", "A", "居委会"), ("b", "B", "业委会"),
    ...                      ("s", "S", "社工机构"), ("n", "N", "nonprofit")])
    >>> [t.chair for t in rotation_schedule(c, 6)]
    ['a', 's', 'n', 'b', 'a', 's']
    >>> from sanshe_edu.i18n import use_lang
    >>> with use_lang("zh"):
    ...     rotation_schedule(c, 0)
    Traceback (most recent call last):
    ...
    sanshe_edu.errors.SansheError: 任期数「0」无效：必须是不小于 1 的整数
    """
    if not isinstance(committee, Committee):
        raise SansheError("model.not_a_committee", value=type(committee).__name__)
    if isinstance(terms, bool) or not isinstance(terms, int):
        try:
            value = number("terms", terms, minimum=None)
        except SansheError:
            raise SansheError("model.bad_terms", value=terms) from None
        if value != int(value):
            raise SansheError("model.bad_terms", value=terms)
        terms = int(value)
    if terms < 1:
        raise SansheError("model.bad_terms", value=terms)
    cycle = committee.chair_candidates
    if not cycle:
        raise SansheError("model.empty_committee")
    return [
        Term(
            i + 1,
            cycle[i % len(cycle)].id,
            cycle[i % len(cycle)].name,
            cycle[i % len(cycle)].category,
        )
        for i in range(terms)
    ]
