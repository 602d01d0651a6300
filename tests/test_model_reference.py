"""Reference data files and the case file: every file validates against its schema, content
matches what the seed supports, and every model/draw message exists in zh and en."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
import yaml

from sanshe_edu.errors import SansheError
from sanshe_edu.i18n import catalogue, missing_translations, use_lang
from sanshe_edu.model import (
    CATEGORIES,
    CHAIR_DUTIES,
    CRITERIA,
    ELEMENTS,
    ITEM_TYPES,
    LINKAGE_MODES,
    ORG_KINDS,
    OUTCOMES,
    PHASE_ACTIVITIES,
    PHASES,
    RELATION_TYPES,
    labels,
    load_case,
    load_glossary,
    load_governance_forms,
    load_scholars,
    load_structures,
    load_timeline,
    validate_all,
)
from sanshe_edu.model.reference import REFERENCE_FILES, case_names, schema, validate

DATA = resources.files("sanshe_edu") / "data"
SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_68c359bf5c912d2f.txt"
FILES = [("reference", n, n) for n in REFERENCE_FILES] + [
    ("cases", n, "case") for n in case_names()
]


@pytest.mark.parametrize(("folder", "name", "schema_name"), FILES)
def test_every_data_file_matches_its_schema(folder, name, schema_name):
    data = yaml.safe_load((DATA / folder / f"{name}.yaml").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema(schema_name))
    jsonschema.validate(data, schema(schema_name), cls=jsonschema.Draft202012Validator)


def test_every_schema_file_is_used():
    names = {
        p.name.removesuffix(".schema.json") for p in (DATA / "reference" / "schemas").iterdir()
    }
    assert names == {*REFERENCE_FILES, "case"}


def test_validate_all_lists_every_file():
    assert validate_all() == [f"{f}/{n}" for f, n, _ in FILES]


def test_schema_rejects_a_broken_record():
    bad = {"items": [{"id": "x", "zh": "词", "en": "term", "definition": {"zh": "只有中文"}}]}
    with pytest.raises(SansheError, match="glossary"):
        validate(bad, "glossary")


def test_glossary_ids_unique_and_bilingual():
    g = load_glossary()
    ids = [e["id"] for e in g]
    assert len(ids) == len(set(ids)) >= 30
    for e in g:
        for see in e.get("see", []):
            assert see in ids
    zh = {e["zh"] for e in g}
    for term in ("三社联动", "主体联动", "要素联动", "政社两性", "轮值主席负责制", "可控原因"):
        assert term in zh


def test_glossary_is_not_pasted_from_the_seed():
    """Our own words: no definition shares a run of 16+ characters with the seed article."""
    if not SEED.exists():
        pytest.skip("seed article not available on this machine")
    seed = "".join(SEED.read_text(encoding="utf-8").splitlines()[:77])
    texts = [e["definition"]["zh"] for e in load_glossary()]
    texts += [s["definition"]["zh"] for s in load_scholars()]
    texts += [s["distinguishing"]["zh"] for s in load_scholars()]
    texts += [f["summary"]["zh"] for f in load_governance_forms()]
    texts += [e["event"]["zh"] for e in load_timeline()]
    for text in texts:
        for i in range(len(text) - 15):
            assert text[i : i + 16] not in seed, text


def test_five_scholars_in_seed_order():
    s = load_scholars()
    assert [x["names"]["zh"] for x in s] == [
        "叶南客、陈金城",
        "王思斌",
        "徐永祥、曹国慧",
        "吴江、范炜烽",
        "陈斌",
    ]
    by_id = {x["id"]: x for x in s}
    assert by_id["wang_sibin"]["compared_with"] == ["ye_chen"]  # seed: narrower than Ye & Chen
    assert [x["zh"] for x in by_id["xu_cao"]["subjects"]][2] == "社会工作者"
    assert by_id["chen_bin"]["affiliation"]["zh"] == "中国政法大学"


def test_governance_forms_mark_inferred_names():
    forms = load_governance_forms()
    assert [f["order"] for f in forms] == [1, 2, 3, 4]
    named = {f["id"]: f for f in forms}
    assert named["facilitative"]["name"]["zh"] == "促进性治理"
    assert named["facilitative"]["name_source"] == "seed"
    assert named["deliberative"]["name"]["zh"] == "协商治理"
    assert named["participatory"]["name_source"] == "inferred"
    assert "推断" in named["participatory"]["name"]["zh"]
    for f in forms:
        if f["name_source"] != "seed":
            assert "name_note" in f


def test_structures_say_the_seed_only_names_them():
    s = load_structures()
    assert [m["name"]["zh"] for m in s["modes"]] == ["嵌入式", "内生式"]
    assert [m["name"]["zh"] for m in s["mechanisms"]] == [
        "政府购买服务机制", "公益创投机制", "设施项目外包机制"
    ]  # fmt: skip
    assert all(m["described_in_seed"] is False for m in s["modes"])


def test_timeline_dates_only_where_the_seed_gives_them():
    tl = load_timeline()
    assert [e["order"] for e in tl] == list(range(1, len(tl) + 1))
    years = {e["id"]: e["year"] for e in tl}
    assert years["two_workers"] == 2009 and years["ye_chen_paper"] == 2010
    assert years["problems_2019"] == 2019
    # The seed names the plenums but gives no year for them.
    assert years["talent_team"] is None and years["governance_innovation"] is None


def test_loaders_return_copies():
    load_glossary()[0]["zh"] = "changed"
    assert load_glossary()[0]["zh"] != "changed"
    case = load_case()
    case["organisations"].clear()
    assert load_case()["organisations"]


def test_case_is_marked_fictional_and_matches_contract():
    case = load_case("xingfuli")
    assert case["fictional"] is True
    assert "虚构" in case["name"]["zh"] and "fictional" in case["name"]["en"]
    kinds = {o["id"]: o["kind"] for o in case["organisations"]}
    assert kinds == {
        "jwh": "residents_committee",
        "ywh": "owners_committee",
        "wy": "property_company",
        "hct": "recreation_group",
        "zyd": "volunteer_team",
        "sg": "social_work_agency",
        "sh": "nonprofit",
        "lv": "nonprofit",
    }
    issues = {i["name"]: i["class"] for i in case["issues"]}
    assert issues == {
        "楼道堆物与消防隐患": "collective_affair",
        "独居老人就餐难": "collective_affair",
        "垃圾分类推进": "collective_affair",
        "儿童课后看护": "collective_affair",
        "征兵宣传": "public_task",
        "居民个人作息": "personal_matter",
    }
    raw = (DATA / "cases" / "xingfuli.yaml").read_text(encoding="utf-8")
    assert raw.splitlines()[0].startswith("# 幸福里社区 / Xingfuli Community — FICTIONAL")


def test_unknown_case():
    with use_lang("zh"), pytest.raises(SansheError, match="你是不是想输入：xingfuli"):
        load_case("xingfu")


LABEL_GROUPS = {
    "category": CATEGORIES,
    "kind": tuple(ORG_KINDS),
    "relation": RELATION_TYPES,
    "mode": LINKAGE_MODES,
    "mode_desc": LINKAGE_MODES,
    "element": ELEMENTS,
    "element_role": ELEMENTS,
    "item": ITEM_TYPES,
    "phase": PHASES,
    "activity": tuple(a for acts in PHASE_ACTIVITIES.values() for a in acts),
    "duty": CHAIR_DUTIES,
    "outcome": OUTCOMES,
    "criterion": CRITERIA,
}


@pytest.mark.parametrize("group", sorted(LABEL_GROUPS))
def test_every_id_has_zh_and_en_label(group):
    for key in LABEL_GROUPS[group]:
        both = labels(group, key)
        assert both["zh"] and both["en"] and both["zh"] != both["en"], (group, key)


def test_model_and_draw_messages_complete():
    ours = [k for k in missing_translations() if k.startswith(("model.", "draw."))]
    assert ours == []
    keys = [k for k in catalogue() if k.startswith(("model.", "draw."))]
    assert len(keys) > 200
    for name in ("model", "draw"):
        path = resources.files("sanshe_edu") / "messages" / f"{name}.json"
        assert json.loads(path.read_text(encoding="utf-8"))
