"""The interactive network and a static figure in a real JupyterLab: the network renders, a click
on an organisation's button reaches Python (the ``on_select`` callback updates a label the
browser shows), and a static SVG figure with Chinese labels displays inline with its text
alternative."""

from __future__ import annotations

import nbformat
import pytest

pytestmark = pytest.mark.browser

SETUP = """\
import ipywidgets as widgets
from sanshe_edu.model import build_network
from sanshe_edu.draw import interactive_network, draw_benefit_matrix
G = build_network(
    [
        ("sg", "同心社会工作服务中心", "social_work_agency"),
        ("jwh", "居委会", "residents_committee"),
    ],
    [("sg", "jwh")],
)
picked = widgets.Label("none", layout=widgets.Layout(width="300px"))
def show(node, attrs):
    picked.value = f"picked:{node}:{attrs.get('kind')}"
net = interactive_network(G, lang="zh", on_select=show, height=300)
widgets.VBox([picked, net])
"""


def _notebook():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(SETUP),
        nbformat.v4.new_code_cell("draw_benefit_matrix(lang='zh')"),
    ]
    return nb


def test_network_click_reaches_python_and_figure_renders(lab):
    lab.open(lab.put_notebook(_notebook(), "draw_network.ipynb"))
    lab.run_all()
    lab.assert_no_errors()
    # The static figure is inline SVG, its text drawn by the browser, its title in Chinese.
    figure = lab.outputs().locator("svg[role=img]").last  # the second cell's (not the network's)
    figure.wait_for(timeout=30_000)
    assert figure.locator("title").first.text_content() == "议题的利害矩阵：政府 × 居民"
    assert "合作" in figure.locator("text").all_text_contents()
    assert figure.bounding_box()["width"] > 300
    # The network: the course's SVG figure and a button per organisation, in Chinese.
    net = lab.outputs().locator(".sanshe-explorer").first
    net.wait_for(timeout=30_000)
    assert net.locator("svg[role=img] title").first.text_content() == "主体联动网络"
    net.get_by_role("button", name="同心社会工作服务中心").click()
    lab.widget("picked:sg:social_work_agency").wait_for(timeout=15_000)
    net.locator(".sanshe-explorer-details").get_by_text("和 1 个组织相连").wait_for()
    lab.screenshot("draw_network_explorer")
