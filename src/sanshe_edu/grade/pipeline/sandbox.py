"""Each submission's kernel in a sandbox of its own (see docs/threat-model.md).

A :class:`Box` is one submission's sandbox: a private temporary folder (its working copy,
its home, its connection file) and, when the grader runs as root, a user and group of its own
(a high id with no passwd entry, different for every submission).  The kernel is started
through ``unshare --pid --fork --mount-proc --kill-child --net --ipc`` and
:mod:`sanshe_edu.grade.pipeline.jail`, so every process the student's code starts ends with
the kernel, it has no network and no SysV/POSIX IPC shared with anyone (it talks to the
grader over Unix sockets in its box, ``transport="ipc"``), and the kernel's standard streams
go to ``/dev/null`` (never to the grader's output).  :class:`SandboxExecute` is nbgrader's
``Execute`` with :class:`SandboxKernelManager`; ``sanshe-edu grade autograde`` puts
it in place of ``Execute`` (plain ``nbgrader`` commands are not sandboxed).

Without root, the kernel runs as the trainer's own user inside an unprivileged user namespace
and a second one nested in it (the jail's mounts locked, no capability), with the same
namespaces, folders and limits, and :func:`describe` says once what is and is not isolated;
where the machine allows no user namespace, :func:`mode` refuses to grade.
"""

from __future__ import annotations

import contextlib
import grp
import json
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from ...errors import SansheError
from ...i18n import t

JAIL = Path(__file__).with_name("jail.py")
UID_BASE = 2_000_000_000  # far above any real account; every submission gets its own id
KEEP_ENV = ("PATH", "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "LC_MESSAGES", "TZ", "PYTHONPATH")
KEEP_ENV_PREFIX = ("SANSHE_EDU_LANG", "NBGRADER_")
STATE_VARS = {
    "HOME": "",
    "TMPDIR": "tmp",
    "IPYTHONDIR": "ipython",
    "MPLCONFIGDIR": "matplotlib",
    "JUPYTER_CONFIG_DIR": "jupyter",
    "JUPYTER_DATA_DIR": "jupyter",
    "JUPYTER_RUNTIME_DIR": "jupyter",
    "XDG_CACHE_HOME": "cache",
    "SANSHE_EDU_DATA_DIR": "data",
    "SANSHE_EDU_WORKSPACE": "workspace",
}


@dataclass
class Mode:
    """How kernels are isolated on this machine (decided once per run)."""

    root: bool
    namespaces: bool  # PID + mount namespace around each kernel

    @property
    def key(self) -> str:
        if self.root:
            return "root"
        return "user_ns" if self.namespaces else "plain"


_MODE: Mode | None = None


def _unshare_works(args: list[str]) -> bool:
    if shutil.which("unshare") is None:
        return False
    if "--" not in args:
        args = [*args, "true"]
    try:
        done = subprocess.run(
            ["unshare", *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=10,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def mode() -> Mode:
    """The sandbox this machine allows (root: a user per submission and namespaces)."""
    global _MODE
    if _MODE is None:
        if os.geteuid() == 0:
            if shutil.which("unshare") is None:
                raise SansheError("grade.sandbox_no_unshare")
            if not _unshare_works(_unshare_args(True)):  # e.g. a container without SYS_ADMIN
                raise SansheError("grade.sandbox_no_namespaces")
            _MODE = Mode(root=True, namespaces=True)
        else:
            # The jail itself must be able to lock the kernel in (a nested user namespace):
            # otherwise the kernel would be root of its namespaces and could undo every mount.
            spec = json.dumps({"nest": True, "keep": ["/"]})
            probe = [sys.executable, "-I", "-S", str(JAIL), spec, "--", shutil.which("true") or ""]
            if not _unshare_works([*_unshare_args(False), *probe]):
                raise SansheError("grade.sandbox_unsafe")
            _MODE = Mode(root=False, namespaces=True)
    return _MODE


def describe(m: Mode) -> str:
    """One translated line: what is and is not isolated (said once, when not root)."""
    return t(f"grade.sandbox_{m.key}")


def _unshare_args(root: bool) -> list[str]:
    """A PID, mount, network and IPC namespace of the kernel's own (and, without root, a user
    namespace the jail is root of, to make its mounts in)."""
    user = [] if root else ["--user", "--map-root-user"]
    return [*user, "--pid", "--fork", "--mount-proc", "--kill-child", "--net", "--ipc"]


def _free_ids(count: int) -> list[int]:
    """``count`` ids above UID_BASE with no passwd or group entry, distinct per process."""
    start = UID_BASE + (os.getpid() % 50_000) * 20_000
    ids, candidate = [], start
    while len(ids) < count:
        candidate += 1
        try:
            pwd.getpwuid(candidate)
            continue
        except KeyError:
            pass
        try:
            grp.getgrgid(candidate)
            continue
        except KeyError:
            pass
        ids.append(candidate)
    return ids


def keep_paths(box: Path) -> list[str]:
    """What a kernel may see besides the system folders: its box, this Python (the venv and
    the interpreter it came from), the import path's folders under those, and the installed
    ``sanshe_edu``.  Everything else on the machine is hidden from it (``jail.py``), so other
    copies of the course — a second clone, a trainer's folder — are out of reach too.
    """
    import sanshe_edu

    roots = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    keep = {str(box), *roots, str(Path(sys.executable).resolve().parent)}
    keep.add(str(Path(sanshe_edu.__file__).resolve().parent))
    for entry in sys.path:  # site-packages and the like, never the grader's working folder
        if entry and any(entry == r or entry.startswith(r.rstrip("/") + "/") for r in roots):
            keep.add(entry)
    return sorted(os.path.realpath(k) for k in keep if os.path.exists(k))


@dataclass
class Box:
    """One submission's sandbox (made by the parent, used by the worker, removed by the parent)."""

    alias: str
    path: Path
    uid: int | None
    cover: list[str]
    limit: int
    expired: bool = False
    procs: list = field(default_factory=list)

    @property
    def home(self) -> Path:
        return self.path / "home"

    @property
    def run(self) -> Path:
        return self.path / "run"

    def to_json(self) -> dict:
        return {
            "alias": self.alias,
            "path": str(self.path),
            "uid": self.uid,
            "cover": self.cover,
            "limit": self.limit,
        }

    @classmethod
    def from_json(cls, data: dict) -> Box:
        return cls(data["alias"], Path(data["path"]), data["uid"], data["cover"], data["limit"])

    # -- used by the kernel manager, in the worker
    def env(self) -> dict[str, str]:
        env = {
            k: v for k, v in os.environ.items() if k in KEEP_ENV or k.startswith(KEEP_ENV_PREFIX)
        }
        env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "/usr/bin")
        for var, sub in STATE_VARS.items():
            env[var] = str(self.home / sub) if sub else str(self.home)
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        return env

    def wrap(self, cmd: list[str], connection_file: str) -> list[str]:
        m = mode()
        spec = {
            "cover": self.cover,
            "keep": keep_paths(self.path),
            "conn": connection_file,
            "run": str(self.run),
            "nest": not m.root,
            "net": True,  # a network namespace of its own (_unshare_args)
            "home": str(self.home),
            "home_dirs": sorted({sub for sub in STATE_VARS.values() if sub}),
        }
        if self.uid is not None:
            spec.update(uid=self.uid, gid=self.uid)
        jail = [sys.executable, "-I", "-S", str(JAIL), json.dumps(spec), "--", *cmd]
        # Should the worker itself be killed, the kernel's namespace goes with it.
        orphan = ["setpriv", "--pdeathsig", "KILL"] if shutil.which("setpriv") else []
        return [*orphan, "unshare", *_unshare_args(m.root), *jail]

    def expire(self) -> None:
        """The time limit of this submission is over: end its kernel and everything it started."""
        self.expired = True
        for proc in list(self.procs):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)


def make_boxes(aliases: list[str], cover: list[str], limit: int) -> list[Box]:
    """Private folders for these submissions: ``<box>/<alias>/`` (the working copy, written by
    nbgrader as root), ``home`` (the sandbox user's), ``run`` (its connection file)."""
    m = mode()
    ids = _free_ids(len(aliases)) if m.root else [None] * len(aliases)
    boxes = []
    for alias, uid in zip(aliases, ids, strict=True):
        path = Path(tempfile.mkdtemp(prefix="sanshe-box-"))
        box = Box(alias, path, uid, cover, limit)
        for sub in ("home", "run", alias):
            (path / sub).mkdir()
        for _var, sub in STATE_VARS.items():
            (box.home / sub).mkdir(exist_ok=True)
        if uid is not None:
            # Only this submission's group may enter the box; the folders are root's (the
            # student cannot rename or replace what nbgrader later writes), home is theirs.
            for folder in (path, path / alias):
                os.chown(folder, 0, uid)
                os.chmod(folder, 0o710)
            # run: the kernel makes its channels' sockets there (transport "ipc").
            for folder in [box.run, box.home, *box.home.iterdir()]:
                os.chown(folder, uid, uid)
                os.chmod(folder, 0o700)
        boxes.append(box)
    return boxes


def remove_box(box: Box) -> None:
    shutil.rmtree(box.path, ignore_errors=True)


def check_python(box: Box) -> None:
    """The sandbox user must be able to run the kernel's Python and import the kernel and this
    package; say clearly when it cannot (a venv made from a Python under /root, mode 700)."""
    probe = (
        "import importlib.util as u\n"
        "for m in ('ipykernel', 'sanshe_edu', 'nbformat'):\n"
        "    s = u.find_spec(m)\n"
        "    open(s.origin, 'rb').close()\n"
    )
    cmd = box.wrap([sys.executable, "-I", "-c", probe], "")
    try:
        done = subprocess.run(
            cmd,
            cwd=str(box.path / box.alias),
            env=box.env(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            timeout=60,
        )
        ok = done.returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        ok = False
    if not ok:
        raise SansheError("grade.sandbox_python", python=sys.executable, uid=box.uid or os.getuid())


# ------------------------------------------------------------------ in the worker process
class _Current:
    box: Box | None = None


CURRENT = _Current()


def _kernel_manager_class():
    from jupyter_client.manager import AsyncKernelManager

    class SandboxKernelManager(AsyncKernelManager):
        """A kernel inside the current submission's box (see the module doc)."""

        async def _async_pre_start_kernel(self, **kw):
            box = CURRENT.box
            if box is None:
                raise RuntimeError("no sandbox for this kernel")
            if box.expired:
                raise RuntimeError("time limit")
            # The kernel has no network (a namespace of its own with only a loopback that is
            # down): its channels are Unix sockets in the box's run folder, which only this
            # submission's kernel and the grader can reach.
            # Short socket names ("k-1"…): a Unix socket's path has at most 107 bytes.
            self.connection_file = str(box.run / f"k{uuid.uuid4().hex[:12]}.json")
            self.transport = "ipc"
            self.ip = str(box.run / "k")
            cmd, kw = await super()._async_pre_start_kernel(**kw)
            kw["env"] = box.env()
            kw["stdin"] = kw["stdout"] = kw["stderr"] = subprocess.DEVNULL
            kw["independent"] = False
            return box.wrap(cmd, self.connection_file), kw

        async def _async_launch_kernel(self, kernel_cmd, **kw):
            await super()._async_launch_kernel(kernel_cmd, **kw)
            box = CURRENT.box
            process = getattr(self.provisioner, "process", None)
            if box is not None and process is not None:
                box.procs.append(process)
                if box.expired:
                    box.expire()

    return SandboxKernelManager


def sandbox_execute_class():
    from nbgrader.preprocessors import Execute

    class SandboxExecute(Execute):
        """nbgrader's Execute, with each kernel in the current submission's sandbox."""

        def __init__(self, *args, **kwargs):
            kwargs.setdefault("kernel_manager_class", _kernel_manager_class())
            # Once every cell has run and its outputs are in, the kernel is ended at once (its
            # box goes next). A graceful shutdown waited for the kernel to exit, and about one
            # kernel in ten took until jupyter_client's 5 s limit: 0.5 s per submission.
            kwargs.setdefault("shutdown_kernel", "immediate")
            super().__init__(*args, **kwargs)

    return SandboxExecute


class Watchdog:
    """Ends a submission's kernel (and all it started) when its time limit is over."""

    def __init__(self, box: Box) -> None:
        self.timer = threading.Timer(box.limit, box.expire)
        self.timer.daemon = True

    def __enter__(self):
        self.timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self.timer.cancel()
