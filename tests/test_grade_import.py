"""``sanshe-edu grade import``: a zip of hand-ins with LMS-style names, placed where nbgrader
expects them, with every file it could not place (or that two students share) listed."""

from __future__ import annotations

import json
import shutil
import stat
import zipfile
from pathlib import Path

import pytest
from grade_support import run_cli

from sanshe_edu.grade.trainer.intake import import_handins, recognise

REPO = Path(__file__).resolve().parents[1]
KNOWN = ["a1_concepts", "a2_linkage", "a3_phases", "a4_issues"]


def notebook(tag: str) -> bytes:
    nb = {"cells": [{"cell_type": "markdown", "metadata": {}, "source": tag}], "metadata": {},
          "nbformat": 4, "nbformat_minor": 5}  # fmt: skip
    return json.dumps(nb, ensure_ascii=False).encode()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("2023001_张三_a3_phases.ipynb", ("2023001", "a3_phases")),
        ("2023002_李四/a3_phases.ipynb", ("2023002", "a3_phases")),  # 学习通: a folder each
        ("作业提交/A3-2023003-王五.ipynb", ("2023003", "a3_phases")),  # 雨课堂-like
        ("Re 作业 a4_issues 2023004.ipynb", ("2023004", "a4_issues")),  # e-mail attachment
        ("a3_phases(1).ipynb", (None, "a3_phases")),  # WeChat download: no id
        ("2023001_2023002_a3_phases.ipynb", (None, "a3_phases")),  # two ids: ambiguous
        ("2023001_notes.ipynb", ("2023001", None)),
    ],
)
def test_recognise_lms_names(name, expected):
    assert recognise(name, KNOWN, {}) == expected


def test_roster_names_give_ids():
    roster = {"2023009": "赵六", "s01": "Amy"}
    assert recognise("赵六的作业 a2.ipynb", KNOWN, roster) == ("2023009", "a2_linkage")
    assert recognise("s01_a2_linkage.ipynb", KNOWN, roster) == ("s01", "a2_linkage")


@pytest.fixture
def course(tmp_path):
    course = tmp_path / "grading"
    shutil.copytree(REPO / "grading" / "source", course / "source")
    shutil.copy2(REPO / "grading" / "nbgrader_config.py", course)
    return course


def make_zip(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as z:

        def add(name, data, when=(2025, 12, 30, 9, 15, 0), utf8=True, mode=0o644):
            info = zipfile.ZipInfo(name, date_time=when)
            info.external_attr = (stat.S_IFREG | mode) << 16
            if not utf8:  # Chinese Windows: GBK names, no UTF-8 flag
                info.filename = name.encode("gbk").decode("cp437")
            z.writestr(info, data)

        add("2023001_张三_a3_phases.ipynb", notebook("张三"))
        add("2023002_李四/a3_phases.ipynb", notebook("李四"), utf8=False)
        add("2023003_王五_a3_phases.ipynb", notebook("王五 old"), when=(2025, 12, 29, 8, 0, 0))
        add("2023003_王五_a3_phases_v2.ipynb", notebook("王五 new"), when=(2025, 12, 31, 8, 0, 0))
        add("2023004_钱七_a3_phases.ipynb", notebook("张三"))  # the same file as 张三's
        add("2023005_孙八_a3_phases.ipynb", notebook("孙八")[:40])  # corrupt: cut short
        add("作业三(1).ipynb", notebook("?"))  # misnamed: no id
        add("2023006_周九_a3_phases.docx", b"PK not a notebook")
        add("../../evil_a3_phases_2023007.ipynb", notebook("evil"))
        link = zipfile.ZipInfo("2023008_link_a3_phases.ipynb", date_time=(2025, 12, 30, 9, 0, 0))
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        z.writestr(link, "/etc/passwd")
        add("__MACOSX/._2023001_张三_a3_phases.ipynb", b"junk")


def test_import_zip_places_and_lists(course, tmp_path):
    archive = tmp_path / "hand-ins.zip"
    make_zip(archive)
    result = import_handins(course, archive)
    placed = sorted((s, a) for s, a, _f in result.placed)
    assert placed == [(f"202300{i}", "a3_phases") for i in (1, 2, 3, 4, 5)]
    sub = course / "submitted"
    assert (
        json.loads((sub / "2023002" / "a3_phases" / "a3_phases.ipynb").read_text())["cells"][0][
            "source"
        ]
        == "李四"
    )
    assert "王五 new" in (sub / "2023003" / "a3_phases" / "a3_phases.ipynb").read_text()
    stamp = (sub / "2023001" / "a3_phases" / "timestamp.txt").read_text()
    assert stamp.endswith(" UTC") and stamp[:4] == "2025"
    assert not (tmp_path / "evil_a3_phases_2023007.ipynb").exists()
    assert sorted(p.name for p in sub.iterdir()) == [f"202300{i}" for i in (1, 2, 3, 4, 5)]
    text = "\n".join(result.problems)
    assert len(result.problems) == 7, text
    for needle in (
        "作业三(1).ipynb",  # no id
        "2023006_周九_a3_phases.docx",  # not a notebook
        "../../evil_a3_phases_2023007.ipynb",  # traversal
        "2023008_link_a3_phases.ipynb",  # link
        "2023003_王五_a3_phases.ipynb",  # the older of two copies
        "2023005",  # corrupt
        "2023001_张三_a3_phases.ipynb；2023004_钱七_a3_phases.ipynb",  # shared
    ):
        assert needle in text, needle


def test_import_cli_one_line_messages(course, tmp_path):
    archive = tmp_path / "hand-ins.zip"
    make_zip(archive)
    code, out, err = run_cli("grade", "--course", str(course), "import", str(archive))
    assert code == 1
    assert "imported 5 hand-ins (5 students)" in out and "7 files need your attention" in out
    assert "作业三(1).ipynb: no assignment recognised in the name, not placed." in err
    assert "Traceback" not in err
    code, _out, err = run_cli("grade", "--course", str(course), "import", str(tmp_path / "no"))
    assert code != 0 and "not found" in err and "Traceback" not in err
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"PK\x03\x04 broken")
    code, _out, err = run_cli("grade", "--course", str(course), "import", str(bad))
    assert "bad.zip is not a readable zip file" in err


def test_import_folder_skips_links(course, tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "2023001_张三_a2_linkage.ipynb").write_bytes(notebook("a"))
    (folder / "2023002_李四_a2_linkage.ipynb").symlink_to("/etc/passwd")
    result = import_handins(course, folder)
    assert [(s, a) for s, a, _ in result.placed] == [("2023001", "a2_linkage")]
    assert len(result.problems) == 1 and "2023002_李四_a2_linkage.ipynb" in result.problems[0]


def test_widget_answers_go_with_their_notebook(course, tmp_path):
    folder = tmp_path / "inbox"
    (folder / "2023001_张三").mkdir(parents=True)
    (folder / "2023001_张三" / "a3_phases.ipynb").write_bytes(notebook("a"))
    (folder / "2023001_张三" / "sanshe_answers.json").write_text('{"answers": {}}')
    (folder / "stray").mkdir()
    (folder / "stray" / "sanshe_answers.json").write_text("{}")
    result = import_handins(course, folder)
    placed = course / "submitted" / "2023001" / "a3_phases"
    assert (placed / "sanshe_answers.json").read_text() == '{"answers": {}}'
    assert len(result.problems) == 1 and "stray/sanshe_answers.json" in result.problems[0]


def test_answers_file_goes_only_to_its_certain_owner(course, tmp_path):
    """Issue 29.5: one answers file beside two students' notebooks goes to nobody, and says so;
    a file named with its owner's id, or alone in that student's folder, goes to them."""
    folder = tmp_path / "下载"
    folder.mkdir()
    (folder / "2023001_张三_a3_phases.ipynb").write_bytes(notebook("a"))
    (folder / "2023002_李四_a3_phases.ipynb").write_bytes(notebook("b"))
    (folder / "sanshe_answers.json").write_text('{"answers": {"who": "?"}}')
    (folder / "2023003_王五").mkdir()
    (folder / "2023003_王五" / "a3_phases.ipynb").write_bytes(notebook("c"))
    (folder / "2023003_王五" / "a1_concepts.ipynb").write_bytes(notebook("c1"))
    (folder / "2023003_王五" / "sanshe_answers.json").write_text('{"answers": {"w": 3}}')
    (folder / "2023004_赵六_a3_phases.ipynb").write_bytes(notebook("d"))
    (folder / "2023004_赵六_sanshe_answers.json").write_text('{"answers": {"z": 4}}')
    sub = course / "submitted"
    (sub / "2023001" / "a3_phases").mkdir(parents=True)
    (sub / "2023001" / "a3_phases" / "sanshe_answers.json").write_text("stale")
    result = import_handins(course, folder)
    assert not (sub / "2023001" / "a3_phases" / "sanshe_answers.json").exists()
    assert not (sub / "2023002" / "a3_phases" / "sanshe_answers.json").exists()
    for assignment in ("a3_phases", "a1_concepts"):  # one student's folder: certainly theirs
        assert '"w": 3' in (sub / "2023003" / assignment / "sanshe_answers.json").read_text()
    assert '"z": 4' in (sub / "2023004" / "a3_phases" / "sanshe_answers.json").read_text()
    unsure = [p for p in result.problems if p.startswith("sanshe_answers.json")]
    assert len(unsure) == 1 and "2023001；2023002" in unsure[0], result.problems


def test_utf8_zip_names_without_the_flag(course, tmp_path):
    """Issue 29.6: macOS / Info-ZIP write UTF-8 names without the UTF-8 flag."""

    class Unflagged(zipfile.ZipInfo):  # the raw name bytes, no UTF-8 flag (as macOS writes)
        def _encodeFilenameFlags(self):
            return self.filename.encode("cp437"), self.flag_bits & ~0x800

    archive = tmp_path / "mac.zip"
    with zipfile.ZipFile(archive, "w") as z:
        info = Unflagged("x", date_time=(2025, 12, 30, 9, 0, 0))
        info.filename = "2023001_张三/a3_phases.ipynb".encode().decode("cp437")
        z.writestr(info, notebook("张三"))
        info = Unflagged("y", date_time=(2025, 12, 30, 9, 0, 0))
        info.filename = "王五_a3_phases.ipynb".encode("gbk").decode("cp437")  # Chinese Windows
        z.writestr(info, notebook("王五"))
    with zipfile.ZipFile(archive) as z:
        assert not z.infolist()[0].flag_bits & 0x800  # really unflagged
    result = import_handins(course, archive, roster={"2023001": "张三", "2023003": "王五"})
    assert sorted(f for _s, _a, f in result.placed) == [
        "2023001_张三/a3_phases.ipynb",
        "王五_a3_phases.ipynb",
    ]
    assert result.problems == []


def test_roster_ids_only_and_full_width_digits(course, tmp_path):
    """Issue 29.6: full-width digits are digits; with a roster, a phone number is not an id."""
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "２０２３００１_张三_a3_phases.ipynb").write_bytes(notebook("a"))
    (folder / "李四 13912345678 a3_phases.ipynb").write_bytes(notebook("b"))
    (folder / "13800001111_a3_phases.ipynb").write_bytes(notebook("c"))
    roster = {"2023001": "张三", "2023002": "李四"}
    result = import_handins(course, folder, roster=roster)
    assert sorted((s, a) for s, a, _ in result.placed) == [
        ("2023001", "a3_phases"),
        ("2023002", "a3_phases"),
    ]
    assert sorted(p.name for p in (course / "submitted").iterdir()) == ["2023001", "2023002"]
    assert len(result.problems) == 1 and "13800001111_a3_phases.ipynb" in result.problems[0]
    assert "名单" in result.problems[0] or "roster" in result.problems[0]


def test_symlinked_student_folder_is_named(course, tmp_path):
    """Issue 29.6: a linked student folder is not followed, and the trainer is told."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "a3_phases.ipynb").write_bytes(notebook("x"))
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "2023009_孙八").symlink_to(elsewhere, target_is_directory=True)
    result = import_handins(course, folder)
    assert result.placed == []
    assert len(result.problems) == 1 and "2023009_孙八" in result.problems[0]


def test_names_from_file_names_without_roster(course, tmp_path):
    """Issue 23.6: with no roster, the name in an LMS file name reaches the export."""
    from sanshe_edu.grade.trainer.intake import summary
    from sanshe_edu.grade.trainer.names import FOUND_NAMES, class_names

    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "2023001_张三_a1_concepts.ipynb").write_bytes(notebook("a"))
    (folder / "2023002_a1_concepts.ipynb").write_bytes(notebook("b"))
    result = import_handins(course, folder)
    assert result.names == {"2023001": "张三"}
    assert (course / FOUND_NAMES).is_file()
    assert class_names(course, {}) == {"2023001": "张三"}
    assert class_names(course, {"2023001": "", "2023002": "李四"}) == {
        "2023001": "张三",
        "2023002": "李四",
    }
    assert any("2023001 张三" in line for line in summary(course, result))
