"""The ``sanshe-edu`` command: lab / doctor / check, bad input, and the workspace sync rules."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat
import pytest

from sanshe_edu.paths import course_dir
from sanshe_edu.platform.workspace import (
    MANIFEST,
    kernel_metadata,
    offered_name,
    shipped_files,
    sync_course,
)

REPO = Path(__file__).resolve().parents[1]
EXE = [sys.executable, "-m", "sanshe_edu"]


@pytest.fixture
def env(tmp_path):
    """Environment with every Jupyter / sanshe-edu folder in tmp_path."""
    e = dict(os.environ)
    for var in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR"):
        e[var] = str(tmp_path / var.lower())
    e["SANSHE_EDU_DATA_DIR"] = str(tmp_path / "data")
    e["SANSHE_EDU_WORKSPACE"] = str(tmp_path / "workspace")
    e.pop("SANSHE_EDU_LANG", None)
    return e


def cli(*args, env, timeout=300):
    return subprocess.run([*EXE, *args], env=env, capture_output=True, text=True, timeout=timeout)


def _notebook(path: Path, *sources: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nbformat.write(nb, path)
    return path


# -- bad input: one translated line, exit 2, no traceback ---------------------------------------
@pytest.mark.parametrize(
    ("args", "zh", "en"),
    [
        (["lab", "--port", "abc"], "参数有误", "wrong arguments"),
        (["lab", "--port", "70000"], "端口 70000 无效", "port 70000 is not valid"),
        (["check", "no/such.ipynb"], "找不到 no/such.ipynb", "no/such.ipynb does not exist"),
        (["check", "README.md"], "不是笔记本", "is not a notebook"),
        (["nosuchcommand"], "参数有误", "wrong arguments"),
    ],
)
def test_bad_input_is_one_translated_line_with_exit_2(env, args, zh, en):
    env["PWD"] = str(REPO)
    for lang, expected in (("zh", zh), ("en", en)):
        out = subprocess.run(
            [*EXE, "--lang", lang, *args], env=env, capture_output=True, text=True, cwd=REPO
        )
        assert out.returncode == 2, out
        assert expected in out.stderr
        assert "Traceback" not in out.stderr
        assert len(out.stderr.strip().splitlines()) == 1, out.stderr


def test_busy_port_is_refused_before_anything_starts(env):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        out = cli("--lang", "en", "lab", "--port", str(port), "--no-browser", env=env)
    assert out.returncode == 2
    assert f"port {port} is already in use" in out.stderr
    assert f"--port {port + 1}" in out.stderr
    assert not Path(env["SANSHE_EDU_WORKSPACE"]).exists()  # nothing done before the refusal


def test_lab_on_a_file_is_refused(env, tmp_path):
    f = tmp_path / "a-file"
    f.write_text("x")
    out = cli("--lang", "en", "lab", str(f), env=env)
    assert out.returncode == 2 and "is a file, not a folder" in out.stderr


# -- check --------------------------------------------------------------------------------------
def test_check_reports_pass_and_fail_per_notebook_and_spares_the_store(env, tmp_path):
    """One run over a folder: a failing, a passing and a store-writing notebook.

    The store-writing one writes into SANSHE_EDU_DATA_DIR; check must point that at a
    throw-away folder so the learner's real progress store is never touched.
    """
    _notebook(tmp_path / "a_bad.ipynb", "raise KeyError('没有这个键')")
    _notebook(tmp_path / "b_good.ipynb", "x = 6 * 7", "assert x == 42")
    _notebook(
        tmp_path / "c_store.ipynb",
        "import os, pathlib\n"
        "p = pathlib.Path(os.environ['SANSHE_EDU_DATA_DIR'])\n"
        "p.mkdir(parents=True, exist_ok=True)\n"
        "(p / 'written.txt').write_text('x')",
    )
    out = cli("--lang", "en", "check", str(tmp_path), env=env)
    assert out.returncode == 1, out
    lines = out.stdout.strip().splitlines()
    assert lines[0].startswith("FAIL") and "a_bad.ipynb" in lines[0] and "KeyError" in lines[0]
    assert lines[1].startswith("PASS") and "b_good.ipynb" in lines[1] and " s " in lines[1]
    assert lines[2].startswith("PASS") and "c_store.ipynb" in lines[2]
    assert lines[-1] == "2/3 notebooks passed."
    assert not Path(env["SANSHE_EDU_DATA_DIR"]).exists()


# -- doctor -------------------------------------------------------------------------------------
def test_doctor_passes_here_and_names_each_check(env):
    out = cli("--lang", "en", "doctor", env=env)
    assert out.returncode == 0, out.stdout + out.stderr
    for what in ("Python", "JupyterLab", "@jupyter/nbgrader", "kernel", "(CJK) font"):
        assert what in out.stdout
    assert "[FAIL]" not in out.stdout


def test_doctor_fails_with_a_fix_when_an_extension_is_disabled(env, tmp_path):
    labconfig = Path(env["JUPYTER_CONFIG_DIR"]) / "labconfig"
    labconfig.mkdir(parents=True)
    (labconfig / "page_config.json").write_text(
        json.dumps({"disabledExtensions": {"@jupyter/nbgrader": True}})
    )
    env["SANSHE_EDU_WORKSPACE"] = str(tmp_path / "file-not-folder")
    Path(env["SANSHE_EDU_WORKSPACE"]).write_text("x")
    out = cli("--lang", "zh", "doctor", env=env)
    assert out.returncode == 1
    assert "[FAIL] 前端扩展 @jupyter/nbgrader: 已安装但被禁用" in out.stdout
    assert "jupyter labextension enable @jupyter/nbgrader" in out.stdout
    assert "[FAIL] 课程工作区可写" in out.stdout
    assert "有 2 项需要处理" in out.stdout


# -- workspace sync -----------------------------------------------------------------------------
def test_sync_copies_updates_unedited_and_never_overwrites_edits(tmp_path):
    src, ws = tmp_path / "course", tmp_path / "ws"
    src.mkdir()
    (src / "a.ipynb").write_text("a1")
    (src / "b.ipynb").write_text("b1")
    (src / ".ipynb_checkpoints").mkdir()
    (src / ".ipynb_checkpoints" / "a-checkpoint.ipynb").write_text("junk")
    first = sync_course(src, ws, version="0.1")
    assert first.copied == ["a.ipynb", "b.ipynb"]
    assert not (ws / ".ipynb_checkpoints").exists()
    assert json.loads((ws / MANIFEST).read_text())["version"] == "0.1"

    (ws / "a.ipynb").write_text("my work")  # the learner edits a, not b
    (src / "a.ipynb").write_text("a2")
    (src / "b.ipynb").write_text("b2")
    (src / "c.ipynb").write_text("c2")  # a new lesson
    second = sync_course(src, ws, version="0.2")
    assert (ws / "a.ipynb").read_text() == "my work"
    assert (ws / "a (新版 v0.2).ipynb").read_text() == "a2"
    assert second.offered == [("a.ipynb", "a (新版 v0.2).ipynb")]
    assert second.updated == ["b.ipynb"] and (ws / "b.ipynb").read_text() == "b2"
    assert second.copied == ["c.ipynb"]

    third = sync_course(src, ws, version="0.2")  # nothing new: nothing offered again
    assert third.offered == [] and third.kept == ["a.ipynb"]
    assert third.unchanged == ["b.ipynb", "c.ipynb"]


def test_sync_writes_the_kernel_metadata_and_a_new_python_is_no_edit(tmp_path):
    src, ws = tmp_path / "course", tmp_path / "ws"
    src.mkdir()
    nb = {"cells": [], "metadata": {"kernelspec": {"name": "python3"}}, "nbformat": 4}
    (src / "a.ipynb").write_text(json.dumps({**nb, "nbformat_minor": 5}))
    here = kernel_metadata()
    assert sync_course(src, ws, version="0.1", metadata=here).copied == ["a.ipynb"]
    written = json.loads((ws / "a.ipynb").read_text())
    assert written["metadata"] == here and written["cells"] == []

    # The same course under a newer Python: the learner did not edit it, so it is updated in
    # place (not kept, not offered as a new version beside it).
    newer = {**here, "language_info": {**here["language_info"], "version": "9.9.9"}}
    again = sync_course(src, ws, version="0.1", metadata=newer)
    assert again.updated == ["a.ipynb"] and again.offered == []
    assert json.loads((ws / "a.ipynb").read_text())["metadata"]["language_info"]["version"] == (
        "9.9.9"
    )


def test_offered_name_keeps_folder_and_suffix():
    assert offered_name(Path("x/y.md"), "1.0") == Path("x/y (新版 v1.0).md")


# -- lab serves the course ----------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_lab_copies_the_course_and_serves_it(env, tmp_path):
    ws = tmp_path / "my course"
    port = _free_port()
    env["JUPYTER_TOKEN"] = "sanshe-test-token"
    proc = subprocess.Popen(
        [*EXE, "lab", str(ws), "--port", str(port), "--no-browser"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/api/contents/00_start_here.ipynb?content=0"
        req = urllib.request.Request(url, headers={"Authorization": "token sanshe-test-token"})
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(req, timeout=5) as resp:
                    info = json.loads(resp.read())
                break
            except OSError:
                assert proc.poll() is None, proc.stdout.read()
                assert time.monotonic() < deadline, "lab did not answer in 60 s"
                time.sleep(0.3)
        assert info["type"] == "notebook"
        assert (ws / "00_start_here.ipynb").is_file()
    finally:
        proc.send_signal(signal.SIGINT)
        time.sleep(0.5)
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    assert "复制到" in proc.stdout.read()


def test_lab_tells_the_learner_where_the_new_version_went(tmp_path, monkeypatch, capsys):
    from sanshe_edu import __version__, paths
    from sanshe_edu.i18n import use_lang
    from sanshe_edu.platform.lab import prepare_workspace

    course, ws = tmp_path / "course", tmp_path / "ws"
    course.mkdir()
    (course / "00_start_here.ipynb").write_text("v1")
    monkeypatch.setattr(paths, "course_dir", lambda: course)
    with use_lang("en"):
        prepare_workspace(ws)
        assert f"copied 1 course files to {ws}" in capsys.readouterr().out
        (ws / "00_start_here.ipynb").write_text("my notes")
        (course / "00_start_here.ipynb").write_text("v2")
        prepare_workspace(ws)
    out = capsys.readouterr().out
    beside = f"00_start_here (新版 v{__version__}).ipynb"
    assert "you changed '00_start_here.ipynb', so it stays as it is" in out
    assert beside in out
    assert (ws / "00_start_here.ipynb").read_text() == "my notes"
    assert (ws / beside).read_text() == "v2"


# -- hints name a command that works from where the user is -------------------------------------
def _script() -> Path:
    return Path(sys.executable).parent / ("sanshe-edu.exe" if os.name == "nt" else "sanshe-edu")


@pytest.mark.parametrize("where", ["repo", "elsewhere", "venv_active"])
def test_doctor_ends_with_a_command_that_runs_as_printed(env, tmp_path, where):
    import shlex

    script = _script()
    assert script.exists(), "the test venv has the sanshe-edu script"
    bin_dir = str(script.parent)
    path = [
        p for p in env["PATH"].split(os.pathsep) if Path(p).resolve() != Path(bin_dir).resolve()
    ]
    if where == "venv_active":
        path.insert(0, bin_dir)
    env = {**env, "PATH": os.pathsep.join(path)}
    cwd = REPO if where == "repo" else tmp_path
    out = subprocess.run(
        [str(script), "--lang", "en", "doctor"],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )
    last = out.stdout.strip().splitlines()[-1]
    assert last.startswith("all set: run ") and last.endswith(" lab to start."), out.stdout
    cmd = last[len("all set: run ") : -len(" lab to start.")]
    expected = {
        "venv_active": "sanshe-edu",
        "repo": os.path.relpath(script, REPO) if script.is_relative_to(REPO) else str(script),
        "elsewhere": str(script),
    }[where]
    assert cmd.strip('"') in (expected, f".{os.sep}{expected}"), cmd
    # The hint works as printed, from that folder, with that PATH.
    runs = subprocess.run(
        [*shlex.split(cmd), "--help"], env=env, cwd=cwd, capture_output=True, timeout=120
    )
    assert runs.returncode == 0, runs.stderr


def test_without_the_script_the_hint_is_python_dash_m(monkeypatch, tmp_path):
    from sanshe_edu.platform import invocation

    fake = tmp_path / "bin" / "python3"
    fake.parent.mkdir()
    fake.write_text("")
    monkeypatch.setattr(sys, "executable", str(fake))
    monkeypatch.chdir(tmp_path)
    assert invocation.command() == f"{os.path.join('bin', 'python3')} -m sanshe_edu"


def _lab_page_facts(env, tmp_path, *args) -> dict:
    """Start ``sanshe-edu [ARGS] lab``, read what JupyterLab would show, stop it."""
    port = _free_port()
    env["JUPYTER_TOKEN"] = "sanshe-test-token"
    proc = subprocess.Popen(
        [*EXE, *args, "lab", str(tmp_path / "ws"), "--port", str(port), "--no-browser"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    headers = {"Authorization": "token sanshe-test-token"}

    def get(path: str) -> tuple[int, str]:
        req = urllib.request.Request(f"http://127.0.0.1:{port}/{path}", headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=5) as resp:
                return resp.status, resp.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, ""

    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                _, body = get("lab/api/settings/@jupyterlab/translation-extension:plugin")
                break
            except OSError:
                assert proc.poll() is None, proc.stdout.read()
                assert time.monotonic() < deadline, "lab did not answer in 60 s"
                time.sleep(0.3)
        locale = json.loads(body)["schema"]["properties"]["locale"]["default"]
        _, page = get("lab")
        disabled = json.loads(
            page.split('<script id="jupyter-config-data" type="application/json">')[1].split(
                "</script>"
            )[0]
        )["disabledExtensions"]
        assignments, _ = get("assignments?course_id=sanshe-edu")
        packs = json.loads(get("lab/api/translations/")[1])["data"]
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return {"locale": locale, "disabled": disabled, "assignments": assignments, "packs": packs}


def _exchange_config(env, root: Path) -> None:
    cfg = Path(env["JUPYTER_CONFIG_DIR"])
    cfg.mkdir(parents=True, exist_ok=True)
    (cfg / "nbgrader_config.py").write_text(f"c = get_config()\nc.Exchange.root = {str(root)!r}\n")


ASSIGNMENT_LIST = "@jupyter/nbgrader:assignment-list"


@pytest.mark.slow
def test_lab_in_chinese_without_assignment_list_when_there_is_no_exchange(env, tmp_path):
    """zh (the default): JupyterLab's locale is zh_CN (the language pack is installed); with
    no exchange the Assignment List is left out and its server part is off (no "Error fetching
    courses!" and no ExchangeError tracebacks)."""
    _exchange_config(env, tmp_path / "no-such-exchange")
    facts = _lab_page_facts(env, tmp_path)
    assert facts["locale"] == "zh_CN"
    assert "zh_CN" in facts["packs"]
    assert ASSIGNMENT_LIST in facts["disabled"]
    assert "@jupyter/nbgrader:course-list" in facts["disabled"]
    assert "@jupyter/nbgrader:menu" in facts["disabled"]
    # nbgrader's English Validate dialog is left out: the assignment's self-check replaces it.
    assert "@jupyter/nbgrader:validate-assignment" in facts["disabled"]
    assert facts["assignments"] == 404


@pytest.mark.slow
def test_lab_in_english_with_assignment_list_when_an_exchange_exists(env, tmp_path):
    exchange = tmp_path / "exchange"
    exchange.mkdir()
    _exchange_config(env, exchange)
    facts = _lab_page_facts(env, tmp_path, "--lang", "en")
    assert facts["locale"] == "default"
    assert ASSIGNMENT_LIST not in facts["disabled"]
    assert facts["assignments"] == 200


# -- a quiet terminal: the course's own lines and the address; Jupyter's log in a file ----------
def _read_until_url(proc, deadline: float) -> list[str]:
    lines = []
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line.rstrip("\n"))
        if "token=" in line:
            # the rest of the "ready" message and the log line follow at once
            lines += [proc.stdout.readline().rstrip("\n") for _ in range(2)]
            return lines
    raise AssertionError("no address printed:\n" + "\n".join(lines))


@pytest.mark.slow
@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_lab_prints_only_the_course_lines_and_logs_jupyter_to_a_file(env, tmp_path, stop):
    from sanshe_edu.i18n import t

    ws = tmp_path / "ws"
    port = _free_port()
    env.pop("JUPYTER_TOKEN", None)
    proc = subprocess.Popen(
        [*EXE, "lab", str(ws), "--port", str(port), "--no-browser"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        lines = _read_until_url(proc, time.monotonic() + 90)
        url = next(line.strip() for line in lines if "token=" in line)
        assert url.startswith(f"http://127.0.0.1:{port}/lab/tree/00_start_here.ipynb?token=")
        log = Path(env["SANSHE_EDU_DATA_DIR"]) / "logs" / "jupyterlab.log"
        ours = "\n".join(
            [
                t("platform.lab_copied", lang="zh", n=len(shipped_files(course_dir())), path=ws),
                t("platform.lab_starting", lang="zh", path=ws),
                t("platform.lab_ready", lang="zh", url=url),
                t("platform.lab_log", lang="zh", log=log),
            ]
        ).splitlines()
        assert lines == ours
        # The address works (the token is the one printed) and Jupyter's log is in the file.
        with urllib.request.urlopen(url.replace("/lab/tree/", "/api/contents/"), timeout=10) as r:
            assert json.loads(r.read())["type"] == "notebook"
        text = log.read_text(encoding="utf-8")
        assert "Jupyter Server" in text and "is running at" in text
        for noise in ("without encryption", "is not trusted", "websocket_ping_timeout"):
            assert noise not in text
    finally:
        proc.send_signal(stop)  # one Ctrl-C (or SIGTERM) to sanshe-edu alone stops JupyterLab
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
    rest = proc.stdout.read()
    assert rest.strip() == t("platform.lab_stopping", lang="zh"), rest
    with pytest.raises(OSError):  # nothing listens on the port any more
        socket.create_connection(("127.0.0.1", port), timeout=2).close()


def test_doctor_names_jupyterlabs_log_when_there_is_one(env):
    log = Path(env["SANSHE_EDU_DATA_DIR"]) / "logs" / "jupyterlab.log"
    assert str(log) not in cli("--lang", "en", "doctor", env=env).stdout
    log.parent.mkdir(parents=True)
    log.write_text("[I ServerApp] ...\n")
    assert (
        f"JupyterLab's log from the last start: {log}"
        in cli("--lang", "en", "doctor", env=env).stdout
    )
