"""A graded widget's answer is saved inside the notebook: answer by clicking in real
JupyterLab, save the notebook, and the file alone holds the answer (no sanshe_answers.json
needed); Reset empties it again."""

from __future__ import annotations

import json

import nbformat

from sanshe_edu.quiz.graded import FILENAME, NOTEBOOK_MIME


def _records(path) -> list[dict]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [
        out["data"][NOTEBOOK_MIME]
        for cell in nb["cells"]
        for out in cell.get("outputs", [])
        if NOTEBOOK_MIME in out.get("data", {})
    ]


def test_graded_answer_is_saved_in_the_notebook(lab, lab_server):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "import sanshe_edu\nsanshe_edu.set_lang('en')\nfrom sanshe_edu.quiz import ask\n"
            "ask('a1.newland', graded=True)"
        )
    ]
    name = lab.put_notebook(nb, "graded_answer/graded_answer_in_notebook.ipynb")
    path = lab_server.root / name
    (path.parent / FILENAME).unlink(missing_ok=True)  # no answer from an earlier run
    lab.open(name)
    lab.run_all()
    lab.assert_no_errors()
    w = lab.page.locator(".sanshe-quiz-single:visible").first
    w.get_by_text("graded automatically, 1 pt").wait_for()  # who marks it, no question id
    lab.widget("No answer saved yet").wait_for()
    w.get_by_text("facilitative governance (促进性治理)").click()
    w.get_by_role("button", name="Save").click()
    lab.widget("Saved answer (kept in this notebook").wait_for(timeout=15_000)
    lab._menu("File", "Save Notebook")
    lab.page.wait_for_function("() => !document.querySelector('.jp-mod-dirty')", timeout=15_000)
    (path.parent / FILENAME).unlink(missing_ok=True)  # the notebook alone must hold it
    records = _records(path)
    assert [(r["qid"], r["answer"]) for r in records] == [("a1.newland", "facilitative")]
    lab.screenshot("graded_answer_saved")
