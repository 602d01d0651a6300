"""A hand-in trying to break out of its sandbox, in every mode the grader offers.

The attacker runs exactly as a kernel does (``sandbox.make_boxes`` and ``Box.wrap``: the
namespaces, the jail, the box), graded by root and by an ordinary user (``nobody``, in the
unprivileged user-namespace mode).  It unmounts every mount it sees, then tries to read the
course's model answers, to write the gradebook, a file anyone may write outside its box and
the course, to reach a TCP port and an abstract Unix socket the grader's side listens on, to
find them in ``/proc/net``, and leaves a SysV shared-memory segment behind.  Nothing may
work, and the segment must end with the kernel.  Without root the grader must either do all
this or refuse (one translated line) — never grade unprotected.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
ROOT = os.geteuid() == 0
NOBODY = 65534
AS_NOBODY = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
SECRET = "sanshe-model-answer-" + uuid.uuid4().hex[:8]
SHM_KEY = 0x5A5E0000 + os.getpid() % 0xFFFF

ATTACK = r"""
import ctypes, json, os, socket, sys
spec = json.loads(sys.argv[1])
libc = ctypes.CDLL(None, use_errno=True)
out = {"unmounted": [], "read": [], "wrote": [], "reached": [], "listed": False}
# 1. Undo every mount it can see (deepest first), lazily and plainly.
mounts = [line.split()[4] for line in open("/proc/self/mountinfo")]
for target in reversed(mounts):
    for flags in (2, 0):  # MNT_DETACH, then a plain umount
        if libc.umount2(target.encode(), flags) == 0:
            out["unmounted"].append(target)
# ... and make / writable again.
out["remounted"] = libc.mount(b"none", b"/", None, 4096 | 32, None) == 0
# 2. The course's model answers, by absolute path, and anything else under the work folder.
for folder, _dirs, files in os.walk(spec["work"]):
    for name in files:
        try:
            if spec["secret"] in open(os.path.join(folder, name), errors="ignore").read():
                out["read"].append(os.path.join(folder, name))
        except OSError:
            pass
# 3. Writes outside its box: the gradebook, a world-writable file, new files anywhere.
for path in spec["write"]:
    try:
        with open(path, "a") as fh:
            fh.write("0 points for everyone")
        out["wrote"].append(path)
    except OSError:
        pass
# 4. The grader's side of the network: a TCP port on 127.0.0.1, an abstract Unix socket.
for family, address in ((socket.AF_INET, ("127.0.0.1", spec["port"])),
                        (socket.AF_UNIX, "\0" + spec["abstract"])):
    s = socket.socket(family, socket.SOCK_STREAM)
    s.settimeout(2)
    try:
        s.connect(address)
        out["reached"].append(str(address))
    except OSError:
        pass
    s.close()
for table in ("tcp", "tcp6"):
    try:
        text = open(f"/proc/net/{table}").read().upper()
    except OSError:
        continue
    out["listed"] |= f":{spec['port']:04X} " in text
# 5. 16 MB of SysV shared memory, meant to outlive the notebook.
out["shm"] = libc.shmget(spec["shm_key"], 16 << 20, 0o1000 | 0o666)
print("RESULT " + json.dumps(out))
"""

DRIVER = r"""
import json, os, subprocess, sys
from sanshe_edu.errors import SansheError
from sanshe_edu.grade.pipeline import sandbox
spec = json.loads(sys.argv[1])
try:
    sandbox.mode()
except SansheError as exc:
    print("REFUSED " + exc.message("en"))
    raise SystemExit(0)
(box,) = sandbox.make_boxes(["_sb0001"], spec["cover"], 60)
try:
    cmd = box.wrap([sys.executable, "-I", "-c", spec["attack"], json.dumps(spec)], "")
    done = subprocess.run(cmd, cwd=str(box.path / box.alias), env=box.env(),
                          capture_output=True, text=True, timeout=120)
    print(done.stdout, done.stderr[-2000:])
finally:
    sandbox.remove_box(box)
"""


def _shm_keys() -> set[int]:
    lines = Path("/proc/sysvipc/shm").read_text().splitlines()[1:]
    return {int(line.split()[0]) for line in lines}


@pytest.fixture
def world():
    """A course (model answers and gradebook world-readable, the worst case), a file anyone may
    write, and listeners on the grader's side; everything removed afterwards."""
    work = Path(tempfile.mkdtemp(prefix="sanshe-escape-"))
    work.chmod(0o755)
    course = work / "course"
    (course / "source" / "a1").mkdir(parents=True)
    (course / "source" / "a1" / "model_answers.json").write_text(f'{{"q1": "{SECRET}"}}')
    (course / "gradebook.db").write_text("GRADEBOOK")
    outside = work / "anyone-may-write.txt"
    outside.write_text("untouched")
    for path in [work, *work.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    outside.chmod(0o666)
    tcp = socket.socket()
    tcp.bind(("127.0.0.1", 0))
    tcp.listen()
    abstract = f"sanshe-escape-{uuid.uuid4().hex[:8]}"
    unix = socket.socket(socket.AF_UNIX)
    unix.bind("\0" + abstract)
    unix.listen()
    spec = {
        "work": str(work),
        "secret": SECRET,
        "cover": [str(course)],
        "write": [
            str(course / "gradebook.db"),
            str(outside),
            str(work / "new-file"),
            str(course / "new-file"),
            "/tmp/sanshe-escape-litter",
            "/dev/shm/sanshe-escape-litter",
        ],
        "port": tcp.getsockname()[1],
        "abstract": abstract,
        "shm_key": SHM_KEY,
        "attack": ATTACK,
    }
    before = {p: p.read_bytes() for p in work.rglob("*") if p.is_file()}
    try:
        yield work, spec, before
    finally:
        tcp.close()
        unix.close()
        shutil.rmtree(work, ignore_errors=True)
        for litter in ("/tmp/sanshe-escape-litter", "/dev/shm/sanshe-escape-litter"):
            Path(litter).unlink(missing_ok=True)
        subprocess.run(["ipcrm", "-M", str(SHM_KEY)], capture_output=True)


def _attack(spec: dict, as_nobody: bool, work: Path) -> str:
    env = {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "LANG": "C.UTF-8"}
    prefix = []
    if as_nobody:
        subprocess.run(["chown", "-R", f"{NOBODY}:{NOBODY}", str(work)], check=True)
        (work / "anyone-may-write.txt").chmod(0o666)
        env.update(HOME=str(work), TMPDIR=str(work))
        prefix = AS_NOBODY
    done = subprocess.run(
        [*prefix, sys.executable, "-c", DRIVER, json.dumps(spec)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd="/",
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _check_nothing_escaped(out: str, work: Path, before: dict) -> None:
    lines = [line for line in out.splitlines() if line.startswith("RESULT ")]
    assert lines, out
    got = json.loads(lines[0][len("RESULT ") :])
    assert got["unmounted"] == [] and not got["remounted"], got
    assert got["read"] == [], got
    assert got["wrote"] == [], got
    assert got["reached"] == [] and not got["listed"], got
    assert got["shm"] >= 0, got  # it could make the segment in its own IPC namespace ...
    assert SHM_KEY not in _shm_keys()  # ... which ended with it
    after = {p: p.read_bytes() for p in work.rglob("*") if p.is_file()}
    assert after == before
    assert not Path("/tmp/sanshe-escape-litter").exists()


@pytest.mark.skipif(not ROOT, reason="grades as root")
def test_graded_as_root_nothing_escapes(world):
    work, spec, before = world
    _check_nothing_escaped(_attack(spec, False, work), work, before)


def _nobody_can_run_the_grader() -> bool:
    probe = [*AS_NOBODY, sys.executable, "-c", "import sanshe_edu, nbgrader"]
    return subprocess.run(probe, capture_output=True, cwd="/").returncode == 0


@pytest.mark.skipif(not ROOT, reason="becomes an unprivileged user to try the non-root mode")
def test_graded_without_root_nothing_escapes_or_it_refuses(world):
    """Graded by an ordinary user: user namespaces lock the kernel in as tightly as root's
    sandbox; where the machine allows none, the grader refuses in one line saying how to grade
    safely (and no kernel runs)."""
    if shutil.which("setpriv") is None or not _nobody_can_run_the_grader():
        pytest.skip("this checkout's Python cannot be run by other users")
    work, spec, before = world
    out = _attack(spec, True, work)
    user_ns = subprocess.run(
        [*AS_NOBODY, "unshare", "--user", "--map-root-user", "true"], capture_output=True
    )
    if out.startswith("REFUSED "):
        assert user_ns.returncode != 0, out
        assert "Grade as root (sudo" in out
        return
    _check_nothing_escaped(out, work, before)


def test_refusal_is_said_in_both_languages(monkeypatch):
    """Where no user namespace can be made and the grader is not root, ``mode()`` refuses."""
    from sanshe_edu.errors import SansheError
    from sanshe_edu.grade.pipeline import sandbox

    monkeypatch.setattr(sandbox, "_MODE", None)
    monkeypatch.setattr(sandbox.os, "geteuid", lambda: 1000)
    monkeypatch.setattr(sandbox, "_unshare_works", lambda args: False)
    with pytest.raises(SansheError) as caught:
        sandbox.mode()
    assert caught.value.key == "grade.sandbox_unsafe"
    assert "sudo" in caught.value.message("en") and "root" in caught.value.message("zh")
