"""One message catalogue for every label, message and error, in Chinese and English.

Messages live in ``sanshe_edu/messages/<domain>.json`` as ``{"key": {"zh": ..., "en": ...}}``.
A message is addressed as ``"<domain>.<key>"``; ``str.format`` fields fill the blanks.

The language is, in order: the one set with :func:`set_lang`, the ``SANSHE_EDU_LANG``
environment variable (which ``sanshe-edu --lang`` also sets), then Chinese.

>>> t("common.yes", lang="zh"), t("common.yes", lang="en")
('是', 'yes')
>>> with use_lang("en"):
...     t("common.did_you_mean", choices="a, b")
'did you mean: a, b'
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from functools import cache
from importlib import resources

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"
ENV_VAR = "SANSHE_EDU_LANG"

_current: str | None = None


def _check_lang(lang: str) -> str:
    norm = str(lang).strip().lower().replace("_", "-")
    if norm.startswith("zh"):
        norm = "zh"
    elif norm.startswith("en"):
        norm = "en"
    if norm not in LANGS:
        # The error itself cannot use an unknown language: answer in both.
        raise ValueError(
            f"未知语言 {lang!r}，可选：zh、en / unknown language {lang!r}, choose zh or en"
        )
    return norm


def resolve_lang(lang: str | None = None) -> str:
    """The language to use for an optional ``lang`` argument: ``None`` is the current one.

    Every function that takes ``lang=`` checks it here, so ``"zh-CN"``, ``"zh_CN"``,
    ``"en-US"`` and ``"EN"`` are accepted everywhere alike.

    >>> resolve_lang("zh-CN"), resolve_lang("en_US"), resolve_lang("EN")
    ('zh', 'en', 'en')
    >>> with use_lang("en"):
    ...     resolve_lang()
    'en'
    """
    return _check_lang(lang) if lang else get_lang()


def pick(texts: object, lang: str | None = None) -> str:
    """The text in ``lang`` from bilingual content: a ``{zh, en}`` dict (a plain string passes).

    A missing language falls back to the other one rather than to nothing.

    >>> pick({"zh": "社区", "en": "community"}, "en-GB"), pick("社工", "en"), pick(None)
    ('community', '社工', '')
    >>> pick({"zh": "仅中文"}, "en")
    '仅中文'
    """
    if isinstance(texts, dict):
        code = resolve_lang(lang)
        return str(texts.get(code) or next((v for v in texts.values() if v), ""))
    return "" if texts is None else str(texts)


def get_lang() -> str:
    """Return the language in use: ``"zh"`` or ``"en"``."""
    if _current is not None:
        return _current
    env = os.environ.get(ENV_VAR)
    if env:
        try:
            return _check_lang(env)
        except ValueError:
            return DEFAULT_LANG
    return DEFAULT_LANG


def set_lang(lang: str | None) -> str:
    """Switch the language for this process (``None`` goes back to the environment's).

    >>> set_lang("en"); get_lang()
    'en'
    'en'
    >>> set_lang(None) in LANGS
    True
    """
    global _current
    _current = None if lang is None else _check_lang(lang)
    return get_lang()


@contextlib.contextmanager
def use_lang(lang: str) -> Iterator[str]:
    """Use ``lang`` inside a ``with`` block, then restore the previous setting."""
    global _current
    before = _current
    _current = _check_lang(lang)
    try:
        yield _current
    finally:
        _current = before


@contextlib.contextmanager
def kept_language() -> Iterator[None]:
    """Whatever the block does to the language (:func:`set_lang`, ``--lang``, which also sets
    ``SANSHE_EDU_LANG`` for child processes), both are as before after it.

    >>> before = get_lang(), os.environ.get(ENV_VAR)
    >>> with kept_language():
    ...     _ = set_lang("zh" if before[0] == "en" else "en")
    ...     os.environ[ENV_VAR] = "en"
    >>> (get_lang(), os.environ.get(ENV_VAR)) == before
    True
    """
    saved_lang, saved_env = _current, os.environ.get(ENV_VAR)
    try:
        yield
    finally:
        set_lang(saved_lang)
        if saved_env is None:
            os.environ.pop(ENV_VAR, None)
        else:
            os.environ[ENV_VAR] = saved_env


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """All messages, keyed ``"domain.key"`` (read once from the package's JSON files)."""
    out: dict[str, dict[str, str]] = {}
    folder = resources.files("sanshe_edu") / "messages"
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if not entry.name.endswith(".json"):
            continue
        domain = entry.name[: -len(".json")]
        data = json.loads(entry.read_text(encoding="utf-8"))
        for key, texts in data.items():
            out[f"{domain}.{key}"] = texts
    return out


def missing_translations() -> list[str]:
    """Keys that lack a language or have an empty text (a test keeps this empty)."""
    bad = []
    for key, texts in catalogue().items():
        if not isinstance(texts, dict):
            bad.append(f"{key}: not a {{zh, en}} object")
            continue
        for lang in LANGS:
            if not isinstance(texts.get(lang), str) or not texts[lang].strip():
                bad.append(f"{key}: {lang}")
    return bad


def t(key: str, lang: str | None = None, **fields: object) -> str:
    """Translate message ``key`` into ``lang`` (default: :func:`get_lang`), filling ``fields``.

    An unknown key is a programming error and raises ``KeyError`` naming it.
    """
    texts = catalogue().get(key)
    if texts is None:
        raise KeyError(f"no message {key!r} in the catalogue")
    text = texts[_check_lang(lang) if lang else get_lang()]
    return text.format(**fields) if fields else text


def both(key: str, **fields: object) -> dict[str, str]:
    """The message in every language, e.g. for labels stored as data."""
    return {lang: t(key, lang=lang, **fields) for lang in LANGS}
