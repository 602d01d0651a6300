"""Issue analysis (做法建议): classify, weigh benefits, analyse causes, prioritise.

From the seed: issues of a geographic community are personal matters (个人私务, e.g. one's own
daily schedule, handled by the residents themselves), collective affairs (集体事务, e.g. estate
hygiene, the parties can cooperate) or public tasks (公家任务, e.g. conscription work, executed
by public bodies). Because the community is both governmental and social, handling an issue can
be beneficial, neutral or harmful for the government and for residents; only an issue that
benefits at least one side can be taken up. For a workable issue: list possible causes,
understand the mechanism, find the core cause; if it can be changed, work on it, otherwise
find changeable causes and among them those the worker can control. Choose issues by population
covered, severity of consequences, urgency and ease of action.

>>> classify_issue("征兵工作")
'public_task'
>>> benefit_outcome("beneficial", "harmful").outcome
'compete'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..errors import SansheError
from ..i18n import get_lang, t
from ._common import choose, label, number

#: The three issue classes with who handles them and the seed's example.
ISSUE_CLASSES: dict[str, dict[str, str]] = {
    "personal_matter": {
        "handled_by": "residents",
        "example": "个人作息",
        "example_en": "one's own daily schedule",
    },
    "collective_affair": {
        "handled_by": "all_parties",
        "example": "小区卫生",
        "example_en": "estate hygiene",
    },
    "public_task": {
        "handled_by": "public_bodies",
        "example": "征兵工作",
        "example_en": "conscription work",
    },
}

#: Known issues and their class: the seed's examples and the Xingfuli case's issues.
KNOWN_ISSUES: dict[str, str] = {
    "个人作息": "personal_matter",
    "居民个人作息": "personal_matter",
    "小区卫生": "collective_affair",
    "征兵工作": "public_task",
    "征兵宣传": "public_task",
    "楼道堆物与消防隐患": "collective_affair",
    "独居老人就餐难": "collective_affair",
    "垃圾分类推进": "collective_affair",
    "儿童课后看护": "collective_affair",
}

#: The three possible effects of handling an issue on one side.
BENEFIT_LEVELS: tuple[str, ...] = ("beneficial", "neutral", "harmful")
#: The four outcomes of the benefit matrix.
OUTCOMES: tuple[str, ...] = ("cooperate", "let_be", "compete", "not_taken_up")
PARTIES: tuple[str, ...] = ("government", "residents")

#: The four prioritisation criteria; every score is on a 1–5 scale where higher means "start
#: sooner" (for ``ease``: 5 = easiest to act on).
CRITERIA: tuple[str, ...] = ("population", "severity", "urgency", "ease")
DEFAULT_WEIGHTS: dict[str, float] = dict.fromkeys(CRITERIA, 1.0)
SCALE = (1, 5)


def classify_issue(
    issue: str | None = None, *, public_duty: bool | None = None, only_self: bool | None = None
) -> str:
    """Classify a community issue.

    ``classify_issue(issue=None, *, public_duty=None, only_self=None) -> class id``. Either name
    a known issue (:data:`KNOWN_ISSUES`), or describe it: ``public_duty=True`` — a task public
    bodies must carry out → ``"public_task"``; else ``only_self=True`` — it concerns one resident's
    own life → ``"personal_matter"``; else ``"collective_affair"`` (shared by residents, parties
    can cooperate).

    >>> classify_issue("个人作息"), classify_issue("小区卫生")
    ('personal_matter', 'collective_affair')
    >>> classify_issue(public_duty=False, only_self=False)
    'collective_affair'
    >>> from sanshe_edu.i18n import use_lang
    >>> with use_lang("zh"):
    ...     classify_issue("买菜")
    Traceback (most recent call last):
    ...
    sanshe_edu.errors.SansheError: 不认识议题「买菜」：请用 public_duty= 和 only_self= ...
    """
    if public_duty is None and only_self is None:
        if issue is None:
            raise SansheError("model.classify_needs_input")
        key = str(issue).strip()
        if key in KNOWN_ISSUES:
            return KNOWN_ISSUES[key]
        sep = "、" if get_lang() == "zh" else ", "
        raise SansheError("model.unknown_issue", issue=issue, known=sep.join(KNOWN_ISSUES))
    for name, value in (("public_duty", public_duty), ("only_self", only_self)):
        if value is not None and not isinstance(value, bool):
            raise SansheError("model.not_bool", field=name, value=value)
    if public_duty:
        return "public_task"
    if only_self:
        return "personal_matter"
    return "collective_affair"


@dataclass(frozen=True)
class BenefitOutcome:
    """One cell of the benefit matrix.

    ``BenefitOutcome(government, residents, outcome, passive)``: ``outcome`` in :data:`OUTCOMES`;
    ``passive`` names the side that lets it be (``let_be``) or is harmed (``compete``), else None.
    ``str()`` gives a sentence in the current language.

    >>> o = benefit_outcome("beneficial", "harmful")
    >>> o.outcome, o.passive, o.taken_up
    ('compete', 'residents', True)
    """

    government: str
    residents: str
    outcome: str
    passive: str | None = None

    @property
    def taken_up(self) -> bool:
        """Whether the issue can be taken up at all (it benefits at least one side).

        >>> benefit_outcome("neutral", "neutral").taken_up
        False
        """
        return self.outcome != "not_taken_up"

    def explain(self, lang: str | None = None) -> str:
        """Why this outcome, in ``lang``.

        >>> benefit_outcome("beneficial", "beneficial").explain("en")
        'government: beneficial, residents: beneficial — both benefit, so they cooperate'
        """
        fields = {
            "gov": label("benefit", self.government, lang),
            "res": label("benefit", self.residents, lang),
        }
        if self.passive:
            fields["passive"] = label("party", self.passive, lang)
        return t(f"model.benefit_explain.{self.outcome}", lang=lang, **fields)

    def __str__(self) -> str:
        return self.explain()


def benefit_outcome(government: str, residents: str) -> BenefitOutcome:
    """The outcome of the benefit matrix for one issue.

    ``benefit_outcome(government, residents) -> BenefitOutcome``; each argument is
    ``"beneficial" | "neutral" | "harmful"`` (or 有利 / 无利无害 / 有害). Both benefit →
    ``cooperate``; one benefits and the other is neutral → the other lets it be (``let_be``); one
    benefits and the other is harmed → ``compete``; neither benefits → ``not_taken_up``.

    >>> o = benefit_outcome("有利", "无利无害")
    >>> o.outcome, o.passive
    ('let_be', 'residents')
    >>> benefit_outcome("neutral", "harmful").outcome
    'not_taken_up'
    """
    g = choose("benefit", government, BENEFIT_LEVELS, group="benefit")
    r = choose("benefit", residents, BENEFIT_LEVELS, group="benefit")
    if g == "beneficial" and r == "beneficial":
        return BenefitOutcome(g, r, "cooperate")
    if g == "beneficial" or r == "beneficial":
        other_level, other = (r, "residents") if g == "beneficial" else (g, "government")
        outcome = "let_be" if other_level == "neutral" else "compete"
        return BenefitOutcome(g, r, outcome, other)
    return BenefitOutcome(g, r, "not_taken_up")


#: The whole 3×3 matrix, ``(government, residents) -> outcome id``.
BENEFIT_MATRIX: dict[tuple[str, str], str] = {
    (g, r): benefit_outcome(g, r).outcome for g in BENEFIT_LEVELS for r in BENEFIT_LEVELS
}


@dataclass
class CauseAnalysis:
    """Result of :func:`analyse_causes`.

    ``strategy`` is ``"change_core"`` (the core cause can be changed: work on it),
    ``"work_on_controllable"`` (work on the changeable causes the worker controls) or
    ``"no_controllable_cause"``; ``core``, ``changeable`` and ``controllable`` are cause names;
    ``targets`` are the causes to act on.

    >>> analyse_causes([{"name": "缺少提醒", "core": True, "changeable": True}]).strategy
    'change_core'
    """

    strategy: str
    core: str
    changeable: list[str] = field(default_factory=list)
    controllable: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)

    def explain(self, lang: str | None = None) -> str:
        """A sentence saying what to work on, in ``lang``.

        >>> analyse_causes([{"name": "x", "core": True, "changeable": True}]).explain("en")
        "the core cause 'x' can be changed: work on it directly"
        """
        sep = "、" if (lang or get_lang()) == "zh" else ", "
        return t(
            f"model.cause_strategy.{self.strategy}",
            lang=lang,
            core=self.core,
            targets=sep.join(self.targets),
            changeable=sep.join(self.changeable) or "—",
        )


def analyse_causes(causes: Iterable[Mapping]) -> CauseAnalysis:
    """Decide what to work on from a list of causes.

    ``analyse_causes(causes) -> CauseAnalysis``. Each cause is
    ``{"name", "core": bool, "changeable": bool, "controllable": bool}`` (missing flags are
    False); exactly one cause is the core cause. A controllable cause is by definition
    changeable, so ``controllable=True`` with ``changeable=False`` is an error.

    >>> a = analyse_causes([
    ...     {"name": "楼道无处放车", "core": True, "changeable": False},
    ...     {"name": "居民不知消防规定", "changeable": True, "controllable": True},
    ...     {"name": "物业巡查少", "changeable": True}])
    >>> a.strategy, a.targets
    ('work_on_controllable', ['居民不知消防规定'])
    """
    items = []
    for c in causes:
        if not isinstance(c, Mapping) or "name" not in c:
            raise SansheError("model.bad_cause", value=c)
        flags = {}
        for f in ("core", "changeable", "controllable"):
            v = c.get(f, False)
            if not isinstance(v, bool):
                raise SansheError("model.not_bool", field=f, value=v)
            flags[f] = v
        if flags["controllable"] and not flags["changeable"]:
            raise SansheError("model.controllable_not_changeable", cause=c["name"])
        items.append((str(c["name"]), flags))
    if not items:
        raise SansheError("model.no_causes")
    cores = [n for n, f in items if f["core"]]
    if len(cores) != 1:
        raise SansheError("model.one_core_cause", count=len(cores))
    core = cores[0]
    core_flags = dict(items)[core]
    changeable = [n for n, f in items if f["changeable"] and not f["core"]]
    controllable = [n for n, f in items if f["controllable"] and not f["core"]]
    if core_flags["changeable"]:
        return CauseAnalysis("change_core", core, changeable, controllable, [core])
    if controllable:
        return CauseAnalysis("work_on_controllable", core, changeable, controllable, controllable)
    return CauseAnalysis("no_controllable_cause", core, changeable, [], [])


@dataclass(frozen=True)
class RankedIssue:
    """One row of :func:`prioritise_issues`: ``rank``, ``id``, ``name``, ``score`` (weighted mean,
    1–5), ``contributions`` (criterion → weight × value / total weight, summing to ``score``),
    ``values`` and ``weights``. :meth:`explain` says why it ranks where it does.

    >>> r = prioritise_issues([{"id": "a", "population": 4, "severity": 2, "urgency": 2,
    ...                         "ease": 4}])[0]
    >>> r.rank, r.score, r.contributions["population"]
    (1, 3.0, 1.0)
    """

    rank: int
    id: str
    name: str
    score: float
    contributions: dict[str, float]
    values: dict[str, float]
    weights: dict[str, float]

    def explain(self, lang: str | None = None) -> str:
        """Why this issue ranks where it does, in ``lang``.

        >>> r = prioritise_issues([{"id": "a", "population": 4, "severity": 2, "urgency": 2,
        ...                         "ease": 4}])[0]
        >>> print(r.explain("zh"))  # doctest: +NORMALIZE_WHITESPACE
        第 1 名 a：得分 3 =（人群覆盖面 4×1 + 后果严重性 2×1 + 时间紧迫性 2×1
        + 操作难易度 4×1）÷ 4；贡献最大的是人群覆盖面
        """
        total = sum(self.weights.values())
        parts = " + ".join(
            f"{label('criterion', c, lang)} {_fmt(self.values[c])}×{_fmt(self.weights[c])}"
            for c in CRITERIA
        )
        top = max(CRITERIA, key=lambda c: (self.contributions[c], -CRITERIA.index(c)))
        return t(
            "model.priority_explain",
            lang=lang,
            rank=self.rank,
            name=self.name,
            score=_fmt(self.score),
            parts=parts,
            total=_fmt(total),
            top=label("criterion", top, lang),
        )


def _fmt(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


def check_weights(weights: Mapping | None) -> dict[str, float]:
    """Validate trainer weights and fill in the default (1) for criteria not given.

    ``check_weights(weights) -> {criterion: float}``; negative, non-numeric or all-zero weights
    and unknown criteria raise :class:`~sanshe_edu.errors.SansheError`.

    >>> check_weights({"severity": 2})["severity"], check_weights(None)["ease"]
    (2.0, 1.0)
    >>> from sanshe_edu.i18n import use_lang
    >>> with use_lang("zh"):
    ...     check_weights({"severity": "high"})
    Traceback (most recent call last):
    ...
    sanshe_edu.errors.SansheError: 权重「high」不是数字
    """
    out = dict(DEFAULT_WEIGHTS)
    if weights is None:
        return out
    if not isinstance(weights, Mapping):
        raise SansheError("model.bad_weights", value=weights)
    for key, value in weights.items():
        c = choose("criterion", key, CRITERIA, group="criterion")
        out[c] = number("weight", value, minimum=0)
    if sum(out.values()) <= 0:
        raise SansheError("model.all_weights_zero")
    return out


def prioritise_issues(
    issues: Iterable[Mapping], weights: Mapping | None = None
) -> list[RankedIssue]:
    """Rank candidate issues by weighted criteria.

    ``prioritise_issues(issues, weights=None) -> list[RankedIssue]`` (best first). Each issue is
    a mapping with ``id`` (or ``name``), optional ``name``, and a 1–5 value for each of
    :data:`CRITERIA` — directly or under a ``"scores"`` key. ``weights`` maps criteria to
    non-negative numbers (default 1 each; see :func:`check_weights`). Score = Σ weight × value /
    Σ weight. Ties keep the order of ``issues``.

    >>> ranked = prioritise_issues(
    ...     [{"id": "a", "population": 2, "severity": 5, "urgency": 5, "ease": 2},
    ...      {"id": "b", "population": 5, "severity": 3, "urgency": 3, "ease": 5}])
    >>> [(r.id, r.score) for r in ranked]
    [('b', 4.0), ('a', 3.5)]
    >>> [r.id for r in prioritise_issues(
    ...     [{"id": "a", "population": 2, "severity": 5, "urgency": 5, "ease": 2},
    ...      {"id": "b", "population": 5, "severity": 3, "urgency": 3, "ease": 5}],
    ...     weights={"severity": 3, "urgency": 3})]
    ['a', 'b']
    """
    w = check_weights(weights)
    total = sum(w.values())
    rows = []
    for pos, issue in enumerate(issues):
        if not isinstance(issue, Mapping) or not ("id" in issue or "name" in issue):
            raise SansheError("model.bad_issue", value=issue)
        iid = str(issue.get("id", issue.get("name")))
        name = str(issue.get("name", iid))
        source = issue.get("scores", issue)
        values = {}
        for c in CRITERIA:
            if c not in source:
                raise SansheError(
                    "model.missing_criterion", issue=name, criterion=label("criterion", c)
                )
            values[c] = number("criterion_value", source[c], minimum=SCALE[0], maximum=SCALE[1])
        contributions = {c: w[c] * values[c] / total for c in CRITERIA}
        score = round(sum(contributions.values()), 6)
        rows.append((pos, iid, name, score, contributions, values))
    if not rows:
        raise SansheError("model.no_issues")
    rows.sort(key=lambda r: (-r[3], r[0]))
    return [
        RankedIssue(
            rank, iid, name, score, {c: round(v, 6) for c, v in contr.items()}, values, dict(w)
        )
        for rank, (_, iid, name, score, contr, values) in enumerate(rows, start=1)
    ]
