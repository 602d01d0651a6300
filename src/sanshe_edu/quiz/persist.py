"""Where a widget keeps its answer: the learner's progress store, the graded answers file, or
nowhere (a practice question while nbgrader runs). Each returns messages to show, never raises
on a failed write."""

from __future__ import annotations

from typing import Any

from ..i18n import t
from . import graded as graded_mod
from .result import Result
from .store import ProgressStore


def _failed(exc: OSError) -> list[str]:
    return [t("quiz.store_write_failed", detail=exc)]


class Nowhere:
    """Nothing is read or written (practice questions under nbgrader)."""

    store: ProgressStore | None = None

    def load(self, qid: str) -> tuple[dict | None, list[str]]:
        return None, []

    def save(self, qid: str, qtype: str, answer: Any, res: Result, attempts: int, hints: int):
        return []

    def save_hints(self, qid: str, hints: int) -> list[str]:
        return []

    def forget(self, qid: str) -> list[str]:
        return []


class Practice(Nowhere):
    """The per-user progress store: answer, score and hints seen, at every check and hint;
    a scored answer is also evidence about its concepts and a step of its review card
    (``quiz.mastery``, ``quiz.review``)."""

    #: A question served by the review: its answers review this card (the question itself or
    #: the one it is a variant of), and the lesson's last answer is not put back in it.
    review_as: str | None = None
    when = None

    def __init__(self, store: ProgressStore, review_as: str | None = None, when=None) -> None:
        self.store = store
        self.review_as = review_as
        self.when = when  # the review's day (a datetime), when it was given; else the clock

    def load(self, qid: str) -> tuple[dict | None, list[str]]:
        if self.review_as:
            return None, self.store.take_messages()
        return self.store.get(qid), self.store.take_messages()

    def save(self, qid: str, qtype: str, answer: Any, res: Result, attempts: int, hints: int):
        record = {
            "answer": answer,
            "score": res.score,
            "max": res.max_score,
            "correct": res.correct,
            "done": res.done,
            "status": res.status,
            "attempts": attempts,
            "hints": hints,
        }
        try:
            self.store.save(qid, record)
            if res.max_score and res.done:
                from .mastery import record as evidence

                evidence(
                    self.store, qid, res.correct, answer, review_as=self.review_as, when=self.when
                )
        except OSError as exc:
            return _failed(exc)
        return self.store.take_messages()

    def save_hints(self, qid: str, hints: int) -> list[str]:
        # Remember the hints seen, keeping the last checked answer as it was.
        rec = self.store.get(qid) or {"done": False}
        try:
            self.store.save(qid, {**rec, "hints": hints})
        except OSError as exc:
            return _failed(exc)
        return []

    def forget(self, qid: str) -> list[str]:
        try:
            self.store.forget(qid)
        except OSError as exc:
            return _failed(exc)
        return []


class Graded(Nowhere):
    """``sanshe_answers.json`` in the assignment folder; read-only while nbgrader runs."""

    def __init__(self, folder: str, write: bool) -> None:
        self.folder, self.write = folder, write

    def load(self, qid: str) -> tuple[dict | None, list[str]]:
        answers, msg = graded_mod.load_answers(self.folder)
        return answers.get(qid), [msg] if msg else []

    def save(self, qid: str, qtype: str, answer: Any, res: Result, attempts: int, hints: int):
        try:
            if self.write:
                graded_mod.record_answer(qid, qtype, answer, self.folder)
                graded_mod.announce_saved(qid)
        except OSError as exc:
            return _failed(exc)
        return []

    def forget(self, qid: str) -> list[str]:
        try:
            if self.write:
                graded_mod.forget(qid, self.folder)
        except OSError as exc:
            return _failed(exc)
        return []


def keeper(graded: bool, folder: str, store: ProgressStore | None) -> Nowhere:
    """The right keeper for a widget (under nbgrader nothing touches the learner's store)."""
    under = graded_mod.under_nbgrader()
    if graded:
        return Graded(folder, write=not under)
    if under:
        return Nowhere()
    return Practice(store or ProgressStore())
