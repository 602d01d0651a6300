"""The last step before a student's kernel starts: ``python -I -S jail.py SPEC -- KERNEL…``.

Run by :mod:`sanshe_edu.grade.sandbox` as root inside a fresh PID and mount namespace
(``unshare --pid --fork --mount-proc --kill-child``), so this process is the namespace's
first process and the kernel it becomes (``exec``) takes that place: when the kernel ends, the
kernel of Linux ends every process the student's code started.  Before ``exec`` it

1. covers the folders named in SPEC (the real course, the grader's scratch course) with an
   empty read-only tmpfs, so absolute paths there find nothing;
2. hands the kernel's connection file to the sandbox user;
3. limits processes and file sizes, and drops to the sandbox user and group (no other groups,
   no new privileges).

Without root it is started in an unprivileged user namespace (``--user --map-root-user``)
where only step 1 applies.  It imports nothing outside the standard library and runs with
``-I -S`` (no site-packages), so it is quick and depends on nothing the student can touch.
"""

import ctypes
import json
import os
import resource
import signal
import sys

MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
PR_SET_NO_NEW_PRIVS = 38
PR_SET_PDEATHSIG = 1


def _cover(libc, path: str) -> None:
    flags = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC
    if libc.mount(b"none", path.encode(), b"tmpfs", flags, b"size=4k,mode=0500") != 0:
        raise OSError(ctypes.get_errno(), f"cannot cover {path}")


def main(argv: list[str]) -> int:
    spec = json.loads(argv[1])
    cmd = argv[argv.index("--") + 1 :]
    libc = ctypes.CDLL(None, use_errno=True)
    for path in spec.get("cover", []):
        if os.path.isdir(path):
            _cover(libc, path)
    uid, gid = spec.get("uid"), spec.get("gid")
    if uid is not None:
        if spec.get("conn"):
            os.chown(spec["conn"], uid, gid)
            os.chmod(spec["conn"], 0o400)
        for limit, value in (
            (resource.RLIMIT_NPROC, spec.get("nproc", 256)),
            (resource.RLIMIT_FSIZE, spec.get("fsize", 200 << 20)),
            (resource.RLIMIT_CORE, 0),
        ):
            resource.setrlimit(limit, (value, value))
        os.setgroups([])
        os.setgid(gid)
        os.setuid(uid)
        if os.getuid() != uid or os.geteuid() != uid:  # never run student code as root
            return 97
        # Changing user clears the "kill me when unshare dies" setting of --kill-child: set it
        # again, so that a killed grader takes the whole namespace with it.
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
    os.umask(0o077)
    os.execv(cmd[0], cmd)
    return 98  # not reached


if __name__ == "__main__":
    sys.exit(main(sys.argv))
