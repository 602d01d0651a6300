"""Set up, describe and start the class server.

All state lives in one folder (default ``/srv/sanshe-edu``, or ``--class-dir``):
``class.json`` (what setup decided), ``jupyterhub_config.py`` (reads ``class.json``), the hub's
database and secrets (mode 600), ``exchange/`` (nbgrader's exchange, mode 777 as nbgrader
requires), ``jupyter/`` (the Jupyter configuration every student's server reads: Chinese
JupyterLab, the exchange and the course id), and ``passwords/`` (first-login passwords, 700).
"""

from __future__ import annotations

import json
import os
import pwd
import secrets
import shutil
import socket
import stat
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..errors import SansheError
from ..i18n import t
from ..platform.serve import port_is_free
from . import accounts, classenv
from .hub_config import CONFIG_FILE
from .roster import UNIX_NAME

DEFAULT_CLASS_DIR = Path("/srv/sanshe-edu")
# Written by the hub: its database (every login, last activity) is for root only.
HUB_PRIVATE = ("jupyterhub.sqlite", "jupyterhub_cookie_secret")
ENV_CLASS_DIR = "SANSHE_EDU_CLASS_DIR"
PACKAGE = Path(__file__).resolve().parent
ZH_LABCONFIG = PACKAGE.parent / "platform" / "jupyter_zh" / "labconfig"
CHP = "configurable-http-proxy"


@dataclass
class ClassConfig:
    course_id: str
    trainer: str
    group: str
    ip: str
    port: int
    hub_port: int
    proxy_api_port: int
    proxy: str
    python: str
    class_dir: str
    course: str  # the trainer's nbgrader course folder
    exchange: str
    jupyter_config: str
    lang: str
    venv: str = ""  # the class's own environment (``classenv``); the hub and servers run it
    checkout: str = ""  # the checkout setup ran from (made private), "" for a wheel install
    # Folders setup made private and their modes before, restored by ``class remove``.
    private_modes: dict[str, int] = field(default_factory=dict)
    # What setup created (``class remove`` removes only that): the trainer's user, the group.
    trainer_created: bool = False
    group_created: bool = False

    @property
    def url(self) -> str:
        """The address students open (this machine's name when the hub listens everywhere)."""
        host = socket.getfqdn() if self.ip in ("", "0.0.0.0") else self.ip
        return f"http://{host}:{self.port}/"

    @property
    def local_url(self) -> str:
        """The hub as seen from this machine."""
        host = "127.0.0.1" if self.ip in ("", "0.0.0.0") else self.ip
        return f"http://{host}:{self.port}/"


def class_dir(arg: str | None = None) -> Path:
    """The class folder: ``--class-dir``, else ``SANSHE_EDU_CLASS_DIR``, else the class this
    Python is the environment of (``<class folder>/venv``: a command typed in the trainer's
    terminal finds its class wherever it is), else ``/srv/sanshe-edu``."""
    if arg or os.environ.get(ENV_CLASS_DIR):
        return Path(arg or os.environ[ENV_CLASS_DIR]).resolve()
    own = Path(sys.prefix).resolve().parent
    if Path(sys.prefix).name == "venv" and (own / "class.json").is_file():
        return own
    return Path(DEFAULT_CLASS_DIR).resolve()


def sanshe_edu_command(cfg: ClassConfig) -> str:
    """The full path of ``sanshe-edu`` for messages: ``sudo`` resets PATH, so a bare name
    would not be found."""
    exe = Path(cfg.venv or Path(cfg.python).parent.parent) / "bin" / "sanshe-edu"
    return str(exe)


def load(folder: Path) -> ClassConfig:
    try:
        data = json.loads((folder / "class.json").read_text(encoding="utf-8"))
        return ClassConfig(**data)
    except (OSError, ValueError, TypeError) as exc:
        raise SansheError("classroom.not_set_up", path=folder) from exc


def unreadable_by_others(path: Path) -> Path | None:
    """The first folder on the way to ``path`` (or ``path`` itself) that other Unix users cannot
    enter or read, else ``None``.  A venv made from a Python in /root (pyenv) cannot be run by
    students; their servers would then fail to start.

    >>> unreadable_by_others(Path("/")) is None
    True
    """
    real = path.resolve()
    for part in [*reversed(real.parents), real]:
        mode = part.stat().st_mode
        need = stat.S_IXOTH if part.is_dir() else stat.S_IROTH | stat.S_IXOTH
        if part != real and not mode & stat.S_IXOTH:
            return part
        if part == real and (mode & need) != need:
            return part
    return None


def shared_python(exe: Path | None = None) -> str:
    """This interpreter (or ``exe``), if every student can run it, else a clear error with the
    fix."""
    exe = exe or Path(sys.executable)
    for candidate in (exe, exe.resolve()):
        blocked = unreadable_by_others(candidate)
        if blocked is not None:
            raise SansheError("classroom.python_not_shared", python=exe, blocked=blocked)
    # Also the interpreter's standard library (a venv's home Python may live elsewhere).
    base = Path(sys.base_prefix) if exe == Path(sys.executable) else exe.resolve().parents[1]
    blocked = unreadable_by_others(base)
    if blocked is not None:
        raise SansheError("classroom.python_not_shared", python=exe, blocked=blocked)
    return str(exe)


def find_proxy(arg: str | None) -> str:
    """The ``configurable-http-proxy`` to use: ``arg``, on PATH, or the checkout's ``.node``."""
    if arg:
        path = Path(arg)
        if not (path.is_file() and os.access(path, os.X_OK)):
            raise SansheError("classroom.proxy_missing", path=arg)
        return str(path.resolve())
    found = shutil.which(CHP)
    if found:
        return found
    local = PACKAGE.parents[2] / ".node" / "node_modules" / ".bin" / CHP
    if local.is_file():
        return str(local)
    raise SansheError("classroom.proxy_missing", path=CHP)


def install_proxy(prefix: Path) -> str:
    """``npm install --prefix PREFIX configurable-http-proxy``; returns the program's path."""
    import subprocess

    print(t("classroom.proxy_installing", path=prefix), flush=True)
    cmd = ["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(prefix), CHP]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600, check=False)
    path = prefix / "node_modules" / ".bin" / CHP
    if proc.returncode != 0 or not path.is_file():
        detail = (proc.stderr or proc.stdout).strip().splitlines()
        raise SansheError("classroom.proxy_install_failed", detail=detail[-1] if detail else "?")
    return str(path)


def default_course() -> Path:
    """The checkout's ``grading/`` folder (the built package does not hold it, on purpose)."""
    return PACKAGE.parents[2] / "grading"


def _free_port_above(port: int, avoid: set[int]) -> int:
    for candidate in range(port + 1, min(port + 200, 65536)):
        if candidate not in avoid and port_is_free(candidate, "127.0.0.1"):
            return candidate
    raise SansheError("classroom.port_busy", port=port)


def _write_private(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)


def make_hub_files_private(folder: Path) -> None:
    """The hub's database and cookie secret exist and are mode 600 before the hub opens them
    (SQLite keeps an existing file's mode, and gives it to its journal)."""
    for name in HUB_PRIVATE:
        path = folder / name
        if not path.exists():
            path.touch(mode=0o600)
        path.chmod(0o600)


def nbgrader_student_config(cfg: ClassConfig) -> str:
    return (
        "# Written by sanshe-edu class setup: every server of this class uses this exchange.\n"
        "c = get_config()  # noqa: F821\n"
        f"c.CourseDirectory.course_id = {cfg.course_id!r}\n"
        f"c.Exchange.root = {cfg.exchange!r}\n"
        "c.Exchange.path_includes_course = True\n"
        "# A hand-in's folder name ends in 72 random bits, so nobody can guess another's.\n"
        "c.ExchangeSubmit.add_random_string = True\n"
    )


# Plugins a student's JupyterLab does not show: the news question, nbgrader's tools for the
# trainer (creating assignments, the formgrader, the list of courses of a multi-course hub) and
# its Validate button (an English dialog that never names the cell at fault: the assignment's
# own self-check cell says it in Chinese).
STUDENT_DISABLED = {
    "@jupyterlab/apputils-extension:announcements": True,
    "@jupyter/nbgrader:create-assignment": True,
    "@jupyter/nbgrader:formgrader": True,
    "@jupyter/nbgrader:course-list": True,
    "@jupyter/nbgrader:validate-assignment": True,
}
LEARNER_LABCONFIG = PACKAGE.parent / "platform" / "jupyter_learner" / "labconfig"


def write_jupyter_config(cfg: ClassConfig) -> None:
    """``jupyter/`` for students and ``jupyter-trainer/`` for the trainer (chosen per user by the
    hub's spawner): the class language, the exchange, and which nbgrader panels show."""
    for folder, disabled in (
        (Path(cfg.jupyter_config), STUDENT_DISABLED),
        (
            Path(cfg.jupyter_config + "-trainer"),
            {"@jupyterlab/apputils-extension:announcements": True},
        ),
    ):
        labconfig = folder / "labconfig"
        labconfig.mkdir(parents=True, exist_ok=True)
        # The learners' defaults (a notebook starts its kernel without asking, no news), in
        # Chinese for a zh class.
        overrides = json.loads(
            (LEARNER_LABCONFIG / "default_setting_overrides.json").read_text(encoding="utf-8")
        )
        if cfg.lang == "zh":
            zh = ZH_LABCONFIG / "default_setting_overrides.json"
            overrides.update(json.loads(zh.read_text(encoding="utf-8")))
        (labconfig / "default_setting_overrides.json").write_text(
            json.dumps(overrides, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        (labconfig / "page_config.json").write_text(
            json.dumps({"disabledExtensions": disabled}, indent=2) + "\n", encoding="utf-8"
        )
        text = nbgrader_student_config(cfg)
        if disabled is not STUDENT_DISABLED:
            # The formgrader in the trainer's own server grades the trainer's course folder.
            text += (
                f"load_subconfig('nbgrader_config.py', path={cfg.course!r})  # noqa: F821\n"
                f"c.CourseDirectory.root = {cfg.course!r}\n"
            )
        (folder / "nbgrader_config.py").write_text(text, encoding="utf-8")
        for sub in (folder, labconfig):
            sub.chmod(0o755)


def setup(
    *,
    folder: Path,
    trainer: str,
    ip: str,
    port: int,
    proxy: str | None,
    course: Path | None,
    group: str,
    lang: str,
) -> tuple[ClassConfig, str | None, Path | None]:
    """Set the class server up; returns its config, the trainer's new password (``None`` when
    the trainer's Unix user already existed) and the course folder made private (if it was
    readable by other users).  Every check runs before anything changes; a step
    that fails undoes the ones before it."""
    accounts.require_root()
    if not UNIX_NAME.match(trainer):
        raise SansheError("classroom.bad_trainer", name=trainer)
    if not UNIX_NAME.match(group):
        raise SansheError("classroom.bad_group", name=group)
    if not (1 <= port <= 65535):
        raise SansheError("classroom.bad_port", port=port)
    if not port_is_free(port, ip or "0.0.0.0"):
        raise SansheError("classroom.port_busy", port=port)
    if (folder / "class.json").exists():
        raise SansheError("classroom.already_set_up", path=folder)
    try:
        chp: str | None = find_proxy(proxy)
    except SansheError:
        if proxy or shutil.which("npm") is None:
            raise
        chp = None  # installed with npm into the class folder below
    classenv.require_class_extra()
    python = shared_python(classenv.base_python())
    checkout = classenv.checkout_of()
    source_course = (course or default_course()).resolve()
    if (
        not (source_course / "nbgrader_config.py").is_file()
        or not (source_course / "source").is_dir()
    ):
        raise SansheError("classroom.no_course", path=source_course)
    if accounts.user_exists(trainer) and trainer in accounts.group_members(group):
        raise SansheError("classroom.trainer_is_student", name=trainer)
    hub_port = _free_port_above(port, set())
    api_port = _free_port_above(hub_port, {port})

    undo = accounts.Undo()
    password = None
    try:
        created_folder = not folder.exists()
        folder.mkdir(parents=True, exist_ok=True)
        if created_folder:
            undo.add(lambda: shutil.rmtree(folder, ignore_errors=True))
        folder.chmod(0o755)
        if chp is None:
            chp = install_proxy(folder / "node")
        print(t("classroom.venv_making", path=folder / "venv"), flush=True)
        if not created_folder:
            undo.add(lambda: shutil.rmtree(folder / "venv", ignore_errors=True))
        python = str(classenv.make(folder / "venv"))
        group_created = not accounts.group_exists(group)
        accounts.ensure_group(group, undo)
        trainer_created = not accounts.user_exists(trainer)
        if not accounts.user_exists(trainer):
            password = accounts.new_password()
            # The trainer is no student: not in the class group (the hub allows them by name).
            accounts.create_user(trainer, "sanshe-edu trainer", None, undo, password)
        home = Path(pwd.getpwnam(trainer).pw_dir)
        home.chmod(0o700)
        # The trainer's terminal (a login shell resets PATH) finds the class's commands.
        classenv.put_on_path(trainer, folder / "venv")
        undo.add(lambda: classenv.take_off_path(trainer, folder / "venv"))
        exchange = folder / "exchange"
        jupyter = folder / "jupyter"
        cfg = ClassConfig(
            course_id="sanshe-edu",
            trainer=trainer,
            group=group,
            ip=ip,
            port=port,
            hub_port=hub_port,
            proxy_api_port=api_port,
            proxy=chp,
            python=python,
            class_dir=str(folder),
            course=str(home / "grading"),
            exchange=str(exchange),
            jupyter_config=str(jupyter),
            lang=lang,
            venv=str(folder / "venv"),
            checkout=str(checkout or ""),
            trainer_created=trainer_created,
            group_created=group_created,
        )
        exchange.mkdir(exist_ok=True)
        exchange.chmod(0o777)  # nbgrader checks for exactly this
        write_jupyter_config(cfg)
        (folder / "passwords").mkdir(mode=0o700, exist_ok=True)
        target = Path(cfg.course)
        if not target.exists():
            shutil.copytree(
                source_course,
                target,
                ignore=shutil.ignore_patterns(
                    "release", "submitted", "autograded", "feedback", "gradebook.db", "__pycache__"
                ),
            )
            with (target / "nbgrader_config.py").open("a", encoding="utf-8") as fh:
                fh.write(
                    "\n# sanshe-edu class setup: this class's exchange\n"
                    f"c.Exchange.root = {cfg.exchange!r}\n"
                    "c.Exchange.path_includes_course = True\n"
                )
            from ..grade.trainer.teach import ensure_cockpit

            ensure_cockpit(target)  # the trainer's login opens it (hub_config)
            accounts.chown_tree(target, trainer)
            target.chmod(0o700)
        made_private = None
        for private, keep in ((source_course, 0o700), (checkout, 0o770)):
            # Students can read everything other users can: the model answers and hidden tests
            # of this checkout (grading/, questions/, .git) must not be among it.  Nothing of
            # the class runs from the checkout any more (the hub and servers use the venv).
            if private is None or not stat.S_IMODE(private.stat().st_mode) & ~keep:
                continue
            old_mode = stat.S_IMODE(private.stat().st_mode)
            private.chmod(old_mode & keep)
            undo.add(lambda p=private, m=old_mode: p.chmod(m))
            cfg.private_modes[str(private)] = old_mode
            made_private = private
        make_hub_files_private(folder)
        _write_private(folder / "admin-token", secrets.token_hex(32) + "\n")
        (folder / "jupyterhub_config.py").write_text(CONFIG_FILE, encoding="utf-8")
        (folder / "jupyterhub_config.py").chmod(0o644)
        _write_private(
            folder / "class.json", json.dumps(asdict(cfg), ensure_ascii=False, indent=2) + "\n"
        )
    except BaseException:
        undo.rollback()
        raise
    return cfg, password, made_private


def hub_command(cfg: ClassConfig) -> list[str]:
    folder = Path(cfg.class_dir)
    return [cfg.python, "-m", "jupyterhub", "-f", str(folder / "jupyterhub_config.py")]


def hub_env(cfg: ClassConfig) -> dict[str, str]:
    env = dict(os.environ)
    # The proxy is a node script: node must be on PATH next to the usual system folders.
    env["PATH"] = os.pathsep.join(
        [str(Path(cfg.python).parent), str(Path(cfg.proxy).parent), env.get("PATH", "/usr/bin")]
    )
    return env


def start(cfg: ClassConfig) -> int:
    """Run the hub in the foreground (Ctrl-C stops it and every student's server)."""
    accounts.require_root()
    if not port_is_free(cfg.port, cfg.ip or "0.0.0.0"):
        raise SansheError("classroom.port_busy", port=cfg.port)
    print(t("classroom.starting", url=cfg.url), flush=True)
    make_hub_files_private(Path(cfg.class_dir))
    os.chdir(cfg.class_dir)
    os.execve(cfg.python, hub_command(cfg), hub_env(cfg))
    return 0  # not reached
