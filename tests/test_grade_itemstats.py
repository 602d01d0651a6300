"""Item analysis (Moodle's quiz statistics) and distractor tables on small synthetic classes
whose numbers are worked out by hand below."""

from __future__ import annotations

import json
import math

import pytest

from sanshe_edu.grade.trainer.itemstats import cronbach_alpha, flag_text, flags, item_stats
from sanshe_edu.i18n import use_lang

# Five students, four items: A (1 point), B (2 points), C (1 point, everyone right: zero
# variance), D (1 point, answered right by the weaker students: negative discrimination).
#            A  B  C  D     total
MARKS = [
    [1, 2, 1, 1],  # s1  5
    [1, 2, 1, 0],  # s2  4   (tie with s3)
    [1, 1, 1, 1],  # s3  4
    [0, 1, 1, 0],  # s4  2   (tie with s5)
    [0, 0, 1, 1],  # s5  2
]
MAXIMA = [1, 2, 1, 1]


def test_hand_worked_item_statistics():
    a, b, c, d = item_stats(MARKS, MAXIMA)
    # A: x = 1,1,1,0,0 (mean 3/5), rest X−x = 4,3,3,2,2 (mean 14/5).
    #    V(x) = (3·(2/5)² + 2·(3/5)²)/4 = (12+18)/25/4 = 3/10; SD/max = √0.3 = 0.5477.
    #    V(rest) = ((6/5)²+2·(1/5)²+2·(4/5)²)/4 = (36+2+32)/25/4 = 7/10.
    #    Cov = (2/5·6/5 + 2·2/5·1/5 + 2·(−3/5)(−4/5))/4 = (12+4+24)/25/4 = 2/5.
    #    DI = 100·0.4/√(0.3·0.7) = 87.29; sorted pairing is the same pairing, so DE = 100.
    assert a == {"facility": 0.6, "sd": 0.5477, "di": 87.29, "de": 100.0, "flags": []}
    assert a["di"] == round(100 * 0.4 / math.sqrt(0.3 * 0.7), 2)
    # B: x = 2,2,1,1,0 (mean 6/5), rest = 3,2,3,1,2 (mean 11/5); deviations ±4/5, −1/5, −6/5.
    #    V(x) = (16+16+1+1+36)/25/4 = 7/10, V(rest) = 7/10 too; SD/max = √0.7/2 = 0.4183.
    #    Cov = (16 − 4 − 4 + 6 + 6)/25/4 = 1/5: DI = 100·0.2/0.7 = 200/7 = 28.57 (< 30).
    #    Cov_max pairs 0,1,1,2,2 with 1,2,2,3,3 (ties kept together): = V = 7/10, DE = 28.57.
    assert b == {
        "facility": 0.6,
        "sd": 0.4183,
        "di": 28.57,
        "de": 28.57,
        "flags": ["grade.flag_di_very"],
    }
    # C: everyone has 1 of 1: F = 1, SD = 0, no DI/DE, flagged as telling no one apart.
    assert c == {"facility": 1.0, "sd": 0.0, "di": None, "de": None, "flags": ["grade.flag_same"]}
    # D: x = 1,0,1,0,1 (mean 3/5), rest = 4,4,3,2,1 (mean 14/5): Cov = −1/10, V(rest) = 17/10,
    #    DI = 100·(−0.1)/√(0.3·1.7) = −14.00; Cov_max (0,0,1,1,1 with 1,2,3,4,4) = 13/20,
    #    DE = −200/13 = −15.38.
    assert d == {
        "facility": 0.6,
        "sd": 0.5477,
        "di": -14.0,
        "de": -15.38,
        "flags": ["grade.flag_di_very", "grade.flag_de"],
    }


def test_hand_worked_cronbach_alpha():
    # Totals 5,4,4,2,2 (mean 17/5): V(X) = (64+9+9+49+49)/25/4 = 9/5.
    # ΣV(x_i) = 3/10 + 7/10 + 0 + 3/10 = 13/10.  α = 4/3·(1 − (13/10)/(9/5)) = 10/27.
    assert cronbach_alpha(MARKS) == round(10 / 27, 4) == 0.3704
    assert cronbach_alpha([[1, 1]]) is None  # one student
    assert cronbach_alpha([[1], [0]]) is None  # one item
    assert cronbach_alpha([[1, 0], [1, 0]]) is None  # totals do not vary


@pytest.mark.parametrize(
    ("di", "de", "expected"),
    [
        (29.99, 60, ["grade.flag_di_very"]),
        (30, 60, ["grade.flag_di_likely"]),
        (49.99, 15, ["grade.flag_di_likely"]),
        (50, 15, []),
        (80, 14.99, ["grade.flag_de"]),
    ],
)
def test_moodle_flag_boundaries(di, de, expected):
    assert flags(di, de, True) == expected


def test_flags_in_chinese_words():
    with use_lang("zh"):
        assert flag_text(["grade.flag_di_very", "grade.flag_de"]) == "很可能需要检查；区分度可疑"
        assert flag_text(["grade.flag_di_likely"]) == "可能需要检查"


BANK = """
bank: zz
title: {zh: 测试题库, en: test bank}
questions:
  - id: sort
    type: categorise
    graded: true
    points: 2
    prompt: {zh: 把议题归类。, en: Sort the issues.}
    bins:
      - {id: personal, text: {zh: 个人事务, en: personal}}
      - {id: public, text: {zh: 公共事务, en: public}}
    items:
      - id: sleep
        text: {zh: 居民作息, en: sleep}
        bin: personal
        wrong_feedback: {zh: 作息是个人安排。, en: A schedule is a person's own.}
      - id: draft
        text: {zh: 征兵工作, en: conscription}
        bin: public
        wrong_feedback: {zh: 征兵由公有机构执行。, en: Public bodies do it.}
  - id: pick
    type: single
    graded: true
    points: 1
    prompt: {zh: 选一个。, en: Pick one.}
    options:
      - {id: agree, text: {zh: 对的, en: right}, correct: true}
      - {id: refuse, text: {zh: 错的, en: wrong}, not: {zh: 因为它不对。, en: Because.}}
"""


def test_distractor_table_and_misconceptions(tmp_path):
    from sanshe_edu.grade.trainer.items import distractors, misconceptions
    from sanshe_edu.quiz.graded import record_answer

    course = tmp_path / "grading"
    (tmp_path / "questions").mkdir()
    (tmp_path / "questions" / "zz.yaml").write_text(BANK, encoding="utf-8")
    src = course / "source" / "a9"
    src.mkdir(parents=True)
    model = {
        "zz.sort": {"type": "categorise", "answer": {"sleep": "personal", "draft": "public"}},
        "zz.pick": {"type": "single", "answer": "agree"},
    }
    (src / "model_answers.json").write_text(json.dumps({"answers": model}), encoding="utf-8")
    given = {
        "s1": {"sleep": "personal", "draft": "public"},
        "s2": {"sleep": "public", "draft": "public"},
        "s3": {"sleep": "public", "draft": "personal"},
        "s4": None,  # never answered
    }
    for student, answer in given.items():
        folder = course / "submitted" / student / "a9"
        folder.mkdir(parents=True)
        if answer:
            record_answer("zz.sort", "categorise", answer, folder)
            record_answer("zz.pick", "single", "refuse" if student == "s3" else "agree", folder)
    with use_lang("zh"):
        tables = distractors(course, "a9", sorted(given))
    pick, sort = tables  # sorted by question id
    assert (sort["title"], sort["n"], sort["unanswered"]) == ("把议题归类。", 4, 1)
    rows = [(r["part"], r["choice"], r["count"], r["share"], r["correct"]) for r in sort["rows"]]
    assert rows == [
        ("居民作息", "个人事务", 1, 0.25, True),
        ("居民作息", "公共事务", 2, 0.5, False),
        ("征兵工作", "个人事务", 1, 0.25, False),
        ("征兵工作", "公共事务", 2, 0.5, True),
    ]
    assert sort["rows"][1]["reason"] == "作息是个人安排。" and sort["rows"][0]["reason"] == ""
    assert [(r["choice"], r["count"], r["reason"]) for r in pick["rows"]] == [
        ("对的", 2, ""),
        ("错的", 1, "因为它不对。"),
    ]
    top = misconceptions(tables)
    assert [(m["title"], m["part"], m["choice"], m["count"]) for m in top] == [
        ("把议题归类。", "居民作息", "公共事务", 2),
        ("选一个。", "", "错的", 1),
        ("把议题归类。", "征兵工作", "个人事务", 1),
    ]


def test_item_analysis_html_escapes_what_students_and_authors_wrote():
    """The report's item analysis comes from a template: titles, choices and reasons are
    escaped, shares and numbers are formatted, and the picture's <img> line is the one the
    cockpit replaces with the inline SVG."""
    from sanshe_edu.grade.trainer.report import items_html, items_img

    questions = [
        {"title": "<b>q1</b>", "points": 2.0, "facility": 0.75, "sd": 0.3, "di": 42.0,
         "de": None, "flags": ""},
    ]  # fmt: skip
    analysis = {
        "alpha": 0.8123, "k": 1, "n": 4, "left_out": ["q2 & q3"],
        "tables": [{"title": "t", "n": 4, "unanswered": 1, "rows": [
            {"part": "", "choice": "<script>x</script>", "count": 3, "share": 0.75,
             "correct": False, "reason": "a \"reason\""},
        ]}],
        "misconceptions": [{"title": "t", "part": "p", "choice": "<c>", "count": 3,
                            "share": 0.75, "reason": "<why>"}],
    }  # fmt: skip
    with use_lang("en"):
        page = items_html(questions, analysis)
        img = items_img()
    assert "<script>" not in page and "&lt;script&gt;x&lt;/script&gt;" in page
    assert "<td>&lt;b&gt;q1&lt;/b&gt;</td><td>2</td><td>75%</td><td>30%</td><td>42</td>" in page
    assert "<td>—</td>" in page and "0.81" in page and "q2 &amp; q3" in page
    assert "<li>t — p → &lt;c&gt;: 3 (75%)<br><i>&lt;why&gt;</i></li>" in page
    # The picture with its text alternative: the line the cockpit replaces by the SVG itself.
    assert page.count(img) == 1 and 'alt="Item analysis' in img
