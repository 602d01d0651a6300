"""Issue 26, "it flows on": the live class service's practice answers reach the cockpit's class
report and the gradebook export, through the service's trainer-only ``api/export``."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from sanshe_edu.classroom.live.app import Live, TokenAuth, make_app
from sanshe_edu.classroom.live.store import LiveStore
from sanshe_edu.grade.trainer import coursebook, practice
from sanshe_edu.grade.trainer.report import practice_html
from sanshe_edu.i18n import use_lang

pytestmark = pytest.mark.usefixtures("no_foreign_loop")  # see the root conftest.py

MEMBERS = {"s1": "张三", "s2": "李四", "s3": "王五"}
TOKENS = {"tt": "trainer", "t1": "s1"}


def filled_store() -> LiveStore:
    s = LiveStore(":memory:")
    s.add_event("s1", "l05.folds_into", "object", False, [], 1.0)  # wrong, then right
    s.add_event("s1", "l05.folds_into", "subject", True, [], 2.0)
    s.add_event("s2", "l05.folds_into", "object", False, [], 3.0)
    p = s.open_poll({"qid": "l05.folds_into"}, 4.0)
    s.vote(p["id"], 1, "s3", "subject", True, 5.0)
    return s


class TestExportEndpoint:
    @pytest.fixture
    def app_call(self):
        from tornado.testing import AsyncHTTPTestCase

        store = filled_store()

        class Case(AsyncHTTPTestCase):
            def get_app(self):
                live = Live(store, lambda: dict(MEMBERS), "trainer", "zh")
                return make_app(live, TokenAuth(TOKENS, "trainer"), "/services/live/")

            def runTest(self):
                pass

        case = Case()
        case.setUp()
        yield lambda token: case.fetch(
            "/services/live/api/export", headers={"Authorization": f"token {token}"}
        )
        case.tearDown()

    def test_trainer_gets_the_lesson_analysis_and_participation(self, app_call):
        resp = app_call("tt")
        assert resp.code == 200
        data = json.loads(resp.body)
        [lesson] = data["lessons"]
        assert lesson["bank"] == "l05"
        [q] = lesson["questions"]  # only questions someone answered
        assert q["qid"] == "l05.folds_into"
        assert (q["answered"], q["share_right"], q["share_first"]) == (2, 0.5, 0.0)
        assert q["wrong"][0]["reason"] == "不对。对象是社区议题，是工作要处理的事情。"
        assert q["missing"] == ["王五"]
        rows = {r["login"]: r for r in data["participation"]}
        assert rows["s1"]["practice_answers"] == 2 and rows["s1"]["questions"] == 1
        assert rows["s3"]["poll_votes"] == 1

    def test_a_student_cannot_export(self, app_call):
        assert app_call("t1").code == 403
        assert app_call("nobody").code == 403


@pytest.fixture
def fake_service(monkeypatch):
    """A stand-in for the service at SANSHE_EDU_LIVE_URL answering ``api/export``."""
    from sanshe_edu.classroom.live.results import export_data

    body = json.dumps(export_data(filled_store(), MEMBERS)).encode()
    seen = []

    class H(BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append((self.path, self.headers.get("Authorization")))
            self.send_response(200)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *a):
            pass

    server = HTTPServer(("127.0.0.1", 0), H)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("SANSHE_EDU_LIVE_URL", f"http://127.0.0.1:{server.server_port}/s/live/")
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "trainer-token")
    yield seen
    server.shutdown()


def test_fetch_asks_the_service_with_the_servers_token(fake_service):
    data, problem = practice.fetch()
    assert problem == "" and data is not None
    assert fake_service == [("/s/live/api/export", "token trainer-token")]
    [row] = practice.rows(data)
    assert row["answered"] == 2 and "对象是社区议题" in row["wrong"]
    assert practice.by_student(data)["s3"]["poll_votes"] == 1


def test_no_service_no_section_and_a_dead_one_is_named(monkeypatch):
    monkeypatch.delenv("SANSHE_EDU_LIVE_URL", raising=False)
    assert practice.fetch() == (None, "")
    assert practice_html(None) == ""
    monkeypatch.setenv("SANSHE_EDU_LIVE_URL", "http://127.0.0.1:9/services/live/")
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "x")
    with use_lang("zh"):
        data, problem = practice.fetch(timeout=2)
    assert data is None and "课堂实时互动服务没有回应" in problem


def test_the_report_section_shows_practice_answers_with_why(fake_service):
    data, _ = practice.fetch()
    with use_lang("zh"):
        page = practice_html(practice.rows(data))
        empty = practice_html([])
    assert "课堂练习（实时互动记录）" in page
    assert "2/3" in page and "50%" in page and "0%" in page  # answered, right, first time
    assert "不对。对象是社区议题，是工作要处理的事情。" in page and "还没答：王五" in page
    assert "还没有课堂练习记录" in empty


def test_the_gradebook_gets_participation_columns(monkeypatch, tmp_path, fake_service):
    rows = [
        {"student": s, "name": n, "scores": {"a1": 5.0}, "late": {"a1": False},
         "max": {"a1": 10.0}}
        for s, n in MEMBERS.items()
    ]  # fmt: skip
    monkeypatch.setattr(coursebook, "course_rows", lambda *a: rows)
    monkeypatch.setattr(coursebook, "assignment_title", lambda c, n: n)
    data, _ = practice.fetch()
    with use_lang("zh"):
        plain, unchanged = coursebook.course_table(tmp_path, ["a1"], dict(MEMBERS))
        headers, table = coursebook.course_table(
            tmp_path, ["a1"], dict(MEMBERS), participation=practice.by_student(data)
        )
    assert headers == [*plain, "课堂练习（题）", "课堂提问（次）"]
    got = {line[0]: line[-2:] for line in table}
    assert got == {"s1": [1, 0], "s2": [1, 0], "s3": [0, 1]}
    assert [line[:-2] for line in table] == unchanged  # the rest, and the total, unchanged


# ----- item 3: polls reach every open lesson (a side panel) --------------------------------
def test_every_kernel_under_the_hub_runs_the_follower(monkeypatch):
    """The single-user wrapper points PYTHONSTARTUP at the startup file, which starts nothing
    outside a kernel under the hub and leaves no name in the namespace."""
    import runpy

    from sanshe_edu.classroom.live import kernel

    path = kernel.__file__.replace("kernel.py", "startup.py")
    before = set(globals())
    namespace = runpy.run_path(path, run_name="__main__")
    assert not [k for k in namespace if not k.startswith("__")]
    assert set(globals()) == before
    monkeypatch.setenv("SANSHE_EDU_LIVE_URL", "http://127.0.0.1:9/services/live/")
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "x")
    monkeypatch.setenv("JUPYTERHUB_USER", "s1")
    assert kernel.under_hub() and kernel.follow() is False  # no IPython kernel here


@pytest.mark.usefixtures("quiz_in_tmp")
def test_the_side_panel_opens_once_per_question_and_never_for_the_trainer(monkeypatch):
    from sanshe_edu.classroom.live.kernel import SidePanel
    from sanshe_edu.classroom.live.summary import poll_view

    store = LiveStore(":memory:")
    poll = store.open_poll({"qid": "l05.folds_into"}, 1.0)
    side = SidePanel("http://127.0.0.1:9/services/live/", "x")
    opened = []
    monkeypatch.setattr(side, "open_side", lambda: opened.append(side.shown_poll))
    assert not hasattr(side, "widget")
    view = poll_view(store, poll, {}, "zh", trainer=False)
    side.update(None)
    side.note("offline")
    assert opened == [] and not side.built  # nothing, not even a widget, until the trainer asks
    side.update(view)
    side.update(view)
    assert opened == [poll["id"]] and side.ctl is not None
    closed = poll_view(store, store.close_poll(poll["id"], 2.0), {}, "zh", trainer=False)
    side.update(closed)
    assert opened == [poll["id"]]  # the results show in the same panel
    second = poll_view(store, store.open_poll({"qid": "l05.folds_into"}, 3.0), {}, "zh",
                       trainer=False)  # fmt: skip
    side.update(second)
    assert opened == [poll["id"], second["id"]]
    monkeypatch.setattr(side, "fetch", lambda: {"poll": second, "trainer": True})
    assert side.get_poll() is None and side.stop.is_set()


@pytest.mark.usefixtures("quiz_in_tmp")
def test_the_side_panel_holds_the_poll_panel():
    pytest.importorskip("sidecar")
    from sanshe_edu.classroom.live.kernel import SidePanel

    side = SidePanel("http://127.0.0.1:9/services/live/", "x")
    side.open_side()
    first = side.side
    assert first.title in ("课堂提问", "Class question")
    assert first.outputs[0]["data"]["application/vnd.jupyter.widget-view+json"]["model_id"] == (
        side.widget.model_id
    )
    side.open_side()
    assert side.side is not first and first.comm is None  # the old one closed


def test_the_class_report_page_has_the_section_only_with_live_data(fake_service):
    from sanshe_edu.grade.trainer.report import _templates

    data, _ = practice.fetch()
    analysis = {"alpha": None, "k": 0, "n": 0, "left_out": [], "tables": [],
                "misconceptions": []}  # fmt: skip
    args = dict(assignment="a1", n=0, mean=0, hardest=[], missing=[], flagged=[], no_widget=[],
                late=[], students=[], questions=[], analysis=analysis, concepts="")  # fmt: skip
    page = _templates().get_template("report.html.j2")
    with use_lang("zh"):
        with_live = page.render(**args, practice=practice.rows(data))
        without = page.render(**args, practice=None)
    assert "课堂练习（实时互动记录）" in with_live and "对象是社区议题" in with_live
    assert "课堂练习" not in without
