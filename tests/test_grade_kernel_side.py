"""The code that runs in the student's kernel (``grade/checks.py``, ``forms.py``, ``student.py``)
and the import paths that released notebooks and the nbgrader config name: the check kinds in
one registry, one status for ``check()`` and the self-check, no circle and no private names
imported across modules, and every name a committed notebook or the config imports still there.
"""

from __future__ import annotations

import ast
import importlib
import json
import re
from pathlib import Path

import pytest

from sanshe_edu.grade import checks, forms, student
from sanshe_edu.grade.checks import KINDS, CheckKind, check, task_status
from sanshe_edu.i18n import use_lang

REPO = Path(__file__).resolve().parents[1]
GRADE = REPO / "src" / "sanshe_edu" / "grade"
KERNEL_SIDE = ("checks", "forms", "student")


def imports_of(module: str) -> list[tuple[str, str]]:
    """(module, name) of every ``from … import name`` in ``grade/<module>.py``, resolved to
    the sibling module's short name for relative imports (``from .checks import x``)."""
    tree = ast.parse((GRADE / f"{module}.py").read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            source = ("." * node.level) + (node.module or "")
            found += [(source, alias.name) for alias in node.names]
    return found


@pytest.mark.parametrize("module", KERNEL_SIDE)
def test_no_private_names_imported_across_modules(module):
    private = [f"{src} import {name}" for src, name in imports_of(module) if name.startswith("_")]
    assert private == [], f"grade/{module}.py imports private names: {private}"


def test_checks_does_not_import_student():
    """student.py uses checks; checks (and forms) must not use student: no circle."""
    for module in ("checks", "forms"):
        sources = {src for src, _ in imports_of(module)}
        assert ".student" not in sources and "sanshe_edu.grade.student" not in sources, module
        assert not any(name == "student" for src, name in imports_of(module) if src == ".")


@pytest.mark.parametrize(
    "path",
    [GRADE / "checks.py", GRADE / "forms.py", *sorted((GRADE / "preprocessors").glob("*.py"))],
    ids=lambda p: p.name,
)
def test_modules_stay_small(path):
    lines = path.read_text(encoding="utf-8").count("\n")
    assert lines <= 400, f"{path.name} has {lines} lines"


def test_one_module_per_preprocessor():
    """nbgrader's own shape: each preprocessor in its module, all re-exported by the package."""
    from sanshe_edu.grade import preprocessors

    classes = [n for n in preprocessors.__all__ if n[0].isupper() and not n.isupper()]
    pre = [getattr(preprocessors, n) for n in classes if n not in ("MarksRemovedError", "Recheck")]
    assert len(pre) == 7
    assert len({cls.__module__ for cls in pre}) == 7


def test_every_check_kind_is_in_the_registry():
    assert list(KINDS) == ["value", "set", "mapping", "sequence"]
    for name, kind in KINDS.items():
        assert isinstance(kind, CheckKind) and kind.name == name
        assert kind.key_type in ("", "array", "object")
    kinds_in_code = {
        cls.name for cls in vars(checks).values()
        if isinstance(cls, type) and issubclass(cls, CheckKind) and cls.name
    }  # fmt: skip
    assert kinds_in_code == set(KINDS)


@pytest.mark.parametrize(
    ("kind", "good", "bad", "problem"),
    [
        ("value", "x", None, None),
        ("set", ["a"], {"a": 1}, "want_list_key"),
        ("sequence", ["a", "b"], "a, b", "want_list_key"),
        ("mapping", {"a": 1}, ["a"], "want_mapping_key"),
    ],
)
def test_a_kind_says_which_key_shape_it_wants(kind, good, bad, problem):
    assert KINDS[kind].check_key(good) is None
    assert KINDS[kind].check_key(bad) == problem


@pytest.mark.parametrize(
    ("namespace", "status", "first_key"),
    [
        ({}, "todo", "assign.no_variable"),
        ({"x": "？"}, "todo", "assign.not_answered"),
        ({"x": {"社区": "？", "社工": "a"}}, "fix", "assign.placeholder_left"),
        ({"x": {"社区": "z"}}, "fix", "assign.keys_lost"),
        ({"x": ["a"]}, "fix", "assign.want_dict"),
        ({"x": {"社区": "a", "社工": "甲"}}, "done", "assign.sc_done"),
    ],
)
def test_task_status_walks_missing_unanswered_form_done(namespace, status, first_key):
    item = {"name": "x", "check": "mapping", "choices": {"a": "甲", "b": "乙"},
            "keys": ["社区", "社工"]}  # fmt: skip
    got = task_status(item, namespace)
    assert (got.status, got.msgs[0].key) == (status, first_key)
    assert got.answered == (status != "todo")


def test_check_and_self_check_say_the_same(capsys):
    """The check under an item and the self-check's line for it come from one status."""
    ns = {"x": ["社区", "社工z"]}
    with use_lang("en"):
        check("x", "set", points=1, choices=["社区", "社工"], namespace=ns)
        said = capsys.readouterr().out.strip()
        rows = student.self_check(
            [{"n": 1, "kind": "task", "name": "x", "check": "set", "choices": ["社区", "社工"]}],
            namespace=ns,
        )
    assert rows[0][1] == "fix" and rows[0][2] == said.replace("\n", " ")
    assert "Did you mean" in said


def test_self_check_honours_synonyms_like_the_check():
    """A synonym given by ``same`` is a known answer for the self-check as for the check."""
    checks.SEEN.clear()
    ns = {"x": ["居委"]}
    assert check("x", "set", points=1, choices=["社区"], same={"居委": "社区"}, n=1,
                 namespace=ns, quiet=True) is None  # fmt: skip
    rows = student.self_check(namespace=ns)
    checks.SEEN.clear()
    assert [r[1] for r in rows] == ["done"]


def test_forms_needs_only_the_standard_library():
    tree = ast.parse((GRADE / "forms.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            pytest.fail(f"forms.py imports from the package: {ast.unparse(node)}")
    assert forms.normal(" ＡＢ ") == "ab"


IMPORT_LINE = re.compile(r"^\s*from (sanshe_edu\.grade\.[\w.]+) import ([\w, ]+)", re.M)
CONFIG_PATH = re.compile(r"[\"'](sanshe_edu\.grade\.[\w.]+)\.(\w+)[\"']")


def released_imports() -> set[tuple[str, str]]:
    """(module, name) of every ``from sanshe_edu.grade.x import name`` in a committed
    notebook (exercises/, grading/source/) and every class path in grading/nbgrader_config.py."""
    found = set()
    for folder in ("exercises", "grading/source"):
        for path in sorted((REPO / folder).rglob("*.ipynb")):
            nb = json.loads(path.read_text(encoding="utf-8"))
            for cell in nb["cells"]:
                source = "".join(cell["source"]) if cell["cell_type"] == "code" else ""
                for module, names in IMPORT_LINE.findall(source):
                    found |= {(module, n.strip()) for n in names.split(",") if n.strip()}
    config = (REPO / "grading" / "nbgrader_config.py").read_text(encoding="utf-8")
    found |= set(CONFIG_PATH.findall(config))
    found |= {(m, n) for m, names in IMPORT_LINE.findall(config) for n in names.split(",")}
    return {(m, n.strip()) for m, n in found if n.strip()}


def test_released_notebooks_and_the_config_still_import():
    wanted = released_imports()
    assert ("sanshe_edu.grade.checks", "check_widget") in wanted
    assert ("sanshe_edu.grade.preprocessors", "SealedRecheck") in wanted
    missing = [f"{m}.{n}" for m, n in sorted(wanted) if not hasattr(importlib.import_module(m), n)]
    assert missing == []
