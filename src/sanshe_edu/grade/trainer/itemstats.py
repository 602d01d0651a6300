"""Item analysis of an assignment, with the definitions of Moodle's quiz statistics.

For attempt p, x_i is its mark on item i, X its total and X₋ᵢ = X − x_i ("the rest of the
test"); variances and covariances are sample ones (divided by n − 1).

- facility F = mean(x_i) / max_i (0 … 1, shown as %);
- SD = √V(x_i) / max_i (shown as % of the item's maximum, as Moodle does);
- discrimination index DI = 100 · corr(x_i, X₋ᵢ);
- discriminative efficiency DE = 100 · Cov(x_i, X₋ᵢ) / Cov_max, where Cov_max is the
  covariance of the sorted x_i paired with the sorted X₋ᵢ (the largest any pairing can give);
- Cronbach's α = k/(k−1) · (1 − ΣV(x_i) / V(X)).

An item on which everyone has the same mark (V(x_i) = 0), or whose rest does not vary, has no
DI and no DE (``None``): it cannot tell students apart, and is flagged so.  Flags (Moodle's):
DI < 30 "very likely needs checking", 30 ≤ DI < 50 "likely needs checking", DE < 15
"dubious discrimination".

>>> rows = item_stats([[1, 2], [0, 0], [1, 1]], [1, 2])
>>> [r["facility"] for r in rows]
[0.6667, 0.5]
>>> rows[0]["di"], rows[0]["de"], rows[0]["flags"]
(86.6, 100.0, [])
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from ...i18n import t

DI_VERY = 30.0
DI_LIKELY = 50.0
DE_DUBIOUS = 15.0


def _mean(xs: Sequence[float]) -> float:
    return sum(xs) / len(xs)


def _cov(xs: Sequence[float], ys: Sequence[float]) -> float:
    n = len(xs)
    if n < 2:
        return 0.0
    mx, my = _mean(xs), _mean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / (n - 1)


def _r(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def flags(di: float | None, de: float | None, varies: bool) -> list[str]:
    """Moodle's flags as message keys (``grade.flag_*``).

    >>> flags(29.9, 40, True), flags(30, 14.9, True), flags(50, 15, True), flags(None, None, False)
    (['grade.flag_di_very'], ['grade.flag_di_likely', 'grade.flag_de'], [], ['grade.flag_same'])
    """
    if not varies:
        return ["grade.flag_same"]
    out = []
    if di is not None and di < DI_VERY:
        out.append("grade.flag_di_very")
    elif di is not None and di < DI_LIKELY:
        out.append("grade.flag_di_likely")
    if de is not None and de < DE_DUBIOUS:
        out.append("grade.flag_de")
    return out


def item_stats(marks: Sequence[Sequence[float]], maxima: Sequence[float]) -> list[dict]:
    """One dict per item (column of ``marks``; a row per attempt) with ``facility``, ``sd``
    (both fractions of the maximum), ``di``, ``de`` (0–100 or ``None``), ``flags`` (keys)."""
    n = len(marks)
    totals = [sum(row) for row in marks]
    out = []
    for i, top in enumerate(maxima):
        x = [float(row[i]) for row in marks]
        rest = [tot - xi for tot, xi in zip(totals, x, strict=True)]
        vx, vr = _cov(x, x), _cov(rest, rest)
        cov = _cov(x, rest)
        di = de = None
        if n >= 2 and vx > 0 and vr > 0:
            di = 100 * cov / math.sqrt(vx * vr)
            cov_max = _cov(sorted(x), sorted(rest))
            de = 100 * cov / cov_max if cov_max > 0 else None
        facility = _mean(x) / top if n and top else None
        sd = math.sqrt(vx) / top if top else None
        out.append(
            {
                "facility": _r(facility),
                "sd": _r(sd),
                "di": _r(di, 2),
                "de": _r(de, 2),
                "flags": flags(di, de, vx > 0),
            }
        )
    return out


def cronbach_alpha(marks: Sequence[Sequence[float]]) -> float | None:
    """Cronbach's α of the test, ``None`` with fewer than two items or attempts or when the
    totals do not vary.

    >>> cronbach_alpha([[1, 1], [0, 0], [1, 1]])
    1.0
    """
    if len(marks) < 2 or len(marks[0]) < 2:
        return None
    k = len(marks[0])
    items = sum(_cov(col, col) for col in zip(*marks, strict=True))
    totals = [sum(row) for row in marks]
    vt = _cov(totals, totals)
    if vt <= 0:
        return None
    return round(k / (k - 1) * (1 - items / vt), 4)


def flag_text(keys: Sequence[str], lang: str | None = None) -> str:
    """The flags in words (``；``-separated in Chinese)."""
    return t("grade.flag_sep", lang=lang).join(t(k, lang=lang) for k in keys)
