"""The grader's own run of a test cell: its source executed on the exported plain values, in
the grader's process, under a time limit, its output and last value kept."""

from __future__ import annotations

import ast
import contextlib
import io
import os
import signal
import threading

from .. import plain


class _Timeout(Exception):
    pass


@contextlib.contextmanager
def _time_limit(seconds: int):
    """Interrupt a re-check that runs too long (only possible in the main thread)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_alarm(signum, frame):
        raise _Timeout()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class Recheck:
    """What the grader's own run of a test cell gave: ``passed``, ``detail`` (why not), the
    ``score`` its last expression returned (a number: partial credit) and what it ``printed``."""

    def __init__(self, passed: bool, detail: str = "", score=None, printed: str = "") -> None:
        self.passed, self.detail, self.score, self.printed = passed, detail, score, printed

    def __iter__(self):  # (passed, detail), as before partial credit
        return iter((self.passed, self.detail))

    def __getitem__(self, index: int):
        return (self.passed, self.detail)[index]

    def __repr__(self) -> str:
        return repr((self.passed, self.detail))


def _number(value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if value == value else None


def recheck(
    source: str,
    values: dict[str, object] | None,
    folder: str,
    timeout: int = 10,
    extra: dict | None = None,
) -> Recheck:
    """Run a test cell's source on exported plain values (and the grader's ``extra`` names).

    >>> recheck("assert x == (1, 2)", {"x": plain.encode((1, 2))}, ".")
    (True, '')
    >>> recheck("assert x == 3", {"x": plain.encode(print)}, ".")[0]
    False
    >>> recheck("assert x == 3", {"x": "__sanshe_missing__"}, ".")
    (False, "NameError: name 'x' is not defined")
    >>> recheck("x * 0.5", {"x": plain.encode(3)}, ".").score
    1.5
    """
    if values is None:
        return Recheck(False, "no exported answers")
    namespace: dict[str, object] = {"__name__": "__sanshe_recheck__", **(extra or {})}
    for name, encoded in values.items():
        if encoded != "__sanshe_missing__":
            namespace[str(name)] = plain.decode(encoded) if isinstance(encoded, str) else None
    here = os.getcwd()
    sink = io.StringIO()
    score = None
    try:
        tree = ast.parse(source, "<test cell>")
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        body = compile(tree, "<test cell>", "exec")
        tail = compile(ast.Expression(last.value), "<test cell>", "eval") if last else None
        os.chdir(folder)
        with (
            contextlib.redirect_stdout(sink),
            contextlib.redirect_stderr(sink),
            _time_limit(timeout),
        ):
            exec(body, namespace)
            if tail is not None:
                score = _number(eval(tail, namespace))
    except _Timeout:
        return Recheck(False, "timeout")
    except BaseException as exc:  # any failure of the check, SystemExit included
        return Recheck(False, f"{type(exc).__name__}: {exc}"[:300], printed=sink.getvalue())
    finally:
        os.chdir(here)
    return Recheck(True, "", score, sink.getvalue())
