"""Shared pytest set-up for tests/ and the doctests in src/.

Every test starts in the default language with no language variable set, and whatever a test
does to the language (``set_lang``, ``sanshe-edu --lang`` run in-process, which sets
``SANSHE_EDU_LANG``) is undone afterwards, so no test depends on the order tests run in.
"""

import os

import pytest

from sanshe_edu import i18n


@pytest.fixture(autouse=True)
def _isolated_language():
    saved_env = os.environ.pop(i18n.ENV_VAR, None)
    saved_lang = i18n._current
    i18n.set_lang(None)
    try:
        yield
    finally:
        i18n._current = saved_lang
        if saved_env is None:
            os.environ.pop(i18n.ENV_VAR, None)
        else:
            os.environ[i18n.ENV_VAR] = saved_env
