"""Carry plain answers (numbers, strings, lists, tuples, sets, dicts) out of a kernel as JSON.

A student's kernel is not trusted, so the grader never un-pickles or evaluates what comes out of
it: :func:`encode` turns plain data into tagged JSON and :func:`decode` rebuilds only plain types.
Anything else (a function, a graph, an object with a custom ``__eq__``) becomes an
:class:`Unplain` marker, which equals nothing, so a check on it fails.

>>> value = {"subjects": ("社区", "社会组织", "社工"), "ok": True, "n": {1, 2}}
>>> decode(encode(value)) == value
True
>>> decode(encode(print)) == print
False
>>> decode(encode([1.5, None, {(1, 2): "pair"}]))
[1.5, None, {(1, 2): 'pair'}]
"""

from __future__ import annotations

import contextlib
import json

MARKER = "\x1esanshe-export\x1e"
MAX_CHARS = 200_000  # a bigger export is treated as not plain


class Unplain:
    """Stands for a value that was not plain data (its type name is kept for messages)."""

    def __init__(self, type_name: str) -> None:
        self.type_name = type_name

    def __eq__(self, other: object) -> bool:
        return False

    def __hash__(self) -> int:
        return id(self)

    def __repr__(self) -> str:
        return f"<not plain data: {self.type_name}>"


def _tag(value: object, depth: int = 0) -> object:
    if depth > 50:
        return {"__unplain__": "deep"}
    kind = type(value)
    if value is None or kind in (bool, int, str):
        return value
    if kind is float:
        finite = value == value and abs(value) != float("inf")
        return value if finite else {"__float__": repr(value)}
    if kind is list:
        return [_tag(v, depth + 1) for v in value]
    if kind is tuple:
        return {"__tuple__": [_tag(v, depth + 1) for v in value]}
    if kind in (set, frozenset):
        items = sorted((_tag(v, depth + 1) for v in value), key=repr)
        return {"__set__": items}
    if kind is dict:
        return {"__dict__": [[_tag(k, depth + 1), _tag(v, depth + 1)] for k, v in value.items()]}
    return {"__unplain__": kind.__name__}


def encode(value: object) -> str:
    """Tagged JSON for ``value`` (exact types only: a ``str`` subclass is not plain)."""
    return json.dumps(_tag(value), ensure_ascii=False)


def _untag(data: object) -> object:
    if data is None or isinstance(data, bool | int | float | str):
        return data
    if isinstance(data, list):
        return [_untag(v) for v in data]
    if isinstance(data, dict) and len(data) == 1:
        ((tag, body),) = data.items()
        if tag == "__tuple__" and isinstance(body, list):
            return tuple(_untag(v) for v in body)
        if tag == "__set__" and isinstance(body, list):
            items = [_untag(v) for v in body]
            try:
                return set(items)
            except TypeError:
                return Unplain("set")
        if tag == "__dict__" and isinstance(body, list):
            out = {}
            for pair in body:
                if not (isinstance(pair, list) and len(pair) == 2):
                    return Unplain("dict")
                key = _untag(pair[0])
                try:
                    out[key] = _untag(pair[1])
                except TypeError:
                    return Unplain("dict")
            return out
        if tag == "__float__" and body in ("nan", "inf", "-inf"):
            return float(body)
        if tag == "__unplain__":
            return Unplain(str(body))
    return Unplain(type(data).__name__)


def decode(text: str) -> object:
    """Rebuild plain data from :func:`encode`'s output; anything malformed is :class:`Unplain`."""
    if not isinstance(text, str) or len(text) > MAX_CHARS:
        return Unplain("too large")
    try:
        return _untag(json.loads(text))
    except (ValueError, RecursionError):
        return Unplain("json")


def export_code(cell_key: str, names: list[str]) -> str:
    """Source of the cell injected before a test cell: prints the plain values of ``names``.

    >>> "sanshe_edu.grade.plain" in export_code("t1", ["answer"])
    True
    """
    return (
        "from sanshe_edu.grade.plain import _export as __sanshe_export\n"
        f"__sanshe_export({cell_key!r}, {names!r}, globals())\n"
        "del __sanshe_export\n"
    )


SETUP_CODE = (
    "from sanshe_edu.grade.plain import _setup as __sanshe_setup\n"
    "__sanshe_setup()\n"
    "del __sanshe_setup\n"
)
RESUME_CODE = (
    "from sanshe_edu.grade.plain import _resume as __sanshe_resume\n"
    "__sanshe_resume()\n"
    "del __sanshe_resume\n"
)
_STATE: dict[str, tuple] = {}


def _streams() -> tuple:
    import os
    import sys

    try:
        here = os.getcwd()
    except OSError:
        here = None
    return sys.stdout, sys.stderr, here


def _set_streams(state: tuple) -> None:
    import os
    import sys

    sys.stdout, sys.stderr = state[0], state[1]
    # ipykernel tells its streams which cell they write for only while they are sys.stdout
    # and sys.stderr; streams that were not in place when this cell started must be told now.
    try:
        from IPython import get_ipython

        parent = getattr(get_ipython(), "parent_header", None)
    except ImportError:
        parent = None
    if parent:
        for stream in state[:2]:
            if hasattr(stream, "set_parent"):
                stream.set_parent(parent)
    if state[2] is not None:
        with contextlib.suppress(OSError):
            os.chdir(state[2])


def _setup() -> None:
    """Runs first in the kernel: remember the kernel's own output streams and folder."""
    _STATE["kernel"] = _streams()


def _resume() -> None:
    """Runs after a test cell: give the student back the streams and folder they had chosen."""
    student = _STATE.pop("student", None)
    if student is not None:
        _set_streams(student)


def _export(cell_key: str, names: list[str], namespace: dict) -> None:
    """Runs in the student's kernel before a test: the test gets the kernel's own streams and
    folder (a student who redirected ``sys.stdout`` or changed folder loses nothing), then the
    marker line with the encoded values is printed."""
    kernel = _STATE.get("kernel")
    if kernel is not None:
        _STATE["student"] = _streams()
        _set_streams(kernel)
    missing = "__sanshe_missing__"
    payload = {}
    for name in names:
        if name in namespace:
            payload[name] = encode(namespace[name])
        else:
            payload[name] = missing
    print(MARKER + json.dumps({"cell": cell_key, "values": payload}, ensure_ascii=False))
