"""Static figures (SVG): each is valid SVG with the expected Chinese (and English) labels and a
text alternative in the figure's language, lays out its texts without overlaps (computed from
the layout), is deterministic, and loads neither matplotlib nor numpy."""

from __future__ import annotations

import re
import subprocess
import sys
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest

from sanshe_edu.draw import (
    draw_benefit_matrix,
    draw_class_report,
    draw_committee,
    draw_elements,
    draw_network,
    draw_phases,
    draw_priorities,
    draw_timeline,
    figure_texts,
    find_cjk_font,
    font_status,
    network_svg,
)
from sanshe_edu.errors import SansheError
from sanshe_edu.i18n import use_lang
from sanshe_edu.model import (
    PhaseStep,
    ProjectPlan,
    build_committee,
    build_network,
    load_case,
    map_elements,
)

ARTIFACTS = Path(__file__).parent / "artifacts"
CASE = load_case("xingfuli")
G = build_network(CASE["organisations"], CASE["relations"])
BAD_PLAN = ProjectPlan(
    "楼道堆物与消防隐患",
    [
        PhaseStep("plan_design", ["jwh", "sg", "lv"], outputs=["方案"]),
        PhaseStep("needs_assessment", ["jwh", "sg", "lv"], outputs=["可控原因"]),
        PhaseStep("implementation", ["jwh", "sg"], outputs=["过程记录"]),
    ],
    organisations=CASE["organisations"],
)

# The plan lesson 06 draws (``course/06_four_phases.ipynb``, cell 06-16).
LESSON06_PLAN = ProjectPlan(
    issue="楼道堆物与消防隐患",
    organisations=[o for o in CASE["organisations"] if o["id"] in ("jwh", "wy", "zyd", "sg", "lv")],
    steps=[
        PhaseStep("需求评估", ["jwh", "wy", "zyd", "sg", "lv"], outputs=["两个可控原因"]),
        PhaseStep("方案制订", ["jwh", "wy", "sg", "lv"], outputs=["总体目标与三个具体目标"]),
        PhaseStep("计划推行", ["jwh", "wy", "zyd", "sg"], outputs=["清运记录；清运日改到周六"]),
        PhaseStep("评估总结", ["jwh", "zyd", "sg", "lv"], outputs=["评估报告与后续建议"]),
    ],
)

FIGURES = {
    "network": (
        lambda lang: draw_network(G, lang=lang),
        [
            "主体联动网络",
            "社区传统机构",
            "社工机构",
            "其他非营利组织",
            "幸福里社区居委会",
            "购买服务",
        ],
        ["Subject-linkage network", "social-work agencies", "Sunset Choir"],
    ),
    "elements": (
        lambda lang: draw_elements(CASE["elements"], network=G, lang=lang),
        [
            "主体",
            "对象",
            "方法",
            "目标",
            "伦理",
            "社区议题",
            "社会工作",
            "主体联动",
            "楼道堆物与消防隐患",
        ],
        ["subject", "object", "method", "community issue", "social work"],
    ),
    "elements_bad": (
        lambda lang: draw_elements(
            {"subject": [("楼道堆物", "issue")], "method": [("同心社工中心", "organisation")]},
            lang=lang,
        ),
        ["✗ 楼道堆物 → 对象", "✗ 同心社工中心 → 主体", "（缺失）", "发现 5 个问题"],
        ["(missing)", "5 problem(s) found"],
    ),
    "committee": (
        lambda lang: draw_committee(
            build_committee(CASE["organisations"], independent="区社会组织服务中心"), 8, lang=lang
        ),
        [
            "轮值主席安排",
            "第 1 届：幸福里社区居委会",
            "第 2 届：同心社会工作服务中心",
            "拟订工作规划",
            "独立方",
        ],
        [
            "Rotating chair",
            "term 1: 幸福里社区居委会",
            "draft the work plan",
            "independent party",
        ],
    ),
    "phases": (
        lambda lang: draw_phases(lang=lang),
        [
            "1. 需求评估",
            "2. 方案制订",
            "3. 计划推行",
            "4. 评估总结",
            "发现可控原因",
            "可邀请独立第三方参与",
        ],
        ["1. needs assessment", "4. evaluation and summary"],
    ),
    "phases_plan": (
        lambda lang: draw_phases(BAD_PLAN, lang=lang),
        ["方案检查结果", "缺少阶段：评估总结", "阶段顺序有误", "幸福里社区居委会"],
        ["Plan check", "missing phase: evaluation and summary"],
    ),
    "benefit": (
        lambda lang: draw_benefit_matrix(highlight=("beneficial", "neutral"), lang=lang),
        ["合作", "放任", "竞争", "难以应对处理", "对政府", "对居民", "无利无害", "居民放任"],
        ["cooperate", "let it be", "compete", "not taken up", "for government"],
    ),
    "priorities": (
        lambda lang: draw_priorities(CASE["issues"], weights={"severity": 2}, lang=lang),
        [
            "候选议题排序",
            "1. 楼道堆物与消防隐患",
            "人群覆盖面",
            "后果严重性",
            "时间紧迫性",
            "操作难易度",
            "后果严重性×2",
        ],
        [
            "Ranking candidate issues",
            "1. Clutter in stairwells and fire hazards",
            "urgency",
        ],
    ),
    "committee_lesson05": (
        lambda lang: draw_committee(
            build_committee(CASE["organisations"], independent="一位独立方代表（虚构）"), lang=lang
        ),
        ["独立方", "（虚构）", "社区事务工作委员会"],
        ["Rotating chair", "community-affairs committee"],
    ),
    "phases_lesson06": (
        lambda lang: draw_phases(LESSON06_PLAN, lang=lang),
        ["参与：幸福里社区居委会", "评估总结"],
        ["participants: Xingfuli", "4. evaluation and summary"],
    ),
    "class_report": (
        lambda lang: draw_class_report(
            [{"score": s, "max_score": 4} for s in (0, 2, 3, 3, 4, "")],
            [
                {"question": "l05.element_roles", "success_rate": 0.8},
                {"question": "l05.build_network", "success_rate": 0.25},
                {"question": "l05.reflect_lian_dong", "success_rate": ""},
            ],
            "lesson05",
            lang=lang,
        ),
        ["lesson05", "l05.build_network", "80"],
        ["lesson05", "l05.element_roles"],
    ),
    "timeline": (
        lambda lang: draw_timeline(lang=lang),
        ["“三社联动”一词的由来", "2009 年", "2010 年底", "两工联动", "中共十八届三中全会"],
        ["How the term", "end of 2010"],
    ),
}


SVG = "{http://www.w3.org/2000/svg}"
CJK = re.compile(r"[\u4e00-\u9fff]")


def _parse(fig) -> ET.Element:
    root = ET.fromstring(fig.svg)  # valid XML, or this raises
    assert root.tag == f"{SVG}svg"
    return root


def _alt(root: ET.Element) -> tuple[str, str]:
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and desc is not None
    ids = {title.get("id"), desc.get("id")}
    assert root.get("role") == "img" and set(root.get("aria-labelledby").split()) == ids
    return title.text or "", desc.text or ""


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_figure_is_svg_with_chinese_labels(name):
    make, zh_words, _ = FIGURES[name]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = make("zh")
    root = _parse(fig)
    ARTIFACTS.mkdir(exist_ok=True)
    fig.save(ARTIFACTS / f"{name}.svg")
    text = figure_texts(fig)
    missing = [w for w in zh_words if w not in text]
    assert not missing, missing
    drawn = "\n".join("".join(e.itertext()) for e in root.iter(f"{SVG}text"))
    assert all(w in drawn for w in zh_words)  # the words are in the SVG itself, as text


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_figure_in_english(name):
    make, _, en_words = FIGURES[name]
    text = figure_texts(make("en"))
    assert [w for w in en_words if w not in text] == []


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_text_alternative_in_both_languages(name):
    make = FIGURES[name][0]
    zh_title, zh_desc = _alt(_parse(make("zh")))
    en_title, en_desc = _alt(_parse(make("en")))
    assert zh_title and en_title and len(zh_desc) > 20 and len(en_desc) > 20
    if name != "class_report":  # its title is the assignment's name
        # (a title may end with Chinese data, e.g. the plan's issue)
        assert CJK.search(zh_title) and re.match(r"[A-Z][a-z]", en_title), en_title
    assert CJK.search(zh_desc) and zh_desc != en_desc
    # The English description is English: its own words are ASCII (names may be Chinese).
    assert re.match(r"[A-Z][a-z]", en_desc), en_desc


@pytest.mark.parametrize("name", sorted(FIGURES))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_text_overlaps_another_or_a_node(name, lang):
    fig = FIGURES[name][0](lang)
    assert fig.overlaps() == []
    assert len(fig.text_boxes()) == len(fig.texts)


def test_overlap_check_finds_overlaps():
    from sanshe_edu.draw.svg import SvgFigure

    fig = SvgFigure(300, 100, "t", "d", "zh")
    fig.text(10, 50, "社区居委会")
    fig.text(40, 55, "社工站")
    fig.circle(200, 50, 20)
    fig.text(190, 50, "书屋")
    fig.text(280, 50, "超出画布")
    assert fig.overlaps() == [
        ("社区居委会", "社工站"),
        ("书屋", "<shape>"),
        ("超出画布", "<canvas edge>"),
    ]


def test_lesson_figures_keep_texts_readable():
    """06's participants and 05's member names are at least 13 px, and "（虚构）" is never split."""
    for fig in (FIGURES["phases_lesson06"][0]("zh"), FIGURES["committee_lesson05"][0]("zh")):
        sizes = [float(e.get("font-size")) for e in _parse(fig).iter(f"{SVG}text")]
        assert min(sizes) >= 13
    texts = FIGURES["committee_lesson05"][0]("zh").texts
    assert any("（虚构）" in line for line in texts)
    assert not any(line.endswith("（") or line.startswith(("虚构", "构）", "）")) for line in texts)
    assert not any(len(line) == 1 and CJK.match(line) for line in texts)  # no lone character


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_same_input_same_svg(name):
    make = FIGURES[name][0]
    assert make("zh").svg == make("zh").svg


def test_network_picture_does_not_depend_on_insertion_order():
    H = build_network(CASE["organisations"][::-1], CASE["relations"][::-1])
    assert draw_network(G, lang="zh").svg == draw_network(H, lang="zh").svg
    assert network_svg(G, lang="zh") == draw_network(H, lang="zh").svg


def test_text_uses_a_cjk_font_stack_rendered_by_the_browser():
    root = _parse(draw_benefit_matrix(lang="zh"))
    stack = root.get("font-family")
    for font in ("Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", "sans-serif"):
        assert font in stack
    assert root.find(f".//{SVG}image") is None and root.find(f".//{SVG}path") is None


def test_drawing_loads_neither_matplotlib_nor_numpy():
    """In a fresh process every lesson figure is drawn without matplotlib or numpy (neither is
    available in the browser edition)."""
    code = (
        "import sys; from sanshe_edu.model import load_case, build_network, build_committee; "
        "import sanshe_edu.draw as d; c = load_case(); "
        "G = build_network(c['organisations'], c['relations']); "
        "[f.svg for f in (d.draw_network(G), d.draw_elements(c['elements'], network=G), "
        "d.draw_committee(build_committee(c['organisations'])), d.draw_phases(), "
        "d.draw_benefit_matrix(), d.draw_priorities(c['issues']), d.draw_timeline())]; "
        "print('matplotlib' in sys.modules, 'numpy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_figure_displays_inline_as_svg():
    fig = draw_timeline(lang="zh")
    assert fig._repr_svg_().startswith("<svg")
    html = fig._repr_html_()
    assert html.startswith('<div class="sanshe-figure" lang="zh-CN"') and "<title" in html
    # A readable width on a narrow screen: it scrolls rather than shrinks.
    assert 'style="overflow-x:auto"><div style="min-width:' in html


def test_language_may_be_a_locale():
    assert draw_network(G, lang="zh-CN").svg == draw_network(G, lang="zh").svg
    assert draw_network(G, lang="en_US").svg == draw_network(G, lang="en").svg


def test_element_figure_takes_a_report():
    report = map_elements(CASE["elements"])
    assert "没有发现问题" in figure_texts(draw_elements(report, lang="zh"))


def test_font_status_for_doctor():
    status = font_status(lang="en")
    assert status["found"] and status["font"] == find_cjk_font()
    assert status["message"].startswith("Chinese font found")
    assert Path(status["path"]).exists()
    assert find_cjk_font(("No Such Font", "Noto Sans CJK SC")) == "Noto Sans CJK SC"


def test_font_env_var_preferred(monkeypatch):
    monkeypatch.setenv("SANSHE_EDU_CJK_FONT", "Noto Serif CJK SC")
    assert find_cjk_font() == "Noto Serif CJK SC"


@pytest.mark.parametrize(
    ("call", "needle"),
    [
        (lambda: draw_network(nx.Graph()), "网络是空的"),
        (lambda: draw_phases({"issue": "x", "steps": [{"phase": "evaluaton"}]}), "evaluation"),
        (lambda: draw_priorities(CASE["issues"], weights={"ease": -1}), "不小于 0"),
        (lambda: draw_benefit_matrix(highlight=("good", "neutral")), "未知的利害结果"),
        (lambda: draw_timeline(lang="fr"), "未知的语言「fr」"),
    ],
)
def test_bad_input_gives_translated_error(call, needle):
    with use_lang("zh"), pytest.raises(SansheError, match=needle):
        call()
