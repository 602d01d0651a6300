"""The live class service (issue 26) without a hub: its tornado application with a token table
for auth, the store's file, and the widgets' answer events."""

from __future__ import annotations

import json
import stat
import threading
import time

import pytest
from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.testing import AsyncHTTPTestCase, gen_test

from sanshe_edu.classroom.live.app import Live, TokenAuth, make_app
from sanshe_edu.classroom.live.store import LiveStore, private_db
from sanshe_edu.quiz import events

pytestmark = pytest.mark.usefixtures("no_foreign_loop")  # see the root conftest.py

WIDGETS = pytest.mark.usefixtures("quiz_in_tmp")

PREFIX = "/services/live/"
MEMBERS = {"s1": "张三", "s2": "李四", "s3": "王五"}
TOKENS = {"tt": "trainer", "t1": "s1", "t2": "s2", "t3": "s3"}


class LiveCase(AsyncHTTPTestCase):
    def get_app(self):
        self.store = LiveStore(":memory:")
        self.live = Live(self.store, lambda: dict(MEMBERS), "trainer", "zh")
        return make_app(self.live, TokenAuth(TOKENS, "trainer"), PREFIX)

    def call(self, method, path, token=None, body=None, csrf=True):
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"token {token}"
        if csrf:
            headers["X-Requested-With"] = "sanshe-live"
        resp = self.fetch(PREFIX + path, method=method, headers=headers,
                          body=None if body is None else json.dumps(body))  # fmt: skip
        data = json.loads(resp.body) if resp.body else None
        return resp.code, data

    def state(self, bank="l05"):
        code, data = self.call("GET", f"api/state?bank={bank}", "tt")
        assert code == 200, data
        return data

    def question(self, qid, bank="l05"):
        return next(q for q in self.state(bank)["lesson"]["questions"] if q["qid"] == qid)

    # ----- practice answers ---------------------------------------------------------------
    def test_answers_show_as_bars_share_reason_and_who_is_missing(self):
        assert self.call("POST", "api/events", "t1", {"qid": "l05.folds_into",
                                                       "answer": "subject"})[0] == 200  # fmt: skip
        # The kernel's claim "correct" is ignored: the server judges "object" wrong.
        self.call("POST", "api/events", "t2",
                  {"qid": "l05.folds_into", "answer": "object", "correct": True})  # fmt: skip
        q = self.question("l05.folds_into")
        assert (q["answered"], q["right"], q["share_right"]) == (2, 1, 0.5)
        counts = {b["key"]: (b["count"], b.get("correct")) for b in q["bars"]}
        assert counts["subject"] == (1, True) and counts["object"] == (1, False)
        assert counts["method"] == (0, False)  # every option shows, even at zero
        assert q["wrong"] == [{"label": "对象", "count": 1,
                               "reason": "不对。对象是社区议题，是工作要处理的事情。"}]  # fmt: skip
        assert q["missing"] == ["王五"]
        other = self.question("l05.element_roles")
        assert other["answered"] == 0 and other["missing"] == ["张三", "李四", "王五"]

    def test_a_later_answer_replaces_the_earlier_and_three_wrong_tries_are_stuck(self):
        for answer in ("object", "method", "ethics"):
            self.call("POST", "api/events", "t3", {"qid": "l05.folds_into", "answer": answer})
        state = self.state()
        assert [s["name"] for s in state["lesson"]["stuck"]] == ["王五"]
        assert state["lesson"]["stuck"][0]["wrong"] == 3
        q = next(q for q in state["lesson"]["questions"] if q["qid"] == "l05.folds_into")
        assert q["answered"] == 1 and q["wrong"][0]["label"] == "伦理"
        self.call("POST", "api/events", "t3", {"qid": "l05.folds_into", "answer": "subject"})
        assert self.state()["lesson"]["stuck"] == []  # right at last: no longer stuck

    def test_concepts_come_from_the_bank_not_the_kernel(self):
        # The bank gives l05.folds_into the concept subject_in_element (issue 27's concepts);
        # a kernel's list is only a fallback, so three wrong tries count there.
        for answer in ("method", "object", "method"):
            self.call("POST", "api/events", "t1", {"qid": "l05.folds_into", "answer": answer,
                                                   "concepts": ["linkage"]})  # fmt: skip
        stuck = self.state()["lesson"]["stuck"]
        assert stuck == [{"name": "张三", "concept": "subject_in_element", "wrong": 3}]

    def test_bad_requests_are_refused_clearly(self):
        assert (
            self.call("POST", "api/events", None, {"qid": "l05.folds_into", "answer": "x"})[0]
            == 403
        )
        body = {"qid": "l05.folds_into", "answer": "method"}
        assert self.call("POST", "api/events", "t1", body, csrf=False)[0] == 403
        code, data = self.call("POST", "api/events", "t1", {"qid": "l05.nope", "answer": "a"})
        assert (code, data["error"]) == (400, "unknown question")
        code, data = self.call("POST", "api/events", "t1", {"qid": "l05.folds_into", "answer": 3})
        assert (code, data["error"]) == (400, "not an answer to this question")
        assert self.store.events() == []
        # Students never see the trainer's view or names.
        assert self.call("GET", "api/state", "t1")[0] == 403
        assert self.call("GET", "api/stream", "t1")[0] == 403
        resp = self.fetch(PREFIX, headers={"Authorization": "token t1"})
        assert resp.code == 200 and "张三" not in resp.body.decode()

    def test_the_view_follows_the_lesson_the_class_is_on(self):
        assert self.state("")["lesson"]["bank"] == "l00"
        self.call("POST", "api/events", "t1", {"qid": "l05.folds_into", "answer": "method"})
        state = self.state("")
        assert state["lesson"]["bank"] == "l05"
        assert [b["id"] for b in state["banks"]][:2] == ["l00", "l01"]
        assert not any(b["id"].startswith(("a", "example")) for b in state["banks"])

    def test_trainer_page_is_chinese(self):
        resp = self.fetch(PREFIX, headers={"Authorization": "token tt"})
        text = resp.body.decode()
        assert resp.code == 200 and "课堂实时互动" in text and "卡住了" in text

    # ----- polls ------------------------------------------------------------------------------
    def test_quick_poll_hidden_until_closed_once_per_vote_then_second_vote_shift(self):
        assert self.call("POST", "api/poll", "t1", {"custom": {}})[0] == 403  # trainer only
        code, data = self.call("POST", "api/poll", "tt", {"custom": {"prompt": "社区是什么？",
                               "options": ["平台", "载体"], "correct": 5}})  # fmt: skip
        assert code == 400
        code, data = self.call(
            "POST",
            "api/poll",
            "tt",
            {
                "custom": {
                    "prompt": "谁是实务主体？",
                    "options": ["社区", "社会组织", "社会工作"],
                    "correct": 1,
                }
            },
        )
        assert code == 200
        pid = data["poll"]["id"]
        _, seen = self.call("GET", "api/poll", "t1")
        assert seen["poll"]["question"]["options"][1]["text"]["zh"] == "社会组织"
        assert "correct" not in json.dumps(seen) and "results" not in seen["poll"]
        assert self.call("POST", "api/poll/answer", "t1", {"id": pid, "answer": "o2"})[0] == 200
        assert self.call("POST", "api/poll/answer", "t1", {"id": pid, "answer": "o1"})[0] == 409
        assert self.call("POST", "api/poll/answer", "t2", {"id": pid, "answer": "o9"})[0] == 400
        assert self.call("POST", "api/poll/answer", "t2", {"id": pid, "answer": "o1"})[0] == 200
        _, seen = self.call("GET", "api/poll", "t3")
        assert seen["poll"]["answered_count"] == 2 and "results" not in seen["poll"]
        trainer = self.state()["poll"]
        assert trainer["answered"] == ["张三", "李四"] and trainer["missing"] == ["王五"]
        self.call("POST", "api/poll/close", "tt", {"id": pid})
        assert self.call("POST", "api/poll/answer", "t3", {"id": pid, "answer": "o2"})[0] == 409
        _, seen = self.call("GET", "api/poll", "t3")
        [res] = seen["poll"]["results"]
        assert (res["answered"], res["right"], res["share_right"]) == (2, 1, 0.5)
        assert "张三" not in json.dumps(seen, ensure_ascii=False)  # totals only, never names
        # Peer instruction: discuss, vote again; the shift between the votes.
        assert self.call("POST", "api/poll/revote", "tt", {"id": pid})[0] == 200
        self.call("POST", "api/poll/answer", "t1", {"id": pid, "answer": "o2"})
        self.call("POST", "api/poll/answer", "t2", {"id": pid, "answer": "o2"})
        self.call("POST", "api/poll/close", "tt", {"id": pid})
        _, seen = self.call("GET", "api/poll", "t1")
        assert [r["share_right"] for r in seen["poll"]["results"]] == [0.5, 1.0]
        assert seen["poll"]["shift"] == {"from": 0.5, "to": 1.0, "changed": 1}

    def test_bank_poll_is_judged_on_the_server(self):
        _, data = self.call("POST", "api/poll", "tt", {"qid": "l05.element_roles"})
        pid = data["poll"]["id"]
        right, wrong = "executor", "goal"
        self.call("POST", "api/poll/answer", "t1", {"id": pid, "answer": right})
        self.call("POST", "api/poll/answer", "t2", {"id": pid, "answer": wrong})
        assert [v["correct"] for v in self.store.votes(pid)] == [True, False]
        self.call("POST", "api/poll/close", "tt", {"id": pid})
        _, seen = self.call("GET", "api/poll", "t3")
        assert seen["poll"]["results"][0]["right"] == 1

    # ----- the push -------------------------------------------------------------------------
    @gen_test(timeout=20)
    async def test_the_view_is_pushed_when_an_answer_arrives(self):
        chunks: list[bytes] = []
        client = AsyncHTTPClient()
        stream = client.fetch(
            HTTPRequest(self.get_url(PREFIX + "api/stream?bank=l05"),
                        headers={"Authorization": "token tt"},
                        streaming_callback=chunks.append, request_timeout=30),
            raise_error=False,
        )  # fmt: skip

        def states():
            text = b"".join(chunks).decode()
            return [json.loads(b.split("data: ", 1)[1]) for b in text.split("\n\n")
                    if b.startswith("event: state")]  # fmt: skip

        async def until(cond):
            deadline = time.monotonic() + 10
            while not cond():
                assert time.monotonic() < deadline
                await self.io_loop.run_in_executor(None, time.sleep, 0.02)

        await until(lambda: states())
        sent = time.monotonic()
        await client.fetch(
            self.get_url(PREFIX + "api/events"), method="POST",
            headers={"Authorization": "token t2", "X-Requested-With": "sanshe-live"},
            body=json.dumps({"qid": "l05.folds_into", "answer": "method"}),
        )  # fmt: skip

        def answered():
            q = next(q for q in states()[-1]["lesson"]["questions"]
                     if q["qid"] == "l05.folds_into")  # fmt: skip
            return q["answered"] == 1

        await until(answered)
        assert time.monotonic() - sent < 2
        assert len(self.live.streams) == 1
        stream.cancel() if hasattr(stream, "cancel") else None
        client.close()


# ----- the store's file ---------------------------------------------------------------------
def test_store_file_is_private_and_survives_a_restart(tmp_path):
    path = private_db(tmp_path)
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    s = LiveStore(path)
    s.add_event("s1", "l05.folds_into", "method", False, [], 1.0)
    s.close()
    again = LiveStore(private_db(tmp_path))
    assert [e["answer"] for e in again.events()] == ["method"]
    assert again.clear() == {"events": 1, "votes": 0, "polls": 0}


# ----- the widgets' events --------------------------------------------------------------------
@pytest.fixture
def sink():
    seen: list[dict] = []
    events.configure(seen.append, background=False)
    yield seen
    events.configure(None)


def test_no_hub_no_sink(monkeypatch):
    for name in ("SANSHE_EDU_LIVE_URL", "JUPYTERHUB_API_TOKEN", "JUPYTERHUB_USER"):
        monkeypatch.delenv(name, raising=False)
    assert events.hub_sink() is None
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "x")
    monkeypatch.setenv("JUPYTERHUB_USER", "s1")
    assert events.hub_sink() is None  # no service address: still nothing
    monkeypatch.setenv("SANSHE_EDU_LIVE_URL", "http://127.0.0.1:9/services/live/")
    assert callable(events.hub_sink())


@WIDGETS
def test_a_checked_practice_answer_is_sent_once(sink):
    from sanshe_edu.quiz.bank import question
    from sanshe_edu.quiz.widgets import QuestionWidget

    w = QuestionWidget(question("l05.folds_into"), store=None)
    w.check_button.click()  # nothing chosen: not checked, not sent
    assert sink == []
    w.set_answer("object")
    w.check_button.click()
    [event] = sink
    assert (event["qid"], event["answer"], event["correct"], event["concepts"]) == (
        "l05.folds_into", "object", False, ["subject_in_element"])  # fmt: skip
    graded = QuestionWidget(question("a1.three_subjects"), graded=True, store=None)
    graded.set_answer(graded.q["options"][0]["id"] if "options" in graded.q else None)
    graded.check_button.click()
    assert len(sink) == 1  # graded answers are never sent


@WIDGETS
def test_a_failing_or_slow_service_never_breaks_or_blocks_a_widget():
    from sanshe_edu.quiz.bank import question
    from sanshe_edu.quiz.widgets import QuestionWidget

    release = threading.Event()

    def slow(event):
        release.wait(5)
        raise OSError("service down")

    events.configure(slow)
    try:
        w = QuestionWidget(question("l05.folds_into"), store=None)
        w.set_answer("subject")
        start = time.monotonic()
        w.check_button.click()
        assert time.monotonic() - start < 1
        assert w.result.correct and "✔" in w.feedback_html.value
    finally:
        release.set()
        events.configure(None)


def test_the_hub_sink_posts_with_the_token_and_swallows_a_dead_service(monkeypatch, caplog):
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "x")
    monkeypatch.setenv("JUPYTERHUB_USER", "s1")
    monkeypatch.setenv("SANSHE_EDU_LIVE_URL", "http://127.0.0.1:9/services/live/")
    events.configure(events.hub_sink(), background=False)
    try:
        q = {"qid": "l05.folds_into", "bank": "l05", "type": "single"}
        from sanshe_edu.quiz.bank import question
        from sanshe_edu.quiz.check import evaluate

        res = evaluate(question("l05.folds_into"), "method")
        with caplog.at_level("WARNING", logger="sanshe_edu.live"):
            assert events.answered(q, "method", res) is True
        assert "not sent" in caplog.text
    finally:
        events.configure(None)


# ----- the student's panel, the trainer's export, the hub's configuration -------------------
@WIDGETS
def test_panel_shows_the_question_then_totals_only_after_closing():
    from sanshe_edu.classroom.live.panel import Panel
    from sanshe_edu.classroom.live.summary import poll_question, poll_view

    store = LiveStore(":memory:")
    poll = store.open_poll({"qid": "l05.folds_into"}, 1.0)
    panel = Panel("http://127.0.0.1:9/services/live/", "x")
    panel.update(poll_view(store, poll, {}, "en", trainer=False))
    assert "subject linkage" in panel.prompt.value
    assert panel.ctl is not None and panel.submit.layout.display == ""
    assert panel.area.children == (panel.ctl.widget,)
    store.vote(poll["id"], 1, "s1", "subject", True, 2.0)
    store.vote(poll["id"], 1, "s2", "method", False, 2.0)
    closed = store.close_poll(poll["id"], 3.0)
    panel.update(poll_view(store, closed, {}, "en", trainer=False))
    assert panel.area.children == () and panel.submit.layout.display == "none"
    assert "2 answered, 50% right" in panel.status.value
    assert "✔ the subject" in panel.status.value  # the right option, marked
    assert poll_question({"custom": {"prompt": "?", "options": ["a", "b"]}})["type"] == "single"


def test_panel_outside_the_hub_says_so(monkeypatch, capsys):
    from sanshe_edu.classroom.live import panel

    monkeypatch.delenv("SANSHE_EDU_LIVE_URL", raising=False)
    assert panel.show() is None


def test_participation_export_counts_every_member():
    from sanshe_edu.classroom.live.admin import participation

    s = LiveStore(":memory:")
    s.add_event("s1", "l05.folds_into", "method", False, [], 1.0)
    s.add_event("s1", "l05.folds_into", "subject", True, [], 2.0)
    p = s.open_poll({"qid": "l05.folds_into"}, 3.0)
    s.vote(p["id"], 1, "s2", "method", False, 4.0)
    rows = {r["login"]: r for r in participation(s, MEMBERS)}
    assert rows["s1"] == {"login": "s1", "name": "张三", "practice_answers": 2, "questions": 1,
                          "right": 1, "poll_votes": 0}  # fmt: skip
    assert rows["s2"]["poll_votes"] == 1 and rows["s3"]["practice_answers"] == 0


def test_hub_config_registers_the_live_service(tmp_path):
    from traitlets.config import Config

    from sanshe_edu.classroom.hub_config import configure

    (tmp_path / "admin-token").write_text("abc\n")
    cfg = {"ip": "127.0.0.1", "port": 8000, "hub_port": 8001, "proxy": "chp",
           "proxy_api_port": 8002, "group": "g", "trainer": "tr", "lang": "zh",
           "python": "/usr/bin/python3", "jupyter_config": "/x", "live_port": 8765}  # fmt: skip
    (tmp_path / "class.json").write_text(json.dumps(cfg))
    c = Config()
    configure(c, tmp_path)
    [live] = [s for s in c.JupyterHub.services if s["name"] == "live"]
    assert live["url"] == "http://127.0.0.1:8765" and live["oauth_no_confirm"]
    assert live["command"][-2:] == ["--class-dir", str(tmp_path)]
    assert {"name": "user", "scopes": ["self", "access:services!service=live"]} in (
        c.JupyterHub.load_roles
    )
    assert c.Spawner.environment["SANSHE_EDU_LIVE_URL"] == "http://127.0.0.1:8765/services/live/"
    assert any(s["name"] == "idle-culler" for s in c.JupyterHub.services)


@WIDGETS
def test_any_bank_question_type_can_be_polled():
    """One question of each of the eight types, as the panel shows it and the server judges it
    (the network builder included)."""
    from sanshe_edu.classroom.live.panel import Panel
    from sanshe_edu.classroom.live.summary import judge_poll, poll_view
    from sanshe_edu.quiz import types
    from sanshe_edu.quiz.bank import bank_ids, load_bank

    first = {}
    for bank in bank_ids():
        for q in load_bank(bank)["questions"]:
            if not q.get("graded"):
                first.setdefault(q["type"], f"{bank}.{q['id']}")
    assert set(first) == set(types.names())
    store = LiveStore(":memory:")
    for qtype, qid in first.items():
        poll = store.open_poll({"qid": qid}, 1.0)
        panel = Panel("http://127.0.0.1:9/services/live/", "x")
        panel.update(poll_view(store, poll, {}, "zh", trainer=False))
        assert panel.ctl is not None and panel.area.children, qtype
        assert judge_poll({"qid": qid}, "not an answer") in (False, None)
