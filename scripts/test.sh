#!/bin/sh
# Maintainer set-up and the whole test suite (this is what .ci/run runs):
#   sh scripts/test.sh [extra pytest arguments]
# Installs Chromium and a CJK font with apt-get (sudo when not root), creates .venv,
# installs the package with its test extra and configurable-http-proxy from npm (in .node/),
# runs ruff (lint + format check) and pytest.
set -eu
REPO=$(cd "$(dirname "$0")/.." && pwd)
VENV="${SANSHE_EDU_VENV:-$REPO/.venv}"
. "$REPO/scripts/_common.sh"
cd "$REPO"

if ! ensure_system_packages chromium fonts-noto-cjk; then
    # No apt: go on only when a Chromium is already where the tests look for it.
    [ -x "${SANSHE_EDU_CHROMIUM:-/usr/bin/chromium}" ] || exit 1
fi
# npm: the browser edition's build fetches the Pyodide runtime with `npm pack`, and the class
# server's proxy comes from npm. Any npm will do (a Node.js from NodeSource ships its own and
# conflicts with Debian's npm package), so ask apt only when there is none.
if ! command -v npm >/dev/null 2>&1; then
    ensure_system_packages nodejs npm || exit 1
fi
ensure_venv
pip_install_once "$REPO[test]"
# The class-server end-to-end test runs a real JupyterHub behind this proxy.
ensure_class_proxy

say "ruff check + ruff format --check"
"$VENV/bin/ruff" check src tests bench
"$VENV/bin/ruff" format --check src tests bench

# The browser edition's downloads (Pyodide from npm, wheels from PyPI) go to one cache, fetched
# here once, so the suite never downloads them twice (and a second run not at all).
export SANSHE_EDU_LITE_CACHE="${SANSHE_EDU_LITE_CACHE:-$REPO/.cache/lite}"
say "lite: fetching the browser edition's Pyodide and wheels (cached in $SANSHE_EDU_LITE_CACHE)"
"$VENV/bin/python" -m sanshe_edu.lite.build --fetch-only

# Browser tests must run here: a missing browser fails them instead of skipping.
export SANSHE_EDU_REQUIRE_BROWSER=1
say "pytest"
exec "$VENV/bin/python" -m pytest "$@"
