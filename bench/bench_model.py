"""Model and drawing speed: a 200-organisation subject-linkage network built and analysed, and
static figures drawn and rendered to PNG.

``main()`` prints ``name: value unit`` lines (median of several runs, after one warm-up run so
library imports and font loading are not counted twice; the first, cold figure is reported on
its own line). The network is random but seeded: the same every run.

Run: ``.venv/bin/python bench/bench_model.py`` (or through ``bench/run.py``).
"""

from __future__ import annotations

import random
import statistics
import subprocess
import sys
import time

N_ORGS = 200
N_RELATIONS = 500
REPEATS = 5


def make_network_data(n: int = N_ORGS, m: int = N_RELATIONS, seed: int = 0):
    """``n`` organisations of every kind and ``m`` distinct random relations (seeded)."""
    from sanshe_edu.model import ORG_KINDS, RELATION_TYPES

    rng = random.Random(seed)
    kinds = sorted(ORG_KINDS)
    orgs = [
        {"id": f"o{i:03d}", "name": f"组织{i}", "kind": kinds[i % len(kinds)]} for i in range(n)
    ]
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < m:
        a, b = rng.sample(range(n), 2)
        pairs.add((min(a, b), max(a, b)))
    relations = [
        {"source": f"o{a:03d}", "target": f"o{b:03d}", "type": rng.choice(RELATION_TYPES)}
        for a, b in sorted(pairs)
    ]
    return orgs, relations


def _median_ms(fn, repeats: int = REPEATS) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def _import_ms(module: str) -> float:
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout) * 1000


def main() -> None:
    print(f"model_import_sanshe_edu: {_import_ms('sanshe_edu'):.0f} ms")
    print(f"model_import_model: {_import_ms('sanshe_edu.model'):.0f} ms")

    from sanshe_edu.model import analyse_network, build_network, load_case, prioritise_issues

    orgs, relations = make_network_data()

    def build_and_analyse():
        report = analyse_network(build_network(orgs, relations))
        assert report.categories  # keep the work observable

    print(f"model_build_analyse_{N_ORGS}_orgs: {_median_ms(build_and_analyse):.1f} ms")
    G = build_network(orgs, relations)
    print(f"model_analyse_{N_ORGS}_orgs: {_median_ms(lambda: analyse_network(G)):.1f} ms")
    issues = load_case()["issues"]
    print(f"model_prioritise_case_issues: {_median_ms(lambda: prioritise_issues(issues)):.2f} ms")

    start = time.perf_counter()
    from sanshe_edu.draw import draw_benefit_matrix, draw_network, network_svg

    assert draw_benefit_matrix().svg
    print(f"draw_first_figure_cold: {(time.perf_counter() - start) * 1000:.0f} ms")
    print(
        f"draw_network_{N_ORGS}_orgs_svg: "
        f"{_median_ms(lambda: draw_network(G).svg, repeats=3):.0f} ms"
    )
    case = load_case()
    small = build_network(case["organisations"], case["relations"])
    print(f"draw_network_case_svg: {_median_ms(lambda: draw_network(small).svg):.1f} ms")
    # The network builder redraws its diagram (the case's organisations) on every link added
    # or removed: goal < 20 ms.
    print(f"network_builder_redraw_svg: {_median_ms(lambda: network_svg(small)):.1f} ms")


if __name__ == "__main__":
    main()
