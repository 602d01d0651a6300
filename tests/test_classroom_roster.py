"""The roster CSV and the class commands' checks: bad input gets one clear line, in Chinese by
default, and nothing is changed (these tests need no root: the checks come first)."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from grade_support import run_cli

from sanshe_edu.classroom import server
from sanshe_edu.classroom.roster import parse_roster, read_text
from sanshe_edu.errors import SansheError
from sanshe_edu.i18n import use_lang

HEADER = "学号,姓名\n"


def error_key(text: str, **kw) -> str:
    with pytest.raises(SansheError) as info:
        parse_roster(text, **kw)
    return info.value.key


def test_chinese_names_and_prefix():
    students = parse_roster(HEADER + "2024001,张三\n2024002,欧阳 小明\n\n", prefix="s")
    assert [(s.login, s.student_id, s.name, s.line) for s in students] == [
        ("s2024001", "2024001", "张三", 2),
        ("s2024002", "2024002", "欧阳 小明", 3),
    ]


def test_english_header_and_column_order():
    students = parse_roster("name,id\nWang Fang,wf01\n")
    assert [(s.login, s.name) for s in students] == [("wf01", "Wang Fang")]


@pytest.mark.parametrize(
    ("text", "key"),
    [
        (HEADER + "ab1,张三\nAB1,李四\n", "classroom.roster_duplicate"),  # same login
        (HEADER + "张三,张三\n", "classroom.roster_bad_id"),  # Chinese in the id column
        (HEADER + "2024001,张三\n", "classroom.roster_bad_id"),  # Unix wants a letter first
        (HEADER + "a b,张三\n", "classroom.roster_bad_id"),
        (HEADER + "a" * 33 + ",张三\n", "classroom.roster_bad_id"),
        (HEADER + "root,张三\n", "classroom.roster_reserved"),
        (HEADER + "ab1,\n", "classroom.roster_no_name"),
        (HEADER + ",张三\n", "classroom.roster_no_id"),
        (HEADER + "ab1\n", "classroom.roster_short_line"),
        ("序号,备注\nab1,张三\n", "roster.header"),  # no id / name column named
        ("ab1,张三\n", "roster.header"),  # a header is required: this could be a student
        (HEADER, "classroom.roster_empty"),
        ("", "classroom.roster_empty"),
    ],
)
def test_bad_rosters(text, key):
    assert error_key(text) == key


def test_trainer_name_is_taken():
    assert error_key(HEADER + "teach,张三\n", taken={"teach"}) == "classroom.roster_reserved"


def test_bad_prefix():
    assert error_key(HEADER + "1,张三\n", prefix="9") == "classroom.bad_prefix"


def test_messages_say_what_to_do_in_both_languages():
    with pytest.raises(SansheError) as info:
        parse_roster(HEADER + "ok1,甲\n2024001,张三\n")
    assert info.value.message("zh").startswith("名单第 3 行：学号 '2024001' 不能用作登录名")
    assert "--prefix s" in info.value.message("zh")
    assert "--prefix s" in info.value.message("en")


def test_gbk_and_bom_files(tmp_path):
    gbk = tmp_path / "excel.csv"
    gbk.write_bytes((HEADER + "ab1,张三\n").encode("gb18030"))
    bom = tmp_path / "bom.csv"
    bom.write_bytes((HEADER + "ab1,李四\n").encode("utf-8-sig"))
    assert [s.name for s in parse_roster(read_text(gbk))] == ["张三"]
    assert [s.name for s in parse_roster(read_text(bom))] == ["李四"]


def test_not_root_is_one_line(monkeypatch, tmp_path):
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    code, _out, err = run_cli("class", "--class-dir", str(tmp_path / "c"), "setup")
    assert code == 2
    assert err.strip() == "sanshe-edu: this command needs root: run sudo sanshe-edu class …"
    assert not (tmp_path / "c").exists()


def test_roster_before_setup(tmp_path):
    roster = tmp_path / "r.csv"
    roster.write_text(HEADER + "ab1,张三\n", encoding="utf-8")
    code, _out, err = run_cli("class", "--class-dir", str(tmp_path), "roster", str(roster))
    assert code == 2
    assert "run sudo sanshe-edu class setup first" in err
    assert "Traceback" not in err


def test_python_in_a_private_home_is_refused():
    """The /root pyenv trap: the first folder on the way that others cannot enter is named."""
    base = Path(tempfile.mkdtemp(prefix="sanshe-python-"))
    try:
        base.chmod(0o755)
        private = base / "home"
        (private / "bin").mkdir(parents=True)
        exe = private / "bin" / "python3"
        exe.write_text("")
        exe.chmod(0o755)
        private.chmod(0o700)
        assert server.unreadable_by_others(exe) == private
        private.chmod(0o755)
        assert server.unreadable_by_others(exe) is None
        exe.chmod(0o700)
        assert server.unreadable_by_others(exe) == exe
    finally:
        shutil.rmtree(base)


def test_zh_is_the_default_message(tmp_path):
    with use_lang("zh"), pytest.raises(SansheError) as info:
        server.load(tmp_path)
    assert str(info.value) == f"{tmp_path} 里没有班级：请先运行 sudo sanshe-edu class setup"


def test_hub_config_reads_class_json(tmp_path):
    """The written jupyterhub_config.py, loaded as JupyterHub loads it."""
    import json

    from traitlets.config.loader import PyFileConfigLoader

    cfg = {
        "course_id": "sanshe-edu",
        "trainer": "teach",
        "group": "grp",
        "ip": "127.0.0.1",
        "port": 18000,
        "hub_port": 18001,
        "proxy_api_port": 18002,
        "proxy": "/x/chp",
        "python": "/x/bin/python",
        "class_dir": str(tmp_path),
        "course": "/home/teach/grading",
        "exchange": str(tmp_path / "exchange"),
        "jupyter_config": str(tmp_path / "jupyter"),
        "lang": "zh",
    }
    (tmp_path / "class.json").write_text(json.dumps(cfg))
    (tmp_path / "admin-token").write_text("abc\n")
    (tmp_path / "jupyterhub_config.py").write_text(server.CONFIG_FILE)
    c = PyFileConfigLoader("jupyterhub_config.py", path=str(tmp_path)).load_config()
    assert c.JupyterHub.port == 18000 and c.JupyterHub.ip == "127.0.0.1"
    assert c.PAMAuthenticator.allowed_groups == {"grp"}
    assert c.Authenticator.admin_users == {"teach"}
    assert c.Spawner.cmd == ["/x/bin/python", "-m", "sanshe_edu.classroom.singleuser"]
    config_path = c.Spawner.environment["JUPYTER_CONFIG_PATH"]

    class Spawner:
        def __init__(self, name):
            self.user = type("User", (), {"name": name})

    assert config_path(Spawner("s1")) == str(tmp_path / "jupyter")
    assert config_path(Spawner("teach")) == str(tmp_path / "jupyter") + "-trainer"
    assert [s["name"] for s in c.JupyterHub.services] == ["idle-culler", "sanshe-admin", "live"]
    assert Path(c.JupyterHub.db_url.removeprefix("sqlite:///")).parent == tmp_path


def test_a_command_from_a_class_venv_finds_its_class(tmp_path, monkeypatch):
    """``sanshe-edu doctor`` typed in the trainer's terminal (the class venv's command) checks
    that class, wherever its folder is, with no SANSHE_EDU_CLASS_DIR."""
    import sys

    from sanshe_edu.classroom.server import DEFAULT_CLASS_DIR, ENV_CLASS_DIR, class_dir

    monkeypatch.delenv(ENV_CLASS_DIR, raising=False)
    (tmp_path / "venv").mkdir()
    monkeypatch.setattr(sys, "prefix", str(tmp_path / "venv"))
    assert class_dir() == Path(DEFAULT_CLASS_DIR).resolve()  # no class.json beside it
    (tmp_path / "class.json").write_text("{}")
    assert class_dir() == tmp_path.resolve()
    assert class_dir(str(tmp_path / "other")) == (tmp_path / "other").resolve()
