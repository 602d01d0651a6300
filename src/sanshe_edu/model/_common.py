"""Small shared helpers: choosing from a fixed set, bilingual labels, reports."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..errors import SansheError, unknown_choice
from ..i18n import LANGS, catalogue, get_lang, t


def label(kind: str, key: str, lang: str | None = None) -> str:
    """The display name of ``key`` in group ``kind`` (e.g. ``label("category", "nonprofit")``).

    >>> label("category", "nonprofit", lang="en")
    'other non-profit organisations'
    >>> from sanshe_edu.i18n import use_lang
    >>> with use_lang("zh"):
    ...     label("phase", "evaluaton")
    Traceback (most recent call last):
    ...
    sanshe_edu.errors.SansheError: 未知的阶段「evaluaton」；...（你是不是想输入：evaluation）
    """
    full = f"model.{kind}.{key}"
    if full not in catalogue():
        prefix = f"model.{kind}."
        ids = [k[len(prefix) :] for k in catalogue() if k.startswith(prefix)]
        if not ids:
            groups = sorted({k.split(".")[1] for k in catalogue() if k.startswith("model.")})
            groups = [g for g in groups if f"model.{g}" not in catalogue()]
            raise unknown_choice(t("model.what.label_group"), kind, groups)
        what = f"model.what.{_WHAT.get(kind, kind)}"
        raise unknown_choice(t(what) if what in catalogue() else kind, key, ids)
    return t(full, lang=lang)


def labels(kind: str, key: str) -> dict[str, str]:
    """``{"zh": ..., "en": ...}`` for ``key`` in group ``kind``.

    >>> labels("phase", "evaluation")["zh"]
    '评估总结'
    """
    return {lang: label(kind, key, lang=lang) for lang in LANGS}


def choose(what: str, value: object, choices: Iterable[str], group: str | None = None) -> str:
    """Return the id in ``choices`` that ``value`` names (an id or its zh/en label).

    ``what`` is a message key under ``model.what.``; ``group`` is the label group used to
    accept display names too.

    >>> choose("phase", "需求评估", ["needs_assessment", "evaluation"], group="phase")
    'needs_assessment'
    >>> from sanshe_edu.i18n import use_lang
    >>> with use_lang("zh"):
    ...     choose("phase", "evaluaton", ["needs_assessment", "evaluation"])
    Traceback (most recent call last):
    ...
    sanshe_edu.errors.SansheError: 未知的阶段「evaluaton」；可选：...（你是不是想输入：evaluation）
    """
    choices = list(choices)
    if isinstance(value, str):
        norm = value.strip()
        if norm in choices:
            return norm
        lowered = norm.lower().replace(" ", "_").replace("-", "_")
        if lowered in choices:
            return lowered
        if group is not None:
            for c in choices:
                for lang in LANGS:
                    if norm.lower() == label(group, c, lang=lang).lower():
                        return c
    raise unknown_choice(t(f"model.what.{what}"), value, choices)


def number(what: str, value: object, *, minimum: float | None = 0.0, maximum=None) -> float:
    """``value`` as a float, or a translated ``SansheError`` when it is not a usable number.

    >>> number("weight", "2")
    2.0
    >>> from sanshe_edu.i18n import use_lang
    >>> with use_lang("zh"):
    ...     number("weight", -1)
    Traceback (most recent call last):
    ...
    sanshe_edu.errors.SansheError: 权重「-1」无效：必须是不小于 0 的数
    """
    if isinstance(value, bool):
        raise SansheError("model.not_a_number", what=t(f"model.what.{what}"), value=value)
    try:
        out = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise SansheError("model.not_a_number", what=t(f"model.what.{what}"), value=value) from None
    if math.isnan(out) or math.isinf(out):
        raise SansheError("model.not_a_number", what=t(f"model.what.{what}"), value=value)
    if minimum is not None and out < minimum:
        raise SansheError(
            "model.too_small",
            what=t(f"model.what.{what}"),
            value=value,
            minimum=minimum if minimum != 0 else 0,
        )
    if maximum is not None and out > maximum:
        raise SansheError(
            "model.too_large", what=t(f"model.what.{what}"), value=value, maximum=maximum
        )
    return out


@dataclass
class Report:
    """Base of every check's result: ``ok`` and translated ``problems``.

    Problems are stored as ``(key, fields)`` so :meth:`problems_in` can give them in either
    language; ``problems`` is in the language in use when read.

    >>> r = Report()
    >>> r.add("model.problem.empty_plan")
    >>> r.ok, len(r.problems)
    (False, 1)
    """

    _problems: list[tuple[str, dict]] = field(default_factory=list, repr=False)

    def add(self, key: str, **fields: object) -> None:
        """Record a problem (a catalogue key plus its fields)."""
        self._problems.append((key, fields))

    @property
    def ok(self) -> bool:
        """True when there is no problem."""
        return not self._problems

    @property
    def problems(self) -> list[str]:
        """The problems as sentences in the current language."""
        return self.problems_in(get_lang())

    @property
    def problem_keys(self) -> list[str]:
        """The problems' catalogue keys (stable ids, handy for checkers)."""
        return [k for k, _ in self._problems]

    def problems_in(self, lang: str) -> list[str]:
        """The problems as sentences in ``lang``."""
        return [t(k, lang=lang, **_localise(f, lang)) for k, f in self._problems]


def _localise(fields: Mapping[str, object], lang: str) -> dict[str, object]:
    """Fields given as ``("group", "id")`` or a list of those become labels in ``lang``."""
    out: dict[str, object] = {}
    sep = "、" if lang == "zh" else ", "
    for k, v in fields.items():
        if isinstance(v, tuple) and len(v) == 2 and v[0] in _GROUPS:
            out[k] = label(v[0], v[1], lang=lang)
        elif (
            isinstance(v, list)
            and v
            and all(isinstance(x, tuple) and len(x) == 2 and x[0] in _GROUPS for x in v)
        ):
            out[k] = sep.join(label(g, i, lang=lang) for g, i in v)
        elif isinstance(v, list):
            out[k] = sep.join(str(x) for x in v)
        else:
            out[k] = v
    return out


_WHAT = {
    "kind": "org_kind",
    "relation": "relation_type",
    "mode": "linkage_mode",
    "item": "item_type",
}

_GROUPS = {"category", "kind", "phase", "element", "criterion", "item", "mode", "outcome"}
