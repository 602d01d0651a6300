"""The live class service as the hub starts it: ``python -m sanshe_edu.classroom.live``.

The hub runs it as a managed service (``hub_config``): it passes the service's address,
prefix and API token in ``JUPYTERHUB_*`` variables. People are identified through the hub:
the trainer's browser with the hub's OAuth (a cookie for this service only), a student's
kernel with its server's API token. The class (who is a student, their names, the trainer,
the language) comes from ``class.json`` and the Unix accounts ``class roster`` made.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import pwd
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from tornado import web
from tornado.httputil import url_concat

from ..accounts import group_members
from .app import Live, make_app
from .store import LiveStore, private_db

log = logging.getLogger("sanshe_edu.live")


def display_name(login: str) -> str:
    """The student's name from the account's comment (``"张三 2024001"``), else the login."""
    try:
        gecos = pwd.getpwnam(login).pw_gecos.strip()
    except KeyError:
        return login
    name = gecos.rsplit(" ", 1)[0] if " " in gecos else gecos
    return name or login


class ClassMembers:
    """The students of the class group by login → name (read again every 30 s)."""

    def __init__(self, group: str, trainer: str, ttl: float = 30.0) -> None:
        self.group, self.trainer, self.ttl = group, trainer, ttl
        self._at, self._members = 0.0, {}

    def __call__(self) -> dict[str, str]:
        if time.monotonic() - self._at > self.ttl:
            logins = sorted(group_members(self.group) - {self.trainer})
            self._members = {u: display_name(u) for u in logins}
            self._at = time.monotonic()
        return self._members


class HubOAuthAuth:
    """Identify through the hub: a token (kernels) or the OAuth cookie (browsers)."""

    def __init__(self) -> None:
        from jupyterhub.services.auth import HubOAuth

        self.hub_auth = HubOAuth(cache_max_age=60)
        self.cookie_secret = os.urandom(32)

    async def identify(self, handler: web.RequestHandler) -> str | None:
        model = await self.hub_auth.get_user(handler, sync=False)
        return model.get("name") if model else None

    def login(self, handler: web.RequestHandler) -> None:
        params: dict[str, Any] = {}
        verifier = None
        if getattr(self.hub_auth, "pkce_enabled", False):
            verifier, challenge, method = self.hub_auth.generate_pkce_code_challenge()
            params.update(code_challenge=challenge, code_challenge_method=method)
        kw = {"code_verifier": verifier} if verifier else {}
        params["state"] = self.hub_auth.set_state_cookie(
            handler, next_url=handler.request.uri, **kw
        )
        handler.redirect(url_concat(self.hub_auth.login_url, params))

    def xsrf(self, handler: web.RequestHandler) -> str:
        """The hub's XSRF token for this page: its fetches and its event stream carry it, as
        the hub requires of cookie-authenticated requests that are not page views."""
        token = handler.xsrf_token
        return token.decode() if isinstance(token, bytes) else str(token)

    def handlers(self, prefix: str) -> list:
        from jupyterhub.services.auth import HubOAuthCallbackHandler

        hub_auth = self.hub_auth

        class Callback(HubOAuthCallbackHandler):
            def initialize(self) -> None:
                self.hub_auth = hub_auth

        return [(prefix + "oauth_callback", Callback)]


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m sanshe_edu.classroom.live")
    p.add_argument("--class-dir", required=True)
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="[live %(asctime)s] %(message)s")
    folder = Path(args.class_dir)
    cfg = json.loads((folder / "class.json").read_text(encoding="utf-8"))
    url = urlparse(os.environ["JUPYTERHUB_SERVICE_URL"])
    prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/services/live/")
    store = LiveStore(private_db(folder))
    live = Live(store, ClassMembers(cfg["group"], cfg["trainer"]), cfg["trainer"], cfg["lang"])
    app = make_app(live, HubOAuthAuth(), prefix)
    log.info("live class service on %s (data: %s)", url.geturl(), store.path)
    asyncio.run(_serve(app, url.hostname or "127.0.0.1", url.port or 80))


async def _serve(app: web.Application, host: str, port: int) -> None:
    app.listen(port, address=host, xheaders=True)
    await asyncio.Event().wait()
