"""JupyterHub configuration of a sanshe-edu class.

``sanshe-edu class setup`` writes a two-line ``jupyterhub_config.py`` next to ``class.json``
that calls :func:`configure`; every value comes from ``class.json``, nothing is edited by hand.

- PAM login (JupyterHub's default authenticator): a student is a Unix user in the class group,
  created by ``sanshe-edu class roster`` with a first-login password; only that group and the
  trainer may log in.  Students change the password with ``passwd`` in a JupyterLab terminal.
- LocalProcessSpawner: each student's server runs as their own Unix user in their home (700).
- The trainer is the hub admin; the formgrader runs in the trainer's own server, and the
  trainer's login opens the grading cockpit (``~/grading/cockpit.ipynb``).
- jupyterhub-idle-culler stops servers idle for an hour.
"""

from __future__ import annotations

import json
from pathlib import Path

CONFIG_FILE = """\
# Written by sanshe-edu class setup; the settings are in class.json next to this file.
from pathlib import Path

from sanshe_edu.classroom.hub_config import configure

configure(get_config(), Path(__file__).resolve().parent)  # noqa: F821
"""


def trainer_start(cfg: dict):
    """The spawner hook that opens the grading cockpit when the trainer logs in (the course
    folder is ``~/grading``, where ``class setup`` put ``cockpit.ipynb``).

    >>> class User: name = "trainer"
    >>> class Spawner: user, default_url = User(), "/lab"
    >>> s = Spawner(); trainer_start({"trainer": "trainer", "course": "/home/trainer/grading"})(s)
    >>> s.default_url
    '/lab/tree/grading/cockpit.ipynb'
    """

    def hook(spawner) -> None:
        if spawner.user.name == cfg["trainer"]:
            spawner.default_url = f"/lab/tree/{Path(cfg['course']).name}/cockpit.ipynb"

    return hook


def configure(c, here: Path) -> None:
    """Fill JupyterHub's config object ``c`` from ``here/class.json``."""
    cfg = json.loads((here / "class.json").read_text(encoding="utf-8"))
    c.JupyterHub.ip = cfg["ip"]
    c.JupyterHub.port = cfg["port"]
    c.JupyterHub.hub_ip = "127.0.0.1"
    c.JupyterHub.hub_port = cfg["hub_port"]
    c.JupyterHub.db_url = f"sqlite:///{here / 'jupyterhub.sqlite'}"
    c.JupyterHub.cookie_secret_file = str(here / "jupyterhub_cookie_secret")
    c.JupyterHub.pid_file = str(here / "jupyterhub.pid")
    c.ConfigurableHTTPProxy.command = [cfg["proxy"]]
    c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{cfg['proxy_api_port']}"
    c.ConfigurableHTTPProxy.pid_file = str(here / "jupyterhub-proxy.pid")

    c.JupyterHub.authenticator_class = "pam"
    c.PAMAuthenticator.allowed_groups = {cfg["group"]}
    c.PAMAuthenticator.open_sessions = False
    c.Authenticator.admin_users = {cfg["trainer"]}
    c.Authenticator.allowed_users = {cfg["trainer"]}  # plus the group above

    if cfg["lang"] == "zh":
        c.JupyterHub.template_paths = [str(Path(__file__).with_name("templates"))]
    c.JupyterHub.spawner_class = "localprocess"
    c.Spawner.cmd = [cfg["python"], "-m", "sanshe_edu.classroom.singleuser"]
    c.Spawner.notebook_dir = "~"
    c.Spawner.default_url = "/lab/tree/sanshe-edu-course/00_start_here.ipynb"
    c.Spawner.pre_spawn_hook = trainer_start(cfg)
    c.Spawner.environment = {
        # The trainer's server gets the formgrader and the trainer's course; students do not.
        "JUPYTER_CONFIG_PATH": lambda spawner: (
            cfg["jupyter_config"] + ("-trainer" if spawner.user.name == cfg["trainer"] else "")
        ),
        "SANSHE_EDU_LANG": cfg["lang"],
        "PATH": f"{Path(cfg['python']).parent}:/usr/local/bin:/usr/bin:/bin",
    }
    c.Spawner.start_timeout = 120
    c.Spawner.http_timeout = 90
    c.JupyterHub.allow_named_servers = False

    # The trainer's token for ``sanshe-edu class`` and the benchmark (admin of users and servers).
    c.JupyterHub.services = [
        {
            "name": "idle-culler",
            "command": [cfg["python"], "-m", "jupyterhub_idle_culler", "--timeout=3600"],
        },
        {"name": "sanshe-admin", "api_token": (here / "admin-token").read_text().strip()},
    ]
    c.JupyterHub.load_roles = [
        {
            "name": "idle-culler",
            "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
            "services": ["idle-culler"],
        },
        {
            "name": "sanshe-admin",
            "scopes": ["admin:users", "admin:servers", "tokens", "access:servers"],
            "services": ["sanshe-admin"],
        },
    ]
    c.Spawner.environment["SANSHE_EDU_LIVE_URL"] = add_live_service(c, cfg, here)


def add_live_service(c, cfg: dict, here: Path) -> str:
    """课堂实时互动 (``classroom.live``): a hub-managed service on this machine's loopback,
    run by the hub (as root: its data in ``here/live/`` is root's, mode 600), reached by
    browsers through the proxy at ``/services/live/`` (the hub's OAuth) and by the students'
    kernels directly (their server's token). Every user may use it; what each may see is
    decided by the service (the trainer the names, students totals). Returns the address
    the students' servers get in ``SANSHE_EDU_LIVE_URL``."""
    port = cfg.get("live_port") or _loopback_port()
    url = f"http://127.0.0.1:{port}"
    c.JupyterHub.services.append(
        {
            "name": "live",
            "url": url,
            "command": [cfg["python"], "-m", "sanshe_edu.classroom.live", "--class-dir", str(here)],
            "oauth_no_confirm": True,
            "display": True,  # listed on the hub home page (Services), where the trainer finds it
        }
    )
    c.JupyterHub.load_roles.append(
        {"name": "user", "scopes": ["self", "access:services!service=live"]}
    )
    return f"{url}/services/live/"


def _loopback_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
