"""Can a student read a graded key?  Searched for real, as a student, on the whole machine.

The secrets come from the course's grading sources (the trainer's copy, else this checkout's
``grading/``): every model answer of ``source/*/model_answers.json`` and every line of the
hidden-test blocks of ``source/*/*.ipynb`` (between the markers nbgrader and
:mod:`sanshe_edu.grade.preprocessors` name; this module takes them from there).  Each
becomes a :class:`Secret`: a literal every copy of it contains (the *anchor*, for a fast
``grep -F`` of the whole file system) and the patterns that confirm a leak (so a file that
merely names an option, like the public question bank, is no leak).  Short or common values
(a year, ``"mode"``) are never secrets on their own: a model answer is matched as its whole
sequence of values, or as every ``key: value`` pair of it, or next to its question id.  A
written answer (``text``, marked by hand) is guidance for the trainer, not a key: skipped.

:func:`search` runs, as a student of the class (``nobody`` while there is none), one Python
process that greps every file it can read under ``/`` (``/proc``, ``/sys`` and ``/dev``
left out) within a time limit and names each leaking file.  Files the student owns are not
counted: their own answers (right ones included) and hand-ins are theirs to read.  The
secrets reach that process through a pipe, never through a file or the command line.

>>> s = secrets_from_answers("x1", {"x1.order": {"type": "order",
...     "answer": ["alpha", "gamma_ray", "beta"]}})[0]
>>> s.anchor, s.matches(b'["alpha", "gamma_ray", "beta"]'), s.matches(b"alpha gamma_ray")
('gamma_ray', True, False)
>>> text = f"x\\n{BEGIN_HIDDEN}\\n    key=[1871, 1917],\\n    n=3,\\n{END_HIDDEN}\\n"
>>> [x.anchor for x in secrets_from_hidden("x1", text)]
['key=[1871, 1917],']
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from ..grade.markers import BEGIN_HIDDEN, END_HIDDEN
from ..i18n import t
from ..platform.doctor import Check

HIDDEN = re.compile(re.escape(BEGIN_HIDDEN) + r"[^\n]*\n(.*?)" + re.escape(END_HIDDEN), re.S)
SEP = r"[^\w]{1,16}"  # between two values of one answer: quotes, commas, brackets, spaces
MIN_LINE = 14  # a hidden-test line shorter than this (``n=3,``) is no secret
MIN_ATOM = 4  # a value shorter than this is never the anchor of a search
NEAR_ID = 160  # a single-choice answer counts when this close after its question id
DEFAULT_SECONDS = 300
SKIP_TOP = ("proc", "sys", "dev")


@dataclass(frozen=True)
class Secret:
    label: str  # which assignment and answer, for the report (never the value itself)
    anchor: str  # a literal that every copy contains
    patterns: tuple[str, ...]  # regexes (on the file's UTF-8 bytes) that must all match

    def matches(self, data: bytes) -> bool:
        return all(re.search(p.encode(), data) for p in self.patterns)

    @property
    def selective(self) -> bool:
        """Whether the anchor is rare enough to grep the machine for: an option id such as
        ``social_org``, a line of code, a question id — not a plain word (``implement``), which
        thousands of files hold.  A secret with a plain-word anchor is still confirmed in every
        file another anchor brings up (a copy of a key file holds many keys)."""
        return bool(re.search(r"[^A-Za-z]", self.anchor))


def _atoms(value: object) -> list[str]:
    """The values of an answer in order (nested lists and dicts flattened)."""
    if isinstance(value, dict):
        return [a for k, v in value.items() for a in (*_atoms(k), *_atoms(v))]
    if isinstance(value, (list, tuple)):
        return [a for v in value for a in _atoms(v)]
    return [str(value)]


def _anchor(atoms: list[str]) -> str | None:
    """The longest value, preferring one that is no plain word (see :attr:`Secret.selective`)."""
    best = max(atoms, key=lambda a: (bool(re.search(r"[^A-Za-z]", a)), len(a)), default="")
    return best if len(best) >= MIN_ATOM else None


def secrets_from_answers(assignment: str, answers: dict) -> list[Secret]:
    out = []
    for qid, entry in answers.items():
        answer = entry.get("answer") if isinstance(entry, dict) else entry
        label = f"{assignment}: model answer {qid}"
        if isinstance(entry, dict) and entry.get("type") == "text":
            continue
        if isinstance(answer, dict) and answer:
            pairs = [(str(k), _atoms(v)) for k, v in answer.items()]
            patterns = tuple(
                re.escape(k) + SEP + SEP.join(re.escape(a) for a in v) for k, v in pairs
            )
            anchor = _anchor([k for k, _ in pairs] + [a for _, v in pairs for a in v])
            if anchor and len(patterns) >= 2:
                out.append(Secret(label, anchor, patterns))
        elif isinstance(answer, (list, tuple)):
            atoms = _atoms(answer)
            anchor = _anchor(atoms)
            if anchor and len(atoms) >= 2:
                out.append(Secret(label, anchor, (SEP.join(re.escape(a) for a in atoms),)))
        elif isinstance(answer, str) and answer.strip():
            # One option's id: only next to its question id.
            pattern = re.escape(qid) + rf"[\s\S]{{0,{NEAR_ID}}}" + re.escape(answer.strip())
            out.append(Secret(label, qid, (pattern,)))
    return out


def secrets_from_hidden(assignment: str, source: str) -> list[Secret]:
    """Every distinctive line of the hidden-test blocks of a notebook's (or cell's) text."""
    out, seen = [], set()
    for block in HIDDEN.findall(source):
        for line in block.splitlines():
            text = line.strip()
            if len(text) < MIN_LINE or text in seen or not re.search(r"\w", text):
                continue
            seen.add(text)
            label = f"{assignment}: hidden test"
            out.append(Secret(label, text, (re.escape(text),)))
            escaped = json.dumps(text, ensure_ascii=False)[1:-1]  # as a .ipynb stores it
            if escaped != text:
                out.append(Secret(label, escaped, (re.escape(escaped),)))
    return out


def course_secrets(course: Path) -> list[Secret]:
    """The secrets of a course folder (``grading/`` or the trainer's copy of it)."""
    out: list[Secret] = []
    for folder in sorted(p for p in (course / "source").glob("*") if p.is_dir()):
        answers = folder / "model_answers.json"
        if answers.is_file():
            data = json.loads(answers.read_text(encoding="utf-8"))
            out += secrets_from_answers(folder.name, data.get("answers", data))
        for nb in sorted(folder.glob("*.ipynb")):
            cells = json.loads(nb.read_text(encoding="utf-8")).get("cells", [])
            text = "\n".join(
                "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
                for c in cells
            )
            out += secrets_from_hidden(folder.name, text)
    return out


# Runs as the student, with only the standard library: reads {"secrets", "roots", "seconds"}
# on stdin, greps for the anchors, confirms each candidate and prints what it found as JSON.
SCRIPT = r"""
import json, os, re, subprocess, sys, time
spec = json.loads(sys.stdin.read())
secrets = spec["secrets"]
since = spec.get("since")
always = set(spec.get("always", []))  # folders (everything under them) or files
under = tuple(r.rstrip("/") + "/" for r in always)
start = time.monotonic()
grep = subprocess.Popen(
    ["grep", "-r", "-l", "-s", "-F", "--devices=skip", "-f", "-", "--", *spec["roots"]],
    stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
anchors = sorted({s["anchor"] for s in secrets if s["selective"]})
grep.stdin.write("\n".join(anchors).encode() + b"\n")
grep.stdin.close()
found, complete = [], True
import threading
timer = threading.Timer(spec["seconds"], grep.kill)
timer.start()
for raw in grep.stdout:
    path = raw.decode("utf-8", "surrogateescape").rstrip("\n")
    try:
        with open(path, "rb") as fh:
            st = os.fstat(fh.fileno())
            if st.st_uid == os.getuid():
                continue  # the student's own: their answers, their hand-ins
            if (since is not None and st.st_ctime < since
                    and path not in always and not path.startswith(under)):
                continue  # the machine's before this run (see search_spec's ``since``)
            data = fh.read(spec["max_bytes"])
    except OSError:
        continue
    hits = sorted({s["label"] for s in secrets
                   if s["anchor"].encode() in data
                   and all(re.search(p.encode(), data) for p in s["patterns"])})
    if hits:
        found.append([path, hits])
grep.wait()
timer.cancel()
complete = grep.returncode in (0, 1, 2) and time.monotonic() - start < spec["seconds"]
print(json.dumps({"found": found, "complete": complete,
                  "seconds": round(time.monotonic() - start, 1)}))
"""


@dataclass
class SearchResult:
    user: str
    found: list[tuple[str, list[str]]]  # (path, labels of what it holds)
    complete: bool
    seconds: float


def default_roots() -> list[str]:
    """Everything under ``/`` but the kernel's and devices' file systems."""
    return sorted(str(p) for p in Path("/").iterdir() if p.name not in SKIP_TOP)


def search(
    secrets: list[Secret],
    user: str,
    roots: list[str] | None = None,
    seconds: float = DEFAULT_SECONDS,
    python: str = "/usr/bin/python3",
    max_bytes: int = 64 * 2**20,
    since: float | None = None,
    always: list[str] = (),
) -> SearchResult:
    """Search ``roots`` (default: the whole machine) as Unix user ``user`` (run as root);
    ``since`` and ``always`` as :func:`search_spec` says."""
    spec = search_spec(secrets, roots, seconds, max_bytes, since, always)
    env = ["PATH=/usr/bin:/bin", "LANG=C.UTF-8", "HOME=/"]
    cmd = ["runuser", "-u", user, "--", "env", "-i", *env, python, "-I", "-c", SCRIPT]
    started = time.monotonic()
    proc = subprocess.run(
        cmd,
        input=json.dumps(spec),
        capture_output=True,
        text=True,
        timeout=seconds + 120,
        check=False,
        cwd="/",
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:4])}: {proc.stderr.strip()[-300:]}")
    reply = json.loads(proc.stdout)
    return SearchResult(
        user,
        [(p, labels) for p, labels in reply["found"]],
        bool(reply["complete"]),
        reply.get("seconds", round(time.monotonic() - started, 1)),
    )


def search_spec(
    secrets: list[Secret],
    roots: list[str] | None,
    seconds: float,
    max_bytes: int = 64 * 2**20,
    since: float | None = None,
    always: list[str] = (),
) -> dict:
    """What :data:`SCRIPT` reads on its standard input.

    With ``since`` (a time), a file outside the folders ``always`` whose status last changed
    before it is passed over: a test that sets a class up on a shared machine counts what its
    own run made readable (anywhere) and everything in its class folder and checkout, not files
    the machine already held (another copy of the project, a CI runner's own diff of it)."""
    extra = {} if since is None else {"since": since, "always": list(always)}
    return {
        **extra,
        "secrets": [
            {
                "label": s.label,
                "anchor": s.anchor,
                "patterns": list(s.patterns),
                "selective": s.selective,
            }
            for s in secrets
        ],
        "roots": roots or default_roots(),
        "seconds": seconds,
        "max_bytes": max_bytes,
    }


def probe_user(cfg) -> str:
    """A student of the class (what they can read is what matters), else ``nobody``."""
    from . import accounts

    members = sorted(accounts.group_members(cfg.group) - {cfg.trainer})
    return members[0] if members else "nobody"


def secrets_for(cfg) -> list[Secret]:
    """From the trainer's course folder, else this checkout's ``grading/``."""
    from .server import default_course

    for course in (Path(cfg.course), default_course()):
        if (course / "source").is_dir():
            return course_secrets(course)
    return []


def check_no_leaks(cfg, roots: list[str] | None = None, seconds: float | None = None) -> Check:
    """The doctor's check: nothing graded is readable by a student anywhere on this machine.

    ``seconds`` defaults to ``SANSHE_EDU_LEAK_SECONDS`` or 300."""
    name = t("classroom.doctor_leaks")
    secrets = secrets_for(cfg)
    if not secrets:
        return Check(name, False, t("classroom.leaks_no_secrets"), t("classroom.leaks_fix"))
    if seconds is None:
        seconds = float(os.environ.get("SANSHE_EDU_LEAK_SECONDS") or DEFAULT_SECONDS)
    user = probe_user(cfg)
    try:
        result = search(secrets, user, roots, seconds, python=cfg.python)
    except (OSError, RuntimeError, ValueError, subprocess.TimeoutExpired) as exc:
        return Check(name, False, f"{type(exc).__name__}: {exc}", t("classroom.leaks_fix"))
    return check_from(result, name)


def check_from(result: SearchResult, name: str) -> Check:
    if result.found:
        detail = t("classroom.leaks_found", user=result.user, n=len(result.found)) + "".join(
            f"\n    {path}  ({'; '.join(labels)})" for path, labels in result.found
        )
        paths = " ".join(path for path, _ in result.found[:3])
        return Check(name, False, detail, t("classroom.leaks_found_fix", paths=paths))
    if not result.complete:
        return Check(
            name,
            False,
            t("classroom.leaks_incomplete", user=result.user, seconds=result.seconds),
            t("classroom.leaks_incomplete_fix"),
        )
    return Check(name, True, t("classroom.leaks_none", user=result.user, seconds=result.seconds))


def check_private_files(cfg) -> list[Check]:
    """Fast: the checkout setup made private and the hub's database and secret are still
    unreadable by other users (no search; :func:`check_no_leaks` is the thorough one)."""
    from .server import HUB_PRIVATE

    paths = [(Path(p), 0o007) for p in cfg.private_modes]
    paths += [(Path(cfg.class_dir) / name, 0o077) for name in HUB_PRIVATE]
    out = []
    for path, others in paths:
        if not path.exists():
            continue
        mode = path.stat().st_mode & 0o777
        out.append(
            Check(
                t("classroom.doctor_private", path=path),
                not mode & others,
                f"{mode:o}",
                t("classroom.doctor_private_fix", path=path, mode=f"{mode & ~others:o}"),
            )
        )
    return out
