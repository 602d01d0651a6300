"""Assignments as data: one YAML file each in ``grading/assignments/``, one build command.

``sanshe-edu build`` reads every ``grading/assignments/*.yaml`` (format: docs/assignments.md;
JSON Schema: ``grading/assignments/schema.json``, generated from the item kinds), checks it
(errors name the file, line and field, with "did you mean"), and writes what is derived from
it: the nbgrader source notebook ``grading/source/<a>/<a>.ipynb`` with its
``model_answers.json`` (the widget answers, for ``validate``), then the student release
(through nbgrader ``generate_assignment`` in a scratch course) into ``exercises/<a>/``.
``--check`` only reports what is stale (a test runs it). A widget question's key and points
are read from its bank (``questions/<bank>.yaml``): they are written once, there.

What an item is and does belongs to its kind (:mod:`.kinds`); this module never asks which
kind an item is.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import SansheError
from ..i18n import t, use_lang
from . import kinds
from .banks import plain_banks
from .kinds import Problem, Problems
from .kinds.cells import Builder, both, machinery, meta, t_both
from .release import release

ROOT = Path(__file__).resolve().parents[3]
FORMAT = "sanshe-edu-assignment/1"
SETUP_CODE = "from sanshe_edu.grade.student import start\n\nstart()"
ANSWERS_NAME = "model_answers.json"
SCHEMA_NAME = "schema.json"


class AssignmentError(SansheError):
    """Problems of assignment files (each names file, line and field)."""

    def __init__(self, problems: list[Problem | str]) -> None:
        self.problems = problems
        details = "\n".join(map(str, problems))
        super().__init__("assign.file_problems", count=len(problems), details=details)


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


# ----- checking one file ----------------------------------------------------------------
@cache
def _validator(schema_json: str):
    import jsonschema

    return jsonschema.Draft202012Validator(json.loads(schema_json))


def _errors(schema: dict, data: Any) -> list:
    errors = _validator(json.dumps(schema, sort_keys=True)).iter_errors(data)
    return sorted(errors, key=lambda e: [str(x) for x in e.absolute_path])


def _name(prefix: str, path: list) -> str:
    out = prefix
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out


def _report(p: Problems, err: Any, schema: dict, prefix: str) -> None:
    """One schema error in the course's words: the deepest field on its way with an
    ``x-problem`` says what is wrong with it; otherwise the error's own kind does."""
    node, depth, problem = schema, 0, None
    tokens = list(err.absolute_schema_path)[:-1]
    i = 0
    while i < len(tokens):
        if isinstance(node, dict) and node.get("x-problem"):
            problem = (node["x-problem"], depth)
        tok = tokens[i]
        if tok in ("properties", "patternProperties") and i + 1 < len(tokens):
            node, depth, i = node[tok][tokens[i + 1]], depth + 1, i + 2
            continue
        node = node[tok]
        depth += tok in ("items", "additionalProperties")
        i += 1
    if isinstance(node, dict) and node.get("x-problem"):
        problem = (node["x-problem"], depth)
    path = list(err.absolute_path)
    inst, kind = err.instance, err.validator
    if problem:
        key, at = problem
        where = _name(prefix, path[:at])
        if kind == "enum":
            p.unknown(where, key, inst, err.validator_value, kinds=", ".join(err.validator_value))
        else:
            p.add(where, key)
        return
    where = _name(prefix, path)
    props = node.get("properties", {}) if isinstance(node, dict) else {}
    if kind == "required":
        for name in err.validator_value:
            if name not in inst:
                p.add(_name(where, [name]), props.get(name, {}).get("x-problem", "missing"))
    elif kind == "additionalProperties":
        for name in inst:
            if name not in props:
                p.unknown(_name(where, [name]), "unknown_field", name, list(props))
    elif kind == "type" and err.validator_value == "object":
        p.add(where, "not_a_mapping")
    elif kind == "type" and err.validator_value == "array":
        p.add(where, "not_a_list")
    else:
        p.add(where, "schema_other", detail=err.message)


def check_spec(path: Path, data: Any, lines: dict, banks: dict) -> list[Problem]:
    """Every problem of one assignment file (``data`` as read, ``lines`` of its fields)."""
    p = Problems(path.name, lines)
    top = kinds.top_schema({})
    for err in _errors(top, data):
        _report(p, err, top, "")
    if not isinstance(data, dict):
        return p.found
    if isinstance(data.get("assignment"), str) and data["assignment"] != path.stem:
        p.add("assignment", "id_not_file", stem=path.stem)
    items = data.get("items")
    ids: set[str] = set()
    for i, item in enumerate(items if isinstance(items, list) else []):
        where = f"items[{i}]"
        shape = kinds.item_schema()
        errors = _errors(shape, item)
        for err in errors:
            _report(p, err, shape, where)
        if not isinstance(item, dict):
            continue
        kind = kinds.of(item)
        if kind is None:
            p.add(where, "one_kind", kinds=", ".join(kinds.names()))
            continue
        own = kind.schema()
        errors += (more := _errors(own, item))
        for err in more:
            _report(p, err, own, where)
        iid = item.get("id")
        if kind.scored and isinstance(iid, str):
            if iid in ids:
                p.add(f"{where}.id", "repeated_id", id=iid)
            ids.add(iid)
        if not errors:
            kind.rules(p, where, item, banks)
    return p.found


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
def item_points(item: dict, banks: dict) -> float:
    return kinds.of(item).points(item, banks)


def notebook(spec: dict, banks: dict):
    """The nbgrader source notebook of one assignment (model answers included)."""
    import nbformat

    items = [(kinds.of(item), item) for item in spec["items"]]
    total = sum(kind.points(item, banks) for kind, item in items if kind.scored)
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    cells = Builder(spec["assignment"])
    head = f"# {spec['title']['zh']} / {spec['title']['en']}\n\n"
    if spec.get("intro"):
        head += both(spec["intro"]) + "\n\n"
    cells.markdown(head + t_both("assign.howto", total=_pts(total)))
    files_howto(cells)
    cells.code(SETUP_CODE, machinery(grade=False, solution=False, locked=True, grade_id="setup"))
    records = []
    n = 0
    for kind, item in items:
        n += kind.scored
        record = kind.cells(cells, n, item, banks)
        if record:
            records.append(record)
    cells.markdown(t_both("assign.selfcheck_heading"))
    listed = [
        {"n": r["n"], **({"qid": r["qid"]} if r.get("qid") else {"id": r["id"]})}
        for r in records
        if not kinds.get(r["kind"]).reports_itself
    ]
    src = "from sanshe_edu.grade.student import self_check\n\n"
    src += f"self_check(written={listed}, count={len(records)})"
    cells.code(src, machinery(grade=False, solution=False, locked=True, grade_id="self_check"))
    # Not the self-check last: Shift+Enter on the last cell adds an empty cell to the notebook.
    cells.markdown(
        t_both("assign.handin_last"), meta(grade=False, solution=False, locked=True,
                                           grade_id="handin")
    )  # fmt: skip
    nb.cells = cells.cells
    return nb


FILES_PICTURE = "files_howto.png"


def files_howto(cells: Builder) -> None:
    """How to put the file into JupyterLab and get it back out, with the picture
    (``course/images/files_howto.png``, ``scripts/shot_files_howto.py``) embedded as a cell
    attachment: the notebook carries it wherever it goes."""
    import base64

    from ..paths import course_dir

    text = t_both("assign.files_howto")
    picture = course_dir() / "images" / FILES_PICTURE
    if not picture.is_file():
        cells.markdown(text)
        return
    with use_lang("zh"):
        alt = t("assign.files_howto_picture")
    cells.markdown(f"{text}\n\n![{alt}](attachment:{FILES_PICTURE})")
    data = base64.b64encode(picture.read_bytes()).decode("ascii")
    cells.cells[-1]["attachments"] = {FILES_PICTURE: {"image/png": data}}


def _pts(points: float) -> Any:
    return int(points) if float(points).is_integer() else points


def model_answers(spec: dict, banks: dict) -> dict:
    """The widget answers of the model solution, in the format of ``sanshe_answers.json``."""
    answers: dict[str, dict] = {}
    for item in spec["items"]:
        answers.update(kinds.of(item).model_answers(item, banks))
    from ..quiz.graded import FORMAT as ANSWERS_FORMAT

    return {"format": ANSWERS_FORMAT, "answers": answers}


def schema_text() -> str:
    """``grading/assignments/schema.json`` as the kinds make it."""
    return json.dumps(kinds.file_schema(), ensure_ascii=False, indent=1) + "\n"


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
    out.update(release(layout, out, [s["assignment"] for s in specs]))
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
    schema = layout.specs / SCHEMA_NAME
    text = schema_text()
    if (schema.read_text(encoding="utf-8") if schema.is_file() else None) != text:
        if check_only:
            stale.append(t("assign.stale", file=_rel(schema, layout)))
        else:
            schema.write_text(text, encoding="utf-8")
            messages.append(t("assign.wrote", file=_rel(schema, layout)))
    if not check_only:
        messages.append(t("assign.built", n=len({p.parent.name for p in files})))
        stale = []
    return messages, stale


def _rel(path: Path, layout: Layout) -> str:
    try:
        return str(path.relative_to(layout.grading.parent))
    except ValueError:
        return str(path)
