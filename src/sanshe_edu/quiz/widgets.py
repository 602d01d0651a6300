"""The frame every exercise shares (ipywidgets 8). Imported only when a question is shown.

The prompt, the type's controls (from its module in ``quiz/types``), the buttons Check (or
Save), Hint (one at a time) and Reset, the hints shown so far, the feedback that says why, and
the running score of the lesson. The frame knows no question type. Only built-in controls that
Tab + Enter/Space operate inside a JupyterLab notebook are used (no drop-downs, whose arrow
keys JupyterLab's notebook shortcuts take). A click never raises into the notebook: any error
is shown in the feedback area in the user's language.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable
from typing import Any

import ipywidgets as W

from ..i18n import get_lang, pick, t, use_lang
from . import events, types
from . import graded as graded_mod
from .check import Result, evaluate, hint_texts, max_points, normalise
from .learner import practice_order
from .persist import keeper
from .score import bank_score
from .store import ProgressStore
from .ui import (
    MUTED,
    error_html,
    esc,
    fmt,
    html_lang,
    mark_class,
    marks_css,
    notes_html,
    stylesheet_html,
)

__all__ = ["QuestionWidget", "bank_score"]

_live: dict[str, weakref.WeakSet] = {}  # bank -> its widgets on show, for the running score
_CSS_CLASS = "sanshe-quiz"
_COLOURS = {"checked": "#070", "saved": "#036"}


def _guard(fn: Callable) -> Callable:
    """Run a widget callback in the widget's own language; show any error in the feedback area
    instead of raising."""

    @functools.wraps(fn)
    def wrapper(self: QuestionWidget, *args: Any, **kwargs: Any) -> Any:
        with use_lang(self.lang):
            try:
                return fn(self, *args, **kwargs)
            except Exception as exc:  # a widget must never raise into the notebook
                self.show_error(exc)
                return None

    return wrapper


class QuestionWidget(W.VBox):
    """One question. Drive it in Python with :meth:`set_answer`, ``check_button.click()``,
    ``hint_button.click()``, ``reset_button.click()``; read :meth:`answer` and :attr:`result`.
    Attributes of the type's controls (e.g. ``move_buttons``) are reachable on the widget.

    A widget speaks one language, the one in use when it was made (``lang``): a later
    ``set_lang`` changes the widgets made after it (re-run the cell), never a widget on show,
    and its running score is written in its own language whichever widget updates it."""

    def __init__(
        self,
        q: dict,
        *,
        graded: bool = False,
        folder: str = ".",
        store: ProgressStore | None = None,
        keeper: Any = None,
    ) -> None:
        self.lang = get_lang()
        with use_lang(self.lang):
            self._build(q, graded, folder, store, keeper)

    def _build(
        self, q: dict, graded: bool, folder: str, store: ProgressStore | None, keeper_: Any
    ) -> None:
        self.graded = bool(graded or q.get("graded"))
        if self.graded:  # options and items in this student's own order
            q = graded_mod.for_student(q, graded_mod.student_id())
        elif not graded_mod.under_nbgrader():  # a lesson question: this learner's own order
            q = practice_order(q)
        # Graded use of a practice question: never show right/wrong.
        self.q = {**q, "graded": True} if self.graded and not q.get("graded") else q
        self.qid, self.qtype = q["qid"], types.get(q["type"])
        # ``keeper_``: where answers go, when the caller says (the review: ``quiz.review_ui``)
        self.keeper = keeper_ or keeper(self.graded, folder, store)
        self.store = self.keeper.store
        self.result: Result | None = None
        self._saved: dict | None = None  # a graded answer as saved (its record), or None
        self.hints_shown = self.attempts = 0
        self.prompt_html = W.HTML(self._prompt_html())
        self.feedback_html, self.hints_html, self.score_html = W.HTML(""), W.HTML(""), W.HTML("")
        label = "quiz.save" if self.graded else self.qtype.check_label
        auto = W.Layout(width="auto")
        self.check_button = W.Button(description=t(label), button_style="primary", layout=auto)
        self.hint_button = W.Button(layout=W.Layout(width="auto"))
        self.reset_button = W.Button(description=t("quiz.reset"), layout=W.Layout(width="auto"))
        self.check_button.on_click(self._on_check)
        self.hint_button.on_click(self._on_hint)
        self.reset_button.on_click(self._on_reset)
        self.ctl = self.qtype.controls(self.q, self)
        self.controls = self.ctl.widget
        self._update_hints()
        buttons = [self.check_button]
        if not self.graded and self.q.get("hints"):
            buttons.append(self.hint_button)
        buttons.append(self.reset_button)
        children = [self.prompt_html, self.controls, W.HBox(buttons)]
        children += [self.hints_html, self.feedback_html]
        if self.store is not None:
            children.append(self.score_html)
        children.append(W.HTML(stylesheet_html(), layout=W.Layout(display="none")))
        border = W.Layout(border="1px solid #ccc", padding="8px", margin="8px 0")
        super().__init__(children=children, layout=border)
        self.add_class(_CSS_CLASS)
        self.add_class(f"{_CSS_CLASS}-{q['type']}")
        _live.setdefault(q["bank"], weakref.WeakSet()).add(self)
        self._restore()
        self._refresh_scores()

    def __getattr__(self, name: str) -> Any:
        ctl = self.__dict__.get("ctl")
        if ctl is None or name.startswith("__"):
            raise AttributeError(name)
        return getattr(ctl, name)

    # ----- what the type's controls may call -----------------------------------------------
    def show_error(self, exc: Exception) -> None:
        detail = str(exc) or type(exc).__name__
        with use_lang(self.lang):
            text = error_html(t("quiz.internal_error", detail=detail))
        self.feedback_html.value = f"<div role='alert' lang='{html_lang(self.lang)}'>{text}</div>"

    def say(self, messages: list[str]) -> None:
        """Replace the feedback with ``messages`` (notes, e.g. "pick an organisation first")."""
        notes = notes_html(messages)  # announced, like the feedback (a live region)
        self.feedback_html.value = (
            f"<div role='status' lang='{html_lang(self.lang)}'>{notes}</div>" if notes else ""
        )

    # ----- showing ----------------------------------------------------------------------------
    def _prompt_html(self) -> str:
        # The points and who marks them; never the question's id (students read this).
        from .types import get as qtype

        pts = max_points(self.q)
        tag = t("quiz.not_scored") if not pts else t("quiz.points", points=fmt(pts))
        if self.graded and qtype(self.q["type"]).by_hand:
            tag = t("quiz.graded_by_trainer", points=fmt(self.q.get("points", 1)))
        elif self.graded and self.q.get("points"):
            tag = t("quiz.graded_points", points=fmt(self.q["points"]))
        return (
            f"<div lang='{html_lang(self.lang)}'><b>{esc(pick(self.q['prompt']))}</b> "
            f"<span style='color:{MUTED};font-size:85%'>[{esc(tag)}]</span></div>"
        )

    def _render(self, res: Result, restored: bool = False, notes: list[str] | None = None) -> None:
        colour = _COLOURS.get(res.status, "#555")
        if res.status == "checked" and not res.correct:
            colour = "#a60" if res.score else "#a00"
        parts = [notes_html(notes or [])]
        mark = mark_class(res.headline)
        parts.append(
            f"<div class='{mark}' style='color:{colour};font-weight:bold'>{esc(res.headline)}</div>"
        )
        if res.status == "checked" and res.max_score:
            parts.append(f"<div class='sanshe-your-score'>{esc(_score_words(res))}</div>")
        if res.lines:
            items = "".join(_line_html(m) for m in res.lines)
            parts.append(f"<ul style='margin:2px 0'>{items}</ul>")
        if res.explanation:
            parts.append(f"<div>{esc(t('quiz.why', text=res.explanation_in()))}</div>")
        if restored:
            parts.append(
                f"<div style='color:{MUTED};font-size:85%'>{esc(t('quiz.restored'))}</div>"
            )
        # A live region a screen reader announces: an alert right after Check (the element is
        # new each time, and a new alert is what readers announce); a polite status when an
        # answer is restored on opening, so a page of restored answers does not shout.
        role = "status" if restored else "alert"
        self.feedback_html.value = (
            f"<div class='sanshe-feedback' role='{role}' lang='{html_lang(self.lang)}'>"
            + marks_css(self.lang)
            + "".join(parts)
            + "</div>"
        )

    def _update_hints(self) -> None:
        total = len(self.q.get("hints", []))
        more = self.hints_shown < total
        self.hint_button.disabled = not more
        self.hint_button.description = (
            t("quiz.hint", n=self.hints_shown + 1, total=total) if more else t("quiz.no_more_hints")
        )
        shown = [
            t("quiz.hint_label", n=i + 1, text=pick(text))
            for i, text in enumerate(hint_texts(self.q, self.hints_shown))
        ]
        self.hints_html.value = "".join(
            f"<div style='color:#036' role='status' lang='{html_lang(self.lang)}'>{esc(h)}</div>"
            for h in shown
        )

    def _refresh_scores(self) -> None:
        if self.store is None:
            return
        s = bank_score(self.q["bank"], self.store)
        values: dict[str, str] = {}  # each widget in its own language, each text made once
        for w in list(_live.get(self.q["bank"], ())):
            if w.store is not None:
                if w.lang not in values:
                    with use_lang(w.lang):
                        values[w.lang] = _lesson_score_html(s)
                w.score_html.value = values[w.lang]

    def _restore(self) -> None:
        rec, notes = self.keeper.load(self.qid)
        if self.graded:
            self._saved = rec if isinstance(rec, dict) and rec.get("answer") is not None else None
            graded_mod.remember(self.qid, None if self._saved is None else self._saved["answer"])
        if isinstance(rec, dict):
            self.hints_shown = min(int(rec.get("hints", 0) or 0), len(self.q.get("hints", [])))
            self.attempts = int(rec.get("attempts", 0) or 0)
            self._update_hints()
            answer = normalise(self.q, rec.get("answer"))
            if answer is not None and rec.get("done", True):
                self.ctl.set(answer)
                self.result = evaluate(self.q, answer, normalised=True)
                self._render(self.result, restored=True, notes=notes)
                return
        if notes:
            self.say(notes)

    # ----- handlers ---------------------------------------------------------------------------
    @_guard
    def _on_check(self, _button: Any = None) -> None:
        answer = normalise(self.q, self.ctl.get())
        res = self.result = evaluate(self.q, answer, normalised=True)
        notes: list[str] = []
        if res.done:
            self.attempts += 1
            notes = self.keeper.save(
                self.qid, self.q["type"], answer, res, self.attempts, self.hints_shown
            )
            if self.graded:
                self._show_record(graded_mod.record(self.q["type"], answer))
            events.answered(self.q, answer, res, self.attempts)  # the class hub's live view
        # The lesson score first, so it is never behind the feedback the student sees.
        self._refresh_scores()
        self._render(res, notes=notes)

    @_guard
    def _on_hint(self, _button: Any = None) -> None:
        self.hints_shown = min(self.hints_shown + 1, len(self.q.get("hints", [])))
        self._update_hints()
        notes = self.keeper.save_hints(self.qid, self.hints_shown)
        if notes:
            self.say(notes)

    @_guard
    def _on_reset(self, _button: Any = None) -> None:
        self.clear_answer()
        self.result = None
        self.hints_shown = self.attempts = 0
        self._update_hints()
        self.feedback_html.value = ""
        notes = self.keeper.forget(self.qid)
        if self.graded:
            self._show_record(None)
        if notes:
            self.say(notes)
        self._refresh_scores()

    # ----- a graded answer kept in the notebook ----------------------------------------------
    def _ipython_display_(self) -> None:
        """The widget, and for a graded question an output holding its saved answer right
        under it (updated through a display id at every save, so the saved notebook holds the
        answer: see ``quiz.graded``)."""
        from IPython.display import display

        display(self._repr_mimebundle_(), raw=True)
        if self.graded:
            self._record_id = f"sanshe-answer-{self.qid}-{id(self):x}"
            display(self._record_bundle(), raw=True, display_id=self._record_id)

    def _record_bundle(self) -> dict:
        return graded_mod.answer_bundle(self.q, self._saved)

    def _show_record(self, saved: Any) -> None:
        self._saved = saved
        graded_mod.remember(self.qid, None if saved is None else saved.get("answer"))
        record_id = getattr(self, "_record_id", None)
        if record_id:
            from IPython.display import update_display

            with use_lang(self.lang):
                update_display(self._record_bundle(), raw=True, display_id=record_id)

    # ----- the answer ---------------------------------------------------------------------------
    def answer(self) -> Any:
        """The answer as it stands in the controls (plain data, possibly incomplete)."""
        return self.ctl.get()

    @_guard
    def set_answer(self, answer: Any) -> None:
        """Put ``answer`` into the controls (ids not in the record are ignored). The controls
        are cleared only when there is nothing to set (the setters replace the whole state)."""
        answer = normalise(self.q, answer)
        if answer is None:
            self.clear_answer()
        else:
            self.ctl.set(answer)

    def clear_answer(self) -> None:
        self.ctl.clear()


def _lesson_score_html(s: dict) -> str:
    """The running score under a widget: points, then answered and all-right questions apart
    (a wrong attempt is answered, not done right)."""
    text = t(
        "quiz.lesson_score",
        score=fmt(s["score"]),
        max=fmt(s["max"]),
        done=s["done"],
        total=s["total"],
        correct=s["correct"],
    )
    return f"<div class='sanshe-score' style='color:#555'>{esc(text)}</div>"


def _score_words(res: Result) -> str:
    """ "Score: 1 / 1", or for a partly right answer the parts in words ("9 项中对了 1 项")
    rather than a fraction of a point such as 0.11."""
    if res.parts and 0 < res.right < res.parts:
        return t("quiz.your_score_parts", right=res.right, total=res.parts, max=fmt(res.max_score))
    return t("quiz.your_score", score=fmt(res.score), max=fmt(res.max_score))


def _line_html(m: Any) -> str:
    """One feedback line; a wrong part's reason ("Why not: …") under it."""
    reason = m.reason_in() if hasattr(m, "reason_in") else ""
    why = (
        f"<div class='sanshe-reason' style='color:#555'>{esc(t('quiz.why_not', text=reason))}</div>"
        if reason
        else ""
    )
    text = m.text()
    return f"<li class='{mark_class(text)}'>{esc(text)}{why}</li>"
