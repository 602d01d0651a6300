#!/bin/sh
# Student set-up: install the course into a virtual environment and open it in JupyterLab.
#   sh scripts/start.sh [sanshe-edu lab options, e.g. --no-browser --port 8890]
#   sh scripts/start.sh --trainer   (a trainer: a desktop launcher for the grading cockpit, then
#                                    the cockpit itself instead of the students' start page)
# Safe to run again: it only installs what is missing, and never overwrites your notebooks.
set -eu
REPO=$(cd "$(dirname "$0")/.." && pwd)
VENV="${SANSHE_EDU_VENV:-$REPO/.venv}"
. "$REPO/scripts/_common.sh"

if command -v apt-get >/dev/null 2>&1; then
    # Chinese text in static figures needs a CJK font (the browser brings its own).
    ensure_system_packages fonts-noto-cjk || say "没有安装中文字体，图中的中文可能显示为方框 / no CJK font installed: Chinese in figures may show as boxes"
fi
# As root ("full isolation" grading), every kernel runs as a user of its own, which must pass
# through the folders on the way to the course and its venv (a checkout under /root, mode 700).
ensure_others_can_enter "$REPO"
ensure_venv
ensure_others_can_enter "$VENV"
pip_install_once "$REPO"
if [ "${1:-}" = "--trainer" ]; then
    shift
    "$VENV/bin/sanshe-edu" teach --course "$REPO/grading" --make-launcher || true
    exec "$VENV/bin/sanshe-edu" teach --course "$REPO/grading" "$@"
fi
exec "$VENV/bin/sanshe-edu" lab "$@"
