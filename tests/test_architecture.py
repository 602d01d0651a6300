"""The package's import graph: no circles, and nothing runs back up a layer.

Every module under ``src/sanshe_edu`` is parsed (not imported) and each import is resolved to
the module it loads: ``import sanshe_edu.x.y``, ``from sanshe_edu.x import y``, relative
imports, imports inside functions (lazy imports are still dependencies), and
``importlib.import_module("sanshe_edu.…")`` with a literal name; the command table
``sanshe_edu.cli.SUBCOMMANDS`` counts as imports of ``cli``.  Imports under
``if TYPE_CHECKING:`` are left out: they never run.

Layers (:data:`LAYERS`, lowest first) are made of *units*: a package directly under
``sanshe_edu`` (``sanshe_edu.grade``) or a top-level module (``sanshe_edu.cli``).  A module
may import any module of its own unit and any module of a unit on a lower layer; two units on
the same layer do not import each other.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
ROOT = "sanshe_edu"

#: Lowest first.  A unit may import the units of the layers below its own.
LAYERS: list[set[str]] = [
    {"sanshe_edu.i18n", "sanshe_edu.paths"},  # messages and folders: import nothing of ours
    {"sanshe_edu.errors", "sanshe_edu"},  # the error type; the package (set_lang, __version__)
    {"sanshe_edu.model", "sanshe_edu.roster"},  # the course's model; the roster file
    {"sanshe_edu.draw"},  # figures of the model
    # questions and widgets; running JupyterLab (lab, doctor's machine checks, check);
    # the browser edition's build
    {"sanshe_edu.quiz", "sanshe_edu.platform", "sanshe_edu.lite"},
    {"sanshe_edu.grade"},  # nbgrader: authoring, grading, the trainer's commands
    {"sanshe_edu.classroom"},  # the class server (uses grade's course, platform's lab)
    # ``sanshe-edu doctor``: the platform's checks and the classroom's; ``sanshe-edu build``:
    # the banks, then the assignments
    {"sanshe_edu.doctor", "sanshe_edu.build"},
    {"sanshe_edu.cli"},  # the command (SUBCOMMANDS names the modules it runs)
    {"sanshe_edu.__main__"},
]

#: Problems in ``grade/`` that the grade/ refactor (issue 20, other branches) is removing.
#: The lead empties this set when merging them; nothing may be added to it.
#: Cycles as frozensets of modules (a strongly connected part of the graph).
KNOWN_GRADE_EXCEPTIONS: set[frozenset[str]] = set()
#: The network question type's two modules import each other (branch ``qtypes`` breaks it).
KNOWN_QTYPES_EXCEPTIONS: set[frozenset[str]] = set()
#: ``grade/`` modules over :data:`MAX_GRADE_LINES` lines today (§8 splits them); the lead
#: empties this set when merging the refactor; nothing may be added to it.
KNOWN_GRADE_LONG_MODULES: set[str] = set()
MAX_GRADE_LINES = 400


# -- the graph --------------------------------------------------------------------------------
def modules(src: Path, root: str = ROOT) -> dict[str, tuple[Path, bool]]:
    """``{module name: (file, is a package's __init__)}`` of every module under ``src/root``."""
    out = {}
    for path in sorted((src / root).rglob("*.py")):
        parts = list(path.relative_to(src).with_suffix("").parts)
        package = parts[-1] == "__init__"
        if package:
            parts.pop()
        out[".".join(parts)] = (path, package)
    return out


def _type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


class _Imports(ast.NodeVisitor):
    """Every imported name of one module, as (absolute dotted base, imported names)."""

    def __init__(self, package: str) -> None:
        self.package = package  # the package relative imports start from
        self.found: list[tuple[str, list[str]]] = []

    def visit_If(self, node: ast.If) -> None:
        if _type_checking(node.test):
            for child in node.orelse:
                self.visit(child)
        else:
            self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self.found.append((alias.name, []))

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level:
            parts = self.package.split(".")
            parts = parts[: len(parts) - (node.level - 1)]
            base = ".".join(parts + ([node.module] if node.module else []))
        else:
            base = node.module or ""
        self.found.append((base, [a.name for a in node.names]))

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if (
            name == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
            and not node.args[0].value.startswith(".")
        ):
            self.found.append((node.args[0].value, []))
        self.generic_visit(node)


def _resolve(name: str, known: Iterable[str]) -> str | None:
    """The module that importing ``name`` loads last: ``name`` or its longest known prefix."""
    known = set(known)
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


def import_graph(src: Path = SRC, root: str = ROOT) -> dict[str, set[str]]:
    """``{module: the modules of the package it imports}`` (itself left out)."""
    mods = modules(src, root)
    graph: dict[str, set[str]] = {}
    for name, (path, package) in mods.items():
        visitor = _Imports(name if package else name.rpartition(".")[0])
        visitor.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        targets = set()
        for base, names in visitor.found:
            if base != root and not base.startswith(root + "."):
                continue
            for imported in names or [""]:
                full = f"{base}.{imported}" if imported else base
                targets.add(full if full in mods else _resolve(base, mods))
        targets.discard(name)
        targets.discard(None)
        graph[name] = targets
    return graph


def unit(module: str, root: str = ROOT) -> str:
    """``sanshe_edu.grade.cli`` → ``sanshe_edu.grade``; ``sanshe_edu.cli`` stays."""
    return ".".join(module.split(".")[:2]) if module != root else root


def cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected parts of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            part = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                part.add(w)
                if w == v:
                    break
            if len(part) > 1:
                found.append(frozenset(part))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def a_cycle(graph: dict[str, set[str]], part: frozenset[str]) -> list[str]:
    """One shortest circle through the first module of ``part``: ``[a, b, …, a]``."""
    start = min(part)
    paths = {start: [start]}
    queue = [start]
    while queue:
        v = queue.pop(0)
        for w in sorted(graph[v] & part):
            if w == start:
                return [*paths[v], start]
            if w not in paths:
                paths[w] = [*paths[v], w]
                queue.append(w)
    raise AssertionError(f"no circle in {sorted(part)}")


def layer_of(layers: list[set[str]]) -> dict[str, int]:
    return {u: i for i, layer in enumerate(layers) for u in layer}


def upward(graph: dict[str, set[str]], layers: list[set[str]]) -> list[str]:
    """Every import of a unit on the same or a higher layer, as one readable line each."""
    level = layer_of(layers)
    out = []
    for a in sorted(graph):
        for b in sorted(graph[a]):
            ua, ub = unit(a), unit(b)
            if ua == ub or ua not in level or ub not in level:
                continue
            if level[ua] < level[ub]:
                out.append(f"{a} imports {b}: layer {level[ua]} ({ua}) < {level[ub]} ({ub})")
            elif level[ua] == level[ub]:
                out.append(f"{a} imports {b}: {ua} and {ub} share layer {level[ua]}")
    return out


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    g = import_graph()
    from sanshe_edu.cli import SUBCOMMANDS  # imported by name when the command is used

    g["sanshe_edu.cli"] |= set(SUBCOMMANDS.values())
    return g


# -- the package ------------------------------------------------------------------------------
def test_every_unit_has_a_layer(graph):
    units = {unit(m) for m in graph}
    placed = set().union(*LAYERS)
    assert units - placed == set(), "put these in LAYERS (tests/test_architecture.py)"
    assert placed - units == set(), "LAYERS names units that do not exist"
    assert sum(len(layer) for layer in LAYERS) == len(placed), "a unit is in two layers"


def test_no_import_cycle(graph):
    known = KNOWN_GRADE_EXCEPTIONS | KNOWN_QTYPES_EXCEPTIONS
    new = [" → ".join(a_cycle(graph, part)) for part in cycles(graph) if part not in known]
    assert new == [], "import circles:\n" + "\n".join(new)


def test_no_import_runs_back_up_a_layer(graph):
    bad = upward(graph, LAYERS)
    assert bad == [], "imports against the layers (LAYERS, lowest first):\n" + "\n".join(bad)


def test_grade_modules_are_short():
    long = {
        name: n
        for name, (path, _) in modules(SRC).items()
        if name.startswith("sanshe_edu.grade.")
        and (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_GRADE_LINES
    }
    assert set(long) - KNOWN_GRADE_LONG_MODULES == set(), f"over {MAX_GRADE_LINES} lines: {long}"
    gone = KNOWN_GRADE_LONG_MODULES - set(long)
    assert not gone, f"short now (or gone): remove {sorted(gone)} from KNOWN_GRADE_LONG_MODULES"


def test_known_exceptions_are_still_real(graph):
    """So the sets only shrink: a fixed problem must leave its set (the lead empties them)."""
    real = set(cycles(graph))
    for name, known in (
        ("KNOWN_GRADE_EXCEPTIONS", KNOWN_GRADE_EXCEPTIONS),
        ("KNOWN_QTYPES_EXCEPTIONS", KNOWN_QTYPES_EXCEPTIONS),
    ):
        fixed = [sorted(part) for part in known - real]
        assert not fixed, f"no longer a circle: remove {fixed} from {name}"


# -- the checker itself, on a made-up package -------------------------------------------------
def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = tmp_path / "pkg" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def test_the_checker_finds_each_kind_of_import(tmp_path):
    src = _package(
        tmp_path,
        {
            "__init__.py": "",
            "low.py": "def f():\n    from .high import x  # lazy: still a dependency\n",
            "high/__init__.py": "from . import part\n",
            "high/part.py": (
                "from typing import TYPE_CHECKING\nimport importlib\n"
                "from pkg.low import f\n"
                "if TYPE_CHECKING:\n    from pkg import other\n"
                "else:\n    import pkg.high\n"
                "importlib.import_module('pkg.other')\n"
            ),
            "other.py": "import os\nimport pkg.high.part as p\n",
        },
    )
    g = import_graph(src, "pkg")
    assert g == {
        "pkg": set(),
        "pkg.low": {"pkg.high"},
        "pkg.high": {"pkg.high.part"},
        "pkg.high.part": {"pkg.low", "pkg.high", "pkg.other"},
        "pkg.other": {"pkg.high.part"},
    }
    parts = cycles(g)
    assert parts == [frozenset({"pkg.low", "pkg.high", "pkg.high.part", "pkg.other"})]
    assert a_cycle(g, parts[0]) == ["pkg.high", "pkg.high.part", "pkg.high"]
    layers = [{"pkg.low"}, {"pkg.high", "pkg.other"}]
    assert upward(g, layers) == [
        "pkg.high.part imports pkg.other: pkg.high and pkg.other share layer 1",
        "pkg.low imports pkg.high: layer 0 (pkg.low) < 1 (pkg.high)",
        "pkg.other imports pkg.high.part: pkg.other and pkg.high share layer 1",
    ]
