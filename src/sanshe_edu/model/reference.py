"""Reference data (glossary, scholars, governance forms, structures, timeline) and case files.

Everything is plain data read from YAML files shipped in ``sanshe_edu/data``; each file has a
JSON Schema (``data/reference/schemas/<name>.schema.json``) checked by :func:`validate_all` and
the test-suite. Each loader returns a
list of dicts (the case loader a dict), freshly copied, so a caller may change it freely.

>>> [s["id"] for s in load_scholars()][:2]
['ye_chen', 'wang_sibin']
>>> load_case("xingfuli")["fictional"]
True
"""

from __future__ import annotations

import copy
import json
from functools import cache
from importlib import resources

from ..errors import SansheError, unknown_choice
from ..i18n import t
from ._common import choose

REFERENCE_FILES: tuple[str, ...] = (
    "glossary",
    "scholars",
    "governance_forms",
    "structures",
    "timeline",
)


def _data_root():
    return resources.files("sanshe_edu") / "data"


@cache
def schema(name: str) -> dict:
    """The JSON Schema called ``name`` (one of :data:`REFERENCE_FILES` or ``"case"``)."""
    path = _data_root() / "reference" / "schemas" / f"{name}.schema.json"
    return json.loads(path.read_text(encoding="utf-8"))


def validate(data: object, name: str) -> None:
    """Validate ``data`` against schema ``name``; raise ``SansheError`` saying where it fails.

    >>> from sanshe_edu.i18n import use_lang
    >>> with use_lang("zh"):
    ...     validate({"items": []}, "glossary")
    Traceback (most recent call last):
    ...
    sanshe_edu.errors.SansheError: 数据不符合“glossary”的格式（位置：items）：[] should be non-empty
    """
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema(name))
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        err = errors[0]
        where = "/".join(str(p) for p in err.absolute_path) or "/"
        raise SansheError("model.schema_error", name=name, where=where, message=err.message)


def _read(folder: str, name: str) -> dict:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    path = _data_root() / folder / f"{name}.yaml"
    return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)


@cache
def _load(folder: str, name: str, schema_name: str) -> dict:
    # Validation against the schema runs in the test-suite and in validate_all(), not on every
    # load: importing jsonschema costs seconds (its optional format checkers), too slow for a
    # lesson cell.
    return _read(folder, name)


def _items(name: str) -> list[dict]:
    return copy.deepcopy(_load("reference", name, name)["items"])


def load_glossary() -> list[dict]:
    """``load_glossary() -> [{"id", "zh", "en", "definition": {"zh", "en"}, ...}]``.

    >>> g = {e["zh"]: e for e in load_glossary()}
    >>> g["三社联动"]["en"]
    'linkage of community, social organisations and social work'
    """
    return _items("glossary")


def glossary_entry(term: str) -> dict:
    """One glossary entry by id, Chinese term or English term.

    ``glossary_entry(term) -> {"id", "zh", "en", "definition": {"zh", "en"}, ...}``; an unknown
    term raises a translated error that suggests close matches.

    >>> glossary_entry("主体联动")["en"]
    'subject linkage'
    >>> glossary_entry("element linkage")["zh"]
    '要素联动'
    >>> from sanshe_edu.i18n import use_lang
    >>> with use_lang("en"):
    ...     glossary_entry("主体联")
    Traceback (most recent call last):
    ...
    sanshe_edu.errors.SansheError: unknown glossary term '主体联'; ... (did you mean: 主体联动)
    """
    entries = load_glossary()
    wanted = str(term).strip()
    for e in entries:
        if wanted in (e["id"], e["zh"]) or wanted.lower() == e["en"].lower():
            return e
    raise unknown_choice(t("model.what.glossary_term"), term, [e["zh"] for e in entries])


def load_scholars() -> list[dict]:
    """``load_scholars() -> [{"id", "names": {"zh","en"}, "definition": {...}, "subjects": [...],
    "distinguishing": {...}, ...}]`` — the five scholars' definitions, paraphrased.

    >>> [len(s["subjects"]) for s in load_scholars()]
    [3, 3, 3, 3, 3]
    """
    return _items("scholars")


def load_governance_forms() -> list[dict]:
    """``load_governance_forms() -> [{"id", "name": {"zh","en"}, "name_source", ...}]`` — Zheng
    Rong's four forms; ``name_source`` is ``"seed"`` or ``"inferred"``.

    >>> [f["name_source"] for f in load_governance_forms()]
    ['seed', 'seed_phrase', 'inferred', 'seed']
    """
    return _items("governance_forms")


def load_structures() -> dict[str, list[dict]]:
    """``load_structures() -> {"modes": [...2 structure modes], "mechanisms": [...3]}``.

    >>> s = load_structures()
    >>> [m["id"] for m in s["modes"]], len(s["mechanisms"])
    (['embedded', 'endogenous'], 3)
    """
    data = _load("reference", "structures", "structures")
    return {"modes": copy.deepcopy(data["modes"]), "mechanisms": copy.deepcopy(data["mechanisms"])}


def load_timeline() -> list[dict]:
    """``load_timeline() -> [{"id", "order", "when": {"zh","en"}, "event": {"zh","en"}, ...}]``
    sorted by ``order``.

    >>> [e["id"] for e in load_timeline()][:2]
    ['unit_system', 'community_system']
    """
    return sorted(_items("timeline"), key=lambda e: e["order"])


def case_names() -> list[str]:
    """The case files shipped with the package (``["xingfuli"]``).

    >>> case_names()
    ['xingfuli']
    """
    folder = _data_root() / "cases"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml"))


def load_case(name: str = "xingfuli") -> dict:
    """Load a (fictional) case community.

    ``load_case(name) -> {"id", "fictional": True, "name": {...}, "description": {...},
    "organisations": [dicts], "relations": [dicts], "issues": [dicts], "elements": {...},
    "plan": {...}}``; the lists can be passed straight to
    :func:`~sanshe_edu.model.build_network` and :func:`~sanshe_edu.model.prioritise_issues`,
    ``elements`` to :func:`~sanshe_edu.model.map_elements`, and
    ``ProjectPlan.from_dict({**case["plan"], "organisations": case["organisations"]})`` gives
    the example plan.

    >>> case = load_case("xingfuli")
    >>> [o["id"] for o in case["organisations"]]
    ['jwh', 'ywh', 'wy', 'hct', 'zyd', 'sg', 'sh', 'lv']
    >>> from sanshe_edu.i18n import use_lang
    >>> with use_lang("zh"):
    ...     load_case("xingfu")
    Traceback (most recent call last):
    ...
    sanshe_edu.errors.SansheError: 未知的案例「xingfu」；可选：xingfuli（你是不是想输入：xingfuli）
    """
    name = choose("case", name, case_names())
    data = copy.deepcopy(_load("cases", name, "case"))
    return data


def validate_all() -> list[str]:
    """Load and validate every reference file and case; return the names checked.

    >>> validate_all()[-1]
    'cases/xingfuli'
    """
    checked = []
    for name in REFERENCE_FILES:
        validate(_read("reference", name), name)
        checked.append(f"reference/{name}")
    for name in case_names():
        validate(_read("cases", name), "case")
        checked.append(f"cases/{name}")
    return checked
