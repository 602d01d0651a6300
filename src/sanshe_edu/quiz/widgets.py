"""The exercise widgets (ipywidgets 8). Imported only when a question is shown.

Every type shares one frame: the prompt, the type's controls, the buttons Check (or Save),
Hint (one at a time) and Reset, the hints shown so far, the feedback that says why, and the
running score of the lesson. Only built-in controls that Tab + Enter/Space operate inside a
JupyterLab notebook are used (ToggleButtons, Checkbox, Textarea, Button) — no drop-downs,
whose arrow keys JupyterLab's notebook shortcuts take. A click never raises into the notebook:
any error is shown in the feedback area in the user's language.
"""

from __future__ import annotations

import functools
import html
import weakref
from collections.abc import Callable
from typing import Any

import ipywidgets as W

from ..i18n import t
from . import graded as graded_mod
from .bank import load_bank, tx
from .check import Result, evaluate, max_points, network_graph, normalise, organisations
from .keys import unseal
from .store import ProgressStore

_live: dict[str, weakref.WeakSet] = {}

_CSS_CLASS = "sanshe-quiz"


def _esc(text: str) -> str:
    return html.escape(str(text))


def _guard(fn: Callable) -> Callable:
    """Run a widget callback; show any error in the feedback area instead of raising."""

    @functools.wraps(fn)
    def wrapper(self: QuestionWidget, *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(self, *args, **kwargs)
        except Exception as exc:  # a widget must never raise into the notebook
            self._show_error(exc)
            return None

    return wrapper


def bank_score(bank_id: str, store: ProgressStore | None) -> dict[str, float]:
    """Score, maximum, done and total of the lesson's ungraded questions, from the store."""
    bank = load_bank(bank_id)
    records = store.load() if store is not None else {}
    score = maximum = done = total = 0.0
    for q in bank["questions"]:
        if q.get("graded"):
            continue
        total += 1
        maximum += max_points(q)
        rec = records.get(f"{bank_id}.{q['id']}")
        if isinstance(rec, dict):
            if rec.get("done"):
                done += 1
            s = rec.get("score")
            if isinstance(s, (int, float)) and not isinstance(s, bool):
                score += min(max(s, 0), max_points(q))
    return {
        "score": round(score, 2),
        "max": round(maximum, 2),
        "done": int(done),
        "total": int(total),
    }


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


class QuestionWidget(W.VBox):
    """One question. Drive it in Python with :meth:`set_answer`, ``check_button.click()``,
    ``hint_button.click()``, ``reset_button.click()``; read :meth:`answer` and :attr:`result`."""

    def __init__(
        self,
        q: dict,
        *,
        graded: bool = False,
        folder: str = ".",
        store: ProgressStore | None = None,
    ) -> None:
        self.q = q
        self.qid = q["qid"]
        self.graded = bool(graded or q.get("graded"))
        if self.graded and not q.get("graded"):
            # Graded use of a practice question: never show right/wrong.
            self.q = {**q, "graded": True}
        self.folder = folder
        self.under_nbgrader = graded_mod.under_nbgrader()
        # Under nbgrader nothing is written to (or read from) the learner's progress store.
        self.store = None if self.under_nbgrader or self.graded else (store or ProgressStore())
        self.result: Result | None = None
        self.hints_shown = 0
        self.attempts = 0
        self._builders: dict[str, Callable] = {}
        self.prompt_html = W.HTML(self._prompt_html())
        self.feedback_html = W.HTML("")
        self.hints_html = W.HTML("")
        self.score_html = W.HTML("")
        self.check_button = W.Button(
            description=t("quiz.save") if (self.graded or q["type"] == "text") else t("quiz.check"),
            button_style="primary",
            layout=W.Layout(width="auto"),
        )
        self.hint_button = W.Button(layout=W.Layout(width="auto"))
        self.reset_button = W.Button(description=t("quiz.reset"), layout=W.Layout(width="auto"))
        self.check_button.on_click(self._on_check)
        self.hint_button.on_click(self._on_hint)
        self.reset_button.on_click(self._on_reset)
        self.controls = getattr(self, f"_build_{q['type']}")()
        self._update_hint_button()
        buttons = [self.check_button]
        if not self.graded and self.q.get("hints"):
            buttons.append(self.hint_button)
        buttons.append(self.reset_button)
        children = [
            self.prompt_html,
            self.controls,
            W.HBox(buttons),
            self.hints_html,
            self.feedback_html,
        ]
        if self.store is not None:
            children.append(self.score_html)
        super().__init__(
            children=children,
            layout=W.Layout(border="1px solid #ccc", padding="8px", margin="8px 0"),
        )
        self.add_class(_CSS_CLASS)
        self.add_class(f"{_CSS_CLASS}-{q['type']}")
        _live.setdefault(q["bank"], weakref.WeakSet()).add(self)
        self._restore()
        self._refresh_scores()

    # ----- common parts -------------------------------------------------------------------
    def _prompt_html(self) -> str:
        q = self.q
        pts = max_points(q)
        tag = t("quiz.not_scored") if not pts else t("quiz.points", points=_fmt(pts))
        return (
            f"<div><b>{_esc(tx(q['prompt']))}</b> "
            f"<span style='color:#777;font-size:85%'>[{_esc(self.qid)} · {_esc(tag)}]</span></div>"
        )

    def _show_error(self, exc: Exception) -> None:
        detail = str(exc) or type(exc).__name__
        self.feedback_html.value = (
            f"<div style='color:#a00'>{_esc(t('quiz.internal_error', detail=detail))}</div>"
        )

    def _notes(self, messages: list[str]) -> str:
        return "".join(f"<div style='color:#a60'>{_esc(m)}</div>" for m in messages)

    def _render(self, res: Result, restored: bool = False, notes: list[str] | None = None) -> None:
        colour = {"checked": "#070" if res.correct else "#a00", "saved": "#036"}.get(
            res.status, "#555"
        )
        if res.status == "checked" and not res.correct and res.score:
            colour = "#a60"
        parts = [self._notes(notes or [])]
        parts.append(f"<div style='color:{colour};font-weight:bold'>{_esc(res.headline)}</div>")
        if res.status == "checked" and res.max_score:
            parts.append(
                "<div>"
                + _esc(t("quiz.your_score", score=_fmt(res.score), max=_fmt(res.max_score)))
                + "</div>"
            )
        if res.lines:
            parts.append(
                "<ul style='margin:2px 0'>"
                + "".join(f"<li>{_esc(line)}</li>" for line in res.lines)
                + "</ul>"
            )
        if res.explanation:
            parts.append(f"<div>{_esc(t('quiz.why', text=res.explanation))}</div>")
        if restored:
            parts.append(f"<div style='color:#777;font-size:85%'>{_esc(t('quiz.restored'))}</div>")
        self.feedback_html.value = "<div class='sanshe-feedback'>" + "".join(parts) + "</div>"

    def _update_hint_button(self) -> None:
        total = len(self.q.get("hints", []))
        if self.hints_shown >= total:
            self.hint_button.description = t("quiz.no_more_hints")
            self.hint_button.disabled = True
        else:
            self.hint_button.description = t("quiz.hint", n=self.hints_shown + 1, total=total)
            self.hint_button.disabled = False
        shown = []
        for i, blob in enumerate(self.q.get("hints", [])[: self.hints_shown]):
            opened = unseal(blob, self.q["salt"], self.q["id"], "hint", str(i))
            shown.append(t("quiz.hint_label", n=i + 1, text=tx(opened or {})))
        self.hints_html.value = "".join(f"<div style='color:#036'>{_esc(h)}</div>" for h in shown)

    def _refresh_scores(self) -> None:
        bank_id = self.q["bank"]
        if self.store is None:
            return
        s = bank_score(bank_id, self.store)
        text = t(
            "quiz.lesson_score",
            score=_fmt(s["score"]),
            max=_fmt(s["max"]),
            done=s["done"],
            total=s["total"],
        )
        value = f"<div class='sanshe-score' style='color:#555'>{_esc(text)}</div>"
        for w in list(_live.get(bank_id, ())):
            if w.store is not None:
                w.score_html.value = value

    def _restore(self) -> None:
        rec = None
        notes: list[str] = []
        if self.graded:
            answers, msg = graded_mod.load_answers(self.folder)
            if msg:
                notes.append(msg)
            rec = answers.get(self.qid)
        elif self.store is not None:
            rec = self.store.get(self.qid)
            notes.extend(self.store.messages)
            self.store.messages.clear()
        if not isinstance(rec, dict):
            if notes:
                self.feedback_html.value = self._notes(notes)
            return
        self.hints_shown = min(int(rec.get("hints", 0) or 0), len(self.q.get("hints", [])))
        self.attempts = int(rec.get("attempts", 0) or 0)
        self._update_hint_button()
        answer = normalise(self.q, rec.get("answer"))
        if answer is None or (not rec.get("done", True) and not self.graded):
            if notes:
                self.feedback_html.value = self._notes(notes)
            return
        self.set_answer(answer)
        self.result = evaluate(self.q, answer)
        self._render(self.result, restored=True, notes=notes)

    # ----- handlers -----------------------------------------------------------------------
    @_guard
    def _on_check(self, _button: Any = None) -> None:
        answer = normalise(self.q, self.answer())
        res = evaluate(self.q, answer)
        self.result = res
        notes: list[str] = []
        if res.done:
            self.attempts += 1
            notes = self._save(answer, res)
        # The lesson score first, so it is never behind the feedback the student sees.
        self._refresh_scores()
        self._render(res, notes=notes)

    def _save(self, answer: Any, res: Result) -> list[str]:
        try:
            if self.graded:
                if not self.under_nbgrader:
                    graded_mod.record_answer(self.qid, self.q["type"], answer, self.folder)
            elif self.store is not None:
                self.store.save(
                    self.qid,
                    {
                        "answer": answer,
                        "score": res.score,
                        "max": res.max_score,
                        "correct": res.correct,
                        "done": res.done,
                        "status": res.status,
                        "attempts": self.attempts,
                        "hints": self.hints_shown,
                    },
                )
                msgs = list(self.store.messages)
                self.store.messages.clear()
                return msgs
        except OSError as exc:
            return [t("quiz.store_write_failed", detail=exc)]
        return []

    @_guard
    def _on_hint(self, _button: Any = None) -> None:
        if self.hints_shown < len(self.q.get("hints", [])):
            self.hints_shown += 1
        self._update_hint_button()
        if self.store is not None:
            # Remember the hints seen, keeping the last checked answer as it was.
            rec = self.store.get(self.qid) or {"done": False}
            rec["hints"] = self.hints_shown
            try:
                self.store.save(self.qid, rec)
            except OSError as exc:
                self.feedback_html.value = self._notes([t("quiz.store_write_failed", detail=exc)])

    @_guard
    def _on_reset(self, _button: Any = None) -> None:
        self.clear_answer()
        self.result = None
        self.hints_shown = 0
        self.attempts = 0
        self._update_hint_button()
        self.feedback_html.value = ""
        try:
            if self.graded:
                if not self.under_nbgrader:
                    answers, _ = graded_mod.load_answers(self.folder)
                    if self.qid in answers:
                        del answers[self.qid]
                        graded_mod.atomic_write_json(
                            graded_mod.answers_path(self.folder),
                            {"format": graded_mod.FORMAT, "answers": answers},
                        )
            elif self.store is not None:
                self.store.forget(self.qid)
        except OSError as exc:
            self.feedback_html.value = self._notes([t("quiz.store_write_failed", detail=exc)])
        self._refresh_scores()

    # ----- the answer, per type -----------------------------------------------------------
    def answer(self) -> Any:
        """The answer as it stands in the controls (plain data, possibly incomplete)."""
        return self._get()

    @_guard
    def set_answer(self, answer: Any) -> None:
        """Put ``answer`` into the controls (ids not in the record are ignored).

        Every type's setter replaces the whole state with a normalised answer, so the controls
        are cleared only when there is nothing to set (clearing first redrew the network
        diagram twice)."""
        answer = normalise(self.q, answer)
        if answer is None:
            self.clear_answer()
        else:
            self._set(answer)

    def clear_answer(self) -> None:
        self._clear()

    # single ------------------------------------------------------------------------------
    def _build_single(self) -> W.Widget:
        """One toggle button per option, stacked: each is reached with Tab and chosen with
        Enter or Space (radio buttons would need arrow keys, which JupyterLab's notebook takes)."""
        self._radio = W.ToggleButtons(
            options=[(tx(o["text"]), o["id"]) for o in self.q["options"]],
            value=None,
            style={"button_width": "auto"},
            layout=W.Layout(display="flex", flex_flow="column", align_items="flex-start"),
        )
        self._radio.add_class("sanshe-options")
        self._get = lambda: self._radio.value
        self._set = lambda a: setattr(self._radio, "value", a)
        self._clear = lambda: setattr(self._radio, "value", None)
        return self._radio

    # multiple ----------------------------------------------------------------------------
    def _build_multiple(self) -> W.Widget:
        self._boxes = {
            o["id"]: W.Checkbox(
                value=False, description=tx(o["text"]), indent=False, layout=W.Layout(width="auto")
            )
            for o in self.q["options"]
        }
        self._get = lambda: sorted(k for k, b in self._boxes.items() if b.value)

        def set_(a: list) -> None:
            for k, b in self._boxes.items():
                b.value = k in a

        self._set = set_
        self._clear = lambda: set_([])
        return W.VBox(list(self._boxes.values()))

    # choice rows (categorise, match) ----------------------------------------------------
    @staticmethod
    def _lettered(targets: list[dict]) -> bool:
        """Few short labels go on the buttons; many or long ones are listed once, lettered
        A, B, C …, and the buttons carry the letters (as on a paper matching exercise)."""
        return len(targets) > 4 or any(len(tx(b["text"])) > 24 for b in targets)

    @staticmethod
    def _letter(i: int) -> str:
        return chr(ord("A") + i) if i < 26 else str(i + 1)

    def _legend(self, targets: list[dict]) -> W.Widget:
        lines = "".join(
            f"<div><b>{self._letter(i)}</b>&nbsp; {_esc(tx(b['text']))}</div>"
            for i, b in enumerate(targets)
        )
        legend = W.HTML(
            f"<div style='margin:2px 0 6px 0;padding:4px 8px;background:#f6f6f6'>{lines}</div>"
        )
        legend.add_class("sanshe-legend")
        return legend

    def _chooser(self, targets: list[dict], lettered: bool) -> W.Widget:
        """Toggle buttons to pick one of ``targets``; the value is ``None`` until one is picked.

        Only buttons, never a drop-down: in a JupyterLab notebook the arrow keys of a focused
        drop-down go to JupyterLab's own shortcuts, while Tab + Enter work on buttons.
        Lettered buttons (see ``_lettered``) show the full text as their tooltip.
        """
        if lettered:
            options = [(self._letter(i), b["id"]) for i, b in enumerate(targets)]
            tooltips = [tx(b["text"]) for b in targets]
        else:
            options = [(tx(b["text"]), b["id"]) for b in targets]
            tooltips = []
        w = W.ToggleButtons(
            options=options, value=None, tooltips=tooltips, style={"button_width": "auto"}
        )
        w.add_class("sanshe-chooser")
        if tooltips:
            w.add_class("sanshe-lettered")
        return w

    def _chooser_rows(self, entries: list[dict], targets: list[dict]) -> W.Widget:
        lettered = self._lettered(targets)
        self._choosers = {e["id"]: self._chooser(targets, lettered) for e in entries}
        rows = [
            W.HBox(
                [
                    W.HTML(
                        f"<div style='min-width:16em;padding-right:1em'>"
                        f"{_esc(tx(e['text']))}</div>",
                        layout=W.Layout(width="50%"),
                    ),
                    self._choosers[e["id"]],
                ]
            )
            for e in entries
        ]
        if lettered:
            rows.insert(0, self._legend(targets))
        self._bind_choosers()
        return W.VBox(rows)

    def _bind_choosers(self) -> None:
        """Answer = {key: chosen value} over ``self._choosers`` (match, categorise rows, matrix)."""

        def set_(a: dict) -> None:
            for k, d in self._choosers.items():
                d.value = a.get(k)

        self._get = lambda: {k: d.value for k, d in self._choosers.items() if d.value is not None}
        self._set = set_
        self._clear = lambda: set_({})

    def _build_categorise(self) -> W.Widget:
        return self._chooser_rows(self.q["items"], self.q["bins"])

    def _build_match(self) -> W.Widget:
        return self._chooser_rows(self.q["left"], self.q["right"])

    # order -------------------------------------------------------------------------------
    def _build_order(self) -> W.Widget:
        """One row per position: the step's text and Move up / Move down buttons (buttons, not a
        list box, so Tab + Enter work inside JupyterLab, whose notebook takes the arrow keys)."""
        self._texts = {s["id"]: tx(s["text"]) for s in self.q["steps"]}
        self._initial = [s["id"] for s in self.q["steps"]]
        self._order = list(self._initial)
        self._row_labels: list[W.HTML] = []
        self.move_buttons: list[tuple[W.Button, W.Button]] = []
        rows = []
        n = len(self._order)
        for pos in range(n):
            label = W.HTML(layout=W.Layout(width="60%"))
            up = W.Button(
                description=t("quiz.move_up"),
                icon="arrow-up",
                layout=W.Layout(width="auto"),
                disabled=pos == 0,
            )
            down = W.Button(
                description=t("quiz.move_down"),
                icon="arrow-down",
                layout=W.Layout(width="auto"),
                disabled=pos == n - 1,
            )
            up.on_click(lambda _b, pos=pos: self._move(pos, -1))
            down.on_click(lambda _b, pos=pos: self._move(pos, +1))
            self._row_labels.append(label)
            self.move_buttons.append((up, down))
            row = W.HBox([label, up, down])
            row.add_class("sanshe-order-row")
            rows.append(row)
        self._sync_order()
        self._get = lambda: list(self._order)

        def set_(a: list) -> None:
            self._order = list(a)
            self._sync_order()

        self._set = set_

        def clear() -> None:
            self._order = list(self._initial)
            self._sync_order()

        self._clear = clear
        help_ = W.HTML(f"<div style='color:#777;font-size:85%'>{_esc(t('quiz.order_help'))}</div>")
        return W.VBox([help_, *rows])

    def _sync_order(self) -> None:
        for pos, sid in enumerate(self._order):
            self._row_labels[pos].value = f"<div>{pos + 1}. {_esc(self._texts[sid])}</div>"

    @_guard
    def _move(self, pos: int, delta: int) -> None:
        j = pos + delta
        if 0 <= pos < len(self._order) and 0 <= j < len(self._order):
            self._order[pos], self._order[j] = self._order[j], self._order[pos]
            self._sync_order()

    # matrix ------------------------------------------------------------------------------
    def _build_matrix(self) -> W.Widget:
        q = self.q
        asked = {(c["row"], c["column"]) for c in q["cells"]}
        lettered = self._lettered(q["outcomes"])
        self._choosers = {}
        cells: list[W.Widget] = [W.HTML("")]
        cells += [W.HTML(f"<b>{_esc(tx(c['text']))}</b>") for c in q["columns"]]
        for r in q["rows"]:
            cells.append(W.HTML(f"<b>{_esc(tx(r['text']))}</b>"))
            for c in q["columns"]:
                if (r["id"], c["id"]) in asked:
                    d = self._chooser(q["outcomes"], lettered)
                    self._choosers[f"{r['id']}/{c['id']}"] = d
                    cells.append(d)
                else:
                    cells.append(W.HTML("—"))
        grid = W.GridBox(
            cells,
            layout=W.Layout(
                grid_template_columns=(
                    f"minmax(8em, auto) repeat({len(q['columns'])}, minmax(8em, 1fr))"
                ),
                grid_gap="4px 8px",
            ),
        )
        self._bind_choosers()
        if lettered:
            return W.VBox([self._legend(q["outcomes"]), grid])
        return grid

    # network -----------------------------------------------------------------------------
    def _build_network(self) -> W.Widget:
        """Step 1: press an organisation; step 2: press each of its partners (again to unlink).
        Every link has its own Remove button too.

        Only plain buttons, each meaning one thing: ipywidgets sends a button press as a
        message that can overtake a pending value update of another control (ipywidgets issue
        #252), so a "pick From, pick To, press Link" design could link the wrong pair while the
        kernel is busy redrawing. Here the kernel holds the state, so presses count in order.
        Tab + Enter do everything (no drop-down, whose arrow keys JupyterLab takes)."""
        self._orgs = organisations(self.q)
        self._names = {o["id"]: o["name"] for o in self._orgs}
        self._links: list[list[str]] = []
        self._from: str | None = None

        def buttons(on_press: Callable[[str], None]) -> dict[str, W.Button]:
            out = {}
            for o in self._orgs:
                b = W.Button(description=o["name"], layout=W.Layout(width="auto"))
                b.on_click(lambda _b, oid=o["id"]: on_press(oid))
                out[o["id"]] = b
            return out

        def row(label: str, group: dict[str, W.Button], css: str) -> W.Widget:
            box = W.HBox(list(group.values()), layout=W.Layout(flex_flow="row wrap"))
            box.add_class(css)
            return W.VBox([W.HTML(f"<b>{_esc(label)}</b>"), box])

        self.from_buttons = buttons(self._pick_from)
        self.to_buttons = buttons(self._toggle_partner)
        self.links_box = W.VBox()
        self.links_box.add_class("sanshe-net-links")
        self.drawing = W.Image(format="png", layout=W.Layout(max_width="100%", height="auto"))
        self.drawing_note = W.HTML("")
        self._get = lambda: [list(p) for p in self._links]

        def set_(a: list) -> None:
            self._links = [list(p) for p in a]
            self._from = None
            self._sync_links()

        self._set = set_
        self._clear = lambda: set_([])
        self._sync_links()
        return W.VBox(
            [
                row(t("quiz.net_from"), self.from_buttons, "sanshe-net-from"),
                row(t("quiz.net_to"), self.to_buttons, "sanshe-net-to"),
                self.links_box,
                self.drawing_note,
                self.drawing,
            ]
        )

    @_guard
    def _pick_from(self, oid: str) -> None:
        self._from = oid
        self.feedback_html.value = ""
        self._style_buttons()

    @_guard
    def _toggle_partner(self, oid: str) -> None:
        if self._from is None:
            self.feedback_html.value = self._notes([t("quiz.net_pick_first")])
            return
        if oid == self._from:
            self.feedback_html.value = self._notes([t("quiz.net_same")])
            return
        pair = sorted((self._from, oid))
        if pair in self._links:
            self._links.remove(pair)
        else:
            self._links.append(pair)
            self._links.sort()
        self._sync_links()

    @_guard
    def _unlink(self, pair: list[str]) -> None:
        if pair in self._links:
            self._links.remove(pair)
        self._sync_links()

    def _style_buttons(self) -> None:
        """The chosen organisation is blue; its current partners are green."""
        partners = {x for p in self._links if self._from in p for x in p} - {self._from}
        for oid, b in self.from_buttons.items():
            b.button_style = "info" if oid == self._from else ""
        for oid, b in self.to_buttons.items():
            # Never disabled: a press that reaches a button before its kernel update would be
            # lost without a word; pressing the chosen organisation itself says why it is refused.
            b.button_style = "success" if oid in partners else ""
            if self._from is None:
                b.tooltip = t("quiz.net_pick_first")
            else:
                key = "quiz.net_unlink_tip" if oid in partners else "quiz.net_link_tip"
                b.tooltip = t(key, link=f"{self._names[self._from]} — {self._names[oid]}")

    def _sync_links(self) -> None:
        rows: list[W.Widget] = [W.HTML(f"<b>{_esc(t('quiz.net_links'))}</b>")]
        if not self._links:
            rows.append(W.HTML(f"<span style='color:#777'>{_esc(t('quiz.net_none'))}</span>"))
        for a, b in self._links:
            text = f"{self._names[a]} — {self._names[b]}"
            remove = W.Button(
                description=t("quiz.net_unlink"),
                tooltip=t("quiz.net_unlink_tip", link=text),
                icon="times",
                layout=W.Layout(width="auto"),
            )
            remove.on_click(lambda _b, pair=[a, b]: self._unlink(pair))
            label = W.HTML(_esc(text), layout=W.Layout(min_width="16em"))
            label.add_class("sanshe-net-link")
            rows.append(W.HBox([label, remove]))
        self.links_box.children = rows
        self._style_buttons()
        self._redraw()

    def _redraw(self) -> None:
        """Redraw the diagram with ``sanshe_edu.draw.draw_network`` (if the draw layer is
        there); a drawing failure never blocks answering.

        The picture is an ``Image`` widget whose bytes are replaced, not an ``Output`` that is
        cleared and refilled: re-rendering an output area moves the keyboard focus in
        JupyterLab, so a keyboard user's next Enter would land on another button."""
        try:
            from ..draw import draw_network
        except ImportError:
            return
        try:
            fig = draw_network(network_graph(self.q, self._links))
            png = fig.to_png()
        except Exception as exc:  # the diagram is an aid, not the answer
            self.drawing_note.value = _esc(t("quiz.internal_error", detail=exc))
            return
        self.drawing.value = png
        self.drawing_note.value = ""

    # text --------------------------------------------------------------------------------
    def _build_text(self) -> W.Widget:
        self._area = W.Textarea(value="", rows=4, layout=W.Layout(width="100%"))
        self._get = lambda: self._area.value
        self._set = lambda a: setattr(self._area, "value", a)
        self._clear = lambda: setattr(self._area, "value", "")
        return self._area
