"""Accessibility without a browser (issue 28): text contrast of every colour our HTML uses, the
feedback as a live region in the widget's language, ✔ / ✘ said in words, and the data tables
of the network and benefit-matrix figures. The browser side (axe-core, keyboard only) is
``tests/browser/test_accessibility_browser.py``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sanshe_edu.draw import draw_network
from sanshe_edu.draw.figures import draw_benefit_matrix
from sanshe_edu.i18n import use_lang
from sanshe_edu.model import build_network
from sanshe_edu.quiz import ask

SRC = Path(__file__).resolve().parents[1] / "src" / "sanshe_edu"
# Text colours set inline in the HTML of widgets, feedback and reports (not figure fills).
COLOUR = re.compile(r"""(?<![-\w])color:\s*(#[0-9a-fA-F]{3,6})\b""")


def _luminance(hex_colour: str) -> float:
    h = hex_colour.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    rgb = [int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str = "#ffffff") -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_formula_can_fail():
    assert contrast("#777") < 4.5 < contrast("#666")
    assert round(contrast("#000"), 1) == 21.0


def test_every_inline_text_colour_has_aa_contrast_on_white():
    found = {}
    for path in [*SRC.rglob("*.py"), *SRC.rglob("*.html"), *SRC.rglob("*.j2")]:
        for colour in COLOUR.findall(path.read_text(encoding="utf-8")):
            found.setdefault(colour, path.relative_to(SRC).as_posix())
    assert found, "no inline colour found: the pattern is wrong"
    # White text sits on a coloured background (a heading, a button): axe checks those pairs.
    white = {"#fff", "#ffffff"}
    low = {
        c: (where, round(contrast(c), 2))
        for c, where in found.items()
        if contrast(c) < 4.5 and c.lower() not in white
    }
    assert not low, f"text colours under 4.5:1 on white: {low}"


@pytest.mark.usefixtures("quiz_in_tmp")
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_feedback_is_a_live_region_in_the_widget_language_with_marks_in_words(lang):
    with use_lang(lang):
        w = ask("example.three_she")
    w.set_answer(["community", "enterprise"])  # one right, one wrong
    w.check_button.click()
    value = w.feedback_html.value
    tag = "zh-CN" if lang == "zh" else "en"
    assert value.startswith(f"<div class='sanshe-feedback' role='alert' lang='{tag}'>"), value
    right, wrong = ("对：", "错：") if lang == "zh" else ("right: ", "wrong: ")
    assert f'content:"" / "{right}"' in value and f'content:"" / "{wrong}"' in value
    assert "<li class='sanshe-m-right'>✔ " in value and "<li class='sanshe-m-wrong'>✘ " in value
    assert f"lang='{tag}'" in w.prompt_html.value


def test_network_figure_has_tables_of_organisations_and_links():
    G = build_network(
        [
            ("a", "居委会甲", "居委会"),
            ("b", "社工站", "社工机构"),
            ("c", "志愿队", "volunteer_team"),
        ],
        [("a", "b"), ("b", "c")],
    )
    html = draw_network(G, lang="zh")._repr_html_()
    data = html.split('<details class="sanshe-figure-data">', 1)[1]
    assert "<summary>图中的数据（表格）</summary>" in data
    for name in ("居委会甲", "社工站", "志愿队"):
        assert f'<th scope="row">{name}</th>' in data
    assert data.count("<tr>") == 1 + 3 + 1 + 2  # header + organisations, header + links
    assert '<th scope="row">居委会甲</th><td>社工站</td>' in data


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_benefit_matrix_has_a_table_of_its_nine_cells(lang):
    fig = draw_benefit_matrix(lang=lang)
    (table,) = fig.tables
    assert table.count("<td>") == 9 and table.count('scope="row"') == 3
    first = "合作" if lang == "zh" else "cooperate"
    assert f"</th><td>{first}</td>" in table
