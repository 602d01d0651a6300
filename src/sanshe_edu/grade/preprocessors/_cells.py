"""What the preprocessors share: the metadata keys they use, which cells are test cells, and
what a test cell's code reads and says.

>>> sorted(free_names("x = answer + 1\\nassert sorted(x) == other"))
['answer', 'other']
>>> first_doc_line('\"\"\"Check that the dict has three keys.\"\"\"\\nassert True')
'Check that the dict has three keys.'
"""

from __future__ import annotations

import ast
import builtins

from nbformat.notebooknode import NotebookNode
from nbgrader.utils import is_grade, is_solution

from ..markers import BEGIN_HIDDEN, END_HIDDEN  # noqa: F401  (re-exported)

EXPORT_KEY = "sanshe_export"
WIDGET_RESOURCE = "sanshe_widget_answers"  # resources key: the widget answers handed in
WIDGET_ANSWERS = "__sanshe_widget_answers__"  # the name the re-check gives them (see checks)
INJECT_KEY = "sanshe_inject"
REPAIRED_KEY = "sanshe_repaired"  # an answer cell whose Chinese punctuation grading replaced

#: resources key: each test cell's whole source (hidden part included) while the kernel runs
#: the cell without it (``ExportAnswers`` keeps it, ``SealedRecheck`` puts it back)
SEALED_RESOURCE = "sanshe_sealed_tests"
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


def cell_grade_id(cell: NotebookNode) -> str:
    """The cell's nbgrader ``grade_id`` (``""`` when it has none)."""
    return str(cell.metadata.get("nbgrader", {}).get("grade_id", ""))
