"""nbgrader preprocessors that close the gaps listed in docs/threat-model.md.

They are named in ``grading/nbgrader_config.py`` so that plain ``nbgrader autograde`` and
``nbgrader generate_feedback`` use them as well as ``sanshe-edu grade``.

- :class:`ExportAnswers` (before ``Execute``): before every test cell, inject a cell printing the
  plain-data values of the names that test reads (see :mod:`sanshe_edu.grade.plain`).
- :class:`SealedRecheck` (after ``Execute``): remove the injected cells, run every test cell
  again *outside* the student's kernel — in the grader's process, on the exported plain data,
  with the grader's own copy of the helper library — and fail the cell unless both the kernel
  run and the re-check passed.  Also caps each output's size and drops result values a test
  cell could use to claim partial credit.
- :class:`HideHiddenTests` (feedback): strip the hidden-test region from test cells and replace
  test-cell tracebacks (which quote the failing hidden line) by the check's one-line docstring.

>>> sorted(free_names("x = answer + 1\\nassert sorted(x) == other"))
['answer', 'other']
>>> first_doc_line('\"\"\"Check that the dict has three keys.\"\"\"\\nassert True')
'Check that the dict has three keys.'
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import copy
import io
import json
import os
import signal
import threading

from nbformat.notebooknode import NotebookNode, from_dict
from nbgrader.preprocessors import NbGraderPreprocessor
from nbgrader.utils import is_grade, is_solution
from traitlets import Integer

from ...i18n import t
from .. import plain

EXPORT_KEY = "sanshe_export"
WIDGET_RESOURCE = "sanshe_widget_answers"  # resources key: the widget answers handed in
WIDGET_ANSWERS = "__sanshe_widget_answers__"  # the name the re-check gives them (see checks)
INJECT_KEY = "sanshe_inject"
BEGIN_HIDDEN = "### BEGIN HIDDEN TESTS"
END_HIDDEN = "### END HIDDEN TESTS"
_BUILTINS = set(dir(builtins))


def free_names(source: str) -> set[str]:
    """Names a cell reads but neither assigns, imports nor gets from builtins."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    loaded, bound = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (loaded if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            for alias in node.names:
                bound.add((alias.asname or alias.name).split(".")[0])
        elif isinstance(node, ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
    return loaded - bound - _BUILTINS


def names_read(source: str) -> set[str]:
    """The answer names a test cell reads: its free names, and the variable a ``check("name",
    ...)`` call looks up by name (so a missing answer is "not answered", not a NameError).

    >>> sorted(names_read('check("plan", "mapping", points=2)\\nassert other'))
    ['other', 'plan']
    """
    names = free_names(source)
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return names
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "check"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
            and node.args[0].value.isidentifier()
        ):
            names.add(node.args[0].value)
    return names - {"check", "check_widget"}


def first_doc_line(source: str) -> str:
    """The first line of a test cell's docstring ("Check that …"), or ``""``."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return ""
    doc = ast.get_docstring(tree) or ""
    return doc.strip().splitlines()[0] if doc.strip() else ""


def is_test_cell(cell: NotebookNode) -> bool:
    """An autograded test cell: a code grade cell that is not an answer cell."""
    return cell.cell_type == "code" and is_grade(cell) and not is_solution(cell)


def _grade_id(cell: NotebookNode) -> str:
    return str(cell.metadata.get("nbgrader", {}).get("grade_id", ""))


class MarksRemovedError(Exception):
    """Answer cells lost their nbgrader marks and cannot be matched to the source by cell id."""


def _by_grade_id(marks: dict[str, dict]) -> dict[str, dict]:
    return {str(meta["grade_id"]): meta for meta in marks.values()}


def _clear_solutions_class():
    from nbgrader.preprocessors import ClearSolutions

    return ClearSolutions


class TemplateSolutions(_clear_solutions_class()):
    """nbgrader's ClearSolutions, except that an answer cell carrying a template (metadata
    ``sanshe_template``, written by ``sanshe-edu grade build``) gets that template — code that
    already runs, with ``？`` where the answers go — instead of the stub."""

    def preprocess_cell(self, cell, resources, cell_index):
        template = cell.get("metadata", {}).pop("sanshe_template", None)
        if template is not None and is_solution(cell):
            cell.source = template
            return cell, resources
        return super().preprocess_cell(cell, resources, cell_index)


def _overwrite_cells_class():
    from nbgrader.preprocessors import OverwriteCells

    return OverwriteCells


class OverwriteCells(_overwrite_cells_class()):
    """nbgrader's OverwriteCells, whose re-insertion of a deleted test cell also works when the
    cell before it in the source is a locked cell that is neither graded nor an answer (such as
    the cell showing a widget question): nbgrader 0.9 looks that cell up among the graded and
    answer cells only and stops the whole hand-in with a ``KeyError``."""

    def add_missing_grade_cells(self, nb, resources):
        source_nb = self.gradebook.find_notebook(self.notebook_id, self.assignment_id)
        source_ids = [cell.name for cell in source_nb.source_cells]
        grade_cells = {cell.name: cell for cell in source_nb.grade_cells}
        solution_ids = {cell.name for cell in source_nb.solution_cells}
        for grade_id in [g for g in source_ids if g in grade_cells]:
            present = [_grade_id(c) for c in nb.cells]
            if grade_id in present:
                continue
            self.log.warning("Missing grade cell %s encountered, adding to notebook", grade_id)
            position = source_ids.index(grade_id)
            cell = self.missing_cell_transform(
                source_nb.source_cells[position],
                grade_cells[grade_id].max_score,
                is_solution=grade_id in solution_ids,
            )
            # After the nearest cell before it in the source that the notebook still has.
            before = [g for g in source_ids[:position] if g in present]
            at = present.index(before[-1]) + 1 if before else 0
            nb.cells.insert(at, cell)
        return nb, resources


class RestoreCellMetadata(NbGraderPreprocessor):
    """Put back the nbgrader flags of every known cell from the gradebook (before OverwriteCells).

    nbgrader restores a locked cell's source and points, but a student who flips ``solution`` or
    ``grade`` on a test cell makes OverwriteCells stop with "Inconsistent checksums" and the whole
    submission fails.  Here the flags come from the gradebook, so the cell is a test cell again.
    """

    def _source_marks(self, assignment: str, notebook: str) -> dict[str, dict]:
        """{cell id: nbgrader metadata} of the source notebook (the released copy keeps the
        source's cell ids), or {} when the course's source folder is not at hand."""
        import nbformat

        course = self.config.get("CourseDirectory", {})
        root = course.get("root", ".") or "."
        folder = os.path.join(root, course.get("source_directory", "source"), assignment)
        try:
            source = nbformat.read(os.path.join(folder, f"{notebook}.ipynb"), as_version=4)
        except Exception:  # no source here (plain nbgrader elsewhere): nothing to restore from
            return {}
        marks = {}
        for cell in source.cells:
            meta = cell.get("metadata", {}).get("nbgrader")
            if cell.get("id") and isinstance(meta, dict) and meta.get("grade_id"):
                marks[cell["id"]] = dict(meta)
        return marks

    def _restore_stripped(self, nb, assignment: str, notebook: str) -> None:
        """An editor that drops cell metadata leaves cells without their nbgrader marks: put
        them back by cell id, for the marks this notebook no longer has."""
        present = {
            str(c.metadata["nbgrader"].get("grade_id"))
            for c in nb.cells
            if isinstance(c.get("metadata", {}).get("nbgrader"), dict)
        }
        stripped = [
            c for c in nb.cells if not isinstance(c.get("metadata", {}).get("nbgrader"), dict)
        ]
        if not stripped:
            return
        marks = self._source_marks(assignment, notebook)
        for cell in stripped:
            meta = marks.get(cell.get("id"))
            if meta and str(meta["grade_id"]) not in present:
                cell.metadata["nbgrader"] = copy.deepcopy(meta)
                present.add(str(meta["grade_id"]))
        answers = {gid for gid, meta in _by_grade_id(marks).items() if meta.get("solution")}
        unmarked = [c for c in stripped if "nbgrader" not in c.metadata and c.cell_type == "code"]
        if unmarked and answers - present:
            # Marks gone and no cell id to find them by: say so rather than grade blanks.
            raise MarksRemovedError(sorted(answers - present))

    def preprocess(self, nb, resources):
        from nbgrader.api import Gradebook, MissingEntry

        notebook = resources["nbgrader"]["notebook"]
        assignment = resources["nbgrader"]["assignment"]
        self._restore_stripped(nb, assignment, notebook)
        with Gradebook(resources["nbgrader"]["db_url"]) as gb:
            for cell in nb.cells:
                meta = cell.get("metadata", {}).get("nbgrader")
                if not isinstance(meta, dict) or not meta.get("grade_id"):
                    continue
                name = str(meta["grade_id"])
                try:
                    source = gb.find_source_cell(name, notebook, assignment)
                except MissingEntry:
                    continue
                flags = {"grade": False, "solution": False, "task": False}
                try:
                    graded = gb.find_graded_cell(name, notebook, assignment)
                    flags["task" if graded.__class__.__name__ == "TaskCell" else "grade"] = True
                    meta["points"] = float(graded.max_score)
                except MissingEntry:
                    meta.pop("points", None)
                try:
                    gb.find_solution_cell(name, notebook, assignment)
                    flags["solution"] = True
                except MissingEntry:
                    pass
                meta.update(flags, locked=bool(source.locked))
        return nb, resources


def _injected(source: str, meta: dict, n: int) -> NotebookNode:
    return from_dict(
        {
            "cell_type": "code",
            "execution_count": None,
            "id": f"sanshe-inject-{n}",
            "metadata": meta,
            "outputs": [],
            "source": source,
        }
    )


MAX_RECORD_CHARS = 20_000


def answer_record(data) -> dict | None:
    """A graded widget's answer as kept in a notebook output, if it looks like one (plain JSON
    of bounded size; anything else is ignored)."""
    if not isinstance(data, dict) or not isinstance(data.get("qid"), str):
        return None
    if len(data["qid"]) > 100 or data.get("answer") is None:
        return None
    try:
        size = len(json.dumps(data.get("answer"), ensure_ascii=False))
    except (TypeError, ValueError):
        return None
    if size > MAX_RECORD_CHARS:
        return None
    updated = data.get("updated")
    return {
        "type": str(data.get("type", ""))[:20],
        "answer": data["answer"],
        "updated": updated[:40] if isinstance(updated, str) else "",
    }


def _newer(a: dict | None, b: dict) -> bool:
    return a is None or str(b.get("updated", "")) >= str(a.get("updated", ""))


class CollectWidgetAnswers(NbGraderPreprocessor):
    """Before the outputs are cleared: keep the graded widgets' answers saved in the notebook
    (``quiz.graded``) in the notebook's metadata, for :class:`ExportAnswers`. Whatever the
    metadata held before is replaced: only the outputs count."""

    def preprocess(self, nb, resources):
        from ...quiz.graded import NOTEBOOK_MIME

        found: dict[str, dict] = {}
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            for output in cell.get("outputs", []):
                data = output.get("data", {}) if isinstance(output, dict) else {}
                rec = answer_record(data.get(NOTEBOOK_MIME)) if isinstance(data, dict) else None
                qid = data.get(NOTEBOOK_MIME, {}).get("qid") if rec else None
                if rec and _newer(found.get(qid), rec):
                    found[qid] = rec
        nb.metadata["sanshe_edu"] = {"widget_answers": found}
        return nb, resources


def merge_widget_answers(nb, folder: str) -> dict[str, dict]:
    """The widget answers of a submission: those kept in the notebook, and those of a
    ``sanshe_answers.json`` handed in beside it (the newer one of each question wins)."""
    from ...quiz import graded

    meta = nb.metadata.get("sanshe_edu", {})
    inside = meta.get("widget_answers", {}) if isinstance(meta, dict) else {}
    merged: dict[str, dict] = {}
    try:
        beside, _ = graded.load_answers(folder)
    except Exception:  # an unreadable file beside the notebook: the notebook's answers count
        beside = {}
    for source in (beside, inside):
        if not isinstance(source, dict):
            continue
        for qid, data in source.items():
            rec = answer_record({**data, "qid": qid}) if isinstance(data, dict) else None
            if rec and _newer(merged.get(qid), rec):
                merged[str(qid)] = rec
    return merged


class ExportAnswers(NbGraderPreprocessor):
    """Inject, before each test cell, a cell that prints the plain answers the test reads.

    A first injected cell remembers the kernel's own ``sys.stdout``/``sys.stderr`` and folder;
    each export cell gives them back to the test (whatever the student's code changed) and a
    cell after the test restores the student's choice, so honest oddities cost nothing (only
    when the student's code mentions the streams or `chdir`: each cell is a round trip)."""

    #: Words of the student's code that may change the kernel's streams or folder; only then
    #: are the setup and resume cells added (each cell costs a round trip to the kernel).
    state_words = ("stdout", "stderr", "chdir")

    def preprocess(self, nb, resources):
        from ...quiz import graded

        folder = resources.get("metadata", {}).get("path") or "."
        answers = merge_widget_answers(nb, folder)
        resources[WIDGET_RESOURCE] = answers
        if answers:  # the re-executed widgets show them (in the graded copy and the feedback)
            with contextlib.suppress(OSError):
                path = graded.answers_path(folder)
                graded.atomic_write_json(path, {"format": graded.FORMAT, "answers": answers})
                os.chmod(path, 0o644)  # the sandboxed kernel (another uid) reads it
        guard = any(
            word in cell.source
            for cell in nb.cells
            if cell.cell_type == "code" and not is_test_cell(cell)
            for word in self.state_words
        )
        cells = [_injected(plain.SETUP_CODE, {INJECT_KEY: "setup"}, 0)] if guard else []
        for cell in nb.cells:
            if is_test_cell(cell):
                names = sorted(names_read(cell.source))
                key = _grade_id(cell)
                cells.append(
                    _injected(plain.export_code(key, names), {EXPORT_KEY: key}, len(cells))
                )
                cells.append(cell)
                if guard:
                    cells.append(_injected(plain.RESUME_CODE, {INJECT_KEY: "resume"}, len(cells)))
                continue
            cells.append(cell)
        nb.cells = cells
        return nb, resources


class _Timeout(Exception):
    pass


@contextlib.contextmanager
def _time_limit(seconds: int):
    """Interrupt a re-check that runs too long (only possible in the main thread)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_alarm(signum, frame):
        raise _Timeout()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _exports_from(cell: NotebookNode) -> dict[str, object] | None:
    for output in cell.get("outputs", []):
        if output.get("output_type") != "stream" or output.get("name") != "stdout":
            continue
        for line in str(output.get("text", "")).split("\n"):  # not splitlines: \x1e splits
            if not line.startswith(plain.MARKER):
                continue
            try:
                data = json.loads(line[len(plain.MARKER) :])
            except ValueError:
                return None
            values = data.get("values") if isinstance(data, dict) else None
            if not isinstance(values, dict):
                return None
            return values
    return None


class Recheck:
    """What the grader's own run of a test cell gave: ``passed``, ``detail`` (why not), the
    ``score`` its last expression returned (a number: partial credit) and what it ``printed``."""

    def __init__(self, passed: bool, detail: str = "", score=None, printed: str = "") -> None:
        self.passed, self.detail, self.score, self.printed = passed, detail, score, printed

    def __iter__(self):  # (passed, detail), as before partial credit
        return iter((self.passed, self.detail))

    def __getitem__(self, index: int):
        return (self.passed, self.detail)[index]

    def __repr__(self) -> str:
        return repr((self.passed, self.detail))


def _number(value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if value == value else None


def recheck(
    source: str,
    values: dict[str, object] | None,
    folder: str,
    timeout: int = 10,
    extra: dict | None = None,
) -> Recheck:
    """Run a test cell's source on exported plain values (and the grader's ``extra`` names).

    >>> recheck("assert x == (1, 2)", {"x": plain.encode((1, 2))}, ".")
    (True, '')
    >>> recheck("assert x == 3", {"x": plain.encode(print)}, ".")[0]
    False
    >>> recheck("assert x == 3", {"x": "__sanshe_missing__"}, ".")
    (False, "NameError: name 'x' is not defined")
    >>> recheck("x * 0.5", {"x": plain.encode(3)}, ".").score
    1.5
    """
    if values is None:
        return Recheck(False, "no exported answers")
    namespace: dict[str, object] = {"__name__": "__sanshe_recheck__", **(extra or {})}
    for name, encoded in values.items():
        if encoded != "__sanshe_missing__":
            namespace[str(name)] = plain.decode(encoded) if isinstance(encoded, str) else None
    here = os.getcwd()
    sink = io.StringIO()
    score = None
    try:
        tree = ast.parse(source, "<test cell>")
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        body = compile(tree, "<test cell>", "exec")
        tail = compile(ast.Expression(last.value), "<test cell>", "eval") if last else None
        os.chdir(folder)
        with (
            contextlib.redirect_stdout(sink),
            contextlib.redirect_stderr(sink),
            _time_limit(timeout),
        ):
            exec(body, namespace)
            if tail is not None:
                score = _number(eval(tail, namespace))
    except _Timeout:
        return Recheck(False, "timeout")
    except BaseException as exc:  # any failure of the check, SystemExit included
        return Recheck(False, f"{type(exc).__name__}: {exc}"[:300], printed=sink.getvalue())
    finally:
        os.chdir(here)
    return Recheck(True, "", score, sink.getvalue())


def _cap_outputs(cell: NotebookNode, max_chars: int) -> None:
    used = 0
    kept = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream":
            text = str(output.get("text", ""))
            room = max(max_chars - used, 0)
            if len(text) > room:
                output["text"] = text[:room] + "\n" + t("grade.output_truncated") + "\n"
            used += len(output["text"])
        elif output.get("output_type") in ("display_data", "execute_result"):
            size = len(json.dumps(output.get("data", {}), default=str))
            if used + size > max_chars:
                continue
            used += size
        kept.append(output)
    cell["outputs"] = kept


class SealedRecheck(NbGraderPreprocessor):
    """Re-run every test outside the kernel on plain data; a test passes only if both pass."""

    recheck_timeout = Integer(10, help="seconds allowed to re-check one test cell").tag(config=True)
    max_output_chars = Integer(
        20_000, help="characters of output kept per cell (student output can be huge)"
    ).tag(config=True)

    def preprocess(self, nb, resources):
        folder = resources.get("metadata", {}).get("path") or "."
        exports: dict[str, dict | None] = {}
        cells = []
        for cell in nb.cells:
            if cell.get("metadata", {}).get(INJECT_KEY):
                continue
            key = cell.get("metadata", {}).get(EXPORT_KEY)
            if key is not None:
                exports[str(key)] = _exports_from(cell)
                continue
            if cell.cell_type == "code":
                _cap_outputs(cell, self.max_output_chars)
            cells.append(cell)
        nb.cells = cells
        # The injected cells used execution counts: number the remaining ones 1, 2, 3, …
        count = 0
        for cell in nb.cells:
            if cell.cell_type == "code" and cell.get("execution_count") is not None:
                count += 1
                cell["execution_count"] = count
                for output in cell.get("outputs", []):
                    if output.get("output_type") == "execute_result":
                        output["execution_count"] = count
        widget_answers = {
            qid: rec.get("answer")
            for qid, rec in (resources.get(WIDGET_RESOURCE) or {}).items()
            if isinstance(rec, dict)
        }
        for cell in nb.cells:
            if not is_test_cell(cell):
                continue
            key = _grade_id(cell)
            result = recheck(
                cell.source,
                exports.get(key),
                folder,
                timeout=self.recheck_timeout,
                extra={WIDGET_ANSWERS: widget_answers},
            )
            outputs = [o for o in cell.outputs if o.get("output_type") != "execute_result"]
            failed_in_kernel = any(o.get("output_type") == "error" for o in outputs)
            if result.passed and not failed_in_kernel and result.score is None and _scores(cell):
                # A points-giving check that gave no number (no key: a broken build or a
                # tampered cell) earns nothing, rather than nbgrader's "no value = full marks".
                result.score = 0.0
            if result.passed and not failed_in_kernel and result.score is not None:
                # A check that gives points: what the student sees and the score are the
                # grader's own, never the kernel's.
                cell.outputs = _grader_outputs(cell, result)
                continue
            if not result.passed and not failed_in_kernel:
                self.log.warning(
                    "Test %s passed in the kernel but not outside it: %s", key, result.detail
                )
                message = t("grade.recheck_failed", check=first_doc_line(cell.source) or key)
                outputs.append(
                    from_dict(
                        {
                            "output_type": "error",
                            "ename": "CheckFailed",
                            "evalue": message,
                            "traceback": [message],
                        }
                    )
                )
            cell.outputs = outputs
        return nb, resources


def _scores(cell: NotebookNode) -> bool:
    """A test cell of the points-giving checks (``sanshe_edu.grade.checks``)."""
    return "sanshe_edu.grade.checks" in cell.source


def _grader_outputs(cell: NotebookNode, result: Recheck) -> list:
    points = float(cell.metadata.get("nbgrader", {}).get("points", 0) or 0)
    score = min(max(result.score or 0.0, 0.0), points)
    shown = int(score) if float(score).is_integer() else round(score, 2)
    outputs = []
    if result.printed:
        text = result.printed[:4000]
        outputs.append(from_dict({"output_type": "stream", "name": "stdout", "text": text}))
    outputs.append(
        from_dict(
            {
                "output_type": "execute_result",
                "execution_count": cell.get("execution_count"),
                "metadata": {},
                "data": {"text/plain": str(shown)},
            }
        )
    )
    return outputs


def strip_hidden(source: str) -> str:
    """Remove the hidden-test region, leaving one comment line in its place.

    >>> print(strip_hidden('a = 1\\n### BEGIN HIDDEN TESTS\\nassert a == 2\\n### END HIDDEN TESTS'))
    a = 1
    # …
    """
    lines, hiding = [], False
    for line in source.splitlines():
        if BEGIN_HIDDEN in line:
            hiding = True
            lines.append("# …")
            continue
        if END_HIDDEN in line:
            hiding = False
            continue
        if not hiding:
            lines.append(line)
    return "\n".join(lines)


class HideHiddenTests(NbGraderPreprocessor):
    """Feedback without hidden tests: no hidden source, no traceback quoting it."""

    def preprocess(self, nb, resources):
        nb = copy.deepcopy(nb)
        for cell in nb.cells:
            if not is_test_cell(cell):
                continue
            check = first_doc_line(cell.source) or _grade_id(cell)
            cell.source = strip_hidden(cell.source)
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    message = t("grade.feedback_check_failed", check=check)
                    output["ename"] = t("grade.feedback_failed_name")
                    output["evalue"] = message
                    output["traceback"] = [message]
        return nb, resources
