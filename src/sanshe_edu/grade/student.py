"""What a student's kernel runs in a graded assignment: plain-words errors and the self-check.

:func:`start` (the assignment's first cell) makes the common mistakes of people who have never
programmed read as advice in their language: Chinese quotes or punctuation in code, a name that
is not defined (a cell not run yet, a variable deleted or renamed), the ``raise
NotImplementedError()`` stub of an older copy left in. The cell still fails, so nothing is
hidden from nbgrader.

:func:`self_check` (the last cell) lists every item: done, not yet, or what to fix, with the
same words as the checks under each item — never anything of the hidden tests.

>>> explain_syntax("x = “社区”")[:9]
'代码里用了中文引号'
"""

from __future__ import annotations

from typing import Any

from ..i18n import t
from .checks import SEEN, explain_syntax


def _on_syntax_error(shell: Any, original: Any) -> Any:
    def show(filename=None, running_compiled_code=False, **kwargs):
        import sys

        source = ""
        try:
            source = shell.user_ns.get("In", [""])[-1] or ""
        except Exception:  # no history: just the usual message
            source = ""
        reason = explain_syntax(source) or t("assign.syntax_error")
        print(f"\x1b[1;31m{reason}\x1b[0m", file=sys.stderr)
        return original(filename, running_compiled_code=running_compiled_code, **kwargs)

    return show


def _on_error(shell, etype, value, tb, tb_offset=None) -> None:
    """A NameError, or the old stub's NotImplementedError, in plain words (one line each).

    IPython ignores what a handler returns where the code runs, so it shows the error itself
    (the cell still ends in an error, as nbgrader expects)."""
    if issubclass(etype, NotImplementedError):
        stb = [f"\x1b[1;31m{t('assign.stub_left')}\x1b[0m", "NotImplementedError"]
    else:
        name = getattr(value, "name", None) or str(value).split("'")[1:2]
        name = name[0] if isinstance(name, list) and name else name
        stb = [f"\x1b[1;31m{t('assign.name_error', name=name)}\x1b[0m", f"NameError: {value}"]
    shell._showtraceback(etype, value, stb)


def start() -> None:
    """Set up the assignment's kernel: plain-words errors (once per kernel)."""
    try:
        from IPython import get_ipython
    except ImportError:  # not in IPython: nothing to set up
        return
    shell = get_ipython()
    if shell is None or getattr(shell, "_sanshe_started", False):
        return
    shell._sanshe_started = True
    shell.showsyntaxerror = _on_syntax_error(shell, shell.showsyntaxerror)
    shell.set_custom_exc((NameError, NotImplementedError), _on_error)


def self_check(
    items: list[dict] | None = None,
    *,
    written: list[int | dict] = (),
    count: int | None = None,
    namespace: dict | None = None,
) -> list[tuple[int, str, str]] | None:
    """Print one line per item (done / not yet / what to fix); with ``namespace`` given, also
    return them as ``(n, status, text)`` with status ``done``, ``todo``, ``fix`` or ``hand``.

    The items are those whose checks ran in this kernel (Run All runs them all), plus the
    ``written`` ones (marked by the trainer: a number, or ``{"n", "id"}`` of an essay cell,
    ``{"n", "qid"}`` of a text widget); ``count`` items in all are expected. The notebook as
    saved (:mod:`.saved`) tells an answer cell edited but not run, and an essay not written."""
    import sys

    from . import kinds
    from . import saved as saved_mod

    ns = namespace if namespace is not None else sys._getframe(1).f_globals
    if items is None:
        # no check cell reports them: an essay's ``id``, a text widget's ``qid`` (or only n)
        listed = [{**(w if isinstance(w, dict) else {"n": w}), "kind": "written"} for w in written]
        items = sorted([*SEEN.values(), *listed], key=lambda item: item["n"])
    if count is not None and len(items) < count:
        print(t("assign.sc_run_all", missing=count - len(items)))
    saved = saved_mod.load(ns) if namespace is None else None
    rows: list[tuple[int, str, str]] = []
    for item in items:
        status, text = kinds.get(item["kind"]).self_check_row({**item, "saved": saved}, ns)
        rows.append((item["n"], status, text))
    marks = {"done": "✔", "todo": "○", "fix": "✘", "hand": "✎"}
    for n, status, text in rows:
        print(f"{marks[status]} {t('assign.sc_item', n=n)}：{text}")
    if saved is not None:
        print(t("assign.sc_saved_file"))
    left = sum(status in ("todo", "fix") for _, status, _ in rows)
    print(t("assign.sc_summary_left", left=left) if left else t("assign.sc_summary_done"))
    return None if namespace is None else rows
