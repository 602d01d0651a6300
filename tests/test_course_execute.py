"""Every course notebook runs top to bottom, headless, with no error and no warning output.

Each notebook is executed with nbclient in a fresh kernel whose progress store
(``SANSHE_EDU_DATA_DIR``), matplotlib cache (``MPLCONFIGDIR``) and IPython profile are tmp
folders, so a run neither reads nor changes the user's state. Anything written to stderr (Python
warnings, matplotlib's "Glyph … missing from font") fails the test, as does an error output or
an output text mentioning a warning.
"""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parents[1]
COURSE = REPO / "course"
NOTEBOOKS = sorted(COURSE.glob("*.ipynb"))
TIMEOUT_S = 120


@pytest.fixture
def isolated_env(tmp_path, monkeypatch):
    for var, sub in [
        ("SANSHE_EDU_DATA_DIR", "data"),
        ("SANSHE_EDU_WORKSPACE", "workspace"),
        ("MPLCONFIGDIR", "mpl"),
        ("IPYTHONDIR", "ipython"),
        ("JUPYTER_RUNTIME_DIR", "runtime"),
    ]:
        (tmp_path / sub).mkdir()
        monkeypatch.setenv(var, str(tmp_path / sub))
    monkeypatch.delenv("SANSHE_EDU_LANG", raising=False)
    monkeypatch.setenv("PYTHONWARNINGS", "default")
    return tmp_path


def execute(path: Path, cwd: Path) -> nbformat.NotebookNode:
    """Run ``path`` in a fresh python3 kernel with ``cwd`` as working folder; return it run."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=TIMEOUT_S,
        kernel_name="python3",
        resources={"metadata": {"path": str(cwd)}},
        allow_errors=False,
    )
    client.execute()
    return nb


def problems(nb: nbformat.NotebookNode) -> list[str]:
    """Error outputs, stderr streams and warning texts found in the outputs of ``nb``."""
    found = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for out in cell.outputs:
            if out.output_type == "error":
                found.append(f"[{cell.id}] error {out.ename}: {out.evalue}")
            elif out.output_type == "stream" and out.name == "stderr":
                found.append(f"[{cell.id}] stderr: {out.text[:500]}")
            else:
                text = out.get("text") or out.get("data", {}).get("text/plain", "")
                if "Warning" in str(text):
                    found.append(f"[{cell.id}] warning text: {str(text)[:500]}")
    return found


def test_problems_detects_errors_and_warnings():
    """The checker is not a no-op: a stderr warning and an error output are both reported."""
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stderr", text="UserWarning: glyph missing"),
        nbformat.v4.new_output("error", ename="ValueError", evalue="boom", traceback=[]),
    ]
    nb.cells = [cell]
    assert len(problems(nb)) == 2


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_executes_clean(path, isolated_env):
    nb = execute(path, isolated_env)
    found = problems(nb)
    assert not found, f"{path.name}:\n" + "\n".join(found)
    # Nothing may be written next to the lessons or into the working folder besides caches.
    written = {p.name for p in isolated_env.iterdir()} - {
        "data",
        "workspace",
        "mpl",
        "ipython",
        "runtime",
    }
    assert not written, f"{path.name} wrote files: {written}"
    # Figures are SVG drawn by the browser (with a text alternative): no PNG, no matplotlib.
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            assert "image/png" not in data, f"{path.name}: a PNG figure in cell {cell.get('id')}"
            if "draw_" in cell.source and "image/svg+xml" in data:
                svg = data["image/svg+xml"]
                assert "<title" in svg and "<desc" in svg and 'role="img"' in svg


@pytest.mark.slow
def test_start_here_runs_in_english(isolated_env, monkeypatch):
    """The same notebook works with the English interface chosen by the environment."""
    monkeypatch.setenv("SANSHE_EDU_LANG", "en")
    nb = execute(COURSE / "00_start_here.ipynb", isolated_env)
    assert not problems(nb)


def test_execution_leaves_the_committed_notebooks_untouched():
    """Executing works on an in-memory copy: the files in course/ keep no outputs."""
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), path.name


if __name__ == "__main__":  # pragma: no cover - manual use: run one notebook and show problems
    import sys
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("SANSHE_EDU_DATA_DIR", tmp)
        for arg in sys.argv[1:]:
            print(arg, problems(execute(Path(arg), Path(tmp))) or "clean")


@pytest.mark.slow
def test_glossary_shows_every_entry_of_the_model(isolated_env):
    """The glossary page is generated from ``load_glossary()``: every term appears, none drift."""
    from sanshe_edu.model import load_glossary

    nb = execute(COURSE / "glossary.ipynb", isolated_env)
    shown = "\n".join(
        out.get("data", {}).get("text/markdown", "")
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.outputs
    )
    entries = load_glossary()
    assert len(entries) >= 30
    missing = [e["zh"] for e in entries if f"| {e['zh']} | {e['en']} |" not in shown]
    assert not missing, f"glossary page lacks: {missing}"
