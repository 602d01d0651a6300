"""The live class service: a tornado application behind the hub's proxy.

Routes (under the service's prefix, ``/services/live/`` on the class server):

- ``GET  .``                 the trainer's live view (a page; students get a short note);
- ``GET  api/state?bank=``   the view's data (trainer); ``GET api/stream?bank=`` the same,
  pushed as server-sent events whenever an answer arrives (trainer);
- ``POST api/events``        a checked practice answer from a student's kernel;
- ``GET  api/export``        per lesson the practice item analysis and participation
  (trainer: the cockpit's class report and gradebook);
- ``GET  api/poll``          the current poll as a student sees it (totals only once closed);
- ``POST api/poll``          the trainer opens a poll (``{"qid"}`` or ``{"custom"}``);
- ``POST api/poll/answer``   a student's answer (judged here; one per vote);
- ``POST api/poll/close`` · ``api/poll/revote``  the trainer closes it or opens vote 2.

Who is asking comes from an *auth* object (the hub's OAuth in the service, a token table in
tests and the benchmark). Every POST must carry ``X-Requested-With: sanshe-live``, which a
foreign page cannot send without the service's consent (no CORS): no cross-site forgery with
the trainer's cookie.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from typing import Any

from tornado import web
from tornado.iostream import StreamClosedError

from ...i18n import pick
from ...quiz.bank import bank_ids, load_bank
from . import page, summary
from .results import export_data
from .store import LiveStore

log = logging.getLogger("sanshe_edu.live")
PUSH_DELAY = 0.05  # seconds: answers arriving together are pushed as one update
KEEPALIVE = 15.0
MAX_BODY = 64 * 1024


class TokenAuth:
    """Tokens to names (tests, the benchmark): ``Authorization: token T``."""

    def __init__(self, tokens: dict[str, str], trainer: str) -> None:
        self.tokens, self.trainer = tokens, trainer

    async def identify(self, handler: web.RequestHandler) -> str | None:
        header = handler.request.headers.get("Authorization", "")
        token = header.split(" ", 1)[1].strip() if " " in header else ""
        return self.tokens.get(token) or self.tokens.get(handler.get_cookie("live-token", ""))

    def login(self, handler: web.RequestHandler) -> None:
        raise web.HTTPError(403)

    def xsrf(self, handler: web.RequestHandler) -> str:
        return ""

    def handlers(self, prefix: str) -> list:
        return []


class Live:
    """The service's state: the store, who is in the class, and the open event streams."""

    def __init__(
        self,
        store: LiveStore,
        members: Callable[[], dict[str, str]],
        trainer: str,
        lang: str = "zh",
    ) -> None:
        self.store, self.members, self.trainer, self.lang = store, members, trainer, lang
        self.streams: set[StreamHandler] = set()
        self._pending = False

    def changed(self) -> None:
        """Push the new state to every open view, soon (answers that come together: once)."""
        if self._pending or not self.streams:
            return
        self._pending = True
        asyncio.get_running_loop().call_later(PUSH_DELAY, self._push)

    def _push(self) -> None:
        self._pending = False
        cache: dict[str | None, str] = {}
        for stream in list(self.streams):
            if stream.bank not in cache:
                cache[stream.bank] = json.dumps(self.state(stream.bank), ensure_ascii=False)
            stream.send(cache[stream.bank])

    @staticmethod
    def lessons() -> list[str]:
        """The lessons' banks (``l00`` …), not the graded assignments' or the example."""
        return [b for b in bank_ids() if b[:1] == "l" and b[1:].isdigit()]

    def bank_for(self, bank: str | None) -> str:
        lessons = self.lessons()
        if bank and bank in lessons:
            return bank
        latest = self.store.latest_bank()
        return latest if latest in lessons else (lessons[0] if lessons else "l00")

    def state(self, bank: str | None) -> dict:
        members = self.members()
        bank = self.bank_for(bank)
        return {
            "t": time.time(),
            "lesson": summary.lesson_view(self.store, members, bank, self.lang),
            "poll": summary.poll_view(
                self.store, self.store.current_poll(), members, self.lang, trainer=True
            ),
            "banks": [
                {"id": b, "title": pick(load_bank(b).get("title"), self.lang) or b}
                for b in self.lessons()
            ],
        }


class Base(web.RequestHandler):
    live: Live
    auth: Any

    def initialize(self, live: Live, auth: Any) -> None:
        self.live, self.auth = live, auth

    async def prepare(self) -> None:
        self.user = await self.auth.identify(self)
        if self.request.method == "POST":
            if self.request.headers.get("X-Requested-With") != "sanshe-live":
                raise web.HTTPError(403, "missing X-Requested-With")
            if len(self.request.body) > MAX_BODY:
                raise web.HTTPError(413)

    def get_current_user(self) -> str | None:
        return self.user

    @property
    def is_trainer(self) -> bool:
        return bool(self.user) and self.user == self.live.trainer

    def need_user(self) -> str:
        if not self.user:
            raise web.HTTPError(403, "not logged in")
        return self.user

    def need_trainer(self) -> None:
        if not self.is_trainer:
            raise web.HTTPError(403, "trainer only")

    def body(self) -> dict:
        try:
            data = json.loads(self.request.body or b"{}")
        except ValueError:
            raise web.HTTPError(400, "not JSON") from None
        if not isinstance(data, dict):
            raise web.HTTPError(400, "not an object")
        return data

    def reply(self, data: Any, status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(data, ensure_ascii=False))

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        reason = self._reason
        exc = kwargs.get("exc_info", (None, None))[1]
        if isinstance(exc, web.HTTPError) and exc.log_message:
            reason = exc.log_message
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps({"error": reason}))


class PageHandler(Base):
    async def get(self) -> None:
        if not self.user:
            self.auth.login(self)
            return
        self.set_header("Cache-Control", "no-store")
        self.set_header("Content-Type", "text/html; charset=utf-8")
        if self.is_trainer:
            xsrf = self.auth.xsrf(self)
            self.finish(page.trainer_page(self.live.lang, self.request.path, xsrf))
        else:
            self.finish(page.student_note(self.live.lang))


class StateHandler(Base):
    def get(self) -> None:
        self.need_trainer()
        self.reply(self.live.state(self.get_argument("bank", None)))


class ExportHandler(Base):
    """The lesson results and participation for the trainer's cockpit (trainer only: the
    trainer's kernel asks with its server's hub token)."""

    def get(self) -> None:
        self.need_trainer()
        self.reply(export_data(self.live.store, self.live.members(), self.live.lang))


class StreamHandler(Base):
    """Server-sent events: the whole view at once, then again after every change."""

    bank: str | None = None

    async def get(self) -> None:
        self.need_trainer()
        self.bank = self.live.bank_for(self.get_argument("bank", None))
        self.set_header("Content-Type", "text/event-stream; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Accel-Buffering", "no")
        self.closed = asyncio.Event()
        self.live.streams.add(self)
        try:
            self.send(json.dumps(self.live.state(self.bank), ensure_ascii=False))
            while not self.closed.is_set():
                try:
                    await asyncio.wait_for(self.closed.wait(), KEEPALIVE)
                except TimeoutError:
                    self.write(": keep-alive\n\n")
                    await self._flush()
        finally:
            self.live.streams.discard(self)

    def send(self, data: str) -> None:
        if self.closed.is_set():
            return
        self.write(f"event: state\ndata: {data}\n\n")
        self._flushing = asyncio.ensure_future(self._flush())

    async def _flush(self) -> None:
        try:
            await self.flush()
        except StreamClosedError:
            self.closed.set()

    def on_connection_close(self) -> None:
        self.closed.set()


class EventHandler(Base):
    def post(self) -> None:
        user = self.need_user()
        data = self.body()
        qid = data.get("qid")
        try:
            q = summary.question(str(qid))
        except Exception:
            raise web.HTTPError(400, "unknown question") from None
        if not summary.valid_answer(q, data.get("answer")):
            raise web.HTTPError(400, "not an answer to this question")
        # The bank's own concepts when it has them; a kernel's list is only a fallback.
        sent = data.get("concepts") if isinstance(data.get("concepts"), list) else []
        concepts = [str(c)[:60] for c in (q.get("concepts") or sent)][:20]
        ok, _ = summary.judge(q["qid"], data["answer"], self.live.lang)
        self.live.store.add_event(user, q["qid"], data["answer"], bool(ok), concepts, time.time())
        self.live.changed()
        self.reply({"ok": True})


class PollHandler(Base):
    def get(self) -> None:
        self.need_user()
        poll = self.live.store.current_poll()
        view = summary.poll_view(self.live.store, poll, {}, self.live.lang, trainer=False)
        if view is not None and self.user:
            mine = [v["vote"] for v in self.live.store.votes(view["id"]) if v["user"] == self.user]
            view["answered_votes"] = mine
        self.reply({"poll": view, "trainer": self.is_trainer})

    def post(self) -> None:
        self.need_trainer()
        data = self.body()
        if data.get("qid"):
            try:
                summary.question(str(data["qid"]))
            except Exception:
                raise web.HTTPError(400, "unknown question") from None
            spec: dict = {"qid": str(data["qid"])}
        else:
            custom = data.get("custom") or {}
            prompt = str(custom.get("prompt") or "").strip()
            options = [str(o).strip() for o in custom.get("options") or [] if str(o).strip()]
            if not prompt or not 2 <= len(options) <= 8:
                raise web.HTTPError(400, "a prompt and 2 to 8 options")
            correct = custom.get("correct")
            if correct is not None and not (
                isinstance(correct, int) and 0 <= correct < len(options)
            ):
                raise web.HTTPError(400, "the right option is not one of the options")
            spec = {"custom": {"prompt": prompt, "options": options, "correct": correct}}
        poll = self.live.store.open_poll(spec, time.time())
        self.live.changed()
        self.reply({"poll": poll})


class PollActionHandler(Base):
    def post(self, action: str) -> None:
        self.need_trainer()
        data = self.body()
        poll = self.live.store.poll(int(data.get("id") or 0))
        if poll is None:
            raise web.HTTPError(404, "no such poll")
        if action == "close":
            poll = self.live.store.close_poll(poll["id"], time.time())
        elif action == "revote":
            if poll["state"] != "closed" or poll["vote"] != 1:
                raise web.HTTPError(409, "vote 2 follows a closed vote 1")
            poll = self.live.store.second_vote(poll["id"], time.time())
        self.live.changed()
        self.reply({"poll": poll})


class VoteHandler(Base):
    def post(self) -> None:
        user = self.need_user()
        data = self.body()
        poll = self.live.store.current_poll()
        if poll is None or poll["id"] != data.get("id") or poll["state"] != "open":
            raise web.HTTPError(409, "this poll is closed")
        if data.get("vote", poll["vote"]) != poll["vote"]:
            raise web.HTTPError(409, "this vote is over")
        q = summary.poll_question(poll["spec"])
        answer = data.get("answer")
        if not summary.valid_answer(q, answer):
            raise web.HTTPError(400, "not an answer to this question")
        correct = summary.judge_poll(poll["spec"], answer)
        if not self.live.store.vote(poll["id"], poll["vote"], user, answer, correct, time.time()):
            raise web.HTTPError(409, "already answered")
        self.live.changed()
        self.reply({"ok": True, "vote": poll["vote"]})  # right or wrong: not until it closes


def make_app(live: Live, auth: Any, prefix: str = "/services/live/") -> web.Application:
    kw = {"live": live, "auth": auth}
    routes = [
        (prefix, PageHandler, kw),
        (prefix + "api/state", StateHandler, kw),
        (prefix + "api/stream", StreamHandler, kw),
        (prefix + "api/events", EventHandler, kw),
        (prefix + "api/export", ExportHandler, kw),
        (prefix + "api/poll", PollHandler, kw),
        (prefix + "api/poll/answer", VoteHandler, kw),
        (prefix + r"api/poll/(close|revote)", PollActionHandler, kw),
        *auth.handlers(prefix),
    ]
    return web.Application(routes, cookie_secret=getattr(auth, "cookie_secret", None))
