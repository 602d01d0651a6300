"""Shared pytest set-up for tests/ and the doctests in src/.

Every test starts in the default language with no language variable set, and whatever a test
does to the language (``set_lang``, ``sanshe-edu --lang`` run in-process, which sets
``SANSHE_EDU_LANG``) is undone afterwards, so no test depends on the order tests run in.
"""

import os
import tempfile

import pytest

from sanshe_edu import i18n

# Replacements for third-party modules, read as text by the browser edition's build (see
# sanshe_edu.lite.wheels): not modules of this package, so not imported for their doctests.
collect_ignore = ["src/sanshe_edu/lite/patches"]


@pytest.fixture(autouse=True)
def _isolated_language():
    with i18n.kept_language():
        os.environ.pop(i18n.ENV_VAR, None)
        i18n.set_lang(None)
        yield


@pytest.fixture
def quiz_in_tmp(tmp_path, monkeypatch):
    """A quiz test's own world: progress store and working folder in ``tmp_path``, not graded
    (``NBGRADER_EXECUTION`` unset), messages in English."""
    monkeypatch.setenv("SANSHE_EDU_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.chdir(tmp_path)
    with i18n.use_lang("en"):
        yield


@pytest.fixture(autouse=True)
def _doctest_temp_files_in_tmp_path(request, tmp_path_factory, monkeypatch):
    """Doctests show ``tempfile.mkdtemp()`` as a reader would use it; under pytest those
    folders go into pytest's own temporary folder, which pytest removes, not into /tmp."""
    from _pytest.doctest import DoctestItem

    if isinstance(request.node, DoctestItem):
        monkeypatch.setattr(tempfile, "tempdir", str(tmp_path_factory.mktemp("doctest")))
    yield


def pytest_terminal_summary(terminalreporter):
    """The accessibility audit's per-page counts (tests/support/a11y.py), at the end of the
    run's output: ours (critical/serious) / JupyterLab's, nbgrader's or JupyterHub's."""
    import sys

    a11y = sys.modules.get("support.a11y")
    if a11y is None or not a11y.AUDITS:
        return
    terminalreporter.section("axe-core accessibility audit (issue 28)")
    for audit in a11y.AUDITS:
        terminalreporter.write_line(audit.summary())


@pytest.fixture
def no_foreign_loop():
    """For tests that run an asyncio loop of their own (tornado's test server): Playwright's
    sync API (the browser tests' session-wide browser, when they ran first in this process)
    leaves its event loop marked as running in this thread, and no other loop can run then.
    That loop is suspended while such a test runs: its mark is put aside and back."""
    import asyncio

    running = asyncio._get_running_loop()
    asyncio._set_running_loop(None)
    yield
    asyncio._set_running_loop(running)
