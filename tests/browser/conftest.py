"""Real-browser fixtures: one real ``jupyter lab`` per session, driven by Debian's Chromium.

The harness itself (:class:`~support.jupyterlab.LabServer`, :class:`~support.jupyterlab.Lab`,
the Chromium settings) is ``tests/support/jupyterlab.py``, which ``bench/bench_quiz.py`` uses
too; import from there, not from this file.  Every test under ``tests/browser/`` is marked
``browser``.  Fixtures:

``lab_server`` (session)
    A running :class:`~support.jupyterlab.LabServer` in a tmp folder.

``browser`` (session)
    A Playwright ``Browser`` (Chromium at ``/usr/bin/chromium``, fresh profile per launch).

``page`` (function)
    A fresh browser context and page (1400x1000).  On teardown the context is closed and all
    kernels of the server are shut down.  Console errors are collected in ``page.console_errors``.

``lab`` (function) — a :class:`~support.jupyterlab.Lab` bound to ``lab_server`` and ``page``.

Chromium missing: the tests skip on a developer machine, but FAIL when ``CI`` is set
(``CI=true``) or ``SANSHE_EDU_REQUIRE_BROWSER=1`` (``scripts/test.sh`` sets it), so CI can
never pass by skipping them.  ``SANSHE_EDU_CHROMIUM`` points at another Chromium binary.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

TESTS = str(Path(__file__).resolve().parents[1])
if TESTS not in sys.path:  # tests/support/ (the harness), tests/*_support.py
    sys.path.insert(0, TESTS)

from support.jupyterlab import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    DEFAULT_TIMEOUT_MS,
    Lab,
    LabServer,
)


def _must_run() -> bool:
    """In CI (``CI`` set) and under ``scripts/test.sh`` the browser tests may not skip."""
    flags = (os.environ.get("CI", ""), os.environ.get("SANSHE_EDU_REQUIRE_BROWSER", ""))
    return any(f.strip().lower() not in ("", "0", "false", "no") for f in flags)


def _missing_browser_reason() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[test]')"
    return None


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


def _require_browser() -> None:
    reason = _missing_browser_reason()
    if reason is None:
        return
    if _must_run():
        pytest.fail(f"browser tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory):
    _require_browser()
    server = LabServer(tmp_path_factory.mktemp("jupyterlab"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, lab_server):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    pg = context.new_page()
    pg.console_errors = []
    pg.on(
        "console",
        lambda msg: pg.console_errors.append(msg.text) if msg.type == "error" else None,
    )
    yield pg
    context.close()
    lab_server.shutdown_kernels()


@pytest.fixture
def lab(lab_server, page, request):
    return Lab(lab_server, page, name=request.node.name)
