"""The last step before a student's kernel starts: ``python -I -S jail.py SPEC -- KERNEL…``.

Run by :mod:`sanshe_edu.grade.pipeline.sandbox` as root inside a fresh PID, mount, network and IPC
namespace (``unshare --pid --fork --mount-proc --kill-child --net --ipc``), so this process
is the namespace's first process and the kernel it becomes (``exec``) takes that place: when
the kernel ends, the kernel of Linux ends every process the student's code started.  Before
``exec`` it

1. covers the folders named in SPEC (the real course, the grader's scratch course) with an
   empty read-only tmpfs, so absolute paths there find nothing; then hides everything else
   but the system folders and SPEC's ``keep`` paths (the box, the Python, ``sanshe_edu``):
   along the way to each kept path every other folder is covered and every other file is
   blanked, so no other copy of the course on the machine can be read;
   A folder on the way that anyone may write to (``/tmp``, where the boxes live) cannot be
   covered, so it is made read-only instead (a recursive bind mount onto itself, remounted
   read-only) and the kept paths inside it are bound again as they were: student code can
   write in its own box and nowhere else — no file left behind in the machine's ``/tmp``
   (``/dev/shm``, the one such folder among the system folders, is covered);
2. hands the kernel's connection file to the sandbox user, and makes every mount read-only
   but the box's ``run`` folder (where the kernel's channels are Unix sockets);
3. puts a small tmpfs on the kernel's home (:data:`HOME_SIZE`), the one folder it can write
   in, so it can never fill the machine's disk; limits each process's memory
   (:data:`MEMORY_LIMIT`) and makes the submission's processes the first the machine ends
   should memory run out (``oom_score_adj``); brings up the namespace's own loopback;
4. limits processes and file sizes, empties the capability bounding set, and drops to the
   sandbox user and group (no other groups, no new privileges).

Without root it is started in an unprivileged user namespace (``--user --map-root-user``) of
which it is root: it makes the same mounts, then enters a user namespace nested in that one
(:func:`_lock_in`) as uid :data:`INNER_ID`, where those mounts are locked, before step 4
(without the change of user).  It imports nothing outside the standard library and runs with
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
#: Address space per process of a submission (``RLIMIT_AS``): a kernel of this course needs
#: well under 1 GB; a cell asking for more than this gets a ``MemoryError``.
MEMORY_LIMIT = 4 << 30
#: All a submission may write (its home is the only folder it can write in) and in how many
#: files: a tmpfs of this size, so a student filling it never fills the machine's disk.
HOME_SIZE, HOME_FILES = "256m", 20000


def _cover(libc, path: str) -> None:
    flags = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC
    if libc.mount(b"none", path.encode(), b"tmpfs", flags, b"size=4k,mode=0500") != 0:
        raise OSError(ctypes.get_errno(), f"cannot cover {path}")


# Top-level folders a kernel needs as they are (programs, libraries, settings, devices).
SYSTEM = {"usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32", "etc", "proc", "dev", "sys"}
MS_BIND, MS_REMOUNT = 4096, 32


def _blank(libc, path: str) -> None:
    if libc.mount(b"/dev/null", path.encode(), None, MS_BIND, None) != 0:
        raise OSError(ctypes.get_errno(), f"cannot blank {path}")
    flags = MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC
    libc.mount(b"none", path.encode(), None, flags, None)


def _within(path: str, folders: list[str]) -> bool:
    return any(path == f or path.startswith(f.rstrip("/") + "/") for f in folders)


def _hide_all_but(libc, keep: list[str]) -> None:
    """Cover every folder and blank every file that is neither a system folder, a kept path,
    nor on the way to one (symbolic links are left: they lead only to what is visible)."""
    on_the_way = set()
    for path in keep:
        while path not in on_the_way:
            on_the_way.add(path)
            path = os.path.dirname(path)
    for folder in sorted(on_the_way, key=len):
        if _within(folder, keep):
            continue
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for name in names:
            child = os.path.join(folder, name)
            if (folder == "/" and name in SYSTEM) or child in on_the_way or os.path.islink(child):
                continue
            try:
                if os.path.isdir(child):
                    _cover(libc, child)
                elif os.path.isfile(child):
                    _blank(libc, child)
            except OSError:
                continue  # best effort beyond the named covers (e.g. a busy special mount)


MS_REC = 16384


def _read_only_shared(libc, keep: list[str]) -> None:
    """Make each world-writable folder on the way to a kept path read-only (its covers kept:
    a recursive bind), then bind the kept paths inside it onto themselves again and make those
    writable as before."""
    on_the_way = set()
    for path in keep:
        path = os.path.dirname(path)
        while path not in on_the_way and path != "/":
            on_the_way.add(path)
            path = os.path.dirname(path)
    shared = []
    for folder in sorted(on_the_way, key=len):
        try:
            writable = os.stat(folder).st_mode & 0o002
        except OSError:
            continue
        if not writable or _within(folder, keep):
            continue
        target = folder.encode()
        if libc.mount(target, target, None, MS_BIND | MS_REC, None) != 0:
            raise OSError(ctypes.get_errno(), f"cannot bind {folder}")
        flags = MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV
        if libc.mount(b"none", target, None, flags, None) != 0:
            raise OSError(ctypes.get_errno(), f"cannot make {folder} read-only")
        shared.append(folder)
    for path in keep:
        if _within(path, shared) and os.path.isdir(path):
            target = path.encode()
            if libc.mount(target, target, None, MS_BIND | MS_REC, None) != 0:
                raise OSError(ctypes.get_errno(), f"cannot bind {path}")
            # a bind mount copies the read-only flag of the mount it was taken from: lift it
            flags = MS_BIND | MS_REMOUNT | MS_NOSUID | MS_NODEV
            if libc.mount(b"none", target, None, flags, None) != 0:
                raise OSError(ctypes.get_errno(), f"cannot make {path} writable")


MOUNT_ATTR_RDONLY, AT_RECURSIVE, SYS_MOUNT_SETATTR = 0x1, 0x8000, 442
MS_FLAGS = {
    "nosuid": MS_NOSUID,
    "nodev": MS_NODEV,
    "noexec": MS_NOEXEC,
    "noatime": 1024,
    "nodiratime": 2048,
    "relatime": 1 << 21,
    "strictatime": 1 << 24,
}


def _read_only_everything(libc, writable: list[str], check: list[str]) -> None:
    """Every mount the kernel sees read-only (``mount_setattr`` on ``/`` with
    ``AT_RECURSIVE``; on kernels before 5.12, each mount of ``/proc/self/mountinfo`` remounted
    with its own flags kept), then each ``writable`` folder bound onto itself writable again:
    whatever user the kernel runs as, it can write in those folders (and its home, mounted
    after this) and nowhere else — not in a venv, a ``/usr/local`` or ``/dev/mqueue`` it
    happens to own or share."""

    class MountAttr(ctypes.Structure):
        _fields_ = [(n, ctypes.c_uint64) for n in ("set", "clr", "prop", "userns")]

    attr = MountAttr(MOUNT_ATTR_RDONLY, 0, 0, 0)
    done = libc.syscall(
        SYS_MOUNT_SETATTR, -100, b"/", AT_RECURSIVE, ctypes.byref(attr), ctypes.sizeof(attr)
    )
    if done != 0:
        with open("/proc/self/mountinfo", encoding="utf-8", errors="replace") as f:
            mounts = [line.split() for line in f]
        for fields in mounts:
            if fields[4] == "/proc" or fields[4].startswith("/proc/"):
                continue
            target = fields[4].encode().decode("unicode_escape").encode("latin-1")
            flags = MS_BIND | MS_REMOUNT | MS_RDONLY
            for option in fields[5].split(","):
                flags |= MS_FLAGS.get(option, 0)
            libc.mount(b"none", target, None, flags, None)  # checked below
    else:  # its own /proc stays writable (the jail writes the user namespace's maps there)
        attr = MountAttr(0, MOUNT_ATTR_RDONLY, 0, 0)
        libc.syscall(SYS_MOUNT_SETATTR, -100, b"/proc", 0, ctypes.byref(attr), ctypes.sizeof(attr))
    for path in ["/", *check]:  # never start a kernel that could write where it must not
        if not os.statvfs(path).f_flag & os.ST_RDONLY:
            raise OSError(f"cannot make {path} read-only")
    for path in writable:
        target = path.encode()
        if libc.mount(target, target, None, MS_BIND, None) != 0:
            raise OSError(ctypes.get_errno(), f"cannot bind {path}")
        flags = MS_BIND | MS_REMOUNT | MS_NOSUID | MS_NODEV | MS_NOEXEC
        if libc.mount(b"none", target, None, flags, None) != 0:
            raise OSError(ctypes.get_errno(), f"cannot make {path} writable")


CLONE_NEWNS, CLONE_NEWUSER = 0x00020000, 0x10000000
#: The kernel's user id inside its own user namespace (without root): not 0, so it holds no
#: capability once it runs the kernel.
INNER_ID = 1000
PR_CAPBSET_DROP = 24


def _lock_in(libc) -> None:
    """Without root: enter a user namespace (and mount namespace) owned by the one this jail
    is root of, as user :data:`INNER_ID`.  Mounts made in a parent user namespace are locked in
    a child's mount namespace (``MNT_LOCKED``): the kernel can neither unmount a cover
    (``EINVAL``) nor make a read-only mount writable again, and it is not root there."""
    if libc.unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0:
        raise OSError(ctypes.get_errno(), "cannot enter a nested user namespace")
    for name, text in (
        ("setgroups", "deny"),
        ("uid_map", f"{INNER_ID} 0 1"),
        ("gid_map", f"{INNER_ID} 0 1"),
    ):
        with open(f"/proc/self/{name}", "w") as f:
            f.write(text)


def _drop_capabilities(libc) -> None:
    """No capability can ever be gained back (the bounding set emptied, no new privileges)."""
    for cap in range(64):
        if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            break  # past the last capability this Linux knows


def _small_home(libc, home: str, dirs: list[str], uid: int | None, gid: int | None) -> None:
    """A fresh tmpfs of :data:`HOME_SIZE` (and :data:`HOME_FILES` files) on the kernel's home,
    the one folder the submission can write in, with ``dirs`` made in it: however much the
    student's code writes, the machine's disk (and so every other submission's grading) is
    untouched; past the limit a write fails with "No space left on device"."""
    options = f"size={HOME_SIZE},nr_inodes={HOME_FILES},mode=0700"
    if uid is not None:
        options += f",uid={uid},gid={gid}"
    flags = MS_NOSUID | MS_NODEV
    if libc.mount(b"tmpfs", home.encode(), b"tmpfs", flags, options.encode()) != 0:
        raise OSError(ctypes.get_errno(), f"cannot mount a tmpfs on {home}")
    for sub in dirs:
        path = os.path.join(home, sub)
        os.makedirs(path, mode=0o700, exist_ok=True)
        if uid is not None:
            os.chown(path, uid, gid)


SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 0x1


def _loopback_up() -> None:
    """The kernel's network namespace has nothing but its own loopback: bring it up, so that
    what ipykernel itself sends over 127.0.0.1 (the output of forked processes) works — it
    reaches nothing outside the namespace."""
    import fcntl
    import socket
    import struct

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        request = struct.pack("16sH14x", b"lo", 0)
        flags = struct.unpack("16sH14x", fcntl.ioctl(sock, SIOCGIFFLAGS, request))[1]
        fcntl.ioctl(sock, SIOCSIFFLAGS, struct.pack("16sH14x", b"lo", flags | IFF_UP))


def _limit_memory(limit: int) -> None:
    """At most ``limit`` bytes of memory for each process of the submission (a bigger request
    is a ``MemoryError`` in the cell that made it), and its processes are the ones the machine
    ends first should memory still run out (many processes together): never the grader's."""
    if limit:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        with open("/proc/self/oom_score_adj", "w") as f:
            f.write("1000")
    except OSError:  # no /proc (not Linux) or not allowed: the limit above still holds
        pass


def main(argv: list[str]) -> int:
    spec = json.loads(argv[1])
    cmd = argv[argv.index("--") + 1 :]
    libc = ctypes.CDLL(None, use_errno=True)
    for path in spec.get("cover", []):
        if os.path.isdir(path):
            _cover(libc, path)
    if spec.get("keep"):
        keep = [os.path.realpath(k) for k in spec["keep"]]
        _hide_all_but(libc, keep)
        _read_only_shared(libc, keep)
        # The one world-writable folder among the system folders: shared memory.
        if os.path.isdir("/dev/shm"):
            _cover(libc, "/dev/shm")
    uid, gid = spec.get("uid"), spec.get("gid")
    if uid is not None and spec.get("conn"):
        os.chown(spec["conn"], uid, gid)
        os.chmod(spec["conn"], 0o400)
    if spec.get("keep"):
        run = [p for p in [spec.get("run")] if p and os.path.isdir(p)]
        _read_only_everything(libc, run, [os.path.realpath(k) for k in spec["keep"]])
    if spec.get("home"):
        _small_home(libc, spec["home"], spec.get("home_dirs", []), uid, gid)
    _limit_memory(spec.get("memory", MEMORY_LIMIT))
    if spec.get("net"):
        _loopback_up()
    if spec.get("nest"):
        _lock_in(libc)
    if uid is not None or spec.get("nest"):
        # Per user: as root, the submission's own uid; without root, counted in the nested
        # user namespace (Linux 5.14 and later), so the trainer's other processes do not count.
        for limit, value in (
            (resource.RLIMIT_NPROC, spec.get("nproc", 256)),
            (resource.RLIMIT_FSIZE, spec.get("fsize", 200 << 20)),
            (resource.RLIMIT_CORE, 0),
        ):
            resource.setrlimit(limit, (value, value))
    _drop_capabilities(libc)
    if spec.get("nest"):
        # A new user namespace may clear the "kill me when unshare dies" setting: set it again.
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if uid is not None:
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
