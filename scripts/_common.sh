# Shared set-up steps for scripts/start.sh and scripts/test.sh (POSIX sh, sourced).
# Variables: REPO (checkout root), VENV (default $REPO/.venv), PYTHON (default python3).

say() { printf '%s\n' "sanshe-edu: $*" >&2; }

as_root() {
    if [ "$(id -u)" = 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        say "需要管理员权限 / needs root: $*"
        return 1
    fi
}

# ensure_system_packages DEB_PACKAGE... — install missing Debian/Ubuntu packages with apt-get.
# Without apt-get, print exactly what to install and fail.
ensure_system_packages() {
    missing=""
    for pkg in "$@"; do
        if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed"; then
            missing="$missing $pkg"
        fi
    done
    [ -z "$missing" ] && return 0
    if command -v apt-get >/dev/null 2>&1; then
        say "安装系统软件包 / installing system packages:$missing"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q || return 1
        # shellcheck disable=SC2086
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing \
            || return 1
        return 0
    fi
    say "此系统没有 apt-get，请用系统的包管理器安装：$missing"
    say "no apt-get on this system; install with your package manager:$missing"
    say "  Fedora: sudo dnf install chromium google-noto-sans-cjk-fonts python3"
    say "  Arch:   sudo pacman -S chromium noto-fonts-cjk python"
    say "  macOS:  brew install --cask chromium; export SANSHE_EDU_CHROMIUM=/Applications/Chromium.app/Contents/MacOS/Chromium"
    return 1
}

# other_users_can_run PYTHON — whether an unprivileged user could start this Python (when
# root, the grader runs students' kernels as such users; a Python under /root, mode 700, fails).
other_users_can_run() {
    [ "$(id -u)" = 0 ] || return 0
    command -v setpriv >/dev/null 2>&1 || return 0
    setpriv --reuid=65534 --regid=65534 --clear-groups "$1" -c 'import sys' >/dev/null 2>&1
}

# ensure_venv — create $VENV with pip (Debian needs python3-venv for that), from a Python that
# every user can run: /usr/bin/python3 when it is new enough, else python3 on PATH.
ensure_venv() {
    # The system Python when it is new enough: other Unix users (class-server students, the
    # grading sandbox) cannot run a venv made from a Python in root's home (pyenv).
    if [ -z "${PYTHON:-}" ]; then
        PYTHON=python3
        if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
            PYTHON=/usr/bin/python3
        fi
    fi
    if ! command -v "$PYTHON" >/dev/null 2>&1; then
        say "找不到 $PYTHON；请先安装 Python 3.10 或更新版本 / $PYTHON not found; install Python >= 3.10"
        return 1
    fi
    if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 10))'; then
        say "需要 Python 3.10 或更新版本 / Python >= 3.10 needed: $("$PYTHON" -V 2>&1)"
        return 1
    fi
    if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -m pip --version >/dev/null 2>&1; then
        if other_users_can_run "$VENV/bin/python"; then
            return 0
        fi
        say "其他用户无法运行 $VENV 的 Python（评分沙箱需要），重新创建 / other users cannot run the Python of $VENV (the grading sandbox needs it); recreating it"
    fi
    if ! "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1; then
        if command -v apt-get >/dev/null 2>&1; then
            pyver=$("$PYTHON" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
            ensure_system_packages python3-venv "python$pyver-venv" || return 1
        else
            say "Python 缺少 venv/ensurepip 模块，请安装（Debian/Ubuntu：python3-venv）"
            say "Python lacks the venv/ensurepip module; install it (Debian/Ubuntu: python3-venv)"
            return 1
        fi
    fi
    rm -rf "$VENV"
    say "创建虚拟环境 / creating the virtual environment: $VENV"
    "$PYTHON" -m venv "$VENV" || return 1
    "$VENV/bin/python" -m pip install -q --upgrade pip || return 1
}

# pip_install_once SPEC — `pip install -e SPEC` unless this venv already installed the same
# pyproject.toml with the same SPEC (a stamp file in the venv remembers it).
pip_install_once() {
    stamp="$VENV/.sanshe-edu-install-stamp"
    want="$1 $(cksum < "$REPO/pyproject.toml")"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && "$VENV/bin/python" -c 'import sanshe_edu' 2>/dev/null; then
        return 0
    fi
    say "pip install -e $1"
    "$VENV/bin/python" -m pip install -q -e "$1" || return 1
    printf '%s' "$want" > "$stamp"
}

# ensure_class_proxy — configurable-http-proxy (JupyterHub's proxy) in $REPO/.node, where the
# class-server tests and `sanshe-edu class setup` look for it; node and npm come from apt.
ensure_class_proxy() {
    [ -x "$REPO/.node/node_modules/.bin/configurable-http-proxy" ] && return 0
    if ! command -v npm >/dev/null 2>&1; then
        ensure_system_packages nodejs npm || return 1
    fi
    say "npm install configurable-http-proxy -> $REPO/.node"
    npm install --silent --no-audit --no-fund --prefix "$REPO/.node" configurable-http-proxy || return 1
}
