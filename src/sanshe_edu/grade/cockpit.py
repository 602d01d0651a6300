"""The trainer's cockpit: the whole grading cycle as buttons in a notebook (ipywidgets on the
:mod:`sanshe_edu.grade` API), for trainers who never use a terminal.

``Cockpit(course)`` shows: choose the assignment; 生成并发放; 导入作业 (a folder or zip); 自动评分
(with a progress bar and the number of processes); 打开 Formgrader; 生成反馈; 班级报告 (inline);
导出成绩.  Every action writes what it did and what to do next; every failure is one line
naming the student and the file.  ``sanshe-edu teach`` opens it (see :mod:`sanshe_edu.teach`).
"""

from __future__ import annotations

import html
from pathlib import Path

from ..errors import SansheError
from ..i18n import t


class Cockpit:
    """The widgets of the cockpit for the course at ``course`` (found as the CLI finds it)."""

    def __init__(self, course: str | Path | None = None, formgrader_url: str = "/formgrader"):
        import ipywidgets as w

        from .course import assignments, find_course

        self.course = find_course(course)
        self.formgrader_url = formgrader_url
        names = assignments(self.course)
        self.choose = w.Dropdown(options=names, description=t("grade.cp_assignment"))
        self.path = w.Text(
            placeholder=t("grade.cp_path_hint"),
            description=t("grade.cp_path"),
            layout={"width": "60%"},
        )
        self.jobs = w.BoundedIntText(value=2, min=1, max=16, description=t("grade.cp_jobs"))
        self.bar = w.IntProgress(value=0, min=0, max=1, description="")
        self.export_to = w.Text(value=str(self.course / "grades.csv"), description=t("grade.cp_to"))
        self.status = w.HTML()
        self.report = w.HTML()
        self.buttons = {}
        actions = [
            ("generate", self.do_generate),
            ("import", self.do_import),
            ("autograde", self.do_autograde),
            ("formgrader", self.do_formgrader),
            ("feedback", self.do_feedback),
            ("report", self.do_report),
            ("export", self.do_export),
        ]
        for key, func in actions:
            button = w.Button(description=t(f"grade.cp_btn_{key}"), layout={"width": "auto"})
            button.on_click(lambda _b, f=func: self._run(f))
            self.buttons[key] = button
        b = self.buttons
        self.widget = w.VBox(
            [
                w.HTML(f"<h2>{html.escape(t('grade.cp_title'))}</h2>"),
                w.HTML(html.escape(t("grade.cp_course", path=self.course))),
                self.choose,
                w.HBox([b["generate"]]),
                w.HBox([self.path, b["import"]]),
                w.HBox([self.jobs, b["autograde"], self.bar]),
                w.HBox([b["formgrader"], b["feedback"], b["report"]]),
                w.HBox([self.export_to, b["export"]]),
                self.status,
                self.report,
            ]
        )

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)

    # ---------------------------------------------------------------------------- plumbing
    def _say(self, done: str, next_step: str = "", problems: list[str] | None = None) -> None:
        lines = [f"<p class='sanshe-cp-done'>✔ {html.escape(done)}</p>"]
        for p in problems or []:
            lines.append(f"<p class='sanshe-cp-problem' style='color:#b00'>✘ {html.escape(p)}</p>")
        if next_step:
            lines.append(f"<p class='sanshe-cp-next'>→ {html.escape(next_step)}</p>")
        self.status.value = "".join(lines)

    def _run(self, func) -> None:
        for b in self.buttons.values():
            b.disabled = True
        self.status.value = f"<p>{html.escape(t('grade.cp_working'))}</p>"
        try:
            func()
        except SansheError as exc:
            self.status.value = f"<p style='color:#b00'>✘ {html.escape(str(exc))}</p>"
        except Exception as exc:  # a cockpit never shows a traceback
            line = t("grade.cp_failed", detail=f"{type(exc).__name__}: {exc}"[:300])
            self.status.value = f"<p style='color:#b00'>✘ {html.escape(line)}</p>"
        finally:
            for b in self.buttons.values():
                b.disabled = False

    @property
    def assignment(self) -> str:
        if not self.choose.value:
            raise SansheError("grade.cp_no_assignment")
        return self.choose.value

    # ----------------------------------------------------------------------------- actions
    def do_generate(self) -> None:
        from .course import make_api

        name = self.assignment
        api = make_api(self.course)
        result = api.generate_assignment(name, force=True, create=True)
        if not result.get("success"):
            raise SansheError("grade.cp_generate_failed", assignment=name)
        released = False
        if Path(api.config.Exchange.root).is_dir():
            released = bool(api.release_assignment(name).get("success"))
        folder = self.course / "release" / name
        key = "grade.cp_generated_released" if released else "grade.cp_generated"
        self._say(t(key, assignment=name, path=folder), t("grade.cp_next_import"))

    def do_import(self) -> None:
        from .intake import import_handins
        from .roster import course_roster

        if not self.path.value.strip():
            raise SansheError("grade.cp_no_path")
        result = import_handins(
            self.course, self.path.value.strip(), None, course_roster(self.course)
        )
        done = t(
            "grade.summary_import",
            placed=len(result.placed),
            students=len(result.students),
            path=self.course / "submitted",
            problems=len(result.problems),
        )
        self._say(done, t("grade.cp_next_autograde"), result.problems)

    def do_autograde(self) -> None:
        from .autograde import autograde, ensure_generated
        from .course import students_submitted

        name = self.assignment
        ensure_generated(self.course, name)
        who = students_submitted(self.course, name)
        if not who:
            raise SansheError("grade.cp_nothing_submitted", assignment=name)
        self.bar.max, self.bar.value = len(who), 0
        problems: list[str] = []

        def on_result(outcome) -> None:
            self.bar.value += 1
            problems.extend(outcome.notes)
            if not outcome.ok:
                problems.extend(outcome.problems or [outcome.message])

        outcomes = autograde(
            self.course, name, None, jobs=int(self.jobs.value), on_result=on_result,
            on_note=problems.append,
        )  # fmt: skip
        bad = [o for o in outcomes if not o.ok]
        done = t(
            "grade.summary_autograde",
            assignment=name,
            ok=len(outcomes) - len(bad),
            total=len(outcomes),
            bad=len(bad),
            jobs=int(self.jobs.value),
        )
        self._say(done, t("grade.cp_next_formgrader"), problems)

    def do_formgrader(self) -> None:
        url = html.escape(self.formgrader_url)
        self.status.value = (
            f"<p>✔ <a class='sanshe-cp-formgrader' href='{url}' target='_blank'>"
            f"{html.escape(t('grade.cp_open_formgrader'))}</a></p>"
            f"<p>→ {html.escape(t('grade.cp_next_feedback'))}</p>"
        )

    def do_feedback(self) -> None:
        from .cli import _feedback_under_alias
        from .course import make_api

        name = self.assignment
        folder = self.course / "autograded"
        students = sorted(p.name for p in folder.glob("*") if (p / name).is_dir())
        if not students:
            raise SansheError("grade.nothing_autograded", assignment=name)
        api = make_api(self.course)
        problems = []
        import glob

        for student in students:
            if glob.has_magic(student):
                result = _feedback_under_alias(self.course, name, student)
            else:
                result = api.generate_feedback(name, student, force=True)
            if not result.get("success"):
                problems.append(t("grade.cp_feedback_failed", student=student, assignment=name))
        done = t(
            "grade.summary_feedback",
            ok=len(students) - len(problems),
            total=len(students),
            path=self.course / "feedback",
        )
        self._say(done, t("grade.cp_next_report"), problems)

    def do_report(self) -> None:
        from .report import items_html, items_img, write_report

        name = self.assignment
        out = self.course / "reports" / name
        summary = write_report(self.course, name, out)
        rows = "".join(
            "<tr>"
            + "".join(
                f"<td>{html.escape(str(r[k]))}</td>"
                for k in ("student", "name", "score", "late", "flagged")
            )
            + "</tr>"
            for r in summary["students"]
        )
        heads = "".join(
            f"<th>{html.escape(t(f'grade.col_{c}'))}</th>"
            for c in ("id", "name", "total", "late", "flagged")
        )
        svg = (out / "report.svg").read_text(encoding="utf-8").split("\n", 1)[1]
        items_svg = (out / "items.svg").read_text(encoding="utf-8").split("\n", 1)[1]
        body = items_html(summary["questions"], summary["analysis"]).replace(items_img(), items_svg)
        no_widget = ""
        if summary["no_widget"]:
            listed = "".join(f"<li>{html.escape(x)}</li>" for x in summary["no_widget"])
            no_widget = (
                f"<div class='sanshe-cp-no-widget'><b>{html.escape(t('grade.report_no_widget'))}"
                f"</b><ul>{listed}</ul></div>"
            )
        self.report.value = (
            f"<div class='sanshe-cp-report'>{svg}"
            f"<table class='sanshe-cp-scores' border='1' cellpadding='4'><tr>{heads}</tr>{rows}"
            f"</table>{no_widget}{body}</div>"
        )
        summary_line = t("grade.summary_report", path=out, **summary)
        self._say(summary_line, t("grade.cp_next_export"))

    def do_export(self) -> None:
        from .autograde import ensure_generated
        from .export import write_export
        from .roster import course_roster

        name = self.assignment
        ensure_generated(self.course, name)
        dest = Path(self.export_to.value.strip() or self.course / "grades.csv")
        rows = write_export(self.course, dest, [name], course_roster(self.course))
        self._say(t("grade.summary_export", rows=rows, path=dest), t("grade.cp_next_done"))


COCKPIT_SOURCE = """from sanshe_edu.grade.cockpit import Cockpit

Cockpit()"""


def cockpit_notebook() -> dict:
    """The cockpit notebook: a title and the one cell that shows the cockpit."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}
    }
    nb.cells = [
        nbformat.v4.new_markdown_cell(
            t("grade.cp_intro", lang="zh") + "\n\n" + t("grade.cp_intro", lang="en")
        ),
        nbformat.v4.new_code_cell(COCKPIT_SOURCE),
    ]
    return nb
