"""The cockpit's marking view: the written answers of one assignment, marked in Chinese.

For the chosen item: its rubric, one student's answer (with their name), a score box (within
the item's points) and a comment, 上一份 / 下一份, and progress (已批 12/40).  Enter in the score
box saves and moves on; Tab reaches the buttons.  Every save goes into nbgrader's gradebook
(:mod:`sanshe_edu.grade.trainer.marking`).
"""

from __future__ import annotations

import html
import warnings
from pathlib import Path

from ...errors import SansheError
from ...i18n import t
from . import marking


class MarkingView:
    def __init__(self, course: Path, assignment: str, names: dict[str, str]):
        import ipywidgets as w

        self.course, self.assignment, self.names = course, assignment, names
        self.items = marking.written_items(course, assignment)
        self.rows: list[dict] = []
        self.pos = 0
        self.choose = w.Dropdown(
            options=[(f"{it.title}（{_n(it.points)} 分）", i) for i, it in enumerate(self.items)],
            description=t("grade.mv_item"),
            layout={"width": "90%"},
        )
        self.rubric = w.HTML()
        self.who = w.HTML()
        self.answer = w.HTML()
        self.score = w.Text(description=t("grade.mv_score"), layout={"width": "26em"})
        self.comment = w.Textarea(
            description=t("grade.mv_comment"),
            placeholder=t("grade.mv_comment_hint"),
            layout={"width": "90%", "height": "5em"},
        )
        self.prev = w.Button(description=t("grade.mv_prev"), layout={"width": "auto"})
        self.save = w.Button(description=t("grade.mv_save"), layout={"width": "auto"})
        self.next = w.Button(description=t("grade.mv_next"), layout={"width": "auto"})
        self.progress = w.HTML()
        self.status = w.HTML()
        self.prev.on_click(lambda _b: self._go(-1))
        self.next.on_click(lambda _b: self._go(+1))
        self.save.on_click(lambda _b: self._save())
        with warnings.catch_warnings():  # Enter in the score box: save, then the next answer
            warnings.simplefilter("ignore", DeprecationWarning)
            self.score.on_submit(lambda _w: self._go(+1))
        self.choose.observe(lambda _c: self._load(), "value")
        if self.items:
            body = [
                self.choose,
                self.rubric,
                self.who,
                self.answer,
                self.score,
                self.comment,
                w.HBox([self.prev, self.save, self.next, self.progress]),
                self.status,
            ]
        else:
            body = [w.HTML(f"<p>{html.escape(t('grade.mv_none', assignment=assignment))}</p>")]
        self.widget = w.VBox(
            [w.HTML(f"<h3>{html.escape(t('grade.mv_title'))}</h3>"), *body],
            layout={"border": "1px solid #999", "padding": "0.5em"},
        )
        self.widget.add_class("sanshe-marking")
        if self.items:
            self._load()

    @property
    def item(self) -> marking.WrittenItem:
        return self.items[self.choose.value or 0]

    def _load(self, pos: int = 0) -> None:
        self.rows = marking.marks(self.course, self.assignment, self.item)
        self.rubric.value = (
            f"<details open class='sanshe-rubric'><summary>{html.escape(t('grade.mv_rubric'))}"
            f"</summary><div>{_markdown(self.item.rubric)}</div>"
            "</details>"
        )
        self.pos = max(0, min(pos, len(self.rows) - 1))
        self._show()

    def _show(self) -> None:
        done, total = marking.progress(self.course, self.assignment, self.items)
        line = html.escape(t("grade.mv_progress", done=done, total=total))
        self.progress.value = f"<b class='sanshe-mv-progress'>{line}</b>"
        if not self.rows:
            self.who.value = f"<p>{html.escape(t('grade.mv_nobody'))}</p>"
            self.answer.value, self.score.value, self.comment.value = "", "", ""
            return
        row = self.rows[self.pos]
        name = self.names.get(row["student"], "")
        who = t(
            "grade.mv_who",
            n=self.pos + 1,
            total=len(self.rows),
            student=row["student"],
            name=name or "—",
        )
        self.who.value = f"<p class='sanshe-mv-who'><b>{html.escape(who)}</b></p>"
        text = marking.student_answer(self.course, self.assignment, row["student"], self.item)
        shown = html.escape(text.strip()) or f"<i>{html.escape(t('grade.mv_empty'))}</i>"
        self.answer.value = (
            "<div class='sanshe-mv-answer' style='white-space:pre-wrap;border-left:4px solid "
            f"#3465a4;padding:0.3em 0.8em;background:#f4f6fa'>{shown}</div>"
        )
        self.score.value = "" if row["score"] is None else str(_n(row["score"]))
        self.score.placeholder = t("grade.mv_score_hint", points=_n(self.item.points))
        self.comment.value = row["comment"]

    def _save(self) -> bool:
        if not self.rows:
            return True
        row = self.rows[self.pos]
        text = self.score.value.strip().replace("，", ".").replace("。", ".")
        try:
            score = float(text) if text else None
        except ValueError:
            self._problem(t("grade.mark_not_number", text=text))
            return False
        try:
            marking.save_mark(
                self.course, self.assignment, row["student"], self.item, score, self.comment.value
            )
        except SansheError as exc:
            self._problem(str(exc))
            return False
        row["score"], row["comment"] = score, self.comment.value
        line = t("grade.mv_saved", student=row["student"], score=text or "—")
        self.status.value = f"<p class='sanshe-mv-saved'>✔ {html.escape(line)}</p>"
        return True

    def _problem(self, line: str) -> None:
        self.status.value = (
            f"<p class='sanshe-cp-problem' style='color:#b00'>✘ {html.escape(line)}</p>"
        )

    def _go(self, step: int) -> None:
        if not self._save():
            return
        if self.rows:
            self.pos = (self.pos + step) % len(self.rows)
        self._show()


def _markdown(text: str) -> str:
    """The rubric as the notebook shows it (any HTML in it escaped)."""
    try:
        import mistune  # nbconvert's Markdown renderer

        return mistune.create_markdown(escape=True)(text)
    except ImportError:
        return f"<div style='white-space:pre-wrap'>{html.escape(text)}</div>"


def _n(value: float):
    return int(value) if float(value).is_integer() else value
