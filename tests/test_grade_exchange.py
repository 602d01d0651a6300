"""A hand-in is collected only as the student who made it (issue 22).

On a class server every student can write to nbgrader's ``inbound/`` (733). A student who
makes ``inbound/<classmate>+<assignment>+<later time>+x`` holding a blank notebook replaced the
classmate's work at ``grade collect`` (nbgrader's own collect only warns). Here real Unix
users hand in through a real exchange folder: the forged folder (and a link) are left out and
named to the trainer, the classmate's own hand-in is collected, and grading goes on.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import uuid
from pathlib import Path

import nbformat
import pytest
from grade_support import isolated_state_in, run_cli
from test_grade_pipeline import A1, new_course

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="real Unix users need root")


def _user(name: str) -> tuple[int, int]:
    subprocess.run(
        ["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", "--user-group", name],
        check=True,
        capture_output=True,
    )
    import pwd

    entry = pwd.getpwnam(name)
    return entry.pw_uid, entry.pw_gid


def _hand_in(inbound: Path, claimed: str, when: str, owner: tuple[int, int], marker: str):
    folder = inbound / f"{claimed}+{A1}+{when}+{uuid.uuid4().hex[:8]}"
    folder.mkdir()
    (folder / "timestamp.txt").write_text(when)
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(marker)]
    nbformat.write(nb, str(folder / f"{A1}.ipynb"))
    for path in (folder, *folder.iterdir()):
        os.chown(path, *owner)
    return folder


def test_a_hand_in_under_a_classmates_name_is_refused_and_named(tmp_path):
    tag = uuid.uuid4().hex[:6]
    alice, bob = f"sxa{tag}", f"sxb{tag}"
    made = []
    try:
        ids = {}
        for name in (alice, bob):
            ids[name] = _user(name)
            made.append(name)
        exchange = tmp_path / "exchange"
        with isolated_state_in(tmp_path / "state"):
            course = new_course(tmp_path)
            with (course / "nbgrader_config.py").open("a", encoding="utf-8") as fh:
                fh.write(f"\nc.Exchange.root = {str(exchange)!r}\n")
            assert run_cli("grade", "--course", str(course), "generate", A1)[0] == 0
            inbound = exchange / "sanshe-edu" / "inbound"
            inbound.mkdir(parents=True)
            inbound.chmod(0o733)
            _hand_in(inbound, alice, "2026-03-01 10:00:00.000000 UTC", ids[alice], "ALICE")
            forged = _hand_in(inbound, alice, "2026-03-02 10:00:00.000000 UTC", ids[bob], "BLANK")
            link = inbound / f"{alice}+{A1}+2026-03-03 10:00:00.000000 UTC+ln"
            link.symlink_to(forged)
            _hand_in(inbound, bob, "2026-03-01 11:00:00.000000 UTC", ids[bob], "BOB")
            code, out, err = run_cli("--lang", "en", "grade", "--course", str(course),
                                     "collect", A1)  # fmt: skip
            assert code == 0, out + err
            got = {
                s: nbformat.read(str(course / "submitted" / s / A1 / f"{A1}.ipynb"), 4)
                .cells[0]
                .source
                for s in (alice, bob)
            }
            assert got == {alice: "ALICE", bob: "BOB"}
            lines = [ln for ln in err.splitlines() if "not collected" in ln]
            assert len(lines) == 2, err
            assert any(forged.name in ln and f"made by {bob}" in ln for ln in lines), err
            assert any(link.name in ln and "not a plain folder" in ln for ln in lines), err
            assert "Traceback" not in err
            # The refused folders stay for the trainer to look at; nothing was taken from them.
            assert forged.is_dir() and link.is_symlink()
    finally:
        for name in made:
            with contextlib.suppress(subprocess.CalledProcessError):
                subprocess.run(["userdel", name], check=True, capture_output=True)
            with contextlib.suppress(subprocess.CalledProcessError):
                subprocess.run(["groupdel", name], check=True, capture_output=True)
        shutil.rmtree(tmp_path / "exchange", ignore_errors=True)


def test_the_folder_alone_decides(tmp_path):
    """The refusal is decided by the folder alone (owner and kind), before anything is read."""
    from sanshe_edu.grade.pipeline.exchange import split

    inbound = tmp_path / "inbound"
    inbound.mkdir()
    (inbound / f"nobody+{A1}+t+1").mkdir()  # owned by root here, names "nobody"
    (inbound / f"root+{A1}+t+2").mkdir()
    (inbound / f"root+{A1}+t+3").write_text("not a folder")
    (inbound / "root+other+t+4").mkdir()  # another assignment: not looked at
    owned, refused = split(inbound, A1)
    assert owned == [f"root+{A1}+t+2"]
    assert [(r.claimed, r.owner) for r in refused] == [("nobody", "root"), ("root", "")]
