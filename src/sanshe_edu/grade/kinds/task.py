"""A fill-in task: the student replaces each ``？`` of a code template; a check scores it.

The check is one of the check kinds of :mod:`sanshe_edu.grade.checks` (``value``, ``set``,
``sequence``, ``mapping``); the model answer must get full marks from its own key.
"""

from __future__ import annotations

import ast
from typing import Any, ClassVar

from ...i18n import t
from .. import checks
from ._base import CODE, ID, POINTS, TEXT, ItemKind, mapping, points_of
from .cells import both, check_doc, heading, hidden, literal, machinery, meta

CHECK = mapping(
    {
        "name": ID,
        "kind": {"enum": list(checks.KINDS), "x-problem": "unknown_kind"},
        "key": {},
        "choices": {},
        "same": {},
    },
    ("name", "kind", "key"),
)
TASK = mapping(
    {"prompt": TEXT, "template": CODE, "answer": CODE, "check": CHECK},
    ("prompt", "template", "answer", "check"),
)


class TaskKind(ItemKind):
    name = "task"
    fields: ClassVar[dict[str, dict]] = {"points": POINTS, "task": TASK}

    def required(self):
        return (*super().required(), "points")

    def rules(self, p, where, item, banks):
        task, chk, cw = item["task"], item["task"]["check"], f"{where}.task.check"
        bad_code = False
        for name in ("template", "answer"):
            try:
                compile(task[name], name, "exec")
            except SyntaxError as exc:
                p.add(f"{where}.task.{name}", "code_syntax", detail=exc.msg, line=exc.lineno)
                bad_code = True
        if not bad_code and not _assigns(task["answer"], chk["name"]):
            p.add(f"{cw}.name", "answer_lacks_name", name=chk["name"])
        elif not bad_code and not _assigns(task["template"], chk["name"]):
            p.add(f"{cw}.name", "template_lacks_name", name=chk["name"])
        shape = checks.KINDS[chk["kind"]].check_key(chk["key"])
        if shape:
            p.add(f"{cw}.key", shape)
        elif not bad_code and not _model_scores(item):
            p.add(f"{where}.task.answer", "answer_not_full")

    def cells(self, nb, n, item, banks):
        task, chk, points = item["task"], item["task"]["check"], self.points(item, banks)
        nb.markdown(heading(n, item, points) + "\n\n" + both(task["prompt"]))
        answer = nb.code(
            task["answer"].strip("\n"),
            meta(grade=False, solution=True, locked=False, grade_id=item["id"]),
        )
        answer.metadata["sanshe_template"] = task["template"].strip("\n")
        shown_same = _choice_synonyms(chk)  # one list of accepted forms: the form check's too
        visible = {"choices": chk.get("choices"), "same": shown_same, "keys": _named_keys(chk)}
        src = check_doc(n) + "from sanshe_edu.grade.checks import check\n\n"
        src += f'check(\n    "{chk["name"]}",\n    "{chk["kind"]}",\n'
        src += f"    points={points_of(points)},\n    n={n},\n"
        src += "".join(f"    {k}={literal(v)},\n" for k, v in visible.items() if v is not None)
        src += hidden({"key": chk["key"], "same": None if shown_same else chk.get("same")}) + ")"
        nb.code(
            src,
            machinery(grade=True, solution=False, locked=True, grade_id=f"{item['id']}_check",
                      points=points),
        )  # fmt: skip
        return {"n": n, "kind": self.name, "id": item["id"], "name": chk["name"],
                "check": chk["kind"], "choices": chk.get("choices"), **visible}  # fmt: skip

    def self_check_row(self, record, namespace):
        saved = record.get("saved")
        if saved is not None and saved.edited(record["name"]):
            return "fix", t("assign.sc_edited")
        status, msgs, _ = checks.task_status(record, namespace)
        return status, " ".join(m.text() for m in msgs)


def _assigns(code: str, name: str) -> bool:
    tree = ast.parse(code)
    return any(
        isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Store)
        for n in ast.walk(tree)
    )


def _model_scores(item: dict) -> bool:
    """The model answer gets full marks from its own check (else the key and answer disagree)."""
    task, chk = item["task"], item["task"]["check"]
    ns: dict[str, Any] = {}
    try:
        exec(compile(task["answer"], "answer", "exec"), ns)
        score = checks.check(
            chk["name"],
            chk["kind"],
            points=item["points"],
            key=chk["key"],
            choices=chk.get("choices"),
            same=chk.get("same"),
            namespace=ns,
            quiet=True,
        )
    except Exception:
        return False
    return score == item["points"]


KIND = TaskKind()


def _named_keys(chk: dict) -> list | None:
    """The keys a mapping's answer must keep, shown in the check call (the template has them):
    given for a check kind whose key is a mapping."""
    return list(chk["key"]) if checks.KINDS[chk["kind"]].key_type == "object" else None


def _choice_synonyms(chk: dict) -> dict | None:
    """``same`` when it only names other spellings of the allowed choices (so it tells nothing
    of the key): shown in the student's check, whose form check then accepts what the grader
    accepts; ``None`` (kept hidden) when it maps to anything else.

    >>> _choice_synonyms({"choices": {"plan": "方案制订"}, "same": {"方案设计": "plan"}})
    {'方案设计': 'plan'}
    >>> _choice_synonyms({"choices": ["a"], "same": {"x": "b"}}) is None
    True
    """
    same, choices = chk.get("same"), chk.get("choices")
    if not same or not choices:
        return None
    names = set(choices) | (set(choices.values()) if isinstance(choices, dict) else set())
    return same if all(target in names for target in same.values()) else None
