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

import sys
from typing import Any, NamedTuple

from ..i18n import t
from . import forms
from .forms import PLACEHOLDER, Names, as_items, normal, unanswered

__all__ = ["KINDS", "PLACEHOLDER", "check", "check_widget", "explain_syntax", "normal",
           "score_parts", "task_status", "why_missing"]  # fmt: skip

_NOKEY = object()
_MISSING = object()
WIDGET_ANSWERS = "__sanshe_widget_answers__"  # set by the grader's re-check


def _msg(key: str, **fields: Any):
    """A :class:`~sanshe_edu.quiz.result.Msg` (imported on first use: the kernel stays light)."""
    from ..quiz.result import Msg

    return Msg(key, fields)


# ----- check kinds ----------------------------------------------------------------------------
class CheckKind:
    """One kind of check (``check(name, kind, …)``): the shape its key must have, what is wrong
    with the form of an answer, and how many parts of it are right.

    >>> KINDS["set"].check_key({"a": 1}), KINDS["set"].check_key(["a"]), list(KINDS)
    ('want_list_key', None, ['value', 'set', 'mapping', 'sequence'])
    """

    name = ""
    key_type = ""  # the key's JSON Schema type: "array", "object" or "" (any)
    key_problem = ""  # the assignment problem (assign.<code>) of a key of another type
    wrong_form = ""  # the message when an answer is not of this kind's form at all

    def check_key(self, key: Any) -> str | None:
        """The problem code (``assign.<code>``) of a key of the wrong shape, or ``None``."""
        want = {"array": list, "object": dict}.get(self.key_type)
        return self.key_problem if want and not isinstance(key, want) else None

    def values(self, value: Any) -> list | None:
        """The answer's values (each judged against the choices); ``None``: wrong form."""
        return [value]

    def lost(self, value: Any, keys: list | None) -> list:
        """The parts of the template the answer lost (only a mapping has any)."""
        return []

    def form_problems(self, value: Any, names: Names, keys: list | None = None) -> list:
        """What is wrong with the form of an answer (nothing about its content), as Msgs."""
        values = self.values(value)
        if values is None:
            return [_msg(self.wrong_form)]
        problems = []
        if lost := self.lost(value, keys):
            problems.append(_msg("assign.keys_lost", keys="、".join(map(str, lost))))
        if forms.has_placeholder(value):
            problems.append(_msg("assign.placeholder_left", mark=PLACEHOLDER))
        for v in values:
            if not unanswered(v) and not names.known(v):
                close = names.suggest(v)
                hint = _msg("assign.did_you_mean", word=close) if close else ""
                problems.append(_msg("assign.not_a_choice", value=str(v), hint=hint))
        return problems

    def score_parts(self, value: Any, key: Any, names: Names) -> tuple[int, int, list]:
        """(right parts, all parts, the parts to look at again) of an answer against its key."""
        return (int(names.canon(value) == names.canon(key)), 1, [])


class ValueKind(CheckKind):
    """One value (a name, a number, a text): all or nothing."""

    name = "value"


class SetKind(CheckKind):
    """Several values in any order: one part per value of the key, less one per extra."""

    name = "set"
    key_type = "array"
    key_problem = "want_list_key"
    wrong_form = "assign.want_list"

    def values(self, value: Any) -> list | None:
        return as_items(value)

    def score_parts(self, value: Any, key: Any, names: Names) -> tuple[int, int, list]:
        want = {names.canon(k) for k in key}
        got = {names.canon(v) for v in (as_items(value) or [])}
        hits, extra = len(got & want), len(got - want)
        return (max(hits - extra, 0), len(want), sorted(map(str, got - want)))


class SequenceKind(SetKind):
    """Values in order: one part per position."""

    name = "sequence"

    def score_parts(self, value: Any, key: Any, names: Names) -> tuple[int, int, list]:
        got = [names.canon(v) for v in (as_items(value) or [])]
        wrong = [i + 1 for i, k in enumerate(key) if i >= len(got) or got[i] != names.canon(k)]
        return (len(key) - len(wrong), len(key), wrong)


class MappingKind(CheckKind):
    """A dict from the template's keys to values: one part per key."""

    name = "mapping"
    key_type = "object"
    key_problem = "want_mapping_key"
    wrong_form = "assign.want_dict"

    def values(self, value: Any) -> list | None:
        return list(value.values()) if isinstance(value, dict) else None

    def lost(self, value: Any, keys: list | None) -> list:
        have = {normal(k) for k in value}
        return [k for k in keys if normal(k) not in have] if keys is not None else []

    def score_parts(self, value: Any, key: Any, names: Names) -> tuple[int, int, list]:
        canon = names.canon
        got = {normal(k): canon(v) for k, v in value.items()} if isinstance(value, dict) else {}
        wrong = [k for k, v in key.items() if got.get(normal(k), _MISSING) != canon(v)]
        return (len(key) - len(wrong), len(key), wrong)


#: The check kinds by name (``value``, ``set``, ``mapping``, ``sequence``).
KINDS: dict[str, CheckKind] = {
    kind.name: kind for kind in (ValueKind(), SetKind(), MappingKind(), SequenceKind())
}


def score_parts(kind: str, value: Any, key: Any, names: Names) -> tuple[int, int, list]:
    """(right parts, all parts, the parts to look at again) of an answer against its key."""
    if kind not in KINDS:
        raise ValueError(f"unknown check kind {kind!r}")
    return KINDS[kind].score_parts(value, key, names)


# ----- why an answer is not there ---------------------------------------------------------
def _syntax_reason(code: str):
    found = forms.syntax_problem(code)
    return _msg(found[0], **found[1]) if found else None


def explain_syntax(code: str) -> str:
    """A plain-words reason for a syntax error in ``code``, or ``""`` when none is known.

    >>> from sanshe_edu.i18n import use_lang
    >>> with use_lang("zh"):
    ...     explain_syntax("x = “社区”")[:9]
    '代码里用了中文引号'
    """
    reason = _syntax_reason(code)
    return reason.text() if reason else ""


def _why_missing(name: str):
    source = forms.failed_assignment(name)
    return None if source is None else _syntax_reason(source) or _msg("assign.syntax_error")


def why_missing(name: str) -> str:
    """Why a variable may be missing, from this kernel's history: the last cell that assigns
    it did not run because of a syntax error (Chinese quotes …); ``""`` when unknown."""
    reason = _why_missing(name)
    return reason.text() if reason else ""


class TaskStatus(NamedTuple):
    """Where a task's answer stands: ``status`` as the self-check shows it (``done``, ``todo``
    or ``fix``), ``msgs`` saying why (Msgs: one, or each form problem), and ``answered``: an
    answer is there to score (done, or with form problems)."""

    status: str
    msgs: list
    answered: bool


def task_status(item: dict, namespace: dict, *, explain: bool = True) -> TaskStatus:
    """The status of a task item (``name``, ``check``, ``choices``, ``same``, ``keys``) whose
    answer is looked up in ``namespace``; ``explain``: look in the kernel's history for why a
    missing variable is missing.

    >>> item = {"name": "x", "check": "set", "choices": ["a", "b"]}
    >>> [task_status(item, ns)[:1] for ns in ({}, {"x": "？"}, {"x": ["c"]}, {"x": ["a"]})]
    [('todo',), ('todo',), ('fix',), ('done',)]
    """
    name = item["name"]
    value = namespace.get(name, _MISSING)
    if value is _MISSING:
        why = _why_missing(name) if explain else None
        return TaskStatus(
            "fix" if why else "todo", [why or _msg("assign.no_variable", name=name)], False
        )
    if unanswered(value):
        return TaskStatus("todo", [_msg("assign.not_answered", name=name)], False)
    kind = KINDS.get(item["check"], KINDS["value"])
    names = Names(item.get("choices"), item.get("same"))
    problems = kind.form_problems(value, names, item.get("keys"))
    if problems:
        return TaskStatus("fix", problems, True)
    return TaskStatus("done", [_msg("assign.sc_done")], True)


class Pending:
    """What a check returns in the student's copy when the item is not done (no answer, or a
    form problem): nbgrader's *Validate* reads it as 0 points (so it says "not passed"), the
    notebook shows a plain-words line rather than a bare 0. Run All goes on."""

    def __init__(self, text: str) -> None:
        self.text = text

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        from html import escape

        if not self.text:  # a widget check: its own line above says it (and is updated)
            return {"text/plain": "0", "text/html": ""}
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
    item = {"n": n, "kind": "task", "name": name, "check": kind, "choices": choices,
            "same": same, "keys": keys}  # fmt: skip
    if n is not None:
        SEEN[n] = item
    graded = key is not _NOKEY
    if kind == "mapping" and keys is None and graded:
        item = {**item, "keys": list(key)}
    status, msgs, answered = task_status(item, ns, explain=namespace is None)
    if not graded:
        _say([m.text() for m in msgs] if status != "done" else [t("assign.form_ok")], quiet)
        return None if status == "done" else _pending()
    if not answered:
        _say([m.text() for m in msgs], quiet)
        return 0
    right, total, again = score_parts(kind, value=ns[name], key=key, names=Names(choices, same))
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
        SEEN[n] = {"n": n, "kind": "question", "qid": qids}
    graded = key is not _NOKEY
    answered = {q: a for q in qids if (a := _widget_answer(q, ns)) is not None}
    if not answered and not graded and not quiet and WIDGET_ANSWERS not in ns:
        # In the student's kernel: a line the widget's Save replaces ("answer saved").
        from ..quiz.graded import show_not_saved

        show_not_saved(qids)
        return Pending("")
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
