"""The four phases of a practice project and a project plan that is checked against them.

The seed calls the project process the platform of the whole linkage: subject linkage and
element linkage are horizontal links, and only joined with the vertical process do they reach
their goal. The phases, in order: needs assessment (需求评估), plan design (方案制订),
implementation (计划推行), evaluation and summary (评估总结). In every phase the three
categories of subjects work as equal partners.

>>> PHASES
('needs_assessment', 'plan_design', 'implementation', 'evaluation')
>>> PHASE_ACTIVITIES["needs_assessment"][-1]
'find_controllable_causes'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..errors import SansheError
from ._common import Report, choose
from .organisations import CATEGORIES, Organisation

#: The four phases, in order.
PHASES: tuple[str, ...] = ("needs_assessment", "plan_design", "implementation", "evaluation")

#: Each phase's activities as the seed describes them, in order (labels in model.json,
#: group ``activity``). ``invite_third_party`` is optional ("也可邀请").
PHASE_ACTIVITIES: dict[str, tuple[str, ...]] = {
    "needs_assessment": (
        "partner_up",
        "collect_data",
        "understand_cause_mechanism",
        "find_controllable_causes",
    ),
    "plan_design": (
        "target_controllable_causes",
        "set_overall_goal",
        "split_specific_goals",
        "collective_strategy",
    ),
    "implementation": (
        "equal_partnership",
        "collect_process_data",
        "person_and_environment",
        "review_stage_goals",
        "agree_adjustments",
    ),
    "evaluation": (
        "invite_third_party",
        "survey_targets",
        "multi_angle_measurement",
        "collective_review",
        "find_shortcomings",
        "recommend_next_steps",
    ),
}

#: Activities the seed marks as optional.
OPTIONAL_ACTIVITIES: frozenset[str] = frozenset({"invite_third_party"})

#: The main output of each phase as the seed describes it.
PHASE_OUTPUTS: dict[str, str] = {
    "needs_assessment": "controllable_causes",
    "plan_design": "goals_and_strategy",
    "implementation": "process_records_and_adjustments",
    "evaluation": "findings_and_recommendations",
}


@dataclass
class PhaseStep:
    """One phase of a plan: ``PhaseStep(phase, participants=[], activities=[], outputs=[])``.

    ``phase`` is an id of :data:`PHASES` or its zh/en name; ``participants`` are organisation
    ids; ``activities`` are ids from :data:`PHASE_ACTIVITIES` or free text; ``outputs`` free text.

    >>> PhaseStep("方案制订").phase
    'plan_design'
    >>> from sanshe_edu.i18n import use_lang
    >>> with use_lang("zh"):
    ...     PhaseStep("plan desing")
    Traceback (most recent call last):
    ...
    sanshe_edu.errors.SansheError: 未知的阶段「plan desing」；...（你是不是想输入：plan_design）
    """

    phase: str
    participants: list[str] = field(default_factory=list)
    activities: list[str] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.phase = choose("phase", self.phase, PHASES, group="phase")
        for name in ("participants", "activities", "outputs"):
            value = getattr(self, name)
            if isinstance(value, str):
                value = [value]
            setattr(self, name, [str(v) for v in value])


@dataclass
class ProjectPlan:
    """A practice project: ``ProjectPlan(issue, steps, organisations=[])``.

    ``steps`` are :class:`PhaseStep` objects or dicts with the same keys; ``organisations`` are
    the organisations taking part (needed to check categories per phase).

    >>> plan = ProjectPlan.from_dict({"issue": "楼道堆物", "steps": [{"phase": "需求评估"}]})
    >>> plan.steps[0].phase
    'needs_assessment'
    """

    issue: str
    steps: list[PhaseStep] = field(default_factory=list)
    organisations: list[Organisation] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.steps = [s if isinstance(s, PhaseStep) else PhaseStep(**dict(s)) for s in self.steps]
        self.organisations = [Organisation.from_dict(o) for o in self.organisations]

    @classmethod
    def from_dict(cls, data: Mapping) -> ProjectPlan:
        """Build from ``{"issue", "steps": [...], "organisations"?: [...]}``."""
        if not isinstance(data, Mapping) or "issue" not in data:
            raise SansheError("model.bad_plan", value=data)
        return cls(
            issue=str(data["issue"]),
            steps=list(data.get("steps", [])),
            organisations=list(data.get("organisations", [])),
        )


@dataclass
class PlanReport(Report):
    """Result of :func:`check_plan`: ``ok``, ``problems``, ``missing_phases``,
    ``duplicate_phases``, ``order_ok``, ``out_of_order`` (phase ids that come too early),
    ``missing_categories`` (phase → categories without a participant), ``unknown_participants``,
    ``missing_activities`` (phase → seed activities not listed, optional ones excluded).

    >>> r = check_plan(ProjectPlan("x", [PhaseStep("evaluation", ["a"], outputs=["y"])],
    ...                            organisations=[("a", "A", "居委会")]))
    >>> r.missing_phases
    ['needs_assessment', 'plan_design', 'implementation']
    >>> r.missing_categories
    {'evaluation': ['social_work', 'nonprofit']}
    """

    missing_phases: list[str] = field(default_factory=list)
    duplicate_phases: list[str] = field(default_factory=list)
    order_ok: bool = True
    out_of_order: list[str] = field(default_factory=list)
    missing_categories: dict[str, list[str]] = field(default_factory=dict)
    unknown_participants: list[str] = field(default_factory=list)
    missing_activities: dict[str, list[str]] = field(default_factory=dict)


def check_plan(plan: ProjectPlan | Mapping, orgs: Iterable | None = None) -> PlanReport:
    """Check a project plan against the four phases.

    ``check_plan(plan, orgs=None) -> PlanReport``. ``orgs`` (organisations or a subject-linkage
    graph) defaults to ``plan.organisations``. Reported: missing phases; a phase given twice;
    phases in the wrong order; a phase without participants, or without a participant from some
    category; participants that are not known organisations; a phase without outputs.
    Activities of the seed that a step does not list are collected in ``missing_activities``
    (advice, not a problem: plans may word activities their own way).

    >>> plan = ProjectPlan("楼道堆物", [
    ...     PhaseStep("plan_design", ["jwh", "sg", "lv"], outputs=["方案"]),
    ...     PhaseStep("needs_assessment", ["jwh", "sg", "lv"], outputs=["可控原因"]),
    ...     PhaseStep("implementation", ["jwh", "sg"], outputs=["过程记录"])],
    ...     organisations=[("jwh", "居委会", "居委会"), ("sg", "社工", "社工机构"),
    ...                    ("lv", "环保中心", "nonprofit")])
    >>> r = check_plan(plan)
    >>> r.missing_phases, r.out_of_order, r.missing_categories
    (['evaluation'], ['needs_assessment'], {'implementation': ['nonprofit']})
    """
    import networkx as nx

    if isinstance(plan, Mapping):
        plan = ProjectPlan.from_dict(plan)
    if not isinstance(plan, ProjectPlan):
        raise SansheError("model.bad_plan", value=type(plan).__name__)
    if orgs is None:
        orgs = plan.organisations
    if isinstance(orgs, nx.Graph):
        category = {n: d["category"] for n, d in orgs.nodes(data=True)}
    else:
        category = {o.id: o.category for o in (Organisation.from_dict(x) for x in orgs)}
    report = PlanReport()
    if not plan.steps:
        report.add("model.problem.empty_plan")
    seen: list[str] = []
    for step in plan.steps:
        if step.phase in seen:
            report.duplicate_phases.append(step.phase)
            report.add("model.problem.duplicate_phase", phase=("phase", step.phase))
        seen.append(step.phase)
    report.missing_phases = [p for p in PHASES if p not in seen]
    for p in report.missing_phases:
        report.add("model.problem.missing_phase", phase=("phase", p))
    # Out of order: a step whose phase comes before the latest phase already seen.
    latest = -1
    for step in plan.steps:
        idx = PHASES.index(step.phase)
        if idx < latest:
            report.out_of_order.append(step.phase)
            report.add(
                "model.problem.phase_order",
                phase=("phase", step.phase),
                after=("phase", PHASES[latest]),
            )
        latest = max(latest, idx)
    report.order_ok = not report.out_of_order
    for step in plan.steps:
        if not step.participants:
            report.add("model.problem.no_participants", phase=("phase", step.phase))
            continue
        unknown = [p for p in step.participants if p not in category]
        for p in unknown:
            if p not in report.unknown_participants:
                report.unknown_participants.append(p)
                report.add("model.problem.unknown_participant", org=p, phase=("phase", step.phase))
        if category:
            present = {category[p] for p in step.participants if p in category}
            missing = [c for c in CATEGORIES if c not in present]
            if missing:
                report.missing_categories[step.phase] = missing
                report.add(
                    "model.problem.phase_missing_category",
                    phase=("phase", step.phase),
                    categories=[("category", c) for c in missing],
                )
        if not step.outputs:
            report.add("model.problem.no_outputs", phase=("phase", step.phase))
        listed = set(step.activities)
        missing_acts = [
            a
            for a in PHASE_ACTIVITIES[step.phase]
            if a not in listed and a not in OPTIONAL_ACTIVITIES
        ]
        if missing_acts:
            report.missing_activities[step.phase] = missing_acts
    return report
