"""The forms of an answer, for the checks (:mod:`sanshe_edu.grade.checks`): one spelling for a
text, the accepted names of the allowed values, a text read as a list, "not answered yet", and
the Chinese-keyboard characters that break Python code.

Runs in the student's kernel and in the grader's re-check, like the checks: standard library
only, no messages (the checks put problems into words).

>>> as_items("社区、社工, 社会组织")
['社区', '社工', '社会组织']
>>> unanswered(["？", ""]), unanswered({"a": "社区"})
(True, False)
>>> Names({"community": "社区"}, same={"居委": "社区"}).canon(" 居委 ")
'community'
"""

from __future__ import annotations

import difflib
import unicodedata
from typing import Any

PLACEHOLDER = "？"
_QUOTES = "\"'“”‘’「」『』《》"
_SEPARATORS = ("、", "，", ",", "；", ";", "/", "\n")

# Characters a Chinese keyboard gives where Python needs the ASCII ones.
FULL_WIDTH = {
    "“": '"',
    "”": '"',
    "‘": "'",
    "’": "'",
    "，": ",",
    "：": ":",
    "（": "(",
    "）": ")",
    "【": "[",
    "】": "]",
    "｛": "{",
    "｝": "}",
    "；": ";",
    "＝": "=",
}


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


class Names:
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


def as_items(value: Any) -> list | None:
    """A collection's items (a text with 、 or , between items counts as a collection)."""
    if isinstance(value, list | tuple | set | frozenset):
        return list(value)
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value)
        for sep in _SEPARATORS:
            text = text.replace(unicodedata.normalize("NFKC", sep), ",")
        return [p for p in (x.strip() for x in text.split(",")) if p]
    return None


def unanswered(value: Any) -> bool:
    """Nothing written yet: empty, only the placeholder, or a collection of such."""
    if value is None or value == "" or value == ():
        return True
    if isinstance(value, str):
        return normal(value) in ("", normal(PLACEHOLDER), "?")
    if isinstance(value, dict):
        return all(unanswered(v) for v in value.values()) if value else True
    if isinstance(value, list | tuple | set | frozenset):
        return all(unanswered(v) for v in value) if value else True
    return False


def has_placeholder(value: Any) -> bool:
    """A placeholder is left somewhere in the answer."""
    if isinstance(value, str):
        return normal(value) in (normal(PLACEHOLDER), "?")
    if isinstance(value, dict):
        return any(has_placeholder(v) for v in value.values())
    if isinstance(value, list | tuple | set | frozenset):
        return any(has_placeholder(v) for v in value)
    return False


def outside_strings(line: str) -> str:
    """The line with ASCII-quoted strings blanked out (Chinese text inside them is fine).

    >>> outside_strings('x = "社区，社工"  # 注释')
    'x =             '
    """
    out, quote = [], ""
    for ch in line:
        if quote:
            if ch == quote:
                quote = ""
            out.append(" ")
        elif ch in "\"'":
            quote = ch
            out.append(" ")
        elif ch == "#":
            break
        else:
            out.append(ch)
    return "".join(out)


def syntax_problem(code: str) -> tuple[str, dict] | None:
    """Why ``code`` may not compile, as a message key and its fields: Chinese quotes or
    punctuation outside strings, or the old ``raise NotImplementedError`` stub; else ``None``.

    >>> syntax_problem('y = 1\\nx = {"社区"，"社工"}')
    ('assign.full_width', {'line': 2, 'pairs': '， → ,'})
    """
    for number, line in enumerate(code.splitlines(), 1):
        bare = outside_strings(line)
        if any(q in bare for q in "“”‘’"):
            return "assign.chinese_quotes", {"line": number}
        wrong = sorted({ch for ch in bare if ch in FULL_WIDTH})
        if wrong:
            pairs = "、".join(f"{w} → {FULL_WIDTH[w]}" for w in wrong)
            return "assign.full_width", {"line": number, "pairs": pairs}
    if "raise NotImplementedError" in code:
        return "assign.stub_left", {}
    return None


def repair_syntax(code: str) -> tuple[str, list[tuple[int, str]]] | None:
    """``code`` with the Chinese-keyboard characters outside strings and comments replaced by
    the ASCII ones Python needs (:data:`FULL_WIDTH`), and the changes as ``(line, "， → ,")``;
    ``None`` when ``code`` compiles already, or still does not compile once repaired.

    A quote so replaced opens or closes a string, so Chinese inside it is left alone.

    >>> repair_syntax('x = ["社区"，“社工，社会组织”]')
    ('x = ["社区","社工，社会组织"]', [(1, '， → ,'), (1, '“ → "'), (1, '” → "')])
    >>> repair_syntax('x = "社区，社工"') is None, repair_syntax('x = (1，') is None
    (True, True)
    >>> repair_syntax('r = ["a"，“b”，"c"]')[0]
    'r = ["a","b","c"]'
    """
    try:
        compile(code, "cell", "exec")
        return None
    except SyntaxError:
        pass
    except Exception:  # a null byte, a too-deep nesting: nothing to repair
        return None
    out: list[str] = []
    changes: list[tuple[int, str]] = []
    quote, line, i = "", 1, 0  # quote: the open string's delimiter ("#" in a comment)
    closers = ""  # the Chinese quotes that close a string a Chinese quote opened
    while i < len(code):
        ch = code[i]
        if (not quote and ch in FULL_WIDTH) or (quote and ch in closers):
            changes.append((line, f"{ch} → {FULL_WIDTH[ch]}"))
            closers = ("“”" if ch in "“”" else "‘’") if not quote and ch in "“”‘’" else ""
            ch = FULL_WIDTH[ch]
        if quote == "#":
            quote = "" if ch == "\n" else quote
        elif quote:
            if ch == "\\":
                out.append(ch)
                i += 1
                ch = code[i] if i < len(code) else ""
            elif ch == quote or (len(quote) == 3 and code.startswith(quote, i)):
                out.append(quote[:-1])
                i += len(quote) - 1
                quote = ""
            elif ch == "\n" and len(quote) == 1:
                quote = ""
        elif ch == "#":
            quote = "#"
        elif ch in "\"'":
            triple = code[i : i + 3]
            quote = triple if triple in ('"""', "'''") else ch
            if len(quote) == 3:
                out.append(quote[:-1])
                i += 2
        out.append(ch)
        line += ch == "\n"
        i += 1
    fixed = "".join(out)
    try:
        compile(fixed, "cell", "exec")
    except Exception:  # still not Python: grade it as it is
        return None
    return (fixed, sorted(set(changes), key=changes.index)) if changes else None


def failed_assignment(name: str) -> str | None:
    """The source of the kernel's last cell that assigns ``name``, when it did not compile
    (so ``name`` was never set); ``None`` when it compiled, or outside IPython."""
    try:
        from IPython import get_ipython

        shell = get_ipython()
        history = list(shell.user_ns.get("In", [])) if shell is not None else []
    except Exception:  # not in IPython
        return None
    for source in reversed(history):
        if f"{name} =" in source or f"{name}=" in source:
            try:
                compile(source, "cell", "exec")
            except SyntaxError:
                return source
            return None
    return None
