"""The 三社联动 model: plain data in, plain data out (dataclasses, dicts, networkx graphs).

Public API (all importable from ``sanshe_edu.model``):

Organisations
    ``Organisation(id, name, kind, role="", inside=None, name_en="")``, ``ORG_KINDS``
    (id → ``OrgKind``), ``CATEGORIES`` (``community, social_work, nonprofit``), ``NATURES``.
Subject linkage (主体联动)
    ``build_network(orgs, relations) -> networkx.Graph``;
    ``analyse_network(G) -> NetworkReport`` (``.ok .problems .missing_categories
    .unlinked_pairs .isolated .connected .components .bridges .centrality .linked``);
    ``party_modes(goals, serves=None, willing=()) -> {party: mode}`` (each party's mode);
    ``linkage_mode(goals, serves=None, willing=()) ->
    "instrumental"|"collaborative"|"cooperative"|"mixed"``;
    ``LINKAGE_MODES``, ``MIXED``, ``RELATION_TYPES``, ``mode_label(mode, lang)``.
Element linkage (要素联动)
    ``ELEMENTS``, ``ITEM_TYPES``, ``ITEM_ELEMENT``; ``map_elements(case, network=None) ->
    ElementReport`` (``.ok .problems .missing .misplaced .mapping .subject_categories``);
    ``subject_element(G) -> list[dict]``.
Committee (轮值主席负责制)
    ``build_committee(orgs, independent=None, representatives=None,
    independent_can_chair=False) -> Committee``; ``rotation_schedule(committee, terms) ->
    list[Term]``; ``CHAIR_DUTIES``, ``COMMITTEE_TASKS``.
Four phases
    ``PHASES``, ``PHASE_ACTIVITIES``, ``PHASE_OUTPUTS``, ``PhaseStep(phase, participants,
    activities, outputs)``, ``ProjectPlan(issue, steps, organisations)``,
    ``check_plan(plan, orgs=None) -> PlanReport``.
Issue analysis
    ``ISSUE_CLASSES``, ``classify_issue(issue=None, *, public_duty=None, only_self=None) -> str``;
    ``benefit_outcome(government, residents) -> BenefitOutcome`` (``.outcome .passive
    .explain()``), ``BENEFIT_LEVELS``, ``OUTCOMES``, ``BENEFIT_MATRIX``;
    ``analyse_causes(causes) -> CauseAnalysis``; ``prioritise_issues(issues, weights=None) ->
    list[RankedIssue]`` (``.rank .score .contributions .explain()``), ``CRITERIA``,
    ``DEFAULT_WEIGHTS``, ``check_weights(weights)``.
Reference data
    ``load_glossary()``, ``load_scholars()``, ``load_governance_forms()``,
    ``load_structures()``, ``load_timeline()``, ``load_case("xingfuli")``, ``validate_all()``,
    ``glossary_entry(term)`` (by id, zh or en term).
Labels
    ``label(group, id, lang=None)`` and ``labels(group, id) -> {"zh", "en"}`` for every id above
    (groups: category, kind, nature, relation, mode, element, item, phase, activity, output, duty,
    task, issue_class, benefit, outcome, party, criterion).

Importing this package imports networkx only when a function needs it, never matplotlib.

>>> from sanshe_edu.model import benefit_outcome, label
>>> label("outcome", benefit_outcome("beneficial", "beneficial").outcome, "zh")
'合作'
"""

from __future__ import annotations

from ._common import label, labels
from .committee import (
    CHAIR_DUTIES,
    COMMITTEE_TASKS,
    Committee,
    Member,
    Term,
    build_committee,
    rotation_schedule,
)
from .elements import (
    ELEMENTS,
    ITEM_ELEMENT,
    ITEM_TYPES,
    ElementReport,
    map_elements,
    subject_element,
)
from .issues import (
    BENEFIT_LEVELS,
    BENEFIT_MATRIX,
    CRITERIA,
    DEFAULT_WEIGHTS,
    ISSUE_CLASSES,
    KNOWN_ISSUES,
    OUTCOMES,
    BenefitOutcome,
    CauseAnalysis,
    RankedIssue,
    analyse_causes,
    benefit_outcome,
    check_weights,
    classify_issue,
    prioritise_issues,
)
from .network import (
    LINKAGE_MODES,
    MIXED,
    RELATION_TYPES,
    NetworkReport,
    analyse_network,
    build_network,
    linkage_mode,
    mode_label,
    party_modes,
)
from .organisations import CATEGORIES, NATURES, ORG_KINDS, Organisation, OrgKind
from .phases import (
    PHASE_ACTIVITIES,
    PHASE_OUTPUTS,
    PHASES,
    PhaseStep,
    PlanReport,
    ProjectPlan,
    check_plan,
)
from .reference import (
    glossary_entry,
    load_case,
    load_glossary,
    load_governance_forms,
    load_scholars,
    load_structures,
    load_timeline,
    validate_all,
)

__all__ = [
    "BENEFIT_LEVELS",
    "BENEFIT_MATRIX",
    "CATEGORIES",
    "CHAIR_DUTIES",
    "COMMITTEE_TASKS",
    "CRITERIA",
    "DEFAULT_WEIGHTS",
    "ELEMENTS",
    "ISSUE_CLASSES",
    "ITEM_ELEMENT",
    "ITEM_TYPES",
    "KNOWN_ISSUES",
    "LINKAGE_MODES",
    "MIXED",
    "NATURES",
    "ORG_KINDS",
    "OUTCOMES",
    "PHASES",
    "PHASE_ACTIVITIES",
    "PHASE_OUTPUTS",
    "RELATION_TYPES",
    "BenefitOutcome",
    "CauseAnalysis",
    "Committee",
    "ElementReport",
    "Member",
    "NetworkReport",
    "OrgKind",
    "Organisation",
    "PhaseStep",
    "PlanReport",
    "ProjectPlan",
    "RankedIssue",
    "Term",
    "analyse_causes",
    "analyse_network",
    "benefit_outcome",
    "build_committee",
    "build_network",
    "check_plan",
    "check_weights",
    "classify_issue",
    "glossary_entry",
    "label",
    "labels",
    "linkage_mode",
    "load_case",
    "load_glossary",
    "load_governance_forms",
    "load_scholars",
    "load_structures",
    "load_timeline",
    "map_elements",
    "mode_label",
    "party_modes",
    "prioritise_issues",
    "rotation_schedule",
    "subject_element",
    "validate_all",
]
