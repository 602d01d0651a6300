"""Question banks: every source is well formed, built banks are current, no plain key ships."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from sanshe_edu.i18n import use_lang
from sanshe_edu.quiz import ask
from sanshe_edu.quiz.bank import bank_ids, banks_dir, load_bank
from sanshe_edu.quiz.build import build, compile_bank, dumps, main, plain_answer
from sanshe_edu.quiz.records import BankError, problems, validate

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = ROOT / "questions"
SOURCES = sorted(QUESTIONS.glob("*.yaml"))
SCHEMA = json.loads((QUESTIONS / "schema.json").read_text(encoding="utf-8"))
PACKAGE = ROOT / "src" / "sanshe_edu"


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def example() -> dict:
    return load(QUESTIONS / "example.yaml")


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_every_source_is_valid_by_checker_and_schema(path):
    data = load(path)
    assert problems(data, path.name) == []
    jsonschema.Draft202012Validator(SCHEMA).validate(data)


def test_example_has_one_question_of_each_type():
    from sanshe_edu.quiz import TYPES

    assert sorted(q["type"] for q in example()["questions"]) == sorted(TYPES)


def test_built_banks_are_up_to_date():
    _messages, found = build(QUESTIONS, banks_dir(), check_only=True)
    assert found == [], "run: .venv/bin/sanshe-edu build"
    assert main(["--check"]) == 0


@pytest.mark.parametrize("bank", bank_ids())
def test_every_shipped_question_renders(bank, tmp_path, monkeypatch):
    monkeypatch.setenv("SANSHE_EDU_DATA_DIR", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    for lang in ("zh", "en"):
        with use_lang(lang):
            for q in load_bank(bank)["questions"]:
                w = ask(f"{bank}.{q['id']}", graded=bool(q.get("graded")))
                assert type(w).__name__ == "QuestionWidget", w
                assert not _dropdowns(w), f"{bank}.{q['id']}: a drop-down, not keyboard-safe"


def _dropdowns(w) -> list:
    """Drop-down and list controls in a widget tree: JupyterLab's notebook shortcuts take their
    arrow keys, so no exercise may use one (docs/question-banks.md, Keyboard)."""
    import ipywidgets as W

    found, stack = [], [w]
    while stack:
        node = stack.pop()
        if isinstance(node, (W.Dropdown, W.Select, W.SelectMultiple, W.Combobox)):
            found.append(node)
        stack.extend(getattr(node, "children", ()))
    return found


def test_the_dropdown_check_can_fail():
    import ipywidgets as W

    assert _dropdowns(W.VBox([W.HBox([W.Dropdown(options=["a"])])]))


def _key_strings(plain: dict) -> list[str]:
    """Plain texts a shipped bank must not contain: answer-revealing feedback and explanations.

    Option feedback of single/multiple is sealed too, so it is included.
    """
    out = []
    for q in plain["questions"]:
        for field in ("options", "items", "left", "steps", "cells"):
            for e in q.get(field, []):
                for key in ("feedback", "wrong_feedback"):
                    if isinstance(e, dict) and key in e:
                        out.extend(e[key].values())
        if "explanation" in q and q["type"] != "network":
            out.extend(q["explanation"].values())
    return out


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_no_plain_answer_key_in_shipped_bank(path):
    plain = load(path)
    shipped_text = (banks_dir() / f"{plain['bank']}.json").read_text(encoding="utf-8")
    shipped = json.loads(shipped_text)
    for q in shipped["questions"]:
        # The answer fields of the source never appear in a shipped record.
        for field in ("options", "items", "left", "cells"):
            for e in q.get(field, []):
                assert not {"correct", "bin", "match", "answer", "feedback"} & set(e), (q["id"], e)
        if q["graded"]:
            blob = json.dumps(q)
            assert not {'"key"', '"why"', '"fb"', '"not"'} & set(re.findall(r'"\w+"', blob)), q[
                "id"
            ]
    for text in _key_strings(plain):
        if len(text) < 6:  # too short to be told apart from other words (e.g. "对。")
            continue
        assert json.dumps(text, ensure_ascii=False)[1:-1] not in shipped_text, text
    for pq, sq in zip(plain["questions"], shipped["questions"], strict=True):
        if pq["type"] == "order":
            assert [s["id"] for s in sq["steps"]] != plain_answer(pq), pq["id"]


def test_no_plain_answer_key_anywhere_in_the_package():
    """The YAML sources (with plain answers) and their answer texts are not in the package."""
    needles = [t for path in SOURCES for t in _key_strings(load(path)) if len(t) >= 8]
    files = [
        p
        for p in PACKAGE.rglob("*")
        if p.is_file() and p.suffix in (".json", ".yaml", ".yml", ".py", ".txt")
    ]
    for f in files:
        text = f.read_text(encoding="utf-8", errors="ignore")
        for n in needles:
            assert n not in text, (f, n)


def test_build_is_deterministic():
    plain = example()
    assert dumps(compile_bank(plain, "example.yaml")) == dumps(compile_bank(plain, "example.yaml"))


def test_graded_question_ships_without_key(tmp_path):
    plain = example()
    for q in plain["questions"]:
        q["graded"] = True
    shipped = compile_bank(plain, "example.yaml")
    blob = json.dumps(shipped)
    assert '"key"' not in blob and '"why"' not in blob and '"explanation"' not in blob


# ---- ill-formed records: file, question id and field are named --------------------------


def _bad(mutate) -> list[str]:
    plain = copy.deepcopy(example())
    mutate({q["id"]: q for q in plain["questions"]})
    with use_lang("en"):
        found = problems(plain, "bad.yaml")
    schema_errors = list(jsonschema.Draft202012Validator(SCHEMA).iter_errors(plain))
    return found, schema_errors


def test_unknown_type_is_named():
    def mutate(qs):
        qs["rc_nature"]["type"] = "singel"

    found, _ = _bad(mutate)
    assert any(
        p.startswith("bad.yaml: question rc_nature, field type: unknown question type 'singel'")
        and "did you mean: single" in p
        for p in found
    ), found


def test_repeated_option_id_is_named():
    def mutate(qs):
        qs["three_she"]["options"][1]["id"] = "community"

    found, _ = _bad(mutate)
    assert "bad.yaml: question three_she, field options[1].id: id 'community' is repeated" in found


def test_missing_translation_is_named():
    def mutate(qs):
        del qs["phases"]["steps"][2]["text"]["en"]

    found, schema_errors = _bad(mutate)
    assert (
        "bad.yaml: question phases, field steps[implement].text: missing translation: en" in found
    )
    assert schema_errors


def test_categorise_item_without_bin_is_named():
    def mutate(qs):
        del qs["issue_classes"]["items"][1]["bin"]

    found, _ = _bad(mutate)
    assert found == [
        "bad.yaml: question issue_classes, field items[hygiene].bin: this item has no bin"
    ]


def test_bin_that_does_not_exist_is_named():
    def mutate(qs):
        qs["issue_classes"]["items"][0]["bin"] = "persona"

    found, _ = _bad(mutate)
    assert "did you mean: personal" in found[0] and "items[sleep].bin" in found[0]


def test_validate_raises_one_error_listing_all_and_chinese_by_default():
    plain = copy.deepcopy(example())
    plain["questions"][0]["type"] = "nope"
    plain["questions"][1]["prompt"] = {"zh": "只有中文"}
    with use_lang("zh"), pytest.raises(BankError) as info:
        validate(plain, "x.yaml")
    assert len(info.value.problems) == 2
    assert "x.yaml：题目 three_she，字段 prompt：缺少 en 译文" in str(info.value)


def test_build_reports_bad_yaml_and_writes_nothing(tmp_path, capsys):
    src, out = tmp_path / "q", tmp_path / "banks"
    src.mkdir()
    (src / "bad.yaml").write_text("bank: x\nquestions: [\n", encoding="utf-8")
    with use_lang("en"):
        assert main(["--sources", str(src), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "bad.yaml: cannot read the YAML" in err and "Traceback" not in err
    assert not out.exists()


def test_build_check_reports_stale_bank(tmp_path):
    src, out = tmp_path / "q", tmp_path / "banks"
    src.mkdir()
    (src / "example.yaml").write_text(
        (QUESTIONS / "example.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    assert build(src, out)[1] == []
    assert build(src, out, check_only=True)[1] == []
    text = (src / "example.yaml").read_text(encoding="utf-8").replace("为适应", "为了适应", 1)
    text = text.replace("居委会是哪一类组织", "居委会属于哪一类组织")
    (src / "example.yaml").write_text(text, encoding="utf-8")
    with use_lang("en"):
        assert build(src, out, check_only=True)[1] == [
            "example.json is out of date; run sanshe-edu build"
        ]


def test_schema_problems_are_said_in_the_course_words():
    """One validator: the schema's findings come out as the checker's translated lines (file,
    question, field by id), never as jsonschema's English."""

    def mutate(qs):
        qs["rc_nature"]["points"] = True
        qs["rc_nature"]["extra"] = 1
        qs["three_she"]["options"][0]["correct"] = "yes"
        qs["scholars"]["left"][0]["id"] = "Bad"
        qs["build_linkage"]["organisations"].append({"id": "x", "name": {"zh": "某"}})
        qs["benefit"]["cells"][0]["row"] = 5
        qs["reflect_dong"]["min_chars"] = 0

    plain = copy.deepcopy(example())
    mutate({q["id"]: q for q in plain["questions"]})
    with use_lang("zh"):
        found = problems(plain, "bad.yaml")
    assert found == [
        "bad.yaml：题目 rc_nature，字段 -：未知字段：extra",
        "bad.yaml：题目 rc_nature，字段 points：数值「True」无效",
        "bad.yaml：题目 three_she，字段 options[community].correct：应为 true 或 false",
        "bad.yaml：题目 scholars，字段 left[0].id：标识「Bad」无效"
        "（只能用小写字母、数字和下划线，且以字母开头）",
        "bad.yaml：题目 build_linkage，字段 organisations[x].kind：缺少此项",
        "bad.yaml：题目 build_linkage，字段 organisations[x].name：缺少 en 译文",
        "bad.yaml：题目 benefit，字段 cells[0].row：标识「5」无效"
        "（只能用小写字母、数字和下划线，且以字母开头）",
        "bad.yaml：题目 reflect_dong，字段 min_chars：数值「0」无效",
    ]


def test_schema_file_is_the_validators_schema():
    from sanshe_edu.quiz.schema import bank_schema

    assert json.loads(json.dumps(bank_schema())) == SCHEMA
