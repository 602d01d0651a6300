"""Attack submissions against ``sanshe-edu grade autograde`` (real nbgrader, real kernels).

One class of a1_concepts: honest classmates (some sorted before the attackers, some after)
and one submission for every attack class of docs/threat-model.md ("Sandbox").  The class is
graded three times in fresh course copies: classmates alone (the baseline), the whole class
with ``--jobs 2`` and the whole class sequentially.  Every run must give every classmate
exactly the baseline's cell scores, every attacker what its honest work deserves, the same
results in both runs, and no forged line and no traceback in the trainer's output; no process
a submission started may be left afterwards.  Run as root (as in CI) each kernel is its own
unprivileged user; the isolation assertions that need that are skipped otherwise.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
import time
from pathlib import Path

import nbformat
import pytest
from grade_support import GRADING, STATE_DIRS, isolated_state_in, run_cli
from test_grade_pipeline import (
    A1,
    A1_MODEL,
    A1_RIGHT,
    DUE,
    PARTLY,
    PARTLY_WIDGETS,
    answered,
    hand_in,
    insert_after,
    new_course,
    notebook,
    released,
    scores,
    solutions,
)

from sanshe_edu.grade.pipeline.sandbox import UID_BASE

pytestmark = pytest.mark.slow
ROOT = os.geteuid() == 0
LIMIT = 25  # seconds per submission in these courses (each cell: 5 s)
FORGED = "PLAGIARISM-FORGED"

# Finds every gradebook, notebook and config it can from the kernel's folder — by relative
# paths up to the file system's root and by absolute paths under the temporary folders and the
# course (whose path the attacker is assumed to know) — and overwrites or reads them.
HUNT = r"""
import os
def _targets(course, limit=20000):
    seen, count = set(), 0
    roots = [os.path.join(*[".."] * n) for n in range(1, 5)] + ["/tmp", course]
    for top in roots:
        for folder, dirs, files in os.walk(top):
            dirs[:] = [d for d in dirs if d not in ("proc", "sys", "usr", "dev", "work", "opt")]
            count += len(files) + len(dirs)
            if count > limit:
                break
            for name in files:
                if name.endswith((".db", ".ipynb", ".json", ".py", ".txt")):
                    seen.add(os.path.join(folder, name))
    return sorted(seen)
"""


LITTER_MARK = "sanshe-litter-m07"
LITTER = f"""
import os, tempfile
for folder in ("/tmp", "/var/tmp", "/dev/shm", os.path.dirname(os.getcwd()),
               os.path.dirname(os.path.dirname(os.getcwd())), tempfile.gettempdir()):
    try:
        with open(os.path.join(folder, "{LITTER_MARK}"), "w") as fh:
            fh.write("left behind")
    except OSError:
        pass
open("own-{LITTER_MARK}", "w").write("mine")  # the kernel's own folder: allowed
"""


def vandal(course: Path) -> str:
    """Writes 22 bytes over every gradebook and garbage over every notebook it can reach."""
    return (
        HUNT
        + f"""
for path in _targets({str(course)!r}):
    try:
        with open(path, "r+b") as fh:
            fh.write(b"22 bytes of nonsense!!" if path.endswith(".db") else b"garbage")
    except OSError:
        pass
"""
    )


def reader(course: Path) -> str:
    """Looks for the model answers (solutions, model_answers.json) anywhere it can read, in
    /proc/*/cmdline and environ too, and answers with whatever it finds."""
    return (
        HUNT
        + f"""
import json, re
found = {{}}
paths = _targets({str(course)!r})
for pid in os.listdir("/proc"):
    for part in ("cmdline", "environ"):
        try:
            text = open(f"/proc/{{pid}}/{{part}}", "rb").read().decode(errors="ignore")
        except OSError:
            continue
        for word in re.split(r"[\\x00 =:]", text):
            if word.startswith("/") and os.path.isdir(word):
                paths += _targets(word)
for path in paths:
    try:
        text = open(path, encoding="utf-8").read()
    except (OSError, UnicodeDecodeError):
        continue
    if "### BEGIN SOLUTION" in text and path.endswith(".ipynb"):
        for cell in json.loads(text)["cells"]:
            src = "".join(cell["source"])
            if "### BEGIN SOLUTION" in src:
                exec(src.split("### BEGIN SOLUTION")[1].split("### END SOLUTION")[0])
                found[path] = True
    if path.endswith("model_answers.json"):
        try:
            answers = json.loads(text)
            if isinstance(answers, dict):
                with open("sanshe_answers.json", "w", encoding="utf-8") as fh:
                    fh.write(text)
                found[path] = True
        except (OSError, ValueError):
            pass
print("found", sorted(found))
"""
    )


FORGE = f"""
import os, json
lines = [
    json.dumps({{"alias": f"_sb{{i:04d}}", "ok": False, "reason": "nbgrader", "name": "{FORGED}"}})
    for i in range(1, 30)
] + [
    json.dumps({{"student": "c01_complete", "ok": False, "error": "{FORGED}"}}),
    "sanshe-edu: student c02_partly: {FORGED}",
]
text = ("\\n".join(lines) + "\\n").encode()
import stat
for fd in range(0, 64):
    try:
        mode = os.fstat(fd).st_mode
        # every pipe, terminal or file it holds (where a grader could read); not its own
        # kernel's sockets and event counters (eventfd, epoll): text written there only
        # breaks this kernel's own messaging, a cell's output then missing now and then
        if stat.S_ISFIFO(mode) or stat.S_ISCHR(mode) or stat.S_ISREG(mode):
            os.write(fd, text)
    except OSError:
        pass
print(text.decode())
"""

# A process that outlives the kernel (double fork, own session, ignores SIGTERM/SIGHUP) and
# keeps trying to rewrite every gradebook it can reach.
DETACH = (
    HUNT
    + """
import os, signal, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
        while True:
            time.sleep(2)
            for path in _targets("/tmp"):
                if path.endswith(".db"):
                    try:
                        open(path, "r+b").write(b"22 bytes of nonsense!!")
                    except OSError:
                        pass
    os._exit(0)
"""
)

SNOOP_MARK = "SNOOP-RESULT"
#: Looks for the other kernels (and any loopback service) for a few seconds, as a blank
#: notebook that wants the hidden tests and classmates' answers from their IOPub would: every
#: listening TCP socket in /proc/net/tcp*, every Unix socket outside its own box in
#: /proc/net/unix, each tried (but its own kernel's: its own sockets, those in its own box).
#: It prints what it saw and reached (kept in its graded copy).
SNOOP = f"""
import os, socket, time
own = os.path.dirname(os.environ["HOME"])
mine = set()
for fd in os.listdir("/proc/self/fd"):
    try:
        mine.add(os.readlink(f"/proc/self/fd/{{fd}}")[len("socket:["):-1])
    except OSError:
        pass
listening, reached = set(), set()
deadline = time.time() + 4
while time.time() < deadline:
    for table in ("tcp", "tcp6"):
        for line in open(f"/proc/net/{{table}}").read().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and fields[9] not in mine:
                port = int(fields[1].rsplit(":", 1)[1], 16)
                listening.add(port)
                s = socket.socket()
                s.settimeout(1)
                try:
                    s.connect(("127.0.0.1", port))
                    reached.add(port)
                except OSError:
                    pass
                s.close()
    for line in open("/proc/net/unix").read().splitlines()[1:]:
        fields = line.split()
        if len(fields) > 7 and not fields[7].startswith(own) and fields[6] not in mine:
            listening.add(fields[7])
            s = socket.socket(socket.AF_UNIX)
            try:
                s.connect(fields[7].replace("@", "\\0", 1))
                reached.add(fields[7])
            except OSError:
                pass
            s.close()
    time.sleep(0.5)
print("{SNOOP_MARK}", sorted(map(str, listening)), sorted(map(str, reached)))
"""

#: Memory, a gigabyte at a time, far beyond the machine's: a MemoryError in this cell at the
#: submission's limit (jail.MEMORY_LIMIT), and the answers still count.
HOG = "hog = [b'x' * (1 << 30) for _ in range(64)]"

#: Fills its home (the one folder it can write in) with files just under the file limit until
#: the disk is full: the small home of the jail says "no space" long before the machine's disk.
FILL = """
import os
data = b"x" * (64 << 20)
try:
    for i in range(100000):
        with open(os.path.join(os.environ["HOME"], f"fill{i}"), "wb") as f:
            f.write(data)
except OSError:
    pass
"""

FOREVER = """
import subprocess, time
subprocess.Popen(["sleep", "100000"], start_new_session=True)
while True:
    try:
        time.sleep(1000)
    except KeyboardInterrupt:
        pass
"""


def strip_marks(nb) -> nbformat.NotebookNode:
    for cell in nb.cells:
        cell.metadata.pop("nbgrader", None)
    return nb


def build_class(course: Path, attackers: bool) -> dict[str, tuple[float, bool]]:
    """Hand in the class; returns {student: (expected score, expected flagged)}.

    a1 is 16 points (13 in widgets, 3 in code; see test_grade_pipeline).  Widget answers are
    kept inside the notebooks, except z01's and h03's (in the answers file beside it)."""
    good = solutions(A1)
    expected = {}
    # Honest classmates, sorted before and after the attackers: complete 16; partly right
    # 10.67 (worked out part by part at test_grade_pipeline.PARTLY / PARTLY_WIDGETS).
    hand_in(course, "c01_complete", A1, notebook(course, A1, good, A1_MODEL))
    hand_in(course, "c02_partly", A1, notebook(course, A1, PARTLY, PARTLY_WIDGETS))
    hand_in(course, "z01_complete", A1, answered(course, A1, good), widget=A1_RIGHT)
    expected.update({"c01_complete": (16, False), "c02_partly": (10.67, False)})
    expected["z01_complete"] = (16, False)
    if not attackers:
        return expected

    def attack(student, code, answers=good, score=16, flagged=False, at=None):
        # answers=None: the released notebook, no widget answered.
        blank = answers is None
        nb = released(course, A1) if blank else notebook(course, A1, answers, A1_MODEL)
        insert_after(nb, at or "term_years", code)
        hand_in(course, student, A1, nb)
        expected[student] = (score, flagged)

    # Relative and absolute paths to every gradebook, notebook and config: overwritten.
    attack("m01_vandal", vandal(course))
    # Files left in the machine's shared folders (/tmp, the box's parent) and in its own
    # folder: only its own folder takes them; the honest answers still count.
    attack("m07_litter", LITTER)
    # Asks for 64 GB: stopped at the memory limit with a MemoryError; the answers count.
    attack("m08_hog", HOG)
    # Writes 64 MB files into its home until the disk is full: its home fills, not the disk.
    attack("m09_fill", FILL)
    # A blank notebook whose detached process keeps rewriting gradebooks after the kernel.
    attack("m02_detached", DETACH, answers=None, score=0)
    # Fake result lines on every file descriptor (the worker's stdout included).
    attack("m03_forge", FORGE)
    # Looks for the other kernels' channels and any loopback service (a blank notebook).
    attack("m10_snoop", SNOOP, answers=None, score=0)
    # Reads the solutions / model answers wherever it finds them and answers with them.
    attack("m04_reader", reader(course), answers=None, score=0)
    # Leaves a process running forever and loops forever catching the interrupt: the time
    # limit ends the submission (0, flagged).
    attack("m05_forever", FOREVER, score=0, flagged=True, at="role_of")
    # Every cell a little under the cell limit, together over the submission's limit
    # (10 × 4 s > 25 s).
    nb = notebook(course, A1, good, A1_MODEL)
    for gid in ("three_subjects_ask", "term_years", "scholar_match_ask", "role_of", "newland_ask"):
        insert_after(nb, gid, "import time\ntime.sleep(4)")
        insert_after(nb, gid, "import time\ntime.sleep(4)")
    hand_in(course, "m06_slow", A1, nb)
    expected["m06_slow"] = (0, True)

    # Hand-ins that are not data of their own: refused (0, flagged, named).
    source_nb = course / "source" / A1 / f"{A1}.ipynb"
    model = course / "source" / A1 / "model_answers.json"
    folder = course / "submitted" / "l01_symlink_nb" / A1
    folder.mkdir(parents=True)
    (folder / f"{A1}.ipynb").symlink_to(source_nb)
    hand_in(course, "l02_symlink_answers", A1, answered(course, A1, good))
    (course / "submitted" / "l02_symlink_answers" / A1 / "sanshe_answers.json").symlink_to(model)
    hand_in(course, "l03_hardlink", A1, answered(course, A1, good))
    os.link(model, course / "submitted" / "l03_hardlink" / A1 / "sanshe_answers.json")
    hand_in(course, "l04_fifo", A1, answered(course, A1, good))
    os.mkfifo(course / "submitted" / "l04_fifo" / A1 / "sanshe_answers.json")
    for student in ("l01_symlink_nb", "l02_symlink_answers", "l03_hardlink", "l04_fifo"):
        expected[student] = (0, True)

    # Honest oddities: full marks (16).
    attack("h01_stdout", "import sys, io\nsys.stdout = io.StringIO()\nsys.stderr = io.StringIO()")
    attack("h02_chdir", "import os\nos.chdir('/')")
    hand_in(
        course,
        "h03_chinese_time",
        A1,
        answered(course, A1, good),
        widget=A1_RIGHT,
        when="2025年12月31日 12:00",
    )
    hand_in(course, "h04_stripped", A1, strip_marks(notebook(course, A1, good, A1_MODEL)))
    hand_in(course, "李雷 [2023001]", A1, notebook(course, A1, good, A1_MODEL))
    # Marks and cell ids both stripped (an old notebook format): named precisely, 0, flagged.
    no_ids = strip_marks(answered(course, A1, good))
    no_ids.nbformat_minor = 4
    for cell in no_ids.cells:
        cell.pop("id", None)
    hand_in(course, "h05_no_ids", A1, no_ids, widget=A1_RIGHT)
    expected["h05_no_ids"] = (0, True)
    for student in (
        "h01_stdout",
        "h02_chdir",
        "h03_chinese_time",
        "h04_stripped",
        "李雷 [2023001]",
    ):
        expected[student] = (16, False)
    return expected


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def sandbox_ids(grader_pid: int | None = None) -> range:
    """The ids a grader process gives its submissions (``sandbox._free_ids``); other graders
    on a shared machine use other ranges."""
    start = UID_BASE + ((grader_pid or os.getpid()) % 50_000) * 20_000
    return range(start, start + 20_001)


def sandbox_processes(grader_pid: int | None = None) -> list[str]:
    """Processes of this grader's sandbox users still alive."""
    ids = sandbox_ids(grader_pid)
    left = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            uid = os.stat(f"/proc/{pid}").st_uid
        except OSError:
            continue
        if uid in ids and not _zombie(pid):
            left.append(pid)
    return left


def _zombie(pid: str) -> bool:
    """A process that has ended and not yet been reaped (it runs no code any more)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return True  # gone meanwhile
    return stat.rsplit(")", 1)[-1].split()[0] in ("Z", "X")


def run_class(root: Path, attackers: bool, jobs: int) -> dict:
    course = new_course(root)
    with (course / "nbgrader_config.py").open("a", encoding="utf-8") as fh:
        fh.write(f"c.SansheSandbox.submission_timeout = {LIMIT}\n")
    code, _out, err = run_cli("grade", "--course", str(course), "generate", A1, "--due", DUE)
    assert code == 0, err
    expected = build_class(course, attackers)
    kept = {"source": digest(course / "source"), "config": digest(course)}
    start = time.monotonic()
    code, out, err = run_cli("grade", "--course", str(course), "autograde", A1, "-j", str(jobs))
    seconds = time.monotonic() - start
    return {
        "course": course,
        "code": code,
        "out": out,
        "err": err,
        "seconds": seconds,
        "expected": expected,
        "scores": scores(course, A1),
        "kept": kept,
        "left": sandbox_processes(),
    }


@pytest.fixture(scope="module")
def decoy():
    """A second, world-readable copy of the sources elsewhere on the machine (as a second
    clone or a trainer's old folder would be): the answer hunter must not reach it either."""
    import uuid

    folder = Path(tempfile.gettempdir()) / f"sanshe-decoy-{uuid.uuid4().hex[:8]}"
    shutil.copytree(GRADING / "source", folder / "grading" / "source")
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def runs(tmp_path_factory, decoy):
    with isolated_state_in(tmp_path_factory.mktemp("state")):
        out = {"baseline": run_class(tmp_path_factory.mktemp("baseline"), False, 2)}
        out[2] = run_class(tmp_path_factory.mktemp("jobs2"), True, 2)
        out[1] = run_class(tmp_path_factory.mktemp("jobs1"), True, 1)
        time.sleep(1)
        out["left_after"] = sandbox_processes()
        yield out


@pytest.mark.parametrize("jobs", [2, 1])
def test_every_student_gets_exactly_what_their_work_deserves(runs, jobs):
    run = runs[jobs]
    got = {s: (v["total"], v["flagged"]) for s, v in run["scores"].items()}
    assert got == run["expected"], run["err"]


@pytest.mark.parametrize("jobs", [2, 1])
def test_classmates_exactly_unchanged(runs, jobs):
    base = runs["baseline"]["scores"]
    assert set(base) == {"c01_complete", "c02_partly", "z01_complete"}
    for student, record in base.items():
        assert runs[jobs]["scores"][student] == record
        graded = runs[jobs]["course"] / "autograded" / student / A1 / f"{A1}.ipynb"
        nbformat.validate(nbformat.read(str(graded), 4))


def test_jobs2_identical_to_sequential(runs):
    assert runs[2]["scores"] == runs[1]["scores"]


@pytest.mark.parametrize("jobs", [2, 1])
def test_trainer_output_has_no_forged_line_and_no_traceback(runs, jobs):
    run = runs[jobs]
    text = run["out"] + run["err"]
    assert FORGED not in text
    assert "Traceback" not in text
    assert "see the above traceback" not in text
    lines = [line for line in run["err"].splitlines() if line.strip()]
    assert all(line.startswith("sanshe-edu: student ") for line in lines), lines
    flagged = sorted(s for s, (_score, flag) in run["expected"].items() if flag)
    for student in flagged:
        assert sum(f"student {student}:" in line for line in lines) == 1, (student, lines)
    assert "l01_symlink_nb: a1_concepts.ipynb is a link" in run["err"]
    assert "l02_symlink_answers: sanshe_answers.json is a link" in run["err"]
    assert "l03_hardlink: sanshe_answers.json is a hard link" in run["err"]
    assert "l04_fifo: sanshe_answers.json is not a plain file" in run["err"]
    assert "m05_forever: autograding failed" in run["err"]
    assert "h05_no_ids: autograding failed (the answer cells' grading marks" in run["err"]
    assert f"m06_slow: autograding failed (over the time limit of {LIMIT} s" in run["err"]
    assert (
        "h03_chinese_time: the time in timestamp.txt cannot be read (2025年12月31日 12:00)"
        in (run["err"])
    )
    assert f"{len(run['expected']) - len(flagged)}/{len(run['expected'])} graded" in run["out"]


def test_nothing_left_in_shared_folders(runs):
    """The litterer's files reached no folder outside its box (its own folder took one)."""
    import glob

    left = [p for d in ("/tmp", "/var/tmp", "/dev/shm") for p in glob.glob(f"{d}/*{LITTER_MARK}*")]
    left += glob.glob(f"/tmp/sanshe-box-*/{LITTER_MARK}")
    for path in left:  # a failing run leaves nothing behind either
        os.unlink(path)
    assert left == []


@pytest.mark.parametrize("jobs", [2, 1])
def test_course_files_untouched(runs, jobs):
    run = runs[jobs]
    assert digest(run["course"] / "source") == run["kept"]["source"]
    now = digest(run["course"])
    assert {k: now[k] for k in run["kept"]["config"] if k.endswith(".py")} == {
        k: v for k, v in run["kept"]["config"].items() if k.endswith(".py")
    }


@pytest.mark.parametrize("jobs", [2, 1])
def test_kernels_see_no_network_but_their_own_channels(runs, jobs):
    """The snooper saw no listening socket but its own kernel's and reached nothing: with
    --jobs 2 not the other worker's kernel, and no loopback service of the machine."""
    graded = runs[jobs]["course"] / "autograded" / "m10_snoop" / A1 / f"{A1}.ipynb"
    texts = [
        output.get("text", "")
        for cell in nbformat.read(str(graded), 4).cells
        for output in cell.get("outputs", [])
    ]
    seen = [text.strip() for text in texts if SNOOP_MARK in text]
    assert seen == [f"{SNOOP_MARK} [] []"]


def test_chinese_timestamp_is_time_unknown_not_late(runs):
    assert not runs[2]["scores"]["h03_chinese_time"]["late"]


@pytest.mark.skipif(not ROOT, reason="a sandbox user per submission needs root")
def test_nothing_outlives_the_notebook(runs):
    for jobs in (2, 1):
        assert runs[jobs]["left"] == []
    assert runs["left_after"] == []


def test_forever_ends_within_the_submission_limit(runs):
    # Everything else takes a few seconds; the endless submission is ended at LIMIT seconds.
    assert runs[2]["seconds"] < LIMIT + 90
    assert runs[1]["seconds"] < LIMIT + 150


@pytest.mark.skipif(not ROOT, reason="a sandbox user per submission needs root")
def test_the_jail_limits_memory_and_offers_its_processes_first(tmp_path):
    """A process started through the jail gets a MemoryError when it asks for more than
    jail.MEMORY_LIMIT, and its (and its children's) oom_score_adj is 1000: should memory still
    run out, the machine ends the student's processes, not the grader's."""
    import json
    import subprocess
    import sys

    from sanshe_edu.grade.pipeline.jail import MEMORY_LIMIT
    from sanshe_edu.grade.pipeline.sandbox import JAIL

    probe = (
        "import subprocess\n"
        "try:\n"
        f"    b = bytearray({MEMORY_LIMIT + (1 << 30)})\n"
        "    print('allocated')\n"
        "except MemoryError:\n"
        "    print('MemoryError')\n"
        "small = bytearray(64 << 20)\n"  # an ordinary amount still works
        "print(open('/proc/self/oom_score_adj').read().strip())\n"
        "print(subprocess.run(['cat', '/proc/self/oom_score_adj'], capture_output=True,"
        " text=True).stdout.strip())\n"
    )
    cmd = [sys.executable, "-I", "-S", str(JAIL), json.dumps({}), "--", sys.executable, "-c"]
    out = subprocess.run([*cmd, probe], capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == ["MemoryError", "1000", "1000"], out.stderr


@pytest.mark.skipif(not ROOT or shutil.which("unshare") is None, reason="mounts need root")
def test_the_jail_gives_the_kernel_a_small_home_of_its_own(tmp_path):
    """The kernel's home (the one folder a submission can write in) is a tmpfs of
    jail.HOME_SIZE, with the state folders made in it: writing more fails with "No space left
    on device" and nothing reaches the disk beneath."""
    import json
    import subprocess
    import sys

    from sanshe_edu.grade.pipeline.sandbox import JAIL

    home = tmp_path / "home"
    home.mkdir()
    probe = (
        "import os, errno\n"
        "home = os.environ['HOME']\n"
        "written = 0\n"
        "try:\n"
        "    with open(os.path.join(home, 'big'), 'wb') as f:\n"
        "        for _ in range(1024):\n"
        "            f.write(b'x' * (1 << 20)); f.flush(); written += 1\n"
        "except OSError as e:\n"
        "    print('full', e.errno == errno.ENOSPC)\n"
        "print(written, os.path.isdir(os.path.join(home, 'tmp')))\n"
    )
    spec = {"home": str(home), "home_dirs": ["tmp"]}
    cmd = [sys.executable, "-I", "-S", str(JAIL), json.dumps(spec), "--", sys.executable, "-c"]
    out = subprocess.run(
        ["unshare", "--mount", "--propagation", "private", *cmd, probe],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "HOME": str(home)},
    )
    words = out.stdout.split()
    assert words[:2] == ["full", "True"], (out.stdout, out.stderr)
    assert 200 <= int(words[2]) <= 256 and words[3] == "True", out.stdout
    assert list(home.iterdir()) == []  # the tmpfs went with the namespace: the disk has nothing


def test_a_python_the_sandbox_user_cannot_run_is_named(tmp_path, monkeypatch):
    """A venv made from a Python in a folder only root may enter (as under /root): the grader
    stops with one translated line naming that Python, before any kernel starts."""
    import sys

    from sanshe_edu.errors import SansheError
    from sanshe_edu.grade.pipeline import sandbox

    closed = tmp_path / "closed"
    closed.mkdir(mode=0o700)
    python = closed / "python3"
    python.symlink_to(sys.executable)
    (box,) = sandbox.make_boxes(["_sb0001"], [], 60)
    try:
        sandbox.check_python(box)  # the real one is fine
        monkeypatch.setattr(sys, "executable", str(python))
        with pytest.raises(SansheError) as caught:
            sandbox.check_python(box)
    finally:
        sandbox.remove_box(box)
    assert caught.value.key == "grade.sandbox_python"
    assert str(python) in caught.value.message("en")
    # and says what finds the folder in the way (the doctor runs the sandbox's own probe)
    zh = caught.value.message("zh")
    assert str(python) in zh and "sanshe-edu doctor" in zh


NOBODY = 65534
AS_NOBODY = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]


def _as_nobody_works(*argv: str) -> bool:
    import subprocess

    done = subprocess.run([*AS_NOBODY, *argv], capture_output=True, timeout=60)
    return done.returncode == 0


#: Undoes every mount it can see (deepest first) before it attacks: without root the kernel
#: runs in user namespaces of its own, and the covers must hold all the same (locked).
UNMOUNT = """
import ctypes
_libc = ctypes.CDLL(None, use_errno=True)
for _target in reversed([line.split()[4] for line in open("/proc/self/mountinfo")]):
    for _flags in (2, 0):
        _libc.umount2(_target.encode(), _flags)
"""


@pytest.mark.skipif(not ROOT, reason="becomes an unprivileged user to try the non-root mode")
def test_without_root_says_once_what_is_isolated():
    """Graded by an ordinary user: one translated line says what is and is not isolated, the
    scores are exact, and (with user namespaces) a detached process does not outlive it, and
    hand-ins that unmount everything first and then overwrite or read what they find change
    and learn nothing.  Without user namespaces it refuses to grade, in one line."""
    import shutil
    import subprocess
    import sys
    import tempfile

    if not _as_nobody_works(sys.executable, "-c", "import sanshe_edu, nbgrader"):
        pytest.skip("this checkout's Python cannot be run by other users")
    user_ns = _as_nobody_works(
        "unshare", "--user", "--map-root-user", "--pid", "--fork", "--mount-proc", "true"
    )
    work = Path(tempfile.mkdtemp(prefix="sanshe-nonroot-"))
    marker = "100001"
    try:
        with isolated_state_in(work / "state"):
            course = new_course(work)
            code, _out, err = run_cli("grade", "--course", str(course), "generate", A1)
            assert code == 0, err
            good = solutions(A1)
            hand_in(course, "c01_complete", A1, answered(course, A1, good), widget=A1_RIGHT)
            nb = answered(course, A1, good)
            detach = "import subprocess\n"
            detach += f"subprocess.Popen(['sleep', '{marker}'], start_new_session=True)"
            insert_after(nb, "term_years", detach)
            hand_in(course, "m01_detach", A1, nb, widget=A1_RIGHT)
            nb = answered(course, A1, good)
            insert_after(nb, "term_years", UNMOUNT + vandal(course))
            hand_in(course, "m02_vandal", A1, nb, widget=A1_RIGHT)
            nb = released(course, A1)
            insert_after(nb, "term_years", UNMOUNT + reader(course))
            hand_in(course, "m03_reader", A1, nb)
            kept = {"source": digest(course / "source"), "config": digest(course)}
        subprocess.run(["chown", "-R", f"{NOBODY}:{NOBODY}", str(work)], check=True)
        env = {
            "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
            "HOME": str(work),
            "TMPDIR": str(work),
            **{var: str(work / "state" / sub) for var, sub in STATE_DIRS.items()},
        }
        done = subprocess.run(
            [
                *AS_NOBODY,
                sys.executable,
                "-m",
                "sanshe_edu",
                "--lang",
                "en",
                "grade",
                "--course",
                str(course),
                "autograde",
                A1,
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        if not user_ns:  # never graded unprotected
            assert done.returncode != 0 and len(lines) == 1, done.stderr
            assert "not grading" in lines[0] and "Grade as root (sudo" in lines[0]
            return
        assert done.returncode == 0, done.stderr
        assert len(lines) == 1 and lines[0].startswith("sanshe-edu: note: not grading as root")
        assert "every process it started ended with it" in lines[0]
        assert "Not isolated" in lines[0]
        got = {s: v["total"] for s, v in scores(course, A1).items()}
        assert got == {"c01_complete": 16, "m01_detach": 16, "m02_vandal": 16, "m03_reader": 0}
        assert digest(course / "source") == kept["source"]
        now = digest(course)
        assert {k: now[k] for k in kept["config"] if k.endswith(".py")} == {
            k: v for k, v in kept["config"].items() if k.endswith(".py")
        }
        assert _processes_with(marker) == []
    finally:
        for pid in _processes_with(marker):
            with contextlib.suppress(OSError):
                os.kill(int(pid), 9)
        shutil.rmtree(work, ignore_errors=True)


def _processes_with(word: str) -> list[str]:
    found = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if word.encode() in cmdline:
                found.append(pid)
    return found


def feedback_page(runs, student: str) -> str:
    course = runs[2]["course"]
    page = course / "feedback" / student / A1 / f"{A1}.html"
    if not page.exists():
        code, _out, err = run_cli(
            "grade", "--course", str(course), "feedback", A1, "--student", student
        )
        assert code == 0, err
    return page.read_text(encoding="utf-8")


def test_feedback_for_a_folder_name_with_glob_characters(runs):
    html = feedback_page(runs, "李雷 [2023001]")
    import re

    # 16 of 16 (written 16 or 16.0, as the feedback template formats it).
    assert re.search(r'<p class="sanshe-total">Score: 16(\.0)? / 16(\.0)?</p>', html), html[:3000]


def test_feedback_under_an_alias_names_the_student(runs):
    html = feedback_page(runs, "李雷 [2023001]")
    assert "_sb0" not in html
    assert '<dd class="sanshe-student">李雷 [2023001]</dd>' in html


@pytest.mark.skipif(not ROOT, reason="a sandbox user per submission needs root")
@pytest.mark.parametrize("how", ["SIGKILL", "SIGTERM"])
def test_a_killed_grader_leaves_no_student_process(tmp_path, how):
    """The trainer's grader killed in the middle of an endless submission — outright
    (SIGKILL) or politely (SIGTERM): the kernel and what it started end too (nothing is left
    running as a sandbox user); after SIGTERM the temporary folders are gone as well."""
    import shutil
    import signal
    import subprocess
    import sys
    import tempfile

    def scratch_folders(grader_pid: int) -> set[Path]:
        ids = sandbox_ids(grader_pid)
        return {
            p for p in Path(tempfile.gettempdir()).glob("sanshe-box-*") if p.stat().st_gid in ids
        }

    with isolated_state_in(tmp_path / "state"):
        course = new_course(tmp_path)
        code, _out, err = run_cli("grade", "--course", str(course), "generate", A1)
        assert code == 0, err
        nb = answered(course, A1, solutions(A1))
        insert_after(nb, "term_years", FOREVER)
        hand_in(course, "m01_forever", A1, nb)
        tmp = Path(tempfile.gettempdir())
        graders_before = set(tmp.glob("sanshe-grade-*"))
        proc = subprocess.Popen(
            [sys.executable, "-m", "sanshe_edu", "grade", "--course", str(course), "autograde", A1],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 120
            while not sandbox_processes(proc.pid) and time.monotonic() < deadline:
                time.sleep(0.5)
            assert sandbox_processes(proc.pid), "the kernel never started"
            if how == "SIGKILL":
                os.killpg(proc.pid, signal.SIGKILL)
            else:
                os.kill(proc.pid, signal.SIGTERM)
            proc.wait(timeout=60)
            time.sleep(2)
            assert sandbox_processes(proc.pid) == []
            if how == "SIGTERM":
                assert scratch_folders(proc.pid) == set()
                assert set(tmp.glob("sanshe-grade-*")) == graders_before
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            for pid in sandbox_processes(proc.pid):
                with contextlib.suppress(OSError):
                    os.kill(int(pid), signal.SIGKILL)
            # A killed grader cannot tidy up: its box and scratch course go here.
            for folder in scratch_folders(proc.pid) | (
                set(tmp.glob("sanshe-grade-*")) - graders_before
            ):
                shutil.rmtree(folder, ignore_errors=True)
