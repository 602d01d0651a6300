"""Quiz widget figures: build time per question type and answer-to-feedback time in Python.

Run alone with ``.venv/bin/python bench/bench_quiz.py`` (or through ``bench/run.py``). Prints
``name: value unit`` lines. Then the browser's click-to-feedback time in a real JupyterLab and
Chromium, with the steps that ``tests/browser/test_quiz_browser.py`` checks
(``tests/support/quiz_clicks.py``; about half a minute).
"""

from __future__ import annotations

import contextlib
import io
import os
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPEAT = 15


def _median_ms(fn, repeat: int = REPEAT) -> float:
    """Median wall time of ``fn`` in ms. Outside a kernel, widget Output areas print to stdout
    (the network diagram's repr); that is swallowed so only figures are printed."""
    times = []
    for _ in range(repeat):
        with contextlib.redirect_stdout(io.StringIO()):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    before = os.environ.get("SANSHE_EDU_DATA_DIR")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            os.environ["SANSHE_EDU_DATA_DIR"] = tmp  # never touch the learner's own progress
            _widgets()
    finally:
        if before is None:
            os.environ.pop("SANSHE_EDU_DATA_DIR", None)
        else:
            os.environ["SANSHE_EDU_DATA_DIR"] = before
    _browser_figures()


def _widgets() -> None:
    import yaml

    from sanshe_edu.i18n import use_lang
    from sanshe_edu.quiz import ask
    from sanshe_edu.quiz.build import plain_answer

    source = yaml.safe_load((ROOT / "questions" / "example.yaml").read_text("utf-8"))
    right = {q["id"]: plain_answer(q) for q in source["questions"]}
    right["build_linkage"] = [["jwh", "sg"], ["jwh", "wy"], ["lv", "sg"]]
    right["reflect_dong"] = "联是基础和结构，动是目标和功能，关键在行动。" * 2
    with use_lang("zh"):
        with contextlib.redirect_stdout(io.StringIO()):
            ask("example.rc_nature")  # warm-up: imports ipywidgets, loads the bank
            ask("example.build_linkage")  # and matplotlib, networkx, the case
        for q in source["questions"]:
            qid = f"example.{q['id']}"
            build_ms = _median_ms(lambda qid=qid: ask(qid))
            print(f"quiz_build_{q['type']}: {build_ms:.1f} ms")
        for q in source["questions"]:
            with contextlib.redirect_stdout(io.StringIO()):
                w = ask(f"example.{q['id']}")

            def answer(w=w, a=right[q["id"]]):
                w.set_answer(a)
                w.check_button.click()

            print(f"quiz_answer_to_feedback_{q['type']}: {_median_ms(answer):.1f} ms")
        # A wrong answer of the types judged in parts: every part's reason is opened and shown.
        for q in source["questions"]:
            if q["type"] not in ("categorise", "match", "order", "matrix"):
                continue
            with contextlib.redirect_stdout(io.StringIO()):
                w = ask(f"example.{q['id']}")

            wrong = _all_wrong(q, right[q["id"]])

            def answer_wrong(w=w, a=wrong):
                w.set_answer(a)
                w.check_button.click()

            print(f"quiz_answer_to_feedback_{q['type']}_wrong: {_median_ms(answer_wrong):.1f} ms")


def _all_wrong(q: dict, right):
    """An answer with every part wrong: each step one place off, every other part given the
    next target."""
    if q["type"] == "order":
        return right[1:] + right[:1]
    field = {"categorise": "bins", "match": "right", "matrix": "outcomes"}[q["type"]]
    ids = [x["id"] for x in q[field]]
    return {k: ids[(ids.index(v) + 1) % len(ids)] for k, v in right.items()}


def _browser_figures() -> None:
    """Click → feedback in a real JupyterLab driven by Chromium: the steps that
    ``tests/browser/test_quiz_browser.py`` checks (``tests/support/quiz_clicks.py``: one
    question of each type answered by clicking), each timed in the page from the click's event
    to the first frame painted with the feedback. The median leaves out the network builder
    (its check follows a drag of links)."""
    import sys

    sys.path.insert(0, str(ROOT / "tests"))  # tests/support: the harness, not test files
    from playwright.sync_api import sync_playwright
    from support import jupyterlab as harness
    from support import quiz_clicks as quiz

    with tempfile.TemporaryDirectory() as tmp:
        server = harness.LabServer(Path(tmp))
        server.start()
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(
                    executable_path=harness.CHROMIUM, headless=True, args=harness.CHROMIUM_ARGS
                )
                context = browser.new_context(viewport={"width": 1400, "height": 1000})
                context.set_default_timeout(harness.DEFAULT_TIMEOUT_MS)
                lab = harness.Lab(server, context.new_page(), name="bench_quiz")
                lab.open(lab.put_notebook(quiz.notebook(), "quiz_all_types.ipynb"))
                lab.run_all()
                for qtype in quiz.TYPES:
                    quiz.widget(lab, qtype).wait_for()
                quiz.dismiss_kernel_dialog(lab)
                timing = quiz.answer_everything(lab)
                browser.close()
        finally:
            server.stop()
    for name, seconds in timing.items():
        print(f"quiz_browser_click_to_feedback_{name}: {seconds * 1000:.0f} ms")
    median = statistics.median(v for k, v in timing.items() if k != "network")
    print(f"quiz_browser_click_to_feedback_median: {median * 1000:.0f} ms (goal ≤ 100 ms)")


if __name__ == "__main__":
    main()
