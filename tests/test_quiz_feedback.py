"""What a student reads after checking (issue 15): a reason for every wrong part, progress words
that tell answered from right, and one language and one wording per widget.

Every bank is covered from its YAML source: a new categorise / match / order / matrix question
without a ``wrong_feedback`` on each part fails here (and in the build).
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest
import yaml

from sanshe_edu.cli import main
from sanshe_edu.i18n import LANGS, catalogue, set_lang, t, use_lang
from sanshe_edu.quiz import ask, progress_summary
from sanshe_edu.quiz.bank import load_bank, question, short_title
from sanshe_edu.quiz.build import plain_answer
from sanshe_edu.quiz.check import evaluate
from sanshe_edu.quiz.records import problems
from sanshe_edu.quiz.types import Sealer
from sanshe_edu.quiz.types._base import open_wrong

REPO = Path(__file__).resolve().parents[1]
SOURCES = sorted((REPO / "questions").glob("*.yaml"))
PARTS = {"categorise": "items", "match": "left", "order": "steps", "matrix": "cells"}
TARGETS = {"categorise": "bins", "match": "right", "matrix": "outcomes"}


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("SANSHE_EDU_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.chdir(tmp_path)
    with use_lang("en"):
        yield


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _questions() -> list[tuple[str, dict]]:
    out = []
    for path in SOURCES:
        data = _load(path)
        out += [(f"{data['bank']}.{q['id']}", q) for q in data["questions"]]
    return out


ALL = _questions()
PRACTICE = [(i, q) for i, q in ALL if not q.get("graded")]
ASSIGNED = [(i, q) for i, q in PRACTICE if q["type"] in PARTS]
SCORED = [(i, q) for i, q in PRACTICE if q["type"] not in ("text", "network")]


def _part_id(q: dict, e: dict) -> str:
    return f"{e['row']}/{e['column']}" if q["type"] == "matrix" else e["id"]


def _targets(q: dict) -> list[str]:
    if q["type"] == "order":
        return [str(p) for p in range(1, len(q["steps"]) + 1)]
    return [x["id"] for x in q[TARGETS[q["type"]]]]


def _every_part_wrong(q: dict) -> dict | list:
    """A complete answer in which every part is wrong (worked out from the plain key)."""
    right = plain_answer(q)
    if q["type"] == "order":
        return right[1:] + right[:1]  # each step one place off
    choices = _targets(q)
    return {k: next(c for c in choices if c != v) for k, v in right.items()}


def test_every_assignment_question_of_the_course_is_covered():
    banks = {qid.split(".")[0] for qid, _ in ASSIGNED}
    assert {"l01", "l02", "l03", "l04", "l05", "l06", "l07", "l08", "l09", "example"} <= banks
    assert {q["type"] for _, q in ASSIGNED} == set(PARTS)


# ----- 1. every wrong part says why -------------------------------------------------------------
@pytest.mark.parametrize("qid,q", ASSIGNED, ids=[i for i, _ in ASSIGNED])
def test_every_part_has_a_wrong_reason_in_both_languages(qid, q):
    for e in q[PARTS[q["type"]]]:
        reason = e.get("wrong_feedback")
        assert isinstance(reason, dict), f"{qid} {_part_id(q, e)}: no wrong_feedback"
        for lang in LANGS:
            assert str(reason.get(lang, "")).strip(), f"{qid} {_part_id(q, e)}: no {lang} reason"
        assert reason != e.get("feedback"), f"{qid} {_part_id(q, e)}: the right answer's words"


@pytest.mark.parametrize("qid,q", ASSIGNED, ids=[i for i, _ in ASSIGNED])
def test_a_wrong_reason_does_not_name_the_right_target(qid, q):
    """Shown for any wrong choice, the reason must not simply say where the part belongs."""
    if q["type"] == "order":
        return
    names = {x["id"]: x["text"] for x in q[TARGETS[q["type"]]]}
    for part, target in plain_answer(q).items():
        e = next(x for x in q[PARTS[q["type"]]] if _part_id(q, x) == part)
        for lang in LANGS:
            name = names[target][lang]
            assert name not in e["wrong_feedback"][lang], (qid, part, lang, name)


@pytest.mark.parametrize("qid,q", ASSIGNED, ids=[i for i, _ in ASSIGNED])
def test_the_reason_opens_for_every_wrong_choice_and_never_for_the_right_one(qid, q):
    shipped = question(qid)
    s = Sealer(shipped)
    right = plain_answer(q)
    entries = {_part_id(shipped, e): e for e in shipped[PARTS[q["type"]]]}
    plain = {_part_id(q, e): e for e in q[PARTS[q["type"]]]}
    for n, (part, entry) in enumerate(entries.items()):
        key = str(right.index(part) + 1) if q["type"] == "order" else right[part]
        assert len(entry["not"]) == len(_targets(q)) - 1, (qid, part)
        assert open_wrong(s, entry, part, key) is None, f"{qid} {part}: opens for the key"
        for target in _targets(q):
            if target != key:
                assert open_wrong(s, entry, part, target) == plain[part]["wrong_feedback"], n
    # The plain reason is not in the shipped bank (it is sealed).
    text = json.dumps(shipped, ensure_ascii=False)
    for e in plain.values():
        assert e["wrong_feedback"]["zh"] not in text and e["wrong_feedback"]["en"] not in text


@pytest.mark.parametrize("qid,q", ASSIGNED, ids=[i for i, _ in ASSIGNED])
def test_an_all_wrong_answer_explains_every_part(qid, q):
    result = evaluate(question(qid), _every_part_wrong(q))
    assert result.score == 0 and not result.correct
    assert len(result.lines) == len(q[PARTS[q["type"]]])
    for m in result.lines:
        assert m.key.startswith("quiz.item_wrong"), (qid, m.key)
        for lang in LANGS:
            assert m.reason_in(lang), (qid, m.key, m.fields)


def test_the_widget_shows_the_reason_under_the_wrong_line():
    w = ask("example.issue_classes")
    w.set_answer({"sleep": "personal", "hygiene": "collective", "conscription": "personal"})
    w.check_button.click()
    value = w.feedback_html.value.replace("&#x27;", "'")
    assert "✘ military conscription work: does not belong in 'personal matter'." in value
    assert "Why not: Conscription is a legal duty the state gives to public bodies" in value
    assert value.count("sanshe-reason") == 1  # only the wrong item has one
    with use_lang("zh"):
        w = ask("example.phases")
        w.set_answer(["plan", "needs", "implement", "evaluate"])
        w.check_button.click()
        assert "为什么不对：方案要根据评估找到的原因来定" in w.feedback_html.value


def test_graded_banks_ship_no_reasons():
    for bank in ("a2", "a3"):
        for q in load_bank(bank)["questions"]:
            for e in q.get(PARTS.get(q["type"], ""), []):
                assert "not" not in e and "key" not in e, (bank, q["id"])


def test_a_missing_reason_is_reported_by_the_checker():
    plain = copy.deepcopy(_load(REPO / "questions" / "example.yaml"))
    qs = {q["id"]: q for q in plain["questions"]}
    del qs["issue_classes"]["items"][1]["wrong_feedback"]
    del qs["benefit"]["cells"][2]["wrong_feedback"]
    del qs["phases"]["steps"][0]["wrong_feedback"]["en"]
    with use_lang("en"):
        found = problems(plain, "bad.yaml")
    assert "bad.yaml: question issue_classes, field items[hygiene].wrong_feedback: missing" in found
    assert "bad.yaml: question benefit, field cells[2].wrong_feedback: missing" in found
    assert any("steps[needs].wrong_feedback" in p and "translation: en" in p for p in found)


# ----- 2. progress words -------------------------------------------------------------------------
def test_a_wrong_attempt_is_answered_not_right():
    w = ask("example.rc_nature")
    w.set_answer("company")
    w.check_button.click()
    assert "Score for this lesson: 0 / 7 · answered 1/8 · right 0" in w.score_html.value
    w.set_answer("grassroots_self_gov")
    w.check_button.click()
    assert "1 / 7 · answered 1/8 · right 1" in w.score_html.value
    with use_lang("zh"):
        z = ask("example.three_she")
    assert "本课得分：1 / 7 · 已作答 1/8 题 · 答对 1 题" in z.score_html.value
    row = progress_summary()
    assert row == [] or all("correct" in r for r in row)


def test_a_partial_score_is_told_in_parts_not_as_a_fraction_of_a_point():
    src = {q["id"]: q for q in _load(REPO / "questions" / "l08_practice_advice.yaml")["questions"]}
    right = plain_answer(src["benefit_matrix"])
    first = next(iter(right))
    answer = {
        k: (v if k == first else "compete" if v != "compete" else "cooperate")
        for k, v in right.items()
    }
    with use_lang("zh"):
        w = ask("l08.benefit_matrix")
        w.set_answer(answer)
        w.check_button.click()
        assert w.result.score == 0.11
        assert "得分：9 项中对了 1 项" in w.feedback_html.value
        assert "0.11" not in w.feedback_html.value
    with use_lang("en"):
        w = ask("l08.benefit_matrix")
    assert "Score: 1 of 9 parts right" in w.feedback_html.value  # restored, same words


def test_a_whole_score_keeps_its_points():
    w = ask("example.rc_nature")
    w.set_answer("grassroots_self_gov")
    w.check_button.click()
    assert "Score: 1 / 1" in w.feedback_html.value


def test_progress_cli_lists_what_is_left_by_title(capsys, monkeypatch):
    monkeypatch.delenv("SANSHE_EDU_LANG", raising=False)
    w = ask("l01.term_order")
    w.set_answer(["sanshe_liandong", "liang_gong", "sanshe_hudong"])
    w.check_button.click()
    try:
        assert main(["--lang", "zh", "progress"]) == 0
    finally:
        set_lang(None)
    out = capsys.readouterr().out
    assert not re.search(r"\bl0\d\.\w+", out), out  # no question ids
    lesson = load_bank("l01")["questions"]
    left = [q for q in lesson if q["id"] != "term_order" and not q.get("graded")]
    with use_lang("zh"):
        for q in left:
            assert f"· 还没做：{short_title('l01.' + q['id'], 40)}" in out
        assert short_title("l01.term_order", 40) not in out  # answered (wrongly) is not left
    row = next(x for x in out.splitlines() if x.startswith("01 "))
    assert " 1/5 " in row and " 0/5 " in row  # answered 1, right 0


def test_overview_has_an_answered_and_a_right_column():
    from sanshe_edu.quiz.overview import overview_html

    w = ask("l01.term_order")
    w.set_answer(["sanshe_liandong", "liang_gong", "sanshe_hudong"])
    w.check_button.click()
    html = overview_html()
    assert "<th style='text-align:left;padding:2px 8px'>Answered</th>" in html
    assert "<th style='text-align:left;padding:2px 8px'>Right</th>" in html
    row = next(r for r in html.split("<tr>") if "01 " in r)
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", row)
    assert cells[1:4] == ["1 / 5", "0 / 5", "0 / 5"], cells


# ----- 3. one language, one wording -------------------------------------------------------------
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_a_widget_keeps_its_language_after_set_lang():
    en = ask("example.rc_nature")
    assert "Score for this lesson" in en.score_html.value
    set_lang("zh")
    zh = ask("example.three_she")  # a Chinese widget of the same lesson, answered
    zh.set_answer(["community", "social_org", "social_work"])
    zh.check_button.click()
    assert "本课得分" in zh.score_html.value
    assert not CJK.search(en.score_html.value), en.score_html.value  # still English
    assert "1 / 7 · answered 1/8 · right 1" in en.score_html.value
    en.set_answer("company")  # checked while the process language is Chinese
    en.check_button.click()
    en.hint_button.click()
    for part in (en.feedback_html.value, en.hints_html.value, en.score_html.value):
        assert not CJK.search(part.replace("物业公司", "")), part
    assert en.check_button.description == "Check answer" and en.lang == "en"


def test_the_overview_keeps_its_language_on_refresh():
    from sanshe_edu.quiz import progress_overview

    with use_lang("zh"):
        overview = progress_overview()
    assert "已作答" in overview.table.value
    overview.refresh_button.click()  # the process language is English here
    assert "已作答" in overview.table.value and "Answered" not in overview.table.value


def test_controls_redrawn_by_a_click_keep_the_widget_language():
    w = ask("example.phases")  # English
    set_lang("zh")
    w.move_buttons[0][1].click()
    assert all("Move" in b.description for pair in w.move_buttons for b in pair)
    w.check_button.click()
    assert "Step" in w.feedback_html.value and "第" not in w.feedback_html.value


def _zh_lines(qid: str, answer) -> list[str]:
    r = evaluate(question(qid), answer)
    out = [r.headline_in("zh"), *r.lines_in("zh"), r.explanation_in("zh")]
    return out + [m.reason_in("zh") for m in r.lines]


@pytest.mark.parametrize("qid,q", SCORED, ids=[i for i, _ in SCORED])
def test_chinese_feedback_has_no_ascii_colon(qid, q):
    answers = [plain_answer(q)]
    if q["type"] in PARTS:
        answers.append(_every_part_wrong(q))
    elif q["type"] == "single":
        answers += [o["id"] for o in q["options"] if not o.get("correct")]
    else:
        answers.append([o["id"] for o in q["options"]])
    for answer in answers:
        for line in _zh_lines(qid, answer):
            assert ":" not in line, (qid, line)


@pytest.mark.parametrize("qid", ["l05.build_network", "example.build_linkage"])
def test_chinese_network_checklist_has_no_ascii_colon(qid):
    # sg and jwh only (a non-profit missing, one link), then all three kinds linked.
    for links in ([["jwh", "sg"]], [["jwh", "sg"], ["sg", "lv"], ["jwh", "lv"]]):
        lines = _zh_lines(qid, links)
        assert len(lines) > 3 and not [x for x in lines if ":" in x], lines


def test_chinese_catalogue_feedback_messages_have_no_ascii_colon():
    """The messages a student reads under a question (the trainer's build messages may quote
    YAML such as ``correct: true`` and are not checked)."""
    quiz = {k: v for k, v in catalogue().items() if k.startswith("quiz.")}
    skip = ("quiz.problem_", "quiz.build", "quiz.yaml_error", "quiz.record_problem", "quiz.bad_qid")
    for key, texts in quiz.items():
        if not key.startswith(skip):
            assert ":" not in texts["zh"], (key, texts["zh"])


# The outcome no side takes up, in one wording: the model's (the figure of lesson 08).
OTHER_WORDINGS = ("不会被处理", "不被处理", "不可能被处理", "不可能被应对处理", "难以被应对处理")


def _zh_texts(node) -> list[str]:
    if isinstance(node, dict):
        return [s for v in node.values() for s in _zh_texts(v)]
    if isinstance(node, list):
        return [s for v in node for s in _zh_texts(v)]
    return [node] if isinstance(node, str) else []


def test_the_not_taken_up_outcome_has_one_wording():
    word = t("model.outcome.not_taken_up", lang="zh")
    assert word == "难以应对处理"
    texts = [v["zh"] for v in catalogue().values()]
    for path in SOURCES:
        texts += _zh_texts(_load(path))
    for text in texts:
        for other in OTHER_WORDINGS:
            assert other not in text, (other, text)
    labels = []
    for path in SOURCES:
        for q in _load(path)["questions"]:
            for field in ("outcomes", "options"):
                labels += [
                    e["text"]
                    for e in q.get(field, [])
                    if e["id"] in ("not_handled", "not_taken_up")
                ]
    assert len(labels) >= 2  # lesson 08's matrix and assignment 4's choice
    for label in labels:
        assert label["zh"] == word, label
        assert t("model.outcome.not_taken_up", lang="en") in label["en"], label
