"""The trainer's cockpit: the whole grading cycle as buttons in a notebook (ipywidgets on the
:mod:`sanshe_edu.grade` API), for trainers who never use a terminal.

``Cockpit(course)`` shows, for the chosen assignment (by its title): 生成并发放 and the due
date; on a class server 从班级服务器收取作业 (the hand-ins of the students' Assignment List,
forged ones left out and named); 导入作业 — files uploaded from the browser or picked from
the course's ``imports/`` folder (uploads are kept there, outside the checkout's tracked
files); 自动评分 (with a progress bar); 批改简答 (the marking view,
:mod:`~sanshe_edu.grade.trainer.markview`; nbgrader's Formgrader stays one click away, opened
on the assignment); 生成反馈 (pages that say which widget parts were wrong and why, one file
per student and a class zip: :mod:`~sanshe_edu.grade.trainer.handback`; on a class server
also released for each student to fetch); 班级报告 (inline); 导出全课程成绩 (CSV and .xlsx:
:mod:`~sanshe_edu.grade.trainer.coursebook`).  Every action writes what it did and what to do
next; every failure is one line naming the student and the file.  ``sanshe-edu teach`` opens
it (see :mod:`sanshe_edu.grade.trainer.teach`).
"""

from __future__ import annotations

import html
from pathlib import Path

from ...errors import SansheError
from ...i18n import t
from .inputs import due_text, parse_due, parse_weights

UPLOADABLE = ".zip,.ipynb,.json"


class Cockpit:
    """The widgets of the cockpit for the course at ``course`` (found as the CLI finds it)."""

    def __init__(self, course: str | Path | None = None, formgrader_url: str | None = None):
        import ipywidgets as w

        from ..pipeline.course import assignments, find_course, load_config, on_class_server
        from .items import assignment_title

        self.course = find_course(course)
        if formgrader_url is None:  # under JupyterHub the server lives at /user/<name>/
            import os

            prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/")
            formgrader_url = prefix.rstrip("/") + "/formgrader"
        self.formgrader_url = formgrader_url.rstrip("/")
        names = assignments(self.course)
        try:  # the course's exchange (a class server's): a button of its own
            self.class_server = on_class_server(load_config(self.course))
        except Exception:  # a config nbgrader cannot read: the buttons say so when used
            self.class_server = False
        self.choose = w.Dropdown(
            options=[(f"{assignment_title(self.course, n)}（{n}）", n) for n in names],
            description=t("grade.cp_assignment"),
            layout={"width": "70%"},
        )
        self.due = w.Text(
            placeholder=t("grade.cp_due_hint"),
            description=t("grade.cp_due"),
            layout={"width": "40%"},
        )
        self.upload = w.FileUpload(
            accept=UPLOADABLE, multiple=True, description=t("grade.cp_upload")
        )
        self.pick = w.Dropdown(description=t("grade.cp_pick"), layout={"width": "50%"})
        self.jobs = w.BoundedIntText(value=2, min=1, max=16, description=t("grade.cp_jobs"))
        self.bar = w.IntProgress(value=0, min=0, max=1, description="")
        self.show_right = w.Checkbox(
            value=False, description=t("grade.cp_show_right"), indent=False
        )
        self.weights = w.Text(
            placeholder=t("grade.cp_weights_hint"),
            description=t("grade.cp_weights"),
            layout={"width": "60%"},
        )
        self.status = w.HTML()
        self.report = w.HTML()
        self.marking = w.VBox()
        self.buttons = {}
        actions = [
            ("generate", self.do_generate),
            ("due", self.do_due),
            ("import", self.do_import),
            ("collect", self.do_collect),
            ("autograde", self.do_autograde),
            ("mark", self.do_mark),
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

        def step(text: str):
            return w.HTML(f"<b>{html.escape(text)}</b>")

        self.widget = w.VBox(
            [
                w.HTML(f"<h2>{html.escape(t('grade.cp_title'))}</h2>"),
                w.HTML(html.escape(t("grade.cp_course", path=self.course))),
                self.choose,
                step(t("grade.cp_step_release")),
                w.HBox([b["generate"], self.due, b["due"]]),
                step(t("grade.cp_step_import")),
                w.HBox([b["collect"]]) if self.class_server else w.HBox([]),
                w.HBox([self.upload, self.pick, b["import"]]),
                step(t("grade.cp_step_grade")),
                w.HBox([self.jobs, b["autograde"], self.bar]),
                w.HBox([b["mark"], b["formgrader"]]),
                step(t("grade.cp_step_back")),
                w.HBox([self.show_right, b["feedback"], b["report"]]),
                w.HBox([self.weights, b["export"]]),
                self.status,
                self.marking,
                self.report,
            ]
        )
        self.choose.observe(lambda _c: self._switched(), "value")
        self._switched()

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

    def _roster(self) -> dict[str, str]:
        from .roster import course_roster

        return course_roster(self.course)

    def _switched(self) -> None:
        """Another assignment: nothing of the last one stays on screen."""
        self.report.value = ""
        self.marking.children = ()
        self.status.value = ""
        self.bar.value = 0
        self.due.value = due_text(self.course, self.choose.value) if self.choose.value else ""
        self._switched_picks()

    # ----------------------------------------------------------------------------- actions
    def do_generate(self) -> None:
        from ..pipeline.course import make_api, on_class_server

        name = self.assignment
        api = make_api(self.course)
        result = api.generate_assignment(name, force=True, create=True)
        if not result.get("success"):
            raise SansheError("grade.cp_generate_failed", assignment=name)
        released = False
        if on_class_server(api.config):
            released = bool(api.release_assignment(name).get("success"))
        folder = self.course / "release" / name
        key = "grade.cp_generated_released" if released else "grade.cp_generated"
        self._say(t(key, assignment=name, path=folder), t("grade.cp_next_due"))

    def do_due(self) -> None:
        from ..pipeline.course import load_config
        from ..pipeline.gradebook import ensure_generated, set_due

        name = self.assignment
        ensure_generated(self.course, name)
        text = self.due.value.strip()
        due = parse_due(text) if text else None
        cfg = load_config(self.course)
        set_due(cfg.CourseDirectory.db_url, cfg.CourseDirectory.course_id, name, due)
        shown = due.astimezone().strftime("%Y-%m-%d %H:%M") if due else t("grade.cp_due_none")
        self._say(t("grade.cp_due_set", assignment=name, due=shown), t("grade.cp_next_import"))

    def do_import(self) -> None:
        from .intake import import_handins, summary
        from .uploads import IMPORTS, save_uploads

        if self.upload.value:
            source = save_uploads(self.course, self.upload.value)
            self.upload.value = ()
        elif self.pick.value:
            source = self.course / IMPORTS / self.pick.value
        else:
            raise SansheError("grade.cp_no_upload")
        result = import_handins(self.course, source, None, self._roster())
        self._switched_picks()
        lines = summary(self.course, result)
        self._say(" ".join(lines), t("grade.cp_next_autograde"), result.problems)

    def do_collect(self) -> None:
        """On a class server: the hand-ins students submitted from their Assignments panel
        (a folder handed in under a classmate's name is left out and named here)."""
        from ..pipeline.course import make_api, students_submitted
        from ..pipeline.exchange import collect_class, refused_lines

        name = self.assignment
        result, refused = collect_class(make_api(self.course), name)
        problems = refused_lines(refused)
        if not result.get("success"):
            raise SansheError("grade.cp_collect_failed", assignment=name)
        n = len(students_submitted(self.course, name))
        self._say(t("grade.summary_collect", assignment=name, n=n), t("grade.cp_next_autograde"),
                  problems)  # fmt: skip

    def _switched_picks(self) -> None:
        from .uploads import choices

        self.pick.options = [(t("grade.cp_pick_none"), "")] + [(c, c) for c in choices(self.course)]
        self.pick.value = ""

    def do_autograde(self) -> None:
        from ..pipeline.autograde import autograde
        from ..pipeline.course import students_submitted
        from ..pipeline.gradebook import ensure_generated

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
        self._say(done, t("grade.cp_next_mark"), problems)

    def do_mark(self) -> None:
        from ..pipeline.gradebook import ensure_generated
        from .markview import MarkingView
        from .names import class_names

        name = self.assignment
        ensure_generated(self.course, name)
        view = MarkingView(self.course, name, class_names(self.course, self._roster()))
        self.marking.children = (view.widget,)
        self.view = view
        self._say(t("grade.cp_marking", assignment=name), t("grade.cp_next_feedback"))

    def do_formgrader(self) -> None:
        name = self.assignment
        url = html.escape(f"{self.formgrader_url}/manage_submissions/{name}")
        self.status.value = (
            f"<p>✔ <a class='sanshe-cp-formgrader' href='{url}' target='_blank'>"
            f"{html.escape(t('grade.cp_open_formgrader', assignment=name))}</a></p>"
            f"<p>→ {html.escape(t('grade.cp_next_feedback'))}</p>"
        )

    def do_feedback(self) -> None:
        from ..pipeline.course import make_api
        from ..pipeline.exchange import release_feedback
        from ..pipeline.feedback import generate_feedback
        from .handback import hand_back

        name = self.assignment
        folder = self.course / "autograded"
        students = sorted(p.name for p in folder.glob("*") if (p / name).is_dir())
        if not students:
            raise SansheError("grade.nothing_autograded", assignment=name)
        api = make_api(self.course)
        problems = []
        for student in students:
            result = generate_feedback(api, self.course, name, student)
            if not result.get("success"):
                problems.append(t("grade.cp_feedback_failed", student=student, assignment=name))
        made, class_zip = hand_back(self.course, name, self._roster(), self.show_right.value)
        if class_zip is None:
            raise SansheError("grade.nothing_autograded", assignment=name)
        done = t("grade.summary_handback", n=len(made), folder=class_zip.parent, zip=class_zip)
        if release_feedback(api, name):  # on a class server: each student fetches their own
            done += " " + t("grade.feedback_released", assignment=name)
        self._say(done, t("grade.cp_next_report"), problems)

    def do_report(self) -> None:
        from .practice import fetch
        from .report import items_html, items_img, practice_html, write_report

        name = self.assignment
        out = self.course / "reports" / name
        live, problem = fetch()
        summary = write_report(self.course, name, out, self._roster(), live=live)
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
            f"</table>{no_widget}{body}{practice_html(summary['practice'])}</div>"
        )
        summary_line = t("grade.summary_report", path=out, **summary)
        self._say(summary_line, t("grade.cp_next_export"), [problem] if problem else [])

    def do_export(self) -> None:
        from ..pipeline.course import assignments
        from ..pipeline.gradebook import is_generated
        from .coursebook import write_course_book
        from .practice import by_student, fetch

        live, problem = fetch()
        names = [n for n in assignments(self.course) if is_generated(self.course, n)]
        if not names:
            raise SansheError("grade.not_generated", assignment=self.assignment)
        weights = parse_weights(self.weights.value, names)
        csv_path, xlsx_path, rows = write_course_book(
            self.course, self.course / "exports", names, self._roster(), weights,
            participation=None if live is None else by_student(live),
        )  # fmt: skip
        done = t("grade.summary_book", rows=rows, n=len(names), csv=csv_path, xlsx=xlsx_path)
        self._say(done, t("grade.cp_next_done"), [problem] if problem else [])


COCKPIT_SOURCE = """from sanshe_edu.grade.trainer.cockpit import Cockpit

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
