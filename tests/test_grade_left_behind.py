"""Issue 29.6: a hand-in whose code leaves a FIFO, a link or too many files in its folder while
being graded (possible without root) is refused with a line saying what it left, in the
trainer's language — not a bare 0 and a flag."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sanshe_edu.grade.pipeline import gradebook, handin
from sanshe_edu.grade.pipeline.sandbox import Box


def graded_folder(tmp_path: Path, what: str) -> Path:
    folder = tmp_path / "box" / "_sb0001" / "a3_phases"
    folder.mkdir(parents=True)
    (folder / "a3_phases.ipynb").write_text("{}")
    if what == "fifo":
        os.mkfifo(folder / "pipe")
    elif what == "link":
        (folder / "key.txt").symlink_to("/etc/hostname")
    else:
        for i in range(handin.MAX_ENTRIES + 1):
            (folder / f"f{i}").write_text("x")
    return folder


@pytest.mark.parametrize(
    ("what", "zh"), [("fifo", "管道"), ("link", "链接"), ("many", "过多或过大的文件")]
)
def test_merge_says_what_the_kernel_left(tmp_path, monkeypatch, what, zh):
    monkeypatch.setenv("SANSHE_EDU_LANG", "zh")
    graded_folder(tmp_path, what)
    box = Box("_sb0001", tmp_path / "box", None, [], 60)

    class Worker:  # the worker's scratch gradebook: only asked for the submission
        def find_submission(self, assignment, alias):
            return object()

    course = tmp_path / "course"
    with pytest.raises(gradebook.GradedCopyRefused) as refused:
        gradebook._merge_one(Worker(), None, course, box, "a3_phases", "2023001")
    line = str(refused.value)
    assert "学生 2023001" in line and zh in line and "记 0 分并标记" in line
    assert not (course / "autograded" / "2023001" / "a3_phases").exists()
    assert not list((course / "autograded" / "2023001").iterdir())  # nothing half-copied
