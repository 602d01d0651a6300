"""The browser harness cannot pass silently: without a browser the tests fail in CI.

(Locally they skip instead; that path is not tested to keep the suite lean.)
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _run_browser_test(ci: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "SANSHE_EDU_REQUIRE_BROWSER")}
    env.update(CI=ci, SANSHE_EDU_CHROMIUM="/nonexistent/chromium")
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/browser/test_platform_browser.py::test_nbgrader_menu_and_formgrader_load",
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_missing_browser_fails_in_ci():
    out = _run_browser_test("true")
    assert out.returncode == 1, out.stdout
    assert "browser tests cannot run in CI" in out.stdout
    assert "1 error" in out.stdout or "1 failed" in out.stdout
