"""Static figures: each renders, shows the expected Chinese (and English) labels, raises no
missing-glyph warning, is deterministic and leaves matplotlib's global state alone."""

from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path

import matplotlib
import networkx as nx
import pytest

from sanshe_edu.draw import (
    CJKFontWarning,
    draw_benefit_matrix,
    draw_committee,
    draw_elements,
    draw_network,
    draw_phases,
    draw_priorities,
    draw_timeline,
    figure_texts,
    find_cjk_font,
    font_status,
)
from sanshe_edu.draw import fonts as fonts_module
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
    "timeline": (
        lambda lang: draw_timeline(lang=lang),
        ["“三社联动”一词的由来", "2009 年", "2010 年底", "两工联动", "中共十八届三中全会"],
        ["How the term", "end of 2010"],
    ),
}


def _render(fig, path: Path | None = None) -> bytes:
    """Render outside any rc_context with every warning (missing glyphs included) an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        png = fig.to_png(dpi=60)
    if path is not None:
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(png)
    return png


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_figure_renders_with_chinese_labels(name):
    make, zh_words, _ = FIGURES[name]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = make("zh")
    png = _render(fig, ARTIFACTS / f"{name}.png")
    assert png.startswith(b"\x89PNG") and len(png) > 5000
    text = figure_texts(fig)
    missing = [w for w in zh_words if w not in text]
    assert not missing, missing


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_figure_renders_in_english(name):
    make, _, en_words = FIGURES[name]
    text = figure_texts(make("en"))
    assert [w for w in en_words if w not in text] == []


@pytest.mark.parametrize("name", ["network", "priorities"])
def test_same_input_same_picture(name):
    make = FIGURES[name][0]
    assert _render(make("zh")) == _render(make("zh"))


def test_network_picture_does_not_depend_on_insertion_order():
    H = build_network(CASE["organisations"][::-1], CASE["relations"][::-1])
    assert _render(draw_network(G, lang="zh")) == _render(draw_network(H, lang="zh"))


def test_text_uses_the_cjk_font():
    font = find_cjk_font()
    assert font is not None, "fonts-noto-cjk should be installed here"
    fig = draw_benefit_matrix(lang="zh")
    families = {tuple(t.get_fontfamily()) for t in fig.findobj(matplotlib.text.Text)}
    assert all(f[0] == font for f in families if f)


def test_drawing_changes_nothing_global():
    before = dict(matplotlib.rcParams)
    backend = matplotlib.get_backend()
    draw_network(G, lang="zh")
    draw_phases(lang="en")
    assert dict(matplotlib.rcParams) == before
    assert matplotlib.get_backend() == backend


def test_model_imports_no_matplotlib_and_drawing_no_pyplot():
    """In a fresh process: the model (and ``sanshe_edu.draw`` itself) load without matplotlib;
    drawing loads matplotlib but never pyplot (pyplot would pick a backend globally)."""
    code = (
        "import sys; from sanshe_edu.model import load_case, build_network; "
        "import sanshe_edu.draw as d; c = load_case(); "
        "G = build_network(c['organisations'], c['relations']); "
        "print('matplotlib' in sys.modules); "
        "d.draw_network(G).to_png(); "
        "print('matplotlib' in sys.modules, 'matplotlib.pyplot' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True", "False"]


def test_figure_displays_inline():
    fig = draw_timeline(lang="zh")
    assert fig._repr_png_().startswith(b"\x89PNG")


def test_element_figure_takes_a_report():
    report = map_elements(CASE["elements"])
    assert "没有发现问题" in figure_texts(draw_elements(report, lang="zh"))


def test_missing_font_warns_once_in_users_language(monkeypatch):
    monkeypatch.setattr(fonts_module, "find_cjk_font", lambda candidates=None: None)
    monkeypatch.setattr(fonts_module, "_warned", False)
    with use_lang("en"), pytest.warns(CJKFontWarning, match="No Chinese font found"):
        draw_benefit_matrix(lang="en")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        draw_benefit_matrix(lang="en")  # second time: no warning


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
