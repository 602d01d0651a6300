"""Organisation kinds and the three subject categories of subject linkage (主体联动).

Facts from the seed: a community has formal and informal organisations — the residents'
committee (居委会, a public organisation 公有组织), the owners' committee (业委会, a service
organisation), the property company (物业公司, a commercial organisation) and recreation groups
(康乐群团, mutual-benefit, informal). The residents' committee assists the government and is
therefore both governmental and social in character (政社两性) — not a pure social organisation.
Traditional community bodies also include volunteer teams. Social-work agencies are non-state
and non-market. "Social organisations" in subject linkage are other non-profits from inside or
outside the community; whether 社会组织 means only non-state, non-market bodies is left open by
the seed (尚未明确), so their nature is not stated here. The seed is silent on the nature and
formality of volunteer teams and on the nature of the other non-profits, so those fields are
``None`` (unknown) for them.

>>> ORG_KINDS["residents_committee"].nature, ORG_KINDS["residents_committee"].dual_character
('public', True)
>>> Organisation("jwh", "幸福里社区居委会", "residents_committee").category
'community'
>>> CATEGORIES
('community', 'social_work', 'nonprofit')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..errors import SansheError
from ._common import choose, labels

#: The three subject categories, in the seed's order.
CATEGORIES: tuple[str, ...] = ("community", "social_work", "nonprofit")

#: Organisation natures named in the seed (公有、服务、商业、互惠) plus the non-state,
#: non-market character the seed gives social-work agencies.
NATURES: tuple[str, ...] = ("public", "service", "commercial", "mutual_benefit", "nonprofit")


@dataclass(frozen=True)
class OrgKind:
    """One kind of organisation.

    ``OrgKind(id, category, nature, formal, dual_character)``; ``nature`` and ``formal`` are
    ``None`` where the seed does not say.

    >>> ORG_KINDS["recreation_group"].formal
    False
    >>> ORG_KINDS["recreation_group"].labels["zh"]
    '康乐群团'
    """

    id: str
    category: str
    nature: str | None
    formal: bool | None
    dual_character: bool = False

    @property
    def labels(self) -> dict[str, str]:
        """The kind's name in zh and en."""
        return labels("kind", self.id)


#: Every organisation kind, keyed by id.
ORG_KINDS: dict[str, OrgKind] = {
    k.id: k
    for k in (
        OrgKind("residents_committee", "community", "public", True, dual_character=True),
        OrgKind("owners_committee", "community", "service", True),
        OrgKind("property_company", "community", "commercial", True),
        OrgKind("recreation_group", "community", "mutual_benefit", False),
        OrgKind("volunteer_team", "community", None, None),
        OrgKind("social_work_agency", "social_work", "nonprofit", True),
        OrgKind("nonprofit", "nonprofit", None, None),
    )
}


@dataclass(frozen=True)
class Organisation:
    """An organisation taking part in 三社联动.

    ``Organisation(id, name, kind, role="", inside=None, name_en="")`` — ``kind`` is an id of
    :data:`ORG_KINDS` (or its zh/en name); ``inside`` says whether a non-profit is based inside
    the community (``None`` = not said). ``category`` is derived from the kind.

    >>> o = Organisation("sg", "同心社会工作服务中心", "社工机构")
    >>> o.kind, o.category
    ('social_work_agency', 'social_work')
    >>> from sanshe_edu.i18n import use_lang
    >>> with use_lang("zh"):
    ...     Organisation("x", "X", "charity")
    Traceback (most recent call last):
    ...
    sanshe_edu.errors.SansheError: 未知的组织类型「charity」；可选：residents_committee, ...
    """

    id: str
    name: str
    kind: str
    role: str = ""
    inside: bool | None = None
    name_en: str = ""
    extra: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id.strip():
            raise SansheError("model.bad_org_id", value=self.id)
        object.__setattr__(self, "kind", choose("org_kind", self.kind, ORG_KINDS, group="kind"))

    @property
    def category(self) -> str:
        """The subject category (one of :data:`CATEGORIES`).

        >>> Organisation("w", "W", "物业公司").category
        'community'
        """
        return ORG_KINDS[self.kind].category

    @property
    def kind_info(self) -> OrgKind:
        """The :class:`OrgKind` record.

        >>> Organisation("w", "W", "物业公司").kind_info.nature
        'commercial'
        """
        return ORG_KINDS[self.kind]

    @classmethod
    def from_dict(cls, data: Mapping) -> Organisation:
        """Build from a mapping with keys ``id, name, kind`` (+ optional ``role, inside, name_en``)
        or a tuple ``(id, name, kind[, role])``.

        >>> Organisation.from_dict({"id": "a", "name": "A", "kind": "nonprofit"}).category
        'nonprofit'
        """
        if isinstance(data, Organisation):
            return data
        if isinstance(data, (tuple, list)) and 3 <= len(data) <= 4:
            return cls(*data)
        if not isinstance(data, Mapping):
            raise SansheError("model.bad_org", value=data)
        for key in ("id", "name", "kind"):
            if key not in data:
                raise SansheError("model.missing_field", field=key, value=dict(data))
        known = {"id", "name", "kind", "role", "inside", "name_en"}
        return cls(
            id=str(data["id"]),
            name=str(data["name"]),
            kind=data["kind"],
            role=str(data.get("role", "") or ""),
            inside=data.get("inside"),
            name_en=str(data.get("name_en", "") or ""),
            extra={k: v for k, v in data.items() if k not in known},
        )

    def as_dict(self) -> dict:
        """Plain-data form (what :meth:`from_dict` reads back).

        >>> Organisation("a", "A", "nonprofit", inside=False).as_dict()["category"]
        'nonprofit'
        """
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "category": self.category,
            "role": self.role,
            "inside": self.inside,
            "name_en": self.name_en,
        }
