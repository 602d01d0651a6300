"""Quiz widget figures: build time per question type and answer-to-feedback time in Python.

Run alone with ``.venv/bin/python bench/bench_quiz.py`` (or through ``bench/run.py``). Prints
``name: value unit`` lines. The browser's click-to-feedback time is measured by
``tests/browser/test_quiz_browser.py`` (real JupyterLab + Chromium); this prints the figures of
its last run from ``tests/artifacts/quiz_browser_timing.json`` when that file exists.
"""

from __future__ import annotations

import contextlib
import io
import json
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
    artifact = ROOT / "tests" / "artifacts" / "quiz_browser_timing.json"
    if artifact.is_file():
        data = json.loads(artifact.read_text("utf-8"))
        for name, seconds in data.get("click_to_feedback_s", {}).items():
            print(f"quiz_browser_click_to_feedback_{name}: {seconds * 1000:.0f} ms")
        if "median_s" in data:
            print(f"quiz_browser_click_to_feedback_median: {data['median_s'] * 1000:.0f} ms")


if __name__ == "__main__":
    main()
