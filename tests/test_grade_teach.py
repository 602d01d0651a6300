"""``sanshe-edu teach``: JupyterLab whose root is the grading course, the cockpit notebook in it
and Formgrader answering for that course (its four assignments, not an empty list)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(port: int, path: str, token: str):
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}/{path}", headers={"Authorization": f"token {token}"}
    )
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.loads(resp.read().decode())


def test_teach_opens_lab_on_the_course_with_formgrader(tmp_path):
    course = tmp_path / "grading"
    shutil.copytree(REPO / "grading" / "source", course / "source")
    shutil.copy2(REPO / "grading" / "nbgrader_config.py", course)
    env = dict(os.environ)
    for var in ("JUPYTER_CONFIG_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR", "SANSHE_EDU_DATA_DIR"):
        env[var] = str(tmp_path / var.lower())
    env["JUPYTER_TOKEN"] = token = "teach-test-token"
    port = _free_port()
    cli = Path(sys.executable).parent / "sanshe-edu"
    log = (tmp_path / "teach.log").open("w")
    proc = subprocess.Popen(
        [str(cli), "--lang", "zh", "teach", "--course", str(course), "--no-browser",
         "--port", str(port)],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        listed, deadline = None, time.monotonic() + 90
        while time.monotonic() < deadline and listed is None:
            try:
                listed = _get(port, "formgrader/api/assignments", token)
            except (urllib.error.URLError, ConnectionError, OSError):
                assert proc.poll() is None, (tmp_path / "teach.log").read_text()
                time.sleep(1)
        assert listed is not None, (tmp_path / "teach.log").read_text()
        names = sorted(a["name"] for a in listed)
        assert names == ["a1_concepts", "a2_linkage", "a3_phases", "a4_issues"]
        root = _get(port, "api/contents", token)
        assert "cockpit.ipynb" in {c["name"] for c in root["content"]}
        nb = json.loads((course / "cockpit.ipynb").read_text(encoding="utf-8"))
        assert "Cockpit()" in "".join(nb["cells"][-1]["source"])
        assert "评分驾驶舱" in (tmp_path / "teach.log").read_text()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()


def test_an_old_cockpit_notebook_gets_the_cockpits_new_path(tmp_path):
    """A cockpit.ipynb written before the cockpit moved to grade/trainer/ is brought up to date
    (its one code cell would otherwise fail to import); a current one is left as it is."""
    import nbformat

    from sanshe_edu.grade.trainer.cockpit import COCKPIT_SOURCE, cockpit_notebook
    from sanshe_edu.grade.trainer.teach import ensure_cockpit

    nb = nbformat.from_dict(cockpit_notebook())
    nb.cells[1].source = "from sanshe_edu.grade.cockpit import Cockpit\n\nCockpit()"
    nbformat.write(nb, str(tmp_path / "cockpit.ipynb"))
    path = ensure_cockpit(tmp_path)
    assert nbformat.read(str(path), as_version=4).cells[1].source == COCKPIT_SOURCE
    before = path.stat().st_mtime_ns
    ensure_cockpit(tmp_path)
    assert path.stat().st_mtime_ns == before
    head = COCKPIT_SOURCE.splitlines()[0]
    code = f"{head}; print(Cockpit.__module__)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "sanshe_edu.grade.trainer.cockpit"


def test_make_launcher_writes_a_double_clickable_file(tmp_path):
    """Issue 23.7: set-up leaves one launcher that runs `python -m sanshe_edu teach`."""
    import sys

    from sanshe_edu.grade.trainer.launcher import make_launcher

    course = tmp_path / "grading"
    course.mkdir()
    linux = make_launcher(course, tmp_path, "linux")
    text = linux.read_text(encoding="utf-8")
    assert linux.suffix == ".desktop" and linux.stat().st_mode & 0o111
    assert f"{sys.executable} -m sanshe_edu teach --course {course}" in text
    bat = make_launcher(course, tmp_path, "windows")
    assert bat.suffix == ".bat" and b"-m sanshe_edu teach --course" in bat.read_bytes()


def test_the_cockpit_opens_without_importing_nbgrader(tmp_path):
    """Whether the cockpit shows its class-server button comes from the course's config file
    alone: opening it imports no nbgrader (seconds on a first open). The button shows when the
    config's exchange folder exists, and nbgrader's own default stands in when it names none."""
    from nbgrader.exchange.default.exchange import Exchange

    from sanshe_edu.grade.pipeline.course import DEFAULT_EXCHANGE

    assert Exchange.class_traits()["root"].default_value == DEFAULT_EXCHANGE
    course = tmp_path / "course"
    shutil.copytree(REPO / "grading" / "source", course / "source")
    config = (REPO / "grading" / "nbgrader_config.py").read_text(encoding="utf-8")
    (course / "nbgrader_config.py").write_text(config, encoding="utf-8")
    code = (
        "import sys\n"
        "from sanshe_edu.grade.trainer.cockpit import Cockpit\n"
        "print(Cockpit(sys.argv[1]).class_server, 'nbgrader.apps' in sys.modules)"
    )

    def opened() -> list[str]:
        proc = subprocess.run(
            [sys.executable, "-c", code, str(course)], capture_output=True, text=True, timeout=120
        )
        assert proc.returncode == 0, proc.stderr
        return proc.stdout.split()

    exchange = tmp_path / "exchange"
    (course / "nbgrader_config.py").write_text(
        config + f"\nc.Exchange.root = {str(exchange)!r}\n", encoding="utf-8"
    )
    assert opened() == ["False", "False"]  # no such folder: no class server
    exchange.mkdir()
    assert opened() == ["True", "False"]
