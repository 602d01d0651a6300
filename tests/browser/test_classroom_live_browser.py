"""课堂实时互动 on the real class server, as root (issue 26): a real JupyterHub with its live
service, a trainer and three students from a roster.

1. The trainer opens the live view (the hub's OAuth, through the proxy) for lesson 05.
2. The students answer two lesson-05 practice questions with the real widget in a process
   that has what their kernel has (their hub token, the service's address): 张三 rightly,
   李四 wrongly, 王五 only the first. The trainer's page updates without a reload: the bars,
   the wrong choice with its 为什么不对 text, 王五 not yet answered.
3. Each student's lab opens ``课堂.ipynb`` and runs its cell; the trainer pushes a lesson-05
   question; it appears in the three labs; two answer; the trainer closes it; every lab shows
   the totals (no names). Screenshots of both sides go to ``tests/artifacts/``.
4. A student with only lesson 05 open (no ``课堂.ipynb``, no cell run) gets the next question
   in a side panel of their lab, answers there and sees the totals there.

Everything the test creates is removed afterwards (see ``tests/classroom_support.py``).
"""

from __future__ import annotations

import json
import os
import pwd
import re
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest

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
)

ARTIFACTS = REPO / "tests" / "artifacts"
VENV_BIN = Path(sys.executable).parent
NAMES = ["张三", "李四", "王五"]

pytestmark = hub_marks(unreadable_by_others)

# What a student's kernel does when a practice widget's Check is clicked, run as that student
# with their kernel's environment (their hub token and the service's address).
ANSWER = r"""
import json, sys, time
from sanshe_edu.quiz import events
from sanshe_edu.quiz.bank import question
from sanshe_edu.quiz.widgets import QuestionWidget
sent = []
sink = events.current_sink()
assert sink is not None, "no hub sink in this environment"
events.configure(lambda e: sent.append(sink(e)), background=False)
for qid, answer in json.loads(sys.argv[1]):
    w = QuestionWidget(question(qid))
    w.set_answer(answer)
    w.check_button.click()
print(json.dumps(sent))
"""


def class_api(run, method, path, body=None):
    token = (run.folder / "admin-token").read_text().strip()
    return hub_api(run.cfg["port"], token, method, path, body)


def user_token(run, login: str) -> str:
    if login not in {u["name"] for u in class_api(run, "GET", "/hub/api/users")}:
        class_api(run, "POST", "/hub/api/users", {"usernames": [login]})
    return class_api(run, "POST", f"/hub/api/users/{login}/tokens", {"expires_in": 900})["token"]


def start_servers(run, logins: list[str]) -> None:
    """Start the students' servers through the hub's API (as their first login would), all at
    once, and wait until every one is ready."""
    import contextlib
    import urllib.error

    for login in logins:
        user_token(run, login)  # adds them to the hub
        with contextlib.suppress(urllib.error.HTTPError):  # 400: already running
            class_api(run, "POST", f"/hub/api/users/{login}/server")
    deadline = time.monotonic() + 240
    for login in logins:
        while not (class_api(run, "GET", f"/hub/api/users/{login}")["servers"].get("", {})
                   or {}).get("ready"):  # fmt: skip
            assert time.monotonic() < deadline, f"{login}'s server not ready in 240 s"
            time.sleep(0.5)


def answer_as(run, login: str, answers: list) -> list:
    home = pwd.getpwnam(login).pw_dir
    env = {
        "HOME": home,
        "USER": login,
        # The class's own environment: setup made this checkout (and its .venv) root-only.
        "PATH": f"{run.folder / 'venv' / 'bin'}:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "PYTHONPATH": os.environ.get("PYTHONPATH", ""),
        "JUPYTERHUB_USER": login,
        "JUPYTERHUB_API_TOKEN": user_token(run, login),
        "SANSHE_EDU_LIVE_URL": f"{run.live_url}/services/live/",
        "SANSHE_EDU_DATA_DIR": f"{home}/.sanshe-live-test",
    }
    proc = subprocess.run(
        ["runuser", "-u", login, "--", "env", "-i", *[f"{k}={v}" for k, v in env.items()],
         "python", "-c", ANSWER, json.dumps(answers)],
        capture_output=True, text=True, timeout=120, cwd=home, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def live_url_of(run) -> str:
    """The service's loopback address, as the hub gave it (from the hub's log)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        found = re.search(r"live class service on (http://127\.0\.0\.1:\d+)", run.log.read_text())
        if found:
            return found.group(1)
        time.sleep(0.3)
    raise AssertionError("the live service did not start:\n" + run.log.read_text()[-3000:])


@pytest.fixture(scope="module")
def live_class():
    with class_run() as run:
        port = free_port()
        proc = cli("--lang", "en", "class", "--class-dir", str(run.folder), "setup",
                   "--trainer", run.trainer, "--group", run.group, "--ip", "127.0.0.1",
                   "--port", str(port), "--proxy", str(CHP), "--class-lang", "zh")  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        students = [run.login(n) for n in (1, 2, 3)]
        run.users += students
        roster = run.folder.parent / "roster.csv"
        roster.write_text(
            "学号,姓名\n" + "".join(f"{s},{n}\n" for s, n in zip(students, NAMES, strict=True)),
            encoding="utf-8",
        )
        proc = cli("--lang", "en", "class", "--class-dir", str(run.folder), "roster", str(roster))
        assert proc.returncode == 0, proc.stderr
        [pw_file] = (run.folder / "passwords").iterdir()
        rows = [r.split(",") for r in pw_file.read_text(encoding="utf-8-sig").splitlines()[1:]]
        run.passwords = {r[2]: r[3] for r in rows}
        run.passwords[run.trainer] = "Tr-" + run.suffix + "-pw"
        subprocess.run(["chpasswd"], input=f"{run.trainer}:{run.passwords[run.trainer]}\n",
                       text=True, check=True)  # fmt: skip
        run.cfg = json.loads((run.folder / "class.json").read_text())
        run.students = students
        run.log = run.folder.parent / "hub.log"
        start_hub(run, run.log)
        run.live_url = live_url_of(run)
        yield run


def login(browser, run, who: str, next_path: str):
    base = f"http://127.0.0.1:{run.cfg['port']}"
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(120_000)
    page.goto(f"{base}/hub/login?next={urllib.parse.quote(next_path)}")
    page.fill("#username_input", who)
    page.fill("#password_input", run.passwords[who])
    page.click("#login_submit")
    return context, page


def screenshot_all(contexts, prefix: str) -> None:
    """What each side (trainer, students) showed when a test failed: every page of each."""
    for i, ctx in enumerate(contexts):
        for j, pg in enumerate(ctx.pages):
            pg.screenshot(path=str(ARTIFACTS / f"{prefix}_{i}_{j}.png"))


def question_card(page, qid: str):
    return page.locator(f"section.q[data-qid='{qid}']")


def test_live_view_and_a_poll_on_the_real_hub(live_class, browser):
    run = live_class
    s1, s2, s3 = run.students
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    contexts = []
    try:
        # 1. The trainer's live view, through the proxy and the hub's OAuth.
        ctx, trainer = login(browser, run, run.trainer, "/services/live/?bank=l05")
        contexts.append(ctx)
        trainer.wait_for_url(re.compile(r".*/services/live/\?bank=l05"))
        question_card(trainer, "l05.folds_into").wait_for()
        assert "课堂实时互动" in trainer.title()
        trainer.evaluate("window.__noReload = true")
        missing = question_card(trainer, "l05.folds_into").locator(".missing")
        assert "张三" in missing.inner_text() and "王五" in missing.inner_text()

        # 2. Practice answers from the real widget with each student's own hub token.
        right_roles, wrong_roles = "executor", "goal"
        assert (
            answer_as(run, s1, [["l05.folds_into", "subject"], ["l05.element_roles", right_roles]])
            == [{"ok": True}] * 2
        )
        assert (
            answer_as(run, s2, [["l05.folds_into", "object"], ["l05.element_roles", wrong_roles]])
            == [{"ok": True}] * 2
        )
        assert answer_as(run, s3, [["l05.folds_into", "subject"]]) == [{"ok": True}]  # fmt: skip

        card = question_card(trainer, "l05.folds_into")
        card.locator(".meta", has_text="已答 3/3").wait_for()
        assert "答对 67%" in card.inner_text()
        assert "对象是社区议题，是工作要处理的事情。" in card.locator(".wrong-box").inner_text()
        roles = question_card(trainer, "l05.element_roles")
        roles.locator(".meta", has_text="已答 2/3").wait_for()
        assert "还没答：王五" in roles.locator(".missing").inner_text()
        assert "为什么不对" in roles.inner_text()
        assert trainer.evaluate("window.__noReload === true")  # updated, never reloaded
        trainer.screenshot(path=str(ARTIFACTS / "class_live_trainer_view.png"), full_page=True)

        # 3. Every student's lab opens 课堂.ipynb and runs its one cell.
        start_servers(run, run.students)
        labs = {}
        for s in run.students:
            ctx, page = login(browser, run, s, f"/user/{s}/lab/tree/sanshe-edu-course/课堂.ipynb")
            contexts.append(ctx)
            page.wait_for_url(re.compile(rf".*/user/{s}/lab.*"), timeout=180_000)
            page.locator(".lm-TabBar-tab:visible", has_text="课堂.ipynb").first.wait_for()
            page.wait_for_function(
                """() => /\\|\\s*空闲/.test(document.querySelector('#jp-main-statusbar')
                ?.innerText)"""
            )
            page.locator(".jp-CodeCell .jp-InputArea-editor").first.click()
            page.keyboard.press("Shift+Enter")
            page.locator(".sanshe-live-panel").wait_for()
            page.locator(".sanshe-live-panel", has_text="等待培训师提问").wait_for()
            labs[s] = page

        # The trainer pushes a lesson-05 question to the class.
        trainer.select_option("#poll-q", "l05.folds_into")
        trainer.click("#push-q")
        trainer.locator("#poll", has_text="进行中").wait_for()
        for page in labs.values():
            page.locator(".sanshe-live-panel", has_text="主体联动融入要素联动以后").wait_for()
        for s, option in ((s1, "主体"), (s2, "方法")):
            panel = labs[s].locator(".sanshe-live-panel")
            panel.locator(".widget-toggle-button", has_text=option).click()
            panel.locator("button", has_text="提交").click()
            panel.locator(".widget-html", has_text="已提交").wait_for()
        trainer.locator("#poll", has_text="已答：2").wait_for()
        assert "还没答：王五" in trainer.locator("#poll").inner_text()
        labs[s1].screenshot(path=str(ARTIFACTS / "class_live_student_poll.png"))
        # Results stay hidden from the class until the trainer closes the poll.
        assert "答对" not in labs[s3].locator(".sanshe-live-panel").inner_text()
        trainer.click("#poll-close")
        for page in labs.values():
            page.locator(".sanshe-live-result", has_text="全班 2 人作答，答对 50%").wait_for()
            text = page.locator(".sanshe-live-panel").inner_text()
            assert not any(name in text for name in NAMES)  # totals only, never names
        trainer.locator("#poll", has_text="已结束").wait_for()
        labs[s3].screenshot(path=str(ARTIFACTS / "class_live_student_result.png"))
        trainer.screenshot(path=str(ARTIFACTS / "class_live_trainer_poll.png"), full_page=True)
        assert trainer.evaluate("window.__noReload === true")
    except Exception:
        screenshot_all(contexts, "class_live_failed")
        raise
    finally:
        for ctx in contexts:
            ctx.close()

    # The data: in the class folder, readable by root (the service's user) only.
    db = run.folder / "live" / "live.sqlite"
    assert db.stat().st_mode & 0o777 == 0o600 and db.stat().st_uid == 0
    assert (run.folder / "live").stat().st_mode & 0o777 == 0o700
    proc = cli("--lang", "en", "class", "--class-dir", str(run.folder), "live", "status")
    assert "5 practice answers, 1 polls, 2 votes" in proc.stdout, proc.stdout + proc.stderr


def test_a_poll_reaches_a_student_with_only_lesson_05_open(live_class, browser):
    """Item 3 without 课堂.ipynb: the student has lesson 05 open and has run nothing; the
    trainer's question opens by itself in a side panel of their lab (the kernel follows the
    polls, ``classroom.live.kernel``); they answer there and see the totals there."""
    run = live_class
    s3 = run.students[2]
    contexts = []
    try:
        ctx, trainer = login(browser, run, run.trainer, "/services/live/?bank=l05")
        contexts.append(ctx)
        question_card(trainer, "l05.folds_into").wait_for()
        start_servers(run, [s3])
        lesson = "05_subject_element_linkage.ipynb"
        ctx, lab = login(browser, run, s3, f"/user/{s3}/lab/tree/sanshe-edu-course/{lesson}?reset")
        contexts.append(ctx)
        lab.wait_for_url(re.compile(rf".*/user/{s3}/lab.*"), timeout=180_000)
        lab.locator(".lm-TabBar-tab:visible", has_text=lesson).first.wait_for()
        assert lab.locator(".lm-TabBar-tab", has_text="课堂.ipynb").count() == 0
        lab.wait_for_function(
            """() => /\\|\\s*空闲/.test(document.querySelector('#jp-main-statusbar')
            ?.innerText)"""
        )
        assert lab.locator(".sanshe-live-panel").count() == 0  # nothing until the trainer asks

        trainer.select_option("#poll-q", "l05.folds_into")
        trainer.click("#push-q")
        trainer.locator("#poll", has_text="进行中").wait_for()
        side = lab.locator(".jupyterlab-sidecar .sanshe-live-panel")
        side.locator(".widget-html", has_text="主体联动融入要素联动以后").wait_for()
        assert lab.locator(".jp-Notebook .sanshe-live-panel").count() == 0  # not in the lesson
        option = side.locator(".widget-toggle-button", has_text="主体")
        option.click()
        side.locator(".widget-toggle-button.mod-active", has_text="主体").wait_for()
        side.locator("button", has_text="提交").click()  # one click: no answer may be lost
        side.locator(".widget-html", has_text="已提交").wait_for(timeout=60_000)
        lab.screenshot(path=str(ARTIFACTS / "class_live_student_side_panel.png"))
        trainer.locator("#poll", has_text="已答：1").wait_for()
        trainer.click("#poll-close")
        side.locator(".sanshe-live-result", has_text="全班 1 人作答，答对 100%").wait_for()
        assert not any(name in side.inner_text() for name in NAMES)
        lab.screenshot(path=str(ARTIFACTS / "class_live_student_side_result.png"))
    except Exception:
        screenshot_all(contexts, "class_live_side_failed")
        raise
    finally:
        for ctx in contexts:
            ctx.close()


def test_the_trainers_cockpit_reads_the_lesson_through_the_service(live_class, monkeypatch):
    """Item 4: the trainer's process (their hub token, as in their kernel) gets the practice
    item analysis and participation from ``api/export``; a student's token is refused."""
    import urllib.error

    from sanshe_edu.grade.trainer import practice

    run = live_class
    s1 = run.students[0]
    answer_as(run, s1, [["l05.folds_into", "object"]])
    monkeypatch.setenv("SANSHE_EDU_LIVE_URL", f"{run.live_url}/services/live/")
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", user_token(run, run.trainer))
    data, problem = practice.fetch()
    assert problem == "" and data is not None, problem
    rows = {r["qid"]: r for r in practice.rows(data)}
    assert rows["l05.folds_into"]["answered"] >= 1 and rows["l05.folds_into"]["n"] == 3
    assert "对象是社区议题" in rows["l05.folds_into"]["wrong"]
    people = practice.by_student(data)
    assert set(people) == set(run.students) and people[s1]["practice_answers"] >= 1
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", user_token(run, s1))
    data, problem = practice.fetch()
    assert data is None and "403" in problem
    with pytest.raises(urllib.error.HTTPError):  # and directly: forbidden
        import urllib.request

        req = urllib.request.Request(
            f"{run.live_url}/services/live/api/export",
            headers={"Authorization": f"token {user_token(run, s1)}"},
        )
        urllib.request.urlopen(req, timeout=10)
