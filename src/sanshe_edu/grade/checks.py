"""The checks of graded work: lenient about form, strict about content, points per part.

A test cell of an assignment (written by ``sanshe-edu grade build``) is one call::

    check("mechanisms", "set", points=2, choices=[...],
    ### BEGIN HIDDEN TESTS
          key=[...],
    ### END HIDDEN TESTS
    )

In the student's copy the hidden lines are gone: without ``key`` the call only looks at the
form of the answer and says, in the student's language, "done", "not answered yet" or what is
wrong (never the hidden part). With ``key`` (at grading) it prints which parts are right and
returns the points, which nbgrader takes as partial credit. The grader runs the same call again
outside the student's kernel on the exported plain answer (``SealedRecheck``) and only that
result counts.

The answer is looked up by name in the calling namespace, so a missing variable is "not
answered yet" rather than a ``NameError``. What form is forgiven (docs/assignments.md): spaces
and quotes around a text, full-width vs half-width characters, the case of an ASCII id, a
list/tuple/set for one another, a Chinese name from ``choices`` for its id, a synonym from
``same``, a number written as text.

>>> ns = {"x": ["社区 ", "社工", "“社会组织”"]}
>>> check("x", "set", points=3, key=["社区", "社会组织", "社工"], namespace=ns, quiet=True)
3
>>> check("x", "set", points=3, key=["社区", "社会组织", "社会工作"], namespace=ns, quiet=True)
1
>>> check("x", "set", points=3, key=["社区", "社会组织", "社会工作"], same={"社工": "社会工作"},
...       namespace=ns, quiet=True)
3
>>> check("y", "set", points=3, key=["a"], namespace=ns, quiet=True)
0
"""

from __future__ import annotations

import difflib
import sys
import unicodedata
from typing import Any

from ..i18n import t

__all__ = ["KINDS", "PLACEHOLDER", "check", "check_widget", "normal", "score_parts"]

KINDS = ("value", "set", "mapping", "sequence")
PLACEHOLDER = "？"
_NOKEY = object()
_MISSING = object()
WIDGET_ANSWERS = "__sanshe_widget_answers__"  # set by the grader's re-check
_QUOTES = "\"'“”‘’「」『』《》"
_SEPARATORS = ("、", "，", ",", "；", ";", "/", "\n")


def normal(value: Any) -> Any:
    """One spelling for a text: NFKC (full-width to half-width), no surrounding spaces or
    quotes, inner runs of spaces as one, ASCII letters in lower case.

    >>> normal(" “ＡＢ  c” "), normal("社区，社工"), normal(3)
    ('ab c', '社区,社工', 3)
    """
    if not isinstance(value, str):
        return value
    text = unicodedata.normalize("NFKC", value).strip()
    while len(text) >= 2 and text[0] in _QUOTES and text[-1] in _QUOTES:
        text = text[1:-1].strip()
    text = " ".join(text.split())
    return text.lower() if text.isascii() else text


class _Names:
    """The accepted spellings of the allowed values: ids, their Chinese names, synonyms."""

    def __init__(self, choices: Any = None, same: dict | None = None) -> None:
        self.to_id: dict[Any, Any] = {}
        self.allowed: list = []
        if isinstance(choices, dict):
            for cid, name in choices.items():
                self.allowed.append(cid)
                self.to_id[normal(cid)] = cid
                self.to_id[normal(name)] = cid
        elif choices:
            for cid in choices:
                self.allowed.append(cid)
                self.to_id[normal(cid)] = cid
        for alt, meant in (same or {}).items():
            self.to_id[normal(alt)] = self.to_id.get(normal(meant), meant)

    def canon(self, value: Any) -> Any:
        value = normal(value)
        if isinstance(value, str) and value.lstrip("-").isdigit() and len(value) < 12:
            return int(value)
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, list | tuple):
            return tuple(self.canon(v) for v in value)
        return self.to_id.get(value, value)

    def known(self, value: Any) -> bool:
        return not self.allowed or self.canon(value) in {self.canon(a) for a in self.allowed}

    def suggest(self, value: Any) -> str:
        if not self.allowed or not isinstance(value, str):
            return ""
        words = [str(a) for a in self.allowed]
        close = difflib.get_close_matches(normal(value), [normal(w) for w in words], n=1)
        return close[0] if close else ""


def _items(value: Any) -> list | None:
    """A collection's items (a text with 、 or , between items counts as a collection)."""
    if isinstance(value, list | tuple | set | frozenset):
        return list(value)
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value)
        for sep in _SEPARATORS:
            text = text.replace(unicodedata.normalize("NFKC", sep), ",")
        return [p for p in (x.strip() for x in text.split(",")) if p]
    return None


def _unanswered(value: Any) -> bool:
    if value is None or value == "" or value == ():
        return True
    if isinstance(value, str):
        return normal(value) in ("", normal(PLACEHOLDER), "?")
    if isinstance(value, dict):
        return all(_unanswered(v) for v in value.values()) if value else True
    if isinstance(value, list | tuple | set | frozenset):
        return all(_unanswered(v) for v in value) if value else True
    return False


def _has_placeholder(value: Any) -> bool:
    if isinstance(value, str):
        return normal(value) in (normal(PLACEHOLDER), "?")
    if isinstance(value, dict):
        return any(_has_placeholder(v) for v in value.values())
    if isinstance(value, list | tuple | set | frozenset):
        return any(_has_placeholder(v) for v in value)
    return False


def form_problems(kind: str, value: Any, names: _Names, keys: list | None = None) -> list[str]:
    """What is wrong with the form of an answer (nothing about its content)."""
    problems: list[str] = []
    if kind == "mapping":
        if not isinstance(value, dict):
            return [t("assign.want_dict")]
        if keys is not None:
            have = {normal(k) for k in value}
            lost = [k for k in keys if normal(k) not in have]
            if lost:
                problems.append(t("assign.keys_lost", keys="、".join(map(str, lost))))
        values = list(value.values())
    elif kind in ("set", "sequence"):
        values = _items(value)
        if values is None:
            return [t("assign.want_list")]
    else:
        values = [value]
    if _has_placeholder(value):
        problems.append(t("assign.placeholder_left", mark=PLACEHOLDER))
    for v in values:
        if not _unanswered(v) and not names.known(v):
            close = names.suggest(v)
            hint = t("assign.did_you_mean", word=close) if close else ""
            problems.append(t("assign.not_a_choice", value=v, hint=hint))
    return problems


def score_parts(kind: str, value: Any, key: Any, names: _Names) -> tuple[int, int, list]:
    """(right parts, all parts, the parts to look at again) of an answer against its key."""
    canon = names.canon
    if kind == "value":
        return (int(canon(value) == canon(key)), 1, [])
    if kind == "set":
        want = {canon(k) for k in key}
        got = {canon(v) for v in (_items(value) or [])}
        hits, extra = len(got & want), len(got - want)
        return (max(hits - extra, 0), len(want), sorted(map(str, got - want)))
    if kind == "sequence":
        got = [canon(v) for v in (_items(value) or [])]
        wrong = [i + 1 for i, k in enumerate(key) if i >= len(got) or got[i] != canon(k)]
        return (len(key) - len(wrong), len(key), wrong)
    if kind == "mapping":
        got = {normal(k): canon(v) for k, v in value.items()} if isinstance(value, dict) else {}
        wrong = [k for k, v in key.items() if got.get(normal(k), _MISSING) != canon(v)]
        return (len(key) - len(wrong), len(key), wrong)
    raise ValueError(f"unknown check kind {kind!r}")


class Pending:
    """What a check returns in the student's copy when the item is not done (no answer, or a
    form problem): nbgrader's *Validate* reads it as 0 points (so it says "not passed"), the
    notebook shows a plain-words line rather than a bare 0. Run All goes on."""

    def __init__(self, text: str) -> None:
        self.text = text

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        from html import escape

        html = f"<span style='color:#a00;font-weight:bold'>{escape(self.text)}</span>"
        return {"text/plain": "0", "text/html": html}

    def __repr__(self) -> str:
        return "0"


def _pending() -> Pending:
    return Pending(t("assign.pending"))


def _points(points: float, right: int, total: int) -> float:
    score = round(points * right / total, 2) if total else 0
    return int(score) if float(score).is_integer() else score


def _say(lines: list[str], quiet: bool) -> None:
    if not quiet:
        print("\n".join(lines))


#: The items whose checks ran in this kernel, by question number (for the self-check).
SEEN: dict[int, dict] = {}


def _caller_namespace(namespace: dict | None) -> dict:
    return namespace if namespace is not None else sys._getframe(2).f_globals


def check(
    name: str,
    kind: str,
    *,
    points: float,
    key: Any = _NOKEY,
    choices: Any = None,
    same: dict | None = None,
    keys: list | None = None,
    n: int | None = None,
    namespace: dict | None = None,
    quiet: bool = False,
) -> float | None:
    """Look at the answer in variable ``name``: its form always, its content when ``key`` is
    given (then the points are returned). ``keys``: the keys a mapping must keep; ``n``: the
    question's number (the self-check lists it)."""
    ns = _caller_namespace(namespace)
    if n is not None:
        SEEN[n] = {"n": n, "kind": "task", "name": name, "check": kind, "choices": choices,
                   "keys": keys}  # fmt: skip
    names = _Names(choices, same)
    value = ns.get(name, _MISSING)
    graded = key is not _NOKEY
    if kind == "mapping" and keys is None and graded:
        keys = list(key)
    if value is _MISSING:
        from .student import why_missing

        why = why_missing(name) if namespace is None else ""
        _say([why or t("assign.no_variable", name=name)], quiet)
        return 0 if graded else _pending()
    if _unanswered(value):
        _say([t("assign.not_answered", name=name)], quiet)
        return 0 if graded else _pending()
    problems = form_problems(kind, value, names, keys)
    if not graded:
        _say(problems or [t("assign.form_ok")], quiet)
        return _pending() if problems else None
    right, total, again = score_parts(kind, value, key, names)
    score = _points(points, right, total)
    lines = [t("assign.score", score=score, points=points, right=right, total=total)]
    if again and right < total:
        lines.append(t(f"assign.again_{kind}", parts="、".join(map(str, again))))
    _say(lines, quiet)
    return score


# ----- widget questions ---------------------------------------------------------------------
def _widget_answer(qid: str, ns: dict) -> Any:
    if WIDGET_ANSWERS in ns:  # the grader's re-check: what the notebook (or file) handed in
        return (ns[WIDGET_ANSWERS] or {}).get(qid)
    from ..quiz.graded import current_answer

    return current_answer(qid)


def widget_parts(q: dict, answer: Any, key: Any) -> tuple[int, int]:
    """(right, all) parts of a widget answer, as its question type counts them
    (``QuestionType.parts``: per option, item, cell or position, the requirements met, or
    all or nothing); an answer that does not fit the question is 0 of 1."""
    from ..quiz import types
    from ..quiz.check import normalise

    answer = normalise(q, answer)
    if answer is None:
        return 0, 1
    return types.get(q["type"]).parts(q, answer, key)


def check_widget(
    qid: str | list[str],
    *,
    points: float,
    key: Any = _NOKEY,
    n: int | None = None,
    namespace: dict | None = None,
    quiet: bool = False,
) -> float | None:
    """Look at the saved answer of the graded widget ``qid``; with ``key``, return its points.

    ``qid`` may list equivalent questions (a bank ``group``: each student answered one of
    them); then ``key`` maps each to its key. Should more than one be answered (a hand-edited
    notebook), the lowest score counts: answering twice gains nothing."""
    from ..quiz.bank import question

    ns = _caller_namespace(namespace)
    qids = [str(x) for x in qid] if isinstance(qid, list | tuple) else [qid]
    if n is not None:
        SEEN[n] = {"n": n, "kind": "widget", "qid": qids}
    graded = key is not _NOKEY
    answered = {q: a for q in qids if (a := _widget_answer(q, ns)) is not None}
    if not answered:
        _say([t("assign.widget_not_saved")], quiet)
        return 0 if graded else _pending()
    if not graded:
        _say([t("assign.widget_saved")], quiet)
        return None
    keys = key if len(qids) > 1 and isinstance(key, dict) else {qids[0]: key}
    results = []
    for q, answer in answered.items():
        right, total = widget_parts(question(q), answer, keys.get(q))
        results.append((_points(points, right, total), right, total))
    score, right, total = min(results)
    _say([t("assign.score", score=score, points=points, right=right, total=total)], quiet)
    return score
