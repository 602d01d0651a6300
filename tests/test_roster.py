"""One roster reader (``sanshe_edu.roster``): a trainer's one roster.csv serves ``grade export
--roster`` and ``class roster`` alike — the same headers, separators and encodings."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from grade_support import run_cli

from sanshe_edu import roster
from sanshe_edu.classroom import members
from sanshe_edu.errors import SansheError
from sanshe_edu.i18n import use_lang

# Each a header both commands once handled differently (the class server took only 学号,姓名
# with commas; the grade commands also 学生姓名, and ;, tab or the full-width comma).
ROSTERS = [
    "学号;学生姓名\nab1;张三\nab2;李四\n",
    "学号,学生姓名\nab1,张三\nab2,李四\n",
    "学生学号\t名字\nab1\t张三\nab2\t李四\n",
    "编号，姓名\nab1，张三\nab2，李四\n",
    "Name,Student_ID\n张三,ab1\n李四,ab2\n",
]


def grade_export_roster(monkeypatch, tmp_path, path) -> dict[str, str]:
    """The roster ``grade export --roster PATH`` hands to the export (the export itself is
    replaced: this course has no graded work)."""
    course = tmp_path / "course"
    course.mkdir()
    (course / "gradebook.db").write_bytes(b"")
    (course / "nbgrader_config.py").write_text("")
    seen = {}

    def write_export(course, dest, names, roster):
        seen.update(roster)
        return 0

    import sanshe_edu.grade.trainer.export

    monkeypatch.setattr(sanshe_edu.grade.trainer.export, "write_export", write_export)
    code, _out, err = run_cli(
        "grade", "--course", str(course), "export", "--to", str(tmp_path / "out.csv"),
        "--roster", str(path),
    )  # fmt: skip
    assert code == 0, err
    return seen


def class_roster_students(monkeypatch, path) -> list[tuple[str, str, int]]:
    """The students ``class roster PATH`` would add (stopped before any account is made)."""
    monkeypatch.setattr(members.accounts, "require_root", lambda: None)
    got = []

    def plan(cfg, students):
        got.extend((s.login, s.name, s.line) for s in students)
        raise SansheError("classroom.roster_empty")  # stop here: no accounts, no gradebook

    monkeypatch.setattr(members, "plan", plan)
    with pytest.raises(SansheError):
        members.add_roster(SimpleNamespace(trainer="teach"), path)
    return got


@pytest.mark.parametrize("text", ROSTERS)
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_one_roster_serves_grade_export_and_class_roster(monkeypatch, tmp_path, text, encoding):
    path = tmp_path / "roster.csv"
    path.write_bytes(text.encode(encoding))
    assert grade_export_roster(monkeypatch, tmp_path, path) == {"ab1": "张三", "ab2": "李四"}
    assert class_roster_students(monkeypatch, path) == [("ab1", "张三", 2), ("ab2", "李四", 3)]


def test_rows_keep_their_line_numbers():
    r = roster.parse('\n学号,姓名\n\nab1,"张\n三"\nab2,李四\nab3\n')
    assert r.named and r.header == ("学号", "姓名")
    assert [(x.line, x.student_id, x.name, x.short) for x in r.rows] == [
        (5, "ab1", "张\n三", False),
        (6, "ab2", "李四", False),
        (7, "ab3", "", True),
    ]
    assert r.names() == {"ab1": "张\n三", "ab2": "李四"}


def test_without_a_header():
    assert roster.parse("2024001,张三\n").names() == {"2024001": "张三"}  # a number: a student
    assert roster.parse("序号,备注\nab1,张三\n").names() == {"ab1": "张三"}  # else a header
    assert roster.parse("").rows == ()
    with pytest.raises(SansheError) as info:
        roster.parse("ab1,张三\n", header_required=True)
    assert info.value.key == "roster.header"


@pytest.mark.parametrize(
    ("make", "key"),
    [
        (lambda p: None, "roster.missing"),
        (lambda p: p.mkdir(), "roster.unreadable"),
        (lambda p: p.write_bytes(b"\xff\xfe\xff" * 4), "roster.encoding"),
        (lambda p: p.write_bytes(b"x" * (roster.MAX_BYTES + 1)), "roster.too_big"),
        (lambda p: p.write_text("学号\nab1\n", encoding="utf-8"), "roster.columns"),
    ],
)
def test_bad_files_are_one_line_in_both_languages(tmp_path, make, key):
    path = tmp_path / "roster.csv"
    make(path)
    for lang in ("zh", "en"):
        with use_lang(lang), pytest.raises(SansheError) as info:
            roster.load(path)
        assert info.value.key == key
        assert str(path) in str(info.value) and "\n" not in str(info.value)
