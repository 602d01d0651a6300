"""The class server end to end, as root: a real JupyterHub behind configurable-http-proxy on
127.0.0.1, a trainer and three students from a roster, a student logging in through the real
login page in Chromium, and the whole nbgrader cycle run as those Unix users:

release → each student fetches and submits (complete, partial, a tamperer) → collect →
autograde → feedback released → each student fetches only their own feedback.

Exact scores (a1_concepts, 16 points, all marked automatically: eight widget questions and the
two template tasks term_years 1 and role_of 2):

- s1, complete and right, its widget answers saved inside the notebook: 16;
- s2, partial — term_years right (1), role_of 3 of 5 (2 × 3/5 = 1.2), of the widgets only
  three_subjects answered, rightly (1), its answers in a file beside the notebook: 3.2;
- s3, the tamperer — only three_subjects right, plus a cell that reads ``grading/source`` and
  opens the gradebook for writing by absolute path: 1 (the tampering gains nothing).

Everything the test creates (users, group, homes, class folder, hub and its processes) carries
a random suffix and is removed in the fixture's ``finally``, even when a step fails.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import json
import os
import pwd
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat
import pytest

from sanshe_edu.classroom import probe as leak_probe
from sanshe_edu.classroom.server import unreadable_by_others

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/classroom_support.py
from classroom_support import (
    CHP,
    REPO,
    class_run,
    cli,
    free_port,
    hub_api,
    hub_marks,
    start_hub,
    system_snapshot,
)
from grade_support import model_widget_answers, solutions

ARTIFACTS = REPO / "tests" / "artifacts"
A1 = "a1_concepts"
COURSE_ID = "sanshe-edu"
# The class's own environment (set by the fixture): students and the trainer run its commands.
BIN = {"dir": Path(sys.executable).parent}
# files older than this (the test module's collection) are the machine's, not this run's
RUN_STARTED = time.time()
# top-level folders of a Linux system: a class server's own, searched in full by the leak test
SYSTEM_TOPS = {"home", "srv", "opt", "var", "etc", "usr", "root", "mnt", "media", "boot"}

pytestmark = hub_marks(unreadable_by_others)

WRONG = {
    "term_years": "term_years = (2006, 2010)",
    "role_of": 'role_of = {"政府购买服务": "牵引", "社区": "基础平台", "社会组织": "服务载体", '
    '"社会工作": "导向", "满足居民需求": "专业支撑"}',  # 3 of 5 right
}


def as_user(login: str, *cmd: str, cwd: str | None = None, stdin: str | None = None,
            config_path: str = "") -> subprocess.CompletedProcess:  # fmt: skip
    """Run ``cmd`` as Unix user ``login`` with a clean environment (runuser keeps root's PATH,
    so PATH is set explicitly), in their home unless ``cwd`` is given."""
    home = pwd.getpwnam(login).pw_dir
    env = [
        f"HOME={home}",
        f"USER={login}",
        f"PATH={BIN['dir']}:/usr/local/bin:/usr/bin:/bin",
        "LANG=C.UTF-8",
        "SANSHE_EDU_LANG=en",
        f"JUPYTER_CONFIG_PATH={config_path}",
    ]
    return subprocess.run(
        ["runuser", "-u", login, "--", "env", "-i", *env, *cmd],
        cwd=cwd or home,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def ok(proc: subprocess.CompletedProcess) -> str:
    assert proc.returncode == 0, f"{proc.args}\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}"
    return proc.stdout


ANSWER_SCRIPT = r"""
import json, sys, nbformat
from sanshe_edu.quiz.graded import record_answer
spec = json.loads(sys.stdin.read())
path = spec["notebook"]
nb = nbformat.read(path, 4)
for i, cell in enumerate(list(nb.cells)):
    gid = cell.metadata.get("nbgrader", {}).get("grade_id")
    if gid in spec["answers"] and cell.metadata["nbgrader"].get("solution"):
        cell.source = spec["answers"][gid]
    if gid and gid == spec.get("after"):
        nb.cells.insert(i + 1, nbformat.v4.new_code_cell(spec["extra"]))
if spec.get("inside"):  # saved in the notebook, as JupyterLab saves an answered widget
    import re
    from sanshe_edu.quiz.bank import question
    from sanshe_edu.quiz.graded import answer_bundle, record
    for cell in nb.cells:
        found = re.search(r'ask\("([\w.]+)"', cell.source)
        if cell.cell_type == "code" and found and found.group(1) in spec["widget"]:
            qid = found.group(1)
            rec = record(question(qid)["type"], spec["widget"][qid])
            cell.outputs = [nbformat.v4.new_output("display_data",
                                                   data=answer_bundle(question(qid), rec))]
nbformat.write(nb, path)
if not spec.get("inside"):
    for qid, value in spec["widget"].items():
        record_answer(qid, "", value, spec["folder"])
"""

# The tamperer's extra cell: read the hidden tests, open the gradebook for writing, and say
# what worked in its own output (the graded copy keeps it).
TAMPER = """
import json
probe = {{}}
try:
    probe["read"] = len(open({source!r}, encoding="utf-8").read())
except OSError as exc:
    probe["read"] = type(exc).__name__
try:
    open({gradebook!r}, "ab").close()
    probe["write"] = "ok"
except OSError as exc:
    probe["write"] = type(exc).__name__
print("TAMPER", json.dumps(probe))
"""

PROBE = """
import json, os, sys
out = {}
for name, path in json.loads(sys.argv[1]).items():
    try:
        if os.path.isdir(path):
            os.listdir(path)
        else:
            open(path, "rb").read(1)
        out[name] = "readable"
    except OSError as exc:
        out[name] = type(exc).__name__
print(json.dumps(out))
"""


def probe(login: str, paths: dict[str, str]) -> dict[str, str]:
    return json.loads(ok(as_user(login, "python", "-c", PROBE, json.dumps(paths))))


def class_api(run, method: str, path: str, body: object | None = None, token: str | None = None):
    token = token or (run.folder / "admin-token").read_text().strip()
    return hub_api(run.cfg["port"], token, method, path, body)


def server_token(run, login: str) -> str:
    """Start ``login``'s server through the hub's API (the class's admin token), wait until it
    is ready, and return a token of theirs."""
    if login not in {u["name"] for u in class_api(run, "GET", "/hub/api/users")}:
        class_api(run, "POST", "/hub/api/users", {"usernames": [login]})  # as a first login would
    with contextlib.suppress(urllib.error.HTTPError):  # 400: already running
        class_api(run, "POST", f"/hub/api/users/{login}/server")
    deadline = time.monotonic() + 120
    while not (class_api(run, "GET", f"/hub/api/users/{login}")["servers"].get("", {}) or {}).get(
        "ready"
    ):
        assert time.monotonic() < deadline, f"{login}'s server not ready in 120 s"
        time.sleep(0.5)
    return class_api(run, "POST", f"/hub/api/users/{login}/tokens", {"expires_in": 600})["token"]


def assignment_list(run, login: str) -> list[dict]:
    """What nbgrader's Assignment List shows ``login`` (its server part, as the panel asks)."""
    token = server_token(run, login)
    reply = class_api(run, "GET", f"/user/{login}/assignments?course_id={COURSE_ID}", token=token)
    assert reply["success"], reply
    return reply["value"]


def formgrader_assignments(run) -> dict[str, dict]:
    """The formgrader in the trainer's own server: its assignments, by name."""
    token = server_token(run, run.trainer)
    listed = class_api(run, "GET", f"/user/{run.trainer}/formgrader/api/assignments", token=token)
    return {a["name"]: a for a in listed}


def tamper_probe(graded: Path) -> dict:
    """What the tamperer's cell printed while it was graded."""
    nb = nbformat.read(str(graded), 4)
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            text = out.get("text", "")
            if text.startswith("TAMPER "):
                return json.loads(text.split(" ", 1)[1])
    raise AssertionError("the tamperer's cell printed nothing")


def tree_hash(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            h.update(p.relative_to(folder).as_posix().encode() + p.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def hub_class():
    """A class set up from a roster and its hub running; removed afterwards whatever happens."""
    with class_run() as run:
        port = free_port()
        ok(cli("--lang", "en", "class", "--class-dir", str(run.folder), "setup",
               "--trainer", run.trainer, "--group", run.group, "--ip", "127.0.0.1",
               "--port", str(port), "--proxy", str(CHP), "--class-lang", "zh"))  # fmt: skip
        students = [run.login(n) for n in (1, 2, 3)]
        run.users += students
        roster = run.folder.parent / "roster.csv"
        with roster.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["学号", "姓名"])
            w.writerows(zip(students, ["张三", "李四", "王五"], strict=True))
        ok(cli("--lang", "en", "class", "--class-dir", str(run.folder), "roster", str(roster)))
        [pw_file] = (run.folder / "passwords").iterdir()
        rows = list(csv.reader(pw_file.read_text(encoding="utf-8-sig").splitlines()))
        run.passwords = {r[2]: r[3] for r in rows[1:]}
        run.cfg = json.loads((run.folder / "class.json").read_text())
        run.students = students
        BIN["dir"] = Path(run.cfg["python"]).parent
        start_hub(run, run.folder.parent / "hub.log")
        yield run


def test_student_logs_in_to_chinese_lab_with_start_here_open(hub_class, browser):
    run = hub_class
    student = run.students[0]
    base = f"http://127.0.0.1:{run.cfg['port']}"
    context = browser.new_context(
        viewport={"width": 1400, "height": 900}, locale="en-US"
    )  # Chinese comes from the class, not the browser
    try:
        page = context.new_page()
        page.set_default_timeout(90_000)
        page.goto(f"{base}/hub/login")
        # The login page speaks Chinese; a wrong password is refused with a Chinese line.
        assert "学号" in page.locator("label[for=username_input]").inner_text()
        page.fill("#username_input", student)
        page.fill("#password_input", run.passwords[student] + "x")
        page.click("#login_submit")
        page.locator(".login_error", has_text="学号或密码不对").wait_for()
        page.fill("#username_input", student)
        page.fill("#password_input", run.passwords[student])
        page.click("#login_submit")
        page.wait_for_url(re.compile(rf".*/user/{student}/lab.*"), timeout=120_000)
        tab = page.locator(".lm-TabBar-tab:visible", has_text="00_start_here.ipynb")
        tab.first.wait_for()
        page.locator(".jp-Notebook .jp-RenderedMarkdown h1").first.wait_for()
        # The kernel started (the status bar says "| 空闲", idle, in Chinese).
        page.wait_for_function(
            """() => /\\|\\s*空闲/.test(document.querySelector('#jp-main-statusbar')?.innerText)"""
        )
        # JupyterLab's own menus are Chinese (the language pack and the class's default).
        menubar = page.locator(".lm-MenuBar-itemLabel")
        labels = [menubar.nth(i).inner_text() for i in range(menubar.count())]
        assert "文件" in labels and "编辑" in labels, labels
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "class_hub_student_login.png"))
        # nbgrader's Assignment List (no translations of its own) in Chinese, through the
        # course's lab extension: where a student fetches, submits and gets feedback.
        page.locator('.lm-MenuBar-itemLabel:text-is("Nbgrader")').click()
        page.locator('.lm-Menu-itemLabel:text-is("Assignment List"):visible').click()
        panel = page.locator("#nbgrader-assignment-list")
        panel.get_by_text("已发布的作业").first.wait_for()
        panel.get_by_text("没有可以获取的作业。").first.wait_for()
        text = panel.inner_text()
        assert "已下载的作业" in text and "已提交的作业" in text, text
        assert not re.search(r"Released|Downloaded|Submitted|There are no|No courses", text), text
        page.locator(".lm-TabBar-tab", has_text="作业列表").first.wait_for()
        page.screenshot(path=str(ARTIFACTS / "class_hub_student_assignment_list.png"))
    finally:
        context.close()
    home = Path(pwd.getpwnam(student).pw_dir)
    # Their own copy of the course (and no grading folder), their own progress store.
    assert (home / "sanshe-edu-course" / "00_start_here.ipynb").stat().st_uid == pwd.getpwnam(
        student
    ).pw_uid
    assert not any(p.name == "grading" for p in home.rglob("grading"))


def test_release_submit_collect_autograde_feedback(hub_class):
    run = hub_class
    s1, s2, s3 = run.students
    trainer = run.trainer
    course = Path(run.cfg["course"])
    exchange = Path(run.cfg["exchange"])
    student_cfg = run.cfg["jupyter_config"]
    grade = ["sanshe-edu", "grade", "--course", str(course)]

    ok(as_user(trainer, *grade, "generate", A1, cwd=str(course)))
    ok(as_user(trainer, *grade, "release", A1, cwd=str(course)))
    source_before = tree_hash(course / "source")
    # The Assignment List in a student's JupyterLab (its server part, as the panel calls it).
    listed = assignment_list(run, s2)
    assert [(a["assignment_id"], a["status"]) for a in listed] == [(A1, "released")]

    good, right = solutions(A1), model_widget_answers(A1)
    partial = dict(good, role_of=WRONG["role_of"])
    tamper = TAMPER.format(
        source=str(course / "source" / A1 / f"{A1}.ipynb"), gradebook=str(course / "gradebook.db")
    )
    plans = {
        s1: {"answers": good, "widget": right, "inside": True},
        s2: {"answers": partial, "widget": {"a1.three_subjects": right["a1.three_subjects"]}},
        s3: {
            "answers": {"term_years": WRONG["term_years"], "role_of": "role_of = {}"},
            "widget": {"a1.three_subjects": right["a1.three_subjects"], "a1.newland": "grid"},
            "after": "term_years",
            "extra": tamper,
        },
    }
    for login, plan in plans.items():
        ok(as_user(login, "python", "-m", "nbgrader", "fetch_assignment", A1,
                   config_path=student_cfg))  # fmt: skip
        folder = Path(pwd.getpwnam(login).pw_dir) / COURSE_ID / A1
        assert (folder / f"{A1}.ipynb").is_file()
        spec = dict(plan, notebook=str(folder / f"{A1}.ipynb"), folder=str(folder))
        ok(as_user(login, "python", "-c", ANSWER_SCRIPT, stdin=json.dumps(spec)))
        ok(as_user(login, "python", "-m", "nbgrader", "submit", A1, config_path=student_cfg))

    # What a student can reach on the server: not the trainer's grading folder, not another
    # student's home, not the list of hand-ins (nbgrader's inbound is 733).
    seen = probe(s3, {
        "source": str(course / "source" / A1 / f"{A1}.ipynb"),
        "gradebook": str(course / "gradebook.db"),
        "neighbour": str(Path(pwd.getpwnam(s1).pw_dir) / COURSE_ID),
        "inbound": str(exchange / COURSE_ID / "inbound"),
        "checkout": str(REPO / "grading" / "source" / A1 / f"{A1}.ipynb"),
    })  # fmt: skip
    assert seen == dict.fromkeys(("source", "gradebook", "neighbour", "inbound", "checkout"),
                                 "PermissionError")  # fmt: skip

    ok(as_user(trainer, *grade, "collect", A1, cwd=str(course)))
    assert sorted(p.name for p in (course / "submitted").iterdir()) == sorted(run.students)
    ok(as_user(trainer, *grade, "autograde", A1, cwd=str(course)))
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", COURSE_ID) as gb:
        scores = {s: gb.find_submission(A1, s).score for s in run.students}
    assert scores == {s1: 16, s2: pytest.approx(3.2), s3: 1}
    assert tree_hash(course / "source") == source_before
    # The trainer's formgrader sees the same course: three graded submissions of a1.
    seen_by_formgrader = formgrader_assignments(run)[A1]
    assert seen_by_formgrader["num_submissions"] == 3, seen_by_formgrader
    run.tamper_probe = tamper_probe(course / "autograded" / s3 / A1 / f"{A1}.ipynb")

    said = ok(as_user(trainer, *grade, "feedback", A1, cwd=str(course)))
    assert "feedback released on the class server" in said  # no separate nbgrader step
    for login, expected in ((s1, "16"), (s2, "3.2"), (s3, "1")):
        ok(as_user(login, "python", "-m", "nbgrader", "fetch_feedback", A1,
                   config_path=student_cfg))  # fmt: skip
        folder = Path(pwd.getpwnam(login).pw_dir) / COURSE_ID / A1 / "feedback"
        [stamp] = list(folder.iterdir())
        pages = list(stamp.glob("*.html"))
        assert [p.name for p in pages] == [f"{A1}.html"]
        text = pages[0].read_text(encoding="utf-8")
        assert re.search(rf"Score:\s*{expected}(\.0)?\s*/\s*16", text), (login, expected)
        assert "BEGIN HIDDEN TESTS" not in text
    # The feedback folder of the exchange lists nothing (711): nobody browses others' feedback.
    seen = probe(s2, {"feedback": str(exchange / COURSE_ID / "feedback")})
    assert seen == {"feedback": "PermissionError"}


def test_doctor_on_the_running_class_server(hub_class):
    """Hub, proxy, exchange and the students' Python all pass; the sandbox is named as missing
    until the grading sandbox lands (then this line turns OK)."""
    proc = cli("--lang", "en", "doctor", "--class-dir", str(hub_class.folder))
    lines = proc.stdout.splitlines()
    url = f"http://127.0.0.1:{hub_class.cfg['port']}/"
    assert any(ln.startswith("[OK  ] JupyterHub (class server): JupyterHub ") and ln.endswith(url)
               for ln in lines), proc.stdout  # fmt: skip
    assert any(ln.startswith("[OK  ] configurable-http-proxy") for ln in lines), proc.stdout
    assert f"[OK  ] nbgrader exchange permissions: {hub_class.cfg['exchange']}: 777" in lines
    assert any(ln.startswith("[OK  ] students can run the course's Python") for ln in lines)


def test_tamperer_cannot_reach_grading_during_autograde(hub_class):
    """While graded, student code can neither read grading/source nor write the gradebook."""
    probe = getattr(hub_class, "tamper_probe", None)
    assert probe is not None, "the grading cycle did not run"
    # An error's name each (PermissionError, or FileNotFoundError where the sandbox hides the
    # folder), never the file's length or "ok".
    assert isinstance(probe["read"], str) and probe["read"].endswith("Error"), probe
    assert probe["write"].endswith("Error"), probe


# A student's forged hand-in for a classmate: a folder in nbgrader's inbound (733: every student
# may write there) named after the classmate and dated an hour later, holding an empty notebook.
FORGE = r"""
import datetime, os, sys, nbformat
inbound, classmate, name = sys.argv[1:4]
when = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1))
stamp = when.strftime("%Y-%m-%d %H:%M:%S.%f UTC")
folder = os.path.join(inbound, f"{classmate}+{name}+{stamp}+forged")
os.mkdir(folder)
nbformat.write(nbformat.v4.new_notebook(), os.path.join(folder, f"{name}.ipynb"))
with open(os.path.join(folder, "timestamp.txt"), "w") as fh:
    fh.write(stamp)
print(os.path.basename(folder))
"""


def cockpit_status(page, needle: str, timeout_ms: int = 120_000) -> str:
    box = page.locator(".jp-OutputArea-output .sanshe-cp-done").filter(has_text=needle).first
    box.wait_for(timeout=timeout_ms)
    return box.locator("xpath=..").inner_text()


def test_trainer_runs_a2_from_the_cockpit_and_a_forged_hand_in_is_refused(hub_class, browser):
    """The trainer's whole cycle of a2 with no terminal: their login opens the cockpit in the
    hub; 生成并发放 releases to the class; the students fetch and submit (s3 also makes a hand-in
    under s2's name, dated later); 从班级服务器收取作业 leaves the forged one out and names it;
    自动评分 grades (as the trainer, not root); 生成反馈 puts each page in the exchange, and each
    student fetches only their own.  Exact scores: s1 and s2 complete and right, 16 each; s3
    element_of (3) and rc_dual (1), 4."""
    import subprocess as sp

    run = hub_class
    s1, s2, s3 = run.students
    a2 = "a2_linkage"
    course = Path(run.cfg["course"])
    exchange = Path(run.cfg["exchange"])
    student_cfg = run.cfg["jupyter_config"]
    password = "Tr-" + run.suffix + "-pw"
    sp.run(["chpasswd"], input=f"{run.trainer}:{password}\n", text=True, check=True)
    base = f"http://127.0.0.1:{run.cfg['port']}"
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    try:
        page = context.new_page()
        page.set_default_timeout(120_000)
        page.goto(f"{base}/hub/login")
        page.fill("#username_input", run.trainer)
        page.fill("#password_input", password)
        page.click("#login_submit")
        # The trainer's login opens the cockpit (the spawner's default URL), in Chinese.
        page.wait_for_url(re.compile(rf".*/user/{run.trainer}/lab/tree/.*cockpit\.ipynb.*"),
                          timeout=180_000)  # fmt: skip
        page.locator(".jp-NotebookPanel:visible .jp-CodeCell").first.wait_for()
        page.wait_for_function(
            """() => /\\|\\s*空闲/.test(document.querySelector('#jp-main-statusbar')
            ?.innerText)"""
        )
        page.locator(".jp-NotebookPanel:visible .jp-CodeCell .cm-content").first.click()
        page.keyboard.press("Shift+Enter")
        out = page.locator(".jp-NotebookPanel:visible .jp-OutputArea-output")
        out.get_by_text("评分驾驶舱").first.wait_for()
        assert out.get_by_role("button", name="从班级服务器收取作业").count() == 1

        select = out.locator("select").first
        label = select.locator("option").filter(has_text=f"（{a2}）").first.inner_text()
        select.select_option(label=label)
        out.get_by_role("button", name="生成并发放").first.click()
        cockpit_status(page, f"已生成并发放 {a2}")
        assert (exchange / COURSE_ID / "outbound" / a2 / f"{a2}.ipynb").is_file()

        good, right = solutions(a2), model_widget_answers(a2)
        plans = {
            s1: {"answers": good, "widget": right, "inside": True},
            s2: {"answers": good, "widget": right, "inside": True},
            s3: {"answers": {"element_of": good["element_of"]},
                 "widget": {"a2.rc_dual": right["a2.rc_dual"]}, "inside": True},
        }  # fmt: skip
        for login, plan in plans.items():
            ok(as_user(login, "python", "-m", "nbgrader", "fetch_assignment", a2,
                       config_path=student_cfg))  # fmt: skip
            folder = Path(pwd.getpwnam(login).pw_dir) / COURSE_ID / a2
            spec = dict(plan, notebook=str(folder / f"{a2}.ipynb"), folder=str(folder))
            ok(as_user(login, "python", "-c", ANSWER_SCRIPT, stdin=json.dumps(spec)))
            ok(as_user(login, "python", "-m", "nbgrader", "submit", a2, config_path=student_cfg))
        inbound = exchange / COURSE_ID / "inbound"
        forged = ok(as_user(s3, "python", "-c", FORGE, str(inbound), s2, a2)).strip()
        assert (inbound / forged).stat().st_uid == pwd.getpwnam(s3).pw_uid

        out.get_by_role("button", name="从班级服务器收取作业").first.click()
        said = cockpit_status(page, f"已收取 {a2}：共 3 份提交")
        assert f"没有收取 {forged}" in said and f"以 {s2} 的名义提交，却是 {s3} 建立的" in said
        handed = nbformat.read(str(course / "submitted" / s2 / a2 / f"{a2}.ipynb"), 4)
        assert handed.cells, "the forged (empty) notebook replaced s2's own"
        page.screenshot(path=str(ARTIFACTS / "class_hub_cockpit_collect.png"))

        out.get_by_role("button", name="自动评分").first.click()
        cockpit_status(page, f"{a2}：3/3 份已评分，0 份有问题", timeout_ms=600_000)
        out.get_by_role("button", name="生成反馈").first.click()
        said = cockpit_status(page, "反馈已发到班级服务器", timeout_ms=300_000)
        page.screenshot(path=str(ARTIFACTS / "class_hub_cockpit_feedback.png"))
    finally:
        context.close()

    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", COURSE_ID) as gb:
        scores = {s: gb.find_submission(a2, s).score for s in run.students}
    assert scores == {s1: 16, s2: 16, s3: 4}
    for login, expected in ((s1, "16"), (s2, "16"), (s3, "4")):
        ok(as_user(login, "python", "-m", "nbgrader", "fetch_feedback", a2,
                   config_path=student_cfg))  # fmt: skip
        folder = Path(pwd.getpwnam(login).pw_dir) / COURSE_ID / a2 / "feedback"
        [stamp] = list(folder.iterdir())
        text = (stamp / f"{a2}.html").read_text(encoding="utf-8")
        # the cockpit's pages are in the class language: 得分 16 / 16
        assert re.search(rf"得分\s*{expected}(\.0)?\s*/\s*16", text), (login, expected)
        assert '<html lang="zh-CN">' in text


def terminal_run(run, login: str, command: str, marker: str, timeout: float) -> str:
    """Type ``command`` into a new terminal of ``login``'s JupyterLab (the server's terminals
    API and websocket, as the Terminal panel does) and return its output up to ``marker``."""
    import asyncio
    import concurrent.futures

    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    token = server_token(run, login)
    name = class_api(run, "POST", f"/user/{login}/api/terminals", token=token)["name"]
    url = f"ws://127.0.0.1:{run.cfg['port']}/user/{login}/terminals/websocket/{name}"

    async def talk() -> str:
        ws = await websocket_connect(HTTPRequest(url, headers={"Authorization": f"token {token}"}))
        ws.write_message(json.dumps(["stdin", command + "\r"]))
        out, deadline = "", time.monotonic() + timeout
        while marker not in out:
            left = deadline - time.monotonic()
            assert left > 0, f"no {marker} from the terminal in {timeout} s: {out[-2000:]}"
            msg = await asyncio.wait_for(ws.read_message(), left)
            assert msg is not None, f"terminal closed: {out[-2000:]}"
            kind, *data = json.loads(msg)
            if kind == "stdout":
                out += data[0]
        ws.close()
        return out

    try:
        # In a thread of its own: the browser tests' Playwright keeps an event loop running here.
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            return pool.submit(lambda: asyncio.run(talk())).result()
    finally:
        with contextlib.suppress(urllib.error.HTTPError):
            class_api(run, "DELETE", f"/user/{login}/api/terminals/{name}", token=token)


def test_no_key_readable_from_a_students_terminal(hub_class):
    """After the whole cycle (servers started, assignments released, handed in, graded, feedback
    fetched), a student, in a terminal of their own JupyterLab, searches every file they can
    read for every model answer and hidden-test line of the course, and finds none.  Left out:
    this development machine's shared folders (/work, /tmp and the top folder this checkout is
    in, where other copies of the project live), except this run's class folder and checkout;
    and, outside the class folder and the checkout's own (git-tracked) folders, files older
    than this test run.
    The search's input (the secrets) is a file in the student's home, mode 600, removed
    afterwards, and not counted."""
    run = hub_class
    student = run.students[1]
    entry = pwd.getpwnam(student)
    home = Path(entry.pw_dir)
    secrets = leak_probe.course_secrets(REPO / "grading")
    assert len(secrets) > 50
    mine = {str(run.folder.parent), str(REPO)}
    # the folder this checkout lives in (/work here, another on a CI machine) holds the
    # development machine's other copies of the project: not part of a class server
    shared = {"/work", "/tmp"}
    if REPO.parts[1] not in SYSTEM_TOPS:
        shared.add("/" + REPO.parts[1])
    roots = [r for r in leak_probe.default_roots() if r not in shared]
    # Elsewhere, a file older than this test run is the machine's (a CI runner keeps its own
    # diff of the project beside the checkout): only what the run made or changed counts.
    always = [str(run.folder.parent), *tracked_tops(REPO)]
    spec = leak_probe.search_spec(
        secrets, sorted({*roots, *mine}), seconds=600, since=RUN_STARTED, always=always
    )
    files = {
        "spec": home / ".leak-spec.json",
        "script": home / ".leak-probe.py",
        "result": home / ".leak-result.json",
    }
    files["spec"].write_text(json.dumps(spec), encoding="utf-8")
    files["script"].write_text(leak_probe.SCRIPT, encoding="utf-8")
    for path in (files["spec"], files["script"]):
        os.chown(path, entry.pw_uid, entry.pw_gid)
        path.chmod(0o600)
    try:
        out = terminal_run(
            run, student,
            "unset HISTFILE; id -un; python3 ~/.leak-probe.py < ~/.leak-spec.json"
            " > ~/.leak-result.json; echo LEAK''DONE",
            "LEAKDONE", timeout=700,
        )  # fmt: skip
        assert student in out  # the terminal is the student's own
        reply = files["result"].read_text(encoding="utf-8")
        assert reply.strip(), out[-3000:]
        result = json.loads(reply)
    finally:
        for path in files.values():
            path.unlink(missing_ok=True)
    found = [(p, labels) for p, labels in result["found"] if p != str(files["spec"])]
    assert found == [], found
    assert result["complete"], result
    # The same search does find a key where there is one: a copy someone else (root) left in
    # the student's home (the student's own files — their answers — are not counted).
    planted = home / "copy_of_answers.json"
    planted.write_bytes((REPO / "grading" / "source" / A1 / "model_answers.json").read_bytes())
    planted.chmod(0o644)
    try:
        result = leak_probe.search(secrets, student, [str(home)], seconds=120)
        assert [path for path, _ in result.found] == [str(planted)]
    finally:
        planted.unlink()


def tracked_tops(repo: Path) -> list[str]:
    """The checkout's own folders: its git history and every top-level entry git tracks (not
    the venv or anything a CI runner may have put beside them); the whole checkout when it is
    no git clone."""
    proc = subprocess.run(
        ["git", "-C", str(repo), "ls-files", "-z"], capture_output=True, check=False
    )
    if proc.returncode != 0 or not proc.stdout:
        return [str(repo)]
    tops = {name.split("/", 1)[0] for name in proc.stdout.decode().split("\0") if name}
    return sorted(str(repo / name) for name in {*tops, ".git"})


def test_class_remove_after_the_term(hub_class):
    """Last: ``class remove --yes`` with the hub running — it archives the term (gradebook,
    hand-ins, graded copies, feedback), stops the hub and leaves no user, group or folder of
    the class; the checkout gets its mode back."""
    import grp
    import tarfile

    run = hub_class
    dest = run.folder.parent / "term.tar.gz"
    proc = cli("--lang", "en", "class", "--class-dir", str(run.folder), "remove", "--yes",
               "--to", str(dest), timeout=120)  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"removed 4 accounts and the class {run.folder}" in proc.stdout
    with tarfile.open(dest) as tar:
        names = set(tar.getnames())
    for s in run.students:
        assert f"course/submitted/{s}/{A1}/{A1}.ipynb" in names
        assert f"course/autograded/{s}/{A1}/{A1}.ipynb" in names
        assert f"course/feedback/{s}/{A1}/{A1}.html" in names
    assert "course/gradebook.db" in names
    assert (dest.stat().st_mode & 0o777, dest.stat().st_uid) == (0o600, 0)
    assert run.hub.wait(timeout=30) is not None  # the hub was stopped
    left = {p.pw_name for p in pwd.getpwall()} & {*run.students, run.trainer}
    assert left == set()
    assert run.group not in {g.gr_name for g in grp.getgrall()}
    assert not run.folder.exists()
    assert not any(Path("/home", u).exists() for u in (*run.students, run.trainer))
    # Nothing else of the class is left on the machine: the same accounts, groups, homes,
    # mail spools, /srv folders and (no) grading boxes as before its setup.
    after = system_snapshot(run)
    assert {k: after[k] ^ run.before[k] for k in after} == {k: set() for k in after}
    assert REPO.stat().st_mode & 0o005
