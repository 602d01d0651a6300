"""Assignments as data: one YAML file each in ``grading/assignments/``, one build command.

``sanshe-edu grade build`` reads every ``grading/assignments/*.yaml`` (format: docs/assignments.md),
checks it (errors name the file, line and field, with "did you mean"), and writes what is derived
from it: the nbgrader source notebook ``grading/source/<a>/<a>.ipynb`` with its
``model_answers.json`` (the widget answers, for ``validate``), then the student release (through
nbgrader ``generate_assignment`` in a scratch course) into ``exercises/<a>/``. ``--check`` only
reports what is stale (a test runs it). A widget question's key and points are read from its bank
(``questions/<bank>.yaml``): they are written once, there.
"""

from __future__ import annotations

import difflib
import json
import pprint
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import SansheError
from ..i18n import t, use_lang
from .checks import KINDS

ROOT = Path(__file__).resolve().parents[3]
FORMAT = "sanshe-edu-assignment/1"
TOP_FIELDS = ("assignment", "title", "intro", "items")
ITEM_FIELDS = ("id", "title", "points", "text", "question", "task", "written", "rubric")
TASK_FIELDS = ("prompt", "template", "answer", "check")
CHECK_FIELDS = ("name", "kind", "key", "choices", "same")
WRITTEN_FIELDS = ("prompt", "rubric", "answer")
SETUP_CODE = "from sanshe_edu.grade.student import start\n\nstart()"
ANSWERS_NAME = "model_answers.json"


class AssignmentError(SansheError):
    """Problems of assignment files (each a line naming file, line and field)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("assign.file_problems", count=len(problems), details="\n".join(problems))


# ----- reading YAML with line numbers -------------------------------------------------------
def _load(path: Path) -> tuple[Any, dict[str, int]]:
    """The file's data and the line (1-based) of every field path ("items[2].task.check")."""
    import yaml

    text = path.read_text(encoding="utf-8")
    lines: dict[str, int] = {}
    constructor = yaml.constructor.SafeConstructor()

    def walk(node, where: str) -> Any:
        lines.setdefault(where, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            out = {}
            for k, v in node.value:
                name = str(k.value)
                sub = f"{where}.{name}" if where else name
                lines[sub] = k.start_mark.line + 1
                out[name] = walk(v, sub)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [walk(v, f"{where}[{i}]") for i, v in enumerate(node.value)]
        return constructor.construct_object(node, deep=True)

    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        raise AssignmentError(
            [t("assign.yaml_error", file=path.name, line=line, detail=str(exc).splitlines()[0])]
        ) from None
    return (walk(node, "") if node is not None else None), lines


@dataclass
class Problems:
    file: str
    lines: dict[str, int]
    found: list[str] = field(default_factory=list)

    def add(self, where: str, key: str, **fields: Any) -> None:
        line = self.lines.get(where) or self.lines.get(where.rsplit(".", 1)[0], 0)
        text = t(f"assign.{key}", **fields)
        self.found.append(t("assign.problem", file=self.file, line=line, field=where, text=text))

    def mapping(self, data: Any, where: str, allowed: tuple[str, ...]) -> bool:
        """``data`` must be a mapping of ``allowed`` fields: say what is not; False when it is
        not a mapping at all (nothing inside it can be checked then)."""
        if not isinstance(data, dict):
            self.add(where, "not_a_mapping")
            return False
        self.fields(data, where, allowed)
        return True

    def fields(self, data: dict, where: str, allowed: tuple[str, ...]) -> None:
        for name in data:
            if name not in allowed:
                close = difflib.get_close_matches(name, allowed, n=1)
                hint = t("assign.did_you_mean", word=close[0]) if close else ""
                self.add(f"{where}.{name}" if where else name, "unknown_field", hint=hint)


def _is_text(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and set(value) == {"zh", "en"}
        and all(isinstance(v, str) and v.strip() for v in value.values())
    )


# ----- banks (trainer side, with keys) --------------------------------------------------------
def plain_banks(questions: Path) -> dict[str, dict]:
    """bank id -> its plain YAML source (keys included)."""
    import yaml

    banks = {}
    for path in sorted(questions.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and data.get("bank"):
            banks[str(data["bank"])] = data
    return banks


def variants(banks: dict, qid: str) -> list[str]:
    """``qid`` and the questions of its bank in the same ``group`` (equivalent questions, each
    student gets one), sorted; just ``[qid]`` for a question without a group."""
    q = bank_question(banks, qid)
    group = q.get("group") if q else None
    if not group:
        return [qid]
    bank = qid.partition(".")[0]
    return sorted(f"{bank}.{x['id']}" for x in banks[bank]["questions"] if x.get("group") == group)


def bank_question(banks: dict, qid: str) -> dict | None:
    bank, _, name = str(qid).partition(".")
    for q in banks.get(bank, {}).get("questions", []):
        if q.get("id") == name:
            return q
    return None


# ----- checking one file ----------------------------------------------------------------
def check_spec(path: Path, data: Any, lines: dict, banks: dict) -> list[str]:
    p = Problems(path.name, lines)
    if not p.mapping(data, "", TOP_FIELDS):
        return p.found
    for name in ("assignment", "title", "items"):
        if name not in data:
            p.add(name, "missing")
    if data.get("assignment") != path.stem:
        p.add("assignment", "id_not_file", stem=path.stem)
    if "title" in data and not _is_text(data["title"]):
        p.add("title", "want_text")
    if "intro" in data and not _is_text(data["intro"]):
        p.add("intro", "want_text")
    ids: set[str] = set()
    for i, item in enumerate(data.get("items") or []):
        where = f"items[{i}]"
        if not p.mapping(item, where, ITEM_FIELDS):
            continue
        kinds = [k for k in ("text", "question", "task", "written") if k in item]
        if len(kinds) != 1:
            p.add(where, "one_kind")
            continue
        kind = kinds[0]
        if kind == "text":
            if not _is_text(item["text"]):
                p.add(f"{where}.text", "want_text")
            continue
        iid = item.get("id")
        if not isinstance(iid, str) or not iid.isidentifier() or not iid.isascii():
            p.add(f"{where}.id", "bad_id")
        elif iid in ids:
            p.add(f"{where}.id", "repeated_id", id=iid)
        ids.add(str(iid))
        if not _is_text(item.get("title")):
            p.add(f"{where}.title", "want_text")
        if kind == "question":
            _check_question(p, where, item, banks)
        elif kind == "task":
            _check_task(p, where, item)
        else:
            _check_written(p, where, item)
    return p.found


def _points_ok(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and 0 < value <= 100


def _rubric_points(p: Problems, where: str, rubric: Any) -> float | None:
    if not isinstance(rubric, list) or not rubric:
        p.add(where, "want_rubric")
        return None
    total = 0.0
    for j, line in enumerate(rubric):
        w = f"{where}[{j}]"
        ok = isinstance(line, dict) and set(line) == {"points", "zh", "en"}
        if not ok or not _points_ok(line.get("points")):
            p.add(w, "want_rubric_line")
            continue
        total += line["points"]
    return total


def _check_question(p: Problems, where: str, item: dict, banks: dict) -> None:
    qid = item["question"]
    q = bank_question(banks, qid) if isinstance(qid, str) else None
    if q is None:
        known = [f"{b}.{x.get('id')}" for b, bank in banks.items() for x in bank["questions"]]
        close = difflib.get_close_matches(str(qid), known, n=1)
        hint = t("assign.did_you_mean", word=close[0]) if close else ""
        p.add(f"{where}.question", "unknown_question", qid=qid, hint=hint)
        return
    if not q.get("graded"):
        p.add(f"{where}.question", "not_graded", qid=qid)
    for other in variants(banks, qid)[1:] if len(variants(banks, qid)) > 1 else []:
        o = bank_question(banks, other)
        same = (o.get("type"), o.get("points", 1), bool(o.get("graded")))
        if same != (q.get("type"), q.get("points", 1), True) or q.get("type") == "text":
            p.add(f"{where}.question", "group_unequal", qid=qid, group=q.get("group"))
            break
    if "points" in item:
        p.add(f"{where}.points", "points_in_bank", qid=qid)
    if q.get("type") == "text":
        total = _rubric_points(p, f"{where}.rubric", item.get("rubric"))
        if total is not None and total != q.get("points", 1):
            p.add(f"{where}.rubric", "rubric_sum", total=_pts(total), points=q.get("points", 1))
    elif "rubric" in item:
        p.add(f"{where}.rubric", "rubric_only_text")


def _check_task(p: Problems, where: str, item: dict) -> None:
    task = item["task"]
    if not _points_ok(item.get("points")):
        p.add(f"{where}.points", "want_points")
    if not p.mapping(task, f"{where}.task", TASK_FIELDS):
        return
    if not _is_text(task.get("prompt")):
        p.add(f"{where}.task.prompt", "want_text")
    for name in ("template", "answer"):
        code = task.get(name)
        if not isinstance(code, str) or not code.strip():
            p.add(f"{where}.task.{name}", "want_code")
            continue
        try:
            compile(code, name, "exec")
        except SyntaxError as exc:
            p.add(f"{where}.task.{name}", "code_syntax", detail=exc.msg, line=exc.lineno)
    chk, cw = task.get("check"), f"{where}.task.check"
    if not p.mapping(chk, cw, CHECK_FIELDS):
        return
    for name in ("name", "kind", "key"):
        if name not in chk:
            p.add(f"{cw}.{name}", "missing")
    if "kind" in chk and chk["kind"] not in KINDS:
        close = difflib.get_close_matches(str(chk["kind"]), KINDS, n=1)
        hint = t("assign.did_you_mean", word=close[0]) if close else ""
        p.add(f"{cw}.kind", "unknown_kind", kinds=", ".join(KINDS), hint=hint)
    name = chk.get("name")
    if not (isinstance(name, str) and name.isidentifier()):
        p.add(f"{cw}.name", "bad_id")
    elif isinstance(task.get("answer"), str) and not _assigns(task["answer"], name):
        p.add(f"{cw}.name", "answer_lacks_name", name=name)
    elif isinstance(task.get("template"), str) and not _assigns(task["template"], name):
        p.add(f"{cw}.name", "template_lacks_name", name=name)
    if chk.get("kind") == "mapping" and not isinstance(chk.get("key"), dict):
        p.add(f"{cw}.key", "want_mapping_key")
    if chk.get("kind") in ("set", "sequence") and not isinstance(chk.get("key"), list):
        p.add(f"{cw}.key", "want_list_key")
    valid = chk.get("kind") in KINDS and "name" in chk and _points_ok(item.get("points"))
    if valid and "key" in chk and isinstance(task.get("answer"), str) and not _model_scores(item):
        p.add(f"{where}.task.answer", "answer_not_full")


def _assigns(code: str, name: str) -> bool:
    import ast

    try:
        tree = ast.parse(code)
    except SyntaxError:
        return True  # reported as a syntax error already
    return any(
        isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Store)
        for n in ast.walk(tree)
    )


def _model_scores(item: dict) -> bool:
    """The model answer gets full marks from its own check (else the key and answer disagree)."""
    from .checks import check

    task = item["task"]
    chk = task["check"]
    ns: dict[str, Any] = {}
    try:
        exec(compile(task["answer"], "answer", "exec"), ns)
        score = check(
            chk["name"],
            chk["kind"],
            points=item.get("points", 1),
            key=chk["key"],
            choices=chk.get("choices"),
            same=chk.get("same"),
            namespace=ns,
            quiet=True,
        )
    except Exception:
        return False
    return score == item.get("points", 1)


def _check_written(p: Problems, where: str, item: dict) -> None:
    written = item["written"]
    if not p.mapping(written, f"{where}.written", WRITTEN_FIELDS):
        return
    if not _is_text(written.get("prompt")):
        p.add(f"{where}.written.prompt", "want_text")
    total = _rubric_points(p, f"{where}.written.rubric", written.get("rubric"))
    if total is not None and total != item.get("points"):
        p.add(f"{where}.points", "rubric_sum", total=_pts(total), points=item.get("points"))


def load(path: Path, banks: dict) -> dict:
    """One checked assignment file (raises :class:`AssignmentError`)."""
    try:
        data, lines = _load(path)
    except OSError as exc:
        raise AssignmentError([t("assign.unreadable", file=path.name, detail=exc)]) from None
    problems = check_spec(path, data, lines, banks)
    if problems:
        raise AssignmentError(problems)
    return data


# ----- the notebook ---------------------------------------------------------------------
def _meta(**nbgrader: Any) -> dict:
    return {"nbgrader": {"schema_version": 3, "task": False, **nbgrader}}


def _machinery(**nbgrader: Any) -> dict:
    """Metadata of a cell the student runs but need not read (set-up, widget, check, self-check):
    JupyterLab shows its input collapsed (a click opens it)."""
    return {"jupyter": {"source_hidden": True}, **_meta(**nbgrader)}


def _both(text: dict, sep: str = "\n\n") -> str:
    return text["zh"].strip() + sep + text["en"].strip()


def _literal(value: Any) -> str:
    return pprint.pformat(value, width=88, sort_dicts=False)


def _hidden(args: dict[str, Any], keep: tuple[str, ...] = ("key",)) -> str:
    """The hidden lines of a check call: the key (always, even ``None``: a network question is
    judged by its requirements), and the other arguments that are set."""
    lines = [f"    {k}={_literal(v)}," for k, v in args.items() if v is not None or k in keep]
    return "### BEGIN HIDDEN TESTS\n" + "\n".join(lines) + "\n### END HIDDEN TESTS\n"


def item_points(item: dict, banks: dict) -> float:
    if "question" in item:
        return bank_question(banks, item["question"]).get("points", 1)
    return item.get("points", 0)


def _heading(n: int, item: dict, points: float) -> str:
    pts = int(points) if float(points).is_integer() else points
    return f"## {n}. {item['title']['zh']} / {item['title']['en']}（{pts} 分 / points）"


def notebook(spec: dict, banks: dict):
    """The nbgrader source notebook of one assignment (model answers included)."""
    import nbformat

    name = spec["assignment"]
    items = [i for i in spec["items"] if "text" not in i]
    total = sum(item_points(i, banks) for i in items)
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    cells: list = []

    def add(cell) -> None:
        cell["id"] = f"{name}-{len(cells):02d}"
        cells.append(cell)

    with use_lang("zh"):
        zh_howto = t("assign.howto", total=_pts(total))
    with use_lang("en"):
        en_howto = t("assign.howto", total=_pts(total))
    head = f"# {spec['title']['zh']} / {spec['title']['en']}\n\n"
    if spec.get("intro"):
        head += _both(spec["intro"]) + "\n\n"
    add(nbformat.v4.new_markdown_cell(head + zh_howto + "\n\n" + en_howto))
    setup = nbformat.v4.new_code_cell(SETUP_CODE)
    setup.metadata = _machinery(grade=False, solution=False, locked=True, grade_id="setup")
    add(setup)
    overview = []
    n = 0
    for item in spec["items"]:
        if "text" in item:
            add(nbformat.v4.new_markdown_cell(_both(item["text"])))
            continue
        n += 1
        points = item_points(item, banks)
        iid = item["id"]
        if "question" in item:
            q = bank_question(banks, item["question"])
            qids = variants(banks, item["question"])
            shown = f'"{qids[0]}"' if len(qids) == 1 else _literal(qids)
            text = _heading(n, item, points) + "\n\n" + t_both("assign.widget_howto")
            add(nbformat.v4.new_markdown_cell(text))
            show = nbformat.v4.new_code_cell(
                f"from sanshe_edu.quiz import ask\n\nask({shown}, graded=True)"
            )
            show.metadata = _machinery(
                grade=False, solution=False, locked=True, grade_id=f"{iid}_ask"
            )
            add(show)
            if q["type"] == "text":
                rubric = _rubric_md(item["rubric"])
                cell = nbformat.v4.new_markdown_cell(t_both("assign.text_task") + "\n\n" + rubric)
                cell.metadata = _meta(
                    grade=False, solution=False, locked=True, task=True, grade_id=iid, points=points
                )
                add(cell)
                overview.append({"n": n, "kind": "written", "id": iid, "qid": item["question"]})
                continue
            from ..quiz.build import plain_answer

            src = f'"""{t_both("assign.check_doc", sep=" / ", n=n)}"""\n\n'
            src += "from sanshe_edu.grade.checks import check_widget\n\n"
            src += f"check_widget(\n    {shown},\n"
            src += f"    points={_pts(points)},\n    n={n},\n"
            if len(qids) == 1:
                key = plain_answer(q)
            else:
                key = {v: plain_answer(bank_question(banks, v)) for v in qids}
            src += _hidden({"key": key}) + ")"
            test = nbformat.v4.new_code_cell(src)
            test.metadata = _machinery(
                grade=True, solution=False, locked=True, grade_id=f"{iid}_check", points=points
            )
            add(test)
            overview.append({"n": n, "kind": "widget", "id": iid, "qid": qids})
        elif "task" in item:
            task, chk = item["task"], item["task"]["check"]
            add(
                nbformat.v4.new_markdown_cell(
                    _heading(n, item, points) + "\n\n" + _both(task["prompt"])
                )
            )
            answer = nbformat.v4.new_code_cell(task["answer"].strip("\n"))
            answer.metadata = _meta(grade=False, solution=True, locked=False, grade_id=iid)
            answer.metadata["sanshe_template"] = task["template"].strip("\n")
            add(answer)
            visible = {
                "choices": chk.get("choices"),
                "keys": list(chk["key"]) if chk["kind"] == "mapping" else None,
            }
            src = f'"""{t_both("assign.check_doc", sep=" / ", n=n)}"""\n\n'
            src += "from sanshe_edu.grade.checks import check\n\n"
            src += f'check(\n    "{chk["name"]}",\n    "{chk["kind"]}",\n'
            src += f"    points={_pts(points)},\n    n={n},\n"
            src += "".join(f"    {k}={_literal(v)},\n" for k, v in visible.items() if v is not None)
            src += _hidden({"key": chk["key"], "same": chk.get("same")}) + ")"
            test = nbformat.v4.new_code_cell(src)
            test.metadata = _machinery(
                grade=True, solution=False, locked=True, grade_id=f"{iid}_check", points=points
            )
            add(test)
            overview.append(
                {
                    "n": n,
                    "kind": "task",
                    "id": iid,
                    "name": chk["name"],
                    "check": chk["kind"],
                    "choices": chk.get("choices"),
                    "keys": list(chk["key"]) if chk["kind"] == "mapping" else None,
                }
            )
        else:
            written = item["written"]
            text = _heading(n, item, points) + "\n\n" + _both(written["prompt"])
            text += "\n\n" + _rubric_md(written["rubric"])
            add(nbformat.v4.new_markdown_cell(text))
            model = written.get("answer") or {
                "zh": "（参考答案见评分标准）",
                "en": "(see the rubric)",
            }
            cell = nbformat.v4.new_markdown_cell(_both(model))
            cell.metadata = _meta(
                grade=True, solution=True, locked=False, grade_id=iid, points=points
            )
            add(cell)
            overview.append({"n": n, "kind": "written", "id": iid})
    add(nbformat.v4.new_markdown_cell(t_both("assign.selfcheck_heading")))
    src = "from sanshe_edu.grade.student import self_check\n\n"
    written = [o["n"] for o in overview if o["kind"] == "written"]
    src += f"self_check(written={written}, count={len(overview)})"
    last = nbformat.v4.new_code_cell(src)
    last.metadata = _machinery(grade=False, solution=False, locked=True, grade_id="self_check")
    add(last)
    nb.cells = cells
    return nb


def _pts(points: float) -> Any:
    return int(points) if float(points).is_integer() else points


def t_both(key: str, sep: str = "\n\n", **fields: Any) -> str:
    with use_lang("zh"):
        zh = t(key, **fields)
    with use_lang("en"):
        en = t(key, **fields)
    return zh + sep + en


def _rubric_md(rubric: list[dict]) -> str:
    head = t_both("assign.rubric_heading", sep=" / ")
    lines = [f"- {_pts(r['points'])} 分 / pt：{r['zh']} / {r['en']}" for r in rubric]
    return f"**{head}**\n\n" + "\n".join(lines)


def network_model(qid: str) -> list[list[str]]:
    """A network answer meeting a network question's requirements: the first organisation of
    each category linked to the first of every other category, and every other organisation
    to the first of its own category (connected, every pair of categories linked)."""
    from ..model.organisations import ORG_KINDS
    from ..quiz.bank import question
    from ..quiz.check import organisations

    heads: dict[str, str] = {}
    links = []
    for org in organisations(question(qid)):
        category = ORG_KINDS[org["kind"]].category
        if category in heads:
            links.append(sorted([heads[category], org["id"]]))
        else:
            links.extend(sorted([head, org["id"]]) for head in heads.values())
            heads[category] = org["id"]
    return sorted(links)


def model_answers(spec: dict, banks: dict) -> dict:
    """The widget answers of the model solution, in the format of ``sanshe_answers.json``."""
    from ..quiz.build import plain_answer

    answers = {}
    for item in spec["items"]:
        if "question" not in item:
            continue
        qids = variants(banks, item["question"])
        for qid in qids:
            q = bank_question(banks, qid)
            answer = plain_answer(q) if q["type"] != "network" else network_model(qid)
            if answer is None and q["type"] == "text":
                answer = "示例答案：各方按自己的逻辑行动，也要在本地的工作逻辑里协调。"
            if answer is not None:
                answers[qid] = {
                    "type": q["type"],
                    "answer": answer,
                    "updated": "2026-01-01T00:00:00+0000",
                    **({"variants": qids} if len(qids) > 1 else {}),
                }
    return {"format": "sanshe-edu-answers/1", "answers": answers}


# ----- the build ------------------------------------------------------------------------
@dataclass
class Layout:
    grading: Path = ROOT / "grading"
    questions: Path = ROOT / "questions"
    exercises: Path = ROOT / "exercises"

    @property
    def specs(self) -> Path:
        return self.grading / "assignments"


def derived(layout: Layout) -> dict[Path, bytes]:
    """Every derived file and its bytes (sources and model answers, then the release)."""
    import nbformat

    banks = plain_banks(layout.questions)
    files = sorted(layout.specs.glob("*.yaml"))
    if not files:
        raise SansheError("assign.no_files", folder=layout.specs)
    problems: list[str] = []
    specs = []
    for path in files:
        try:
            specs.append(load(path, banks))
        except AssignmentError as exc:
            problems.extend(exc.problems)
    if problems:
        raise AssignmentError(problems)
    out: dict[Path, bytes] = {}
    for spec in specs:
        name = spec["assignment"]
        folder = layout.grading / "source" / name
        text = nbformat.writes(notebook(spec, banks)) + "\n"
        out[folder / f"{name}.ipynb"] = text.encode("utf-8")
        answers = json.dumps(model_answers(spec, banks), ensure_ascii=False, indent=1) + "\n"
        out[folder / ANSWERS_NAME] = answers.encode("utf-8")
    out.update(_release(layout, out, [s["assignment"] for s in specs]))
    return out


def _release(layout: Layout, sources: dict[Path, bytes], names: list[str]) -> dict[Path, bytes]:
    """The student release of each assignment, made by nbgrader from the new sources."""
    from .pipeline.course import make_api

    with tempfile.TemporaryDirectory(prefix="sanshe-build-") as tmp:
        course = Path(tmp) / "grading"
        (course / "source").mkdir(parents=True)
        shutil.copy2(layout.grading / "nbgrader_config.py", course)
        for path, data in sources.items():
            target = course / "source" / path.parent.name / path.name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        api = make_api(course)
        out = {}
        for name in names:
            result = api.generate_assignment(name, force=True, create=True)
            if not result.get("success"):
                raise SansheError("assign.generate_failed", name=name, detail=result.get("log", ""))
            for f in sorted((course / "release" / name).rglob("*")):
                if f.is_file():
                    out[layout.exercises / name / f.relative_to(course / "release" / name)] = (
                        f.read_bytes()
                    )
        return out


def build(layout: Layout | None = None, check_only: bool = False) -> tuple[list[str], list[str]]:
    """Write (or with ``check_only`` compare) every derived file. Returns (messages, stale)."""
    layout = layout or Layout()
    files = derived(layout)
    messages, stale = [], []
    managed = {p.parent for p in files}
    for folder in sorted(managed):
        if folder.is_dir():
            for extra in sorted(folder.rglob("*")):
                if (
                    extra.is_file()
                    and extra not in files
                    and ".ipynb_checkpoints" not in str(extra)
                ):
                    stale.append(t("assign.orphan", file=_rel(extra, layout)))
                    if not check_only:
                        extra.unlink()
    for path, data in sorted(files.items()):
        current = path.read_bytes() if path.is_file() else None
        if current == data:
            continue
        if check_only:
            stale.append(t("assign.stale", file=_rel(path, layout)))
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        messages.append(t("assign.wrote", file=_rel(path, layout)))
    if not check_only:
        messages.append(t("assign.built", n=len({p.parent.name for p in files})))
        stale = []
    return messages, stale


def _rel(path: Path, layout: Layout) -> str:
    try:
        return str(path.relative_to(layout.grading.parent))
    except ValueError:
        return str(path)
