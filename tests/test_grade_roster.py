"""The roster CSV in the encodings and shapes trainers have."""

from __future__ import annotations

import pytest

from sanshe_edu.errors import SansheError
from sanshe_edu.grade.trainer.roster import course_roster, load_roster
from sanshe_edu.i18n import t, use_lang


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            "学号,姓名\n2023001,张三\n2023002,李四\n".encode("gbk"),
            {"2023001": "张三", "2023002": "李四"},
        ),
        ("\ufeff姓名,学号\n张三,2023001\n".encode(), {"2023001": "张三"}),
        ("2023001,张三\n2023002,李四\n".encode(), {"2023001": "张三", "2023002": "李四"}),
        ("序号\t学号\t姓名\n1\t2023001\t张三\n\n".encode(), {"2023001": "张三"}),
        (b"id,name\n s1 , Amy \n", {"s1": "Amy"}),
    ],
)
def test_roster_shapes(tmp_path, data, expected):
    path = tmp_path / "roster.csv"
    path.write_bytes(data)
    assert load_roster(path) == expected
    assert course_roster(tmp_path) == expected


def test_roster_errors_are_one_translated_line(tmp_path):
    assert course_roster(tmp_path) == {}
    with use_lang("zh"), pytest.raises(SansheError) as info:
        load_roster(tmp_path / "nope.csv")
    assert str(info.value) == t("roster.missing", lang="zh", path=tmp_path / "nope.csv")
    one = tmp_path / "one.csv"
    one.write_text("学号\n2023001\n", encoding="utf-8")
    with pytest.raises(SansheError) as info:
        load_roster(one)
    assert info.value.key == "roster.columns"
