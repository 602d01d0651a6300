"""What a check says: message keys and fields, put into words only when shown.

A :class:`Result` holds :class:`Msg` objects (a catalogue key, its fields and an optional
opened "why"), so the same verdict can be shown in either language and tests compare keys.

>>> m = Msg("quiz.item_right", {"item": {"zh": "社区", "en": "the community"}})
>>> m.text("en"), m.text("zh")
('✔ the community', '✔ 社区')
>>> r = Result("checked", head=Msg("quiz.all_right"))
>>> r.headline_in("en"), r.head.key
('✔ Correct!', 'quiz.all_right')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..i18n import pick, resolve_lang, t


@dataclass(frozen=True)
class Msg:
    """One sentence: ``key`` in the catalogue, ``fields`` to fill it (a field may be bilingual
    ``{zh, en}`` content or another :class:`Msg`), ``why``, an opened reason appended (the why
    of a right part), and ``reason``, the opened ``{zh, en}`` reason a wrong part is wrong,
    shown under the line ("Why not: …") and kept out of :meth:`text`."""

    key: str
    fields: dict = field(default_factory=dict)
    why: Any = None
    reason: Any = None

    def text(self, lang: str | None = None) -> str:
        lang = resolve_lang(lang)
        filled = {k: localise(v, lang) for k, v in self.fields.items()}
        line = t(self.key, lang=lang, **filled)
        return f"{line} — {pick(self.why, lang)}" if self.why else line

    def reason_in(self, lang: str | None = None) -> str:
        """The reason a wrong part is wrong, in ``lang`` ("" when there is none)."""
        return pick(self.reason, lang) if self.reason else ""


def localise(value: Any, lang: str | None = None) -> Any:
    """A field in ``lang``: a :class:`Msg` is put into words, ``{zh, en}`` content picked."""
    if isinstance(value, Msg):
        return value.text(lang)
    if isinstance(value, dict):
        return pick(value, lang)
    return value


@dataclass
class Result:
    """The verdict on one answer: ``status`` is ``empty``, ``incomplete``, ``checked`` or
    ``saved`` (graded and text questions); ``head`` and ``lines`` say why."""

    status: str
    score: float = 0
    max_score: float = 0
    correct: bool = False
    head: Msg | None = None
    lines: list[Msg] = field(default_factory=list)
    explanation: dict | None = None  # the opened {zh, en} explanation of a right answer
    right: int = 0  # parts right, of ``parts`` judged (0 and 0 until checked)
    parts: int = 0

    @property
    def done(self) -> bool:
        return self.status in ("checked", "saved")

    @property
    def headline(self) -> str:
        return self.headline_in()

    def headline_in(self, lang: str | None = None) -> str:
        return self.head.text(lang) if self.head else ""

    def lines_in(self, lang: str | None = None) -> list[str]:
        return [m.text(lang) for m in self.lines]

    def explanation_in(self, lang: str | None = None) -> str:
        return pick(self.explanation, lang) if self.explanation else ""

    @property
    def keys(self) -> list[str]:
        """The catalogue keys of the headline and every line (what tests compare)."""
        return [m.key for m in ([self.head] if self.head else []) + self.lines]
