"""``sanshe-edu class setup`` and ``class roster`` as root, on real Unix users: what they create,
and that bad input or a failure part-way changes nothing.  Every user, group and folder a test
creates carries a random suffix and is removed afterwards, even when the test fails."""

from __future__ import annotations

import contextlib
import csv
import json
import pwd
import shutil
import socket
import stat
import subprocess
import time
from pathlib import Path

import pytest
from classroom_support import CHP, REPO, REQUIRED, class_run, cli, free_port, needs_root

from sanshe_edu.classroom import accounts, classenv, members, probe, server
from sanshe_edu.errors import SansheError
from sanshe_edu.i18n import use_lang

pytestmark = [
    needs_root,
    pytest.mark.skipif(not CHP.is_file() and not REQUIRED, reason="no .node proxy"),
]


def setup_args(run, port=None):
    return [
        "--lang", "en", "class", "--class-dir", str(run.folder), "setup",
        "--trainer", run.trainer, "--group", run.group, "--ip", "127.0.0.1",
        "--port", str(port or free_port()), "--proxy", str(CHP), "--class-lang", "zh",
    ]  # fmt: skip


@pytest.fixture
def klass(tmp_path):
    with class_run() as run:
        proc = cli(*setup_args(run))
        assert proc.returncode == 0, proc.stderr
        run.setup_out = proc.stdout
        yield run


def write_roster(path: Path, rows) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["学号", "姓名"])
        w.writerows(rows)
    return path


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def gradebook_students(cfg) -> dict[str, str]:
    from nbgrader.api import Gradebook

    db = Path(cfg.course) / "gradebook.db"
    if not db.exists():
        return {}
    with Gradebook(f"sqlite:///{db}", cfg.course_id) as gb:
        return {s.id: s.first_name for s in gb.students}


def test_setup_creates_the_class(klass):
    cfg = server.load(klass.folder)
    assert f"URL: http://127.0.0.1:{cfg.port}/" in klass.setup_out
    assert "first-login password of trainer" in klass.setup_out
    assert mode(klass.folder / "exchange") == 0o777  # nbgrader requires it
    assert mode(klass.folder / "class.json") == 0o600
    assert mode(klass.folder / "admin-token") == 0o600
    assert mode(klass.folder / "passwords") == 0o700
    trainer = pwd.getpwnam(klass.trainer)
    assert mode(Path(trainer.pw_dir)) == 0o700
    course = Path(cfg.course)
    assert course.stat().st_uid == trainer.pw_uid and mode(course) == 0o700
    assert (course / "source" / "a1_concepts" / "a1_concepts.ipynb").is_file()
    assert f"c.Exchange.root = {cfg.exchange!r}" in (course / "nbgrader_config.py").read_text()
    student_cfg = (klass.folder / "jupyter" / "nbgrader_config.py").read_text()
    assert f"c.Exchange.root = {cfg.exchange!r}" in student_cfg
    overrides = json.loads(
        (klass.folder / "jupyter" / "labconfig" / "default_setting_overrides.json").read_text()
    )
    assert overrides["@jupyterlab/translation-extension:plugin"]["locale"] == "zh_CN"
    # A notebook starts its kernel without the kernel chooser (issue 24).
    assert overrides["@jupyterlab/notebook-extension:tracker"]["autoStartDefaultKernel"] is True
    assert klass.trainer not in accounts.group_members(klass.group)
    # This checkout's grading/ (every model answer) is no longer readable by students, nor is
    # the checkout itself (.git, questions/); the class runs from its own venv, made from the
    # wheel, and the hub's database is root's only.
    assert mode(server.default_course()) & 0o077 == 0
    assert mode(REPO) & 0o007 == 0
    assert cfg.python == str(klass.folder / "venv" / "bin" / "python")
    assert cfg.private_modes[str(REPO)] & 0o005  # what class remove gives back
    assert mode(klass.folder / "jupyterhub.sqlite") == 0o600
    where = subprocess.run(
        ["runuser", "-u", "nobody", "--", cfg.python, "-c",
         "import sanshe_edu, jupyterhub; print(sanshe_edu.__file__)"],
        capture_output=True, text=True, cwd="/",
    )  # fmt: skip
    assert where.returncode == 0, where.stderr
    assert where.stdout.strip().startswith(str(klass.folder / "venv" / "lib")), where.stdout
    venv_bin = klass.folder / "venv" / "bin"
    assert f"next: sudo {venv_bin / 'sanshe-edu'} class --class-dir {klass.folder} roster" in (
        klass.setup_out
    )
    assert (venv_bin / "sanshe-edu").is_file()
    # The trainer's terminal is a login shell (PATH reset): it still finds the class's commands.
    found = subprocess.run(
        ["su", "-", cfg.trainer, "-s", "/bin/bash", "-c", "command -v sanshe-edu nbgrader"],
        capture_output=True, text=True, cwd="/",
    )  # fmt: skip
    assert found.stdout.split() == [str(venv_bin / "sanshe-edu"), str(venv_bin / "nbgrader")], (
        found.stdout + found.stderr
    )
    # JupyterLab's assets and the nbgrader extensions came along (the students' Lab needs them).
    venv = klass.folder / "venv"
    assert (venv / "share" / "jupyter" / "labextensions" / "@jupyter" / "nbgrader").is_dir()
    assert (venv / "etc" / "jupyter" / "jupyter_server_config.d" / "nbgrader.json").is_file()
    # The doctor's fast check: the checkout, grading/ and the hub's files stay private.
    with use_lang("en"):
        checks = probe.check_private_files(cfg)
        assert {c.name for c in checks} >= {
            f"not readable by other users: {REPO}",
            f"not readable by other users: {klass.folder / 'jupyterhub.sqlite'}",
        }
        assert all(c.ok for c in checks), checks
        REPO.chmod(mode(REPO) | 0o005)
        [bad] = [c for c in probe.check_private_files(cfg) if not c.ok]
        assert bad.name == f"not readable by other users: {REPO}"
        assert bad.fix == f"sudo chmod {mode(REPO) & 0o770:o} {REPO}"
        REPO.chmod(mode(REPO) & 0o770)
    # Nothing graded in the class's environment: searched as nobody, for every key and hidden
    # test line of grading/.
    secrets = probe.course_secrets(Path(cfg.course))
    assert len(secrets) > 50
    found = probe.search(secrets, "nobody", [str(klass.folder)], seconds=300)
    assert found.complete and found.found == [], found
    page = json.loads((klass.folder / "jupyter" / "labconfig" / "page_config.json").read_text())
    assert page["disabledExtensions"]["@jupyter/nbgrader:create-assignment"] is True
    assert page["disabledExtensions"]["@jupyter/nbgrader:validate-assignment"] is True
    trainer_dir = klass.folder / "jupyter-trainer"
    assert (
        "@jupyter/nbgrader:formgrader"
        not in (trainer_dir / "labconfig" / "page_config.json").read_text()
    )
    assert (
        f"c.CourseDirectory.root = {cfg.course!r}"
        in (trainer_dir / "nbgrader_config.py").read_text()
    )


def test_setup_twice_is_refused(klass):
    proc = cli(*setup_args(klass))
    assert proc.returncode == 2
    assert proc.stderr.strip().endswith("already holds a class; to start over, back it up and "
                                        "remove that folder first")  # fmt: skip


def test_busy_port_changes_nothing(tmp_path):
    with class_run() as run, socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        proc = cli(*setup_args(run, port=busy.getsockname()[1]))
        assert proc.returncode == 2
        assert "is already in use: choose another with --port" in proc.stderr
        assert "Traceback" not in proc.stderr
        assert not run.folder.exists()
        assert not accounts.user_exists(run.trainer)
        assert not accounts.group_exists(run.group)


def test_zh_message_by_default(tmp_path):
    with class_run() as run:
        args = setup_args(run)[2:]
        args[args.index("--trainer") + 1] = "张老师"
        proc = cli(*args, env={"SANSHE_EDU_LANG": ""})
        assert proc.returncode == 2
        assert proc.stderr.startswith("sanshe-edu: 培训师登录名 '张老师' 不可用")
        assert not run.folder.exists()


def test_roster_adds_students_everywhere(klass, tmp_path):
    cfg = server.load(klass.folder)
    a, b = klass.login(1), klass.login(2)
    klass.users += [a, b]
    roster = write_roster(tmp_path / "r.csv", [(a, "张三"), (b.upper(), "欧阳小明")])
    proc = cli("--lang", "en", "class", "--class-dir", str(klass.folder), "roster", str(roster))
    assert proc.returncode == 0, proc.stderr
    assert "2 students added, 0 already in the class" in proc.stdout
    assert accounts.group_members(klass.group) >= {a, b}
    for login in (a, b):
        home = Path(pwd.getpwnam(login).pw_dir)
        assert mode(home) == 0o700
    assert gradebook_students(cfg) == {a: "张三", b: "欧阳小明"}
    assert Path(cfg.course, "gradebook.db").stat().st_uid == pwd.getpwnam(cfg.trainer).pw_uid
    [pw_file] = (klass.folder / "passwords").iterdir()
    assert mode(pw_file) == 0o600
    rows = list(csv.reader(pw_file.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0] == ["学号", "姓名", "登录名", "首次登录密码"]
    passwords = {r[2]: r[3] for r in rows[1:]}
    assert set(passwords) == {a, b}
    # The first-login password opens PAM (what the hub's login page uses); a wrong one does not.
    import pamela

    pamela.authenticate(a, passwords[a], service="login")
    with pytest.raises(pamela.PAMError):
        pamela.authenticate(a, passwords[a] + "x", service="login")
    # Re-running with one more line adds only that one.
    c = klass.login(3)
    klass.users.append(c)
    roster = write_roster(tmp_path / "r2.csv", [(a, "张三"), (b, "欧阳小明"), (c, "李四")])
    proc = cli("--lang", "en", "class", "--class-dir", str(klass.folder), "roster", str(roster))
    assert "1 students added, 2 already in the class" in proc.stdout, proc.stderr
    assert set(gradebook_students(cfg)) == {a, b, c}


def test_bad_roster_line_changes_nothing(klass, tmp_path):
    a = klass.login(1)
    klass.users.append(a)
    roster = write_roster(tmp_path / "r.csv", [(a, "张三"), ("张三", "张三")])
    proc = cli("class", "--class-dir", str(klass.folder), "roster", str(roster),
               env={"SANSHE_EDU_LANG": ""})  # fmt: skip
    assert proc.returncode == 2
    assert proc.stderr.startswith("sanshe-edu: 名单第 3 行：学号 '张三' 不能用作登录名")
    assert not accounts.user_exists(a)
    assert gradebook_students(server.load(klass.folder)) == {}


def test_existing_non_class_user_changes_nothing(klass, tmp_path):
    a, stray = klass.login(1), klass.login(9)
    klass.users += [a, stray]
    subprocess.run(["useradd", stray], check=True)
    roster = write_roster(tmp_path / "r.csv", [(a, "张三"), (stray, "李四")])
    proc = cli("--lang", "en", "class", "--class-dir", str(klass.folder), "roster", str(roster))
    assert proc.returncode == 2
    assert f"the system already has a user {stray}" in proc.stderr
    assert not accounts.user_exists(a)


def test_failure_part_way_is_undone(klass, tmp_path, monkeypatch):
    """The second useradd fails: the first student is removed again, the gradebook untouched."""
    cfg = server.load(klass.folder)
    a, b = klass.login(1), klass.login(2)
    klass.users += [a, b]
    real = accounts.create_user
    calls = []

    def failing(login, *args, **kw):
        calls.append(login)
        if len(calls) == 2:
            raise SansheError("classroom.system_command_failed", cmd="useradd", detail="disk full")
        return real(login, *args, **kw)

    monkeypatch.setattr(accounts, "create_user", failing)
    roster = write_roster(tmp_path / "r.csv", [(a, "张三"), (b, "李四")])
    with pytest.raises(SansheError, match="disk full"):
        members.add_roster(cfg, roster)
    assert calls == [a, b]
    assert not accounts.user_exists(a) and not accounts.user_exists(b)
    assert not Path(pwd.getpwnam(cfg.trainer).pw_dir, a).exists()
    assert gradebook_students(cfg) == {}
    assert list((klass.folder / "passwords").iterdir()) == []


def doctor_lines(folder: Path) -> str:
    # The doctor's leak search is bounded; the planted-leak test runs it in full.
    proc = cli("--lang", "en", "doctor", "--class-dir", str(folder),
               env={"SANSHE_EDU_LEAK_SECONDS": "20"})  # fmt: skip
    return proc.stdout


def test_doctor_names_each_class_problem_with_its_fix(klass):
    cfg = server.load(klass.folder)
    (klass.folder / "exchange").chmod(0o755)
    out = doctor_lines(klass.folder)
    lines = out.splitlines()

    def after(prefix: str) -> str:
        i = next(i for i, ln in enumerate(lines) if ln.startswith(prefix))
        return lines[i + 1]

    # The hub is not running: the fix says how to start it (the full path: sudo resets PATH).
    assert after("[FAIL] JupyterHub (class server)").strip() == (
        f"fix: start it: sudo {klass.folder}/venv/bin/sanshe-edu class --class-dir {klass.folder}"
        " start"
    )
    assert any(ln.startswith("[OK  ] configurable-http-proxy") for ln in lines), out
    exch = f"[FAIL] nbgrader exchange permissions: {cfg.exchange}: 755"
    assert exch in lines, out
    assert (
        after(exch).strip() == f"fix: sudo chmod 777 {cfg.exchange} (nbgrader requires this mode)"
    )
    assert any(ln.startswith("[OK  ] students can run the course's Python") for ln in lines), out
    assert f"[OK  ] students cannot read the grading folder: {cfg.course}: 700" in lines, out
    assert any(ln.startswith("[FAIL] grading sandbox") for ln in lines), out
    # The doctor searches the machine as a student for graded material (see the probe's test).
    head = "no model answer or hidden test is readable by students on this machine"
    assert any(ln[7:].startswith(head) for ln in lines), out


@pytest.mark.skipif(shutil.which("npm") is None, reason="no npm")
def test_setup_installs_the_proxy_with_npm_when_there_is_none(monkeypatch, capsys):
    """No proxy anywhere (find_proxy finds none): setup installs it into the class folder."""

    def nowhere(arg):
        raise SansheError("classroom.proxy_missing", path="configurable-http-proxy")

    monkeypatch.setattr(server, "find_proxy", nowhere)
    with class_run() as run:
        cfg, _, _ = server.setup(
            folder=run.folder, trainer=run.trainer, ip="127.0.0.1", port=free_port(),
            proxy=None, course=None, group=run.group, lang="zh",
        )  # fmt: skip
        assert cfg.proxy == str(
            run.folder / "node" / "node_modules" / ".bin" / "configurable-http-proxy"
        )
        version = subprocess.run([cfg.proxy, "--version"], capture_output=True, text=True)
        assert version.returncode == 0 and version.stdout.strip()[0].isdigit()
        assert "configurable-http-proxy" in capsys.readouterr().out


def test_setup_without_the_class_extra_says_how_to_install_it(monkeypatch):
    monkeypatch.setattr(classenv, "NEEDED", ("jupyterhub", "no_such_module_sanshe"))
    with use_lang("en"), pytest.raises(SansheError) as err:
        classenv.require_class_extra()
    text = str(err.value)
    assert text.startswith("the class server's packages are not installed (no_such_module_sanshe)")
    assert f"-m pip install -e '{REPO}[class]'" in text
    with use_lang("zh"), pytest.raises(SansheError, match="没有安装班级服务器需要的包"):
        classenv.require_class_extra()


def test_leak_probe_names_a_planted_copy_and_nothing_when_clean(klass):
    """A world-readable copy of a model_answers.json (and of a hidden-test notebook) is found as
    a student would find it, each by its path; without them the same search finds nothing."""
    cfg = server.load(klass.folder)
    student = klass.login(1)
    klass.users.append(student)
    roster = write_roster(klass.folder.parent / "r.csv", [(student, "张三")])
    proc = cli("--lang", "en", "class", "--class-dir", str(klass.folder), "roster", str(roster))
    assert proc.returncode == 0, proc.stderr
    assert probe.probe_user(cfg) == student
    trainer_home = pwd.getpwnam(cfg.trainer).pw_dir
    roots = [str(klass.folder.parent), str(REPO), trainer_home, pwd.getpwnam(student).pw_dir]
    with use_lang("en"):
        clean = probe.check_no_leaks(cfg, roots=roots, seconds=300)
    assert clean.ok, clean
    assert clean.detail.startswith(f"searched as {student} for ")
    drop = klass.folder.parent / "drop"
    drop.mkdir(mode=0o755)
    leak = drop / "copy.json"
    shutil.copy(REPO / "grading" / "source" / "a2_linkage" / "model_answers.json", leak)
    nb = drop / "nb" / "a4.ipynb"
    nb.parent.mkdir(mode=0o755)
    shutil.copy(Path(cfg.course) / "source" / "a4_issues" / "a4_issues.ipynb", nb)
    hidden = drop / "private.json"  # readable by its owner only: no leak
    shutil.copy(leak, hidden)
    hidden.chmod(0o600)
    for path in (leak, nb):
        path.chmod(0o644)
    proc = cli("--lang", "en", "class", "--class-dir", str(klass.folder), "leaks",
               *(f"--root={r}" for r in roots))  # fmt: skip
    assert proc.returncode == 1, proc.stdout + proc.stderr
    out = proc.stdout
    head = "[FAIL] no model answer or hidden test is readable by students on this machine: "
    assert f"{head}as {student}, 2 readable files hold graded material:" in out
    assert f"    {leak}  (a2_linkage: model answer a2.committee; " in out
    assert f"    {nb}  (a4_issues: hidden test; " in out
    assert str(hidden) not in out
    fix = "fix: delete these files or make them readable by their owner only (e.g. sudo chmod o-rwx"
    assert f"{fix} {leak} {nb}" in out or f"{fix} {nb} {leak}" in out
    # A test on a shared machine counts only files newer than its run, but every file under
    # the folders it names as its own: here both copies are "older" than an hour from now.
    secrets = probe.secrets_for(cfg)
    later = time.time() + 3600
    result = probe.search(secrets, student, [str(drop)], 120, since=later, always=[str(nb.parent)])
    assert [path for path, _ in result.found] == [str(nb)]
    result = probe.search(secrets, student, [str(drop)], 120, since=later, always=[str(leak)])
    assert [path for path, _ in result.found] == [str(leak)]
    assert probe.search(secrets, student, [str(drop)], 120, since=later).found == []
    leak.unlink()
    nb.unlink()
    with use_lang("en"):
        assert probe.check_no_leaks(cfg, roots=roots, seconds=300).ok


def snapshot(suffix: str) -> dict:
    """This run's users, groups and homes (by their suffix), and every file in /tmp, /var/tmp,
    /var/mail, /home and /srv whose owner no longer exists (what a removed user left)."""
    import grp

    users = {p.pw_uid for p in pwd.getpwall()}
    orphans = set()
    for d in ("/tmp", "/var/tmp", "/var/mail", "/home", "/srv"):
        for p in Path(d).iterdir():
            with contextlib.suppress(OSError):
                if p.lstat().st_uid not in users:
                    orphans.add(p)
    return {
        "users": {p.pw_name for p in pwd.getpwall() if suffix in p.pw_name},
        "groups": {g.gr_name for g in grp.getgrall() if suffix in g.gr_name},
        "homes": {p for p in Path("/home").iterdir() if suffix in p.name},
        "orphans": orphans,
    }


def test_remove_archives_then_leaves_nothing(tmp_path):
    import tarfile

    with class_run() as run:
        before = snapshot(run.suffix)
        checkout_mode = mode(REPO)
        grading_mode = mode(REPO / "grading")
        assert cli(*setup_args(run)).returncode == 0
        students = [run.login(1), run.login(2)]
        run.users += students
        roster = write_roster(tmp_path / "r.csv", [(s, "张三") for s in students])
        base = ["--lang", "en", "class", "--class-dir", str(run.folder)]
        assert cli(*base, "roster", str(roster)).returncode == 0
        assert snapshot(run.suffix)["users"] == {*students, run.trainer}
        cfg = server.load(run.folder)
        course = Path(cfg.course)
        handin = course / "submitted" / students[0] / "a1_concepts" / "a1_concepts.ipynb"
        handin.parent.mkdir(parents=True)
        handin.write_text("{}")
        (course / "grades.csv").write_text("student,score\n", encoding="utf-8")
        # Without --yes and without a terminal: refused (zh and en), nothing changed.
        proc = cli(*base, "remove")
        assert proc.returncode == 2
        assert "no terminal to confirm on: add --yes if you mean it" in proc.stderr
        proc = cli("class", "--class-dir", str(run.folder), "remove", env={"SANSHE_EDU_LANG": ""})
        assert proc.returncode == 2
        assert "没有终端可以确认：确定要删除就加上 --yes" in proc.stderr
        assert accounts.user_exists(students[0]) and run.folder.is_dir()
        # The archive alone: next to the class folder, root's, 600.
        proc = cli(*base, "archive")
        assert proc.returncode == 0, proc.stderr
        first = Path(proc.stdout.strip().rsplit(": ", 1)[1])
        assert first.parent == run.folder.parent and mode(first) == 0o600
        assert first.stat().st_uid == 0
        dest = tmp_path / "term.tar.gz"
        proc = cli(*base, "remove", "--yes", "--to", str(dest))
        assert proc.returncode == 0, proc.stderr
        assert f"archive written (readable by root only): {dest}" in proc.stdout
        assert f"removed 3 accounts and the class {run.folder}" in proc.stdout
        with tarfile.open(dest) as tar:
            names = set(tar.getnames())
        want = {"class.json", "course/gradebook.db", "course/grades.csv",
                f"course/{handin.relative_to(course)}"}  # fmt: skip
        assert want <= names, names
        assert mode(dest) == 0o600
        assert snapshot(run.suffix) == before
        assert not run.folder.exists()
        assert mode(REPO) == checkout_mode and mode(REPO / "grading") == grading_mode
