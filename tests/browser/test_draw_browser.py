"""The ipysigma network and a static figure in a real JupyterLab: the network renders, a click on
a node reaches Python (the ``on_select`` callback updates a label the browser shows), and a
static SVG figure with Chinese labels displays inline with its text alternative."""

from __future__ import annotations

import nbformat
import pytest

pytestmark = pytest.mark.browser

SETUP = """\
import ipywidgets as widgets
from sanshe_edu.model import build_network
from sanshe_edu.draw import interactive_network, draw_benefit_matrix
# One organisation: the camera centres it, so a click in the middle of the canvas hits it.
G = build_network([("sg", "同心社会工作服务中心", "social_work_agency")])
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


def test_sigma_click_reaches_python_and_figure_renders(lab):
    lab.open(lab.put_notebook(_notebook(), "draw_sigma.ipynb"))
    lab.run_all()
    lab.assert_no_errors()
    # The static figure is inline SVG, its text drawn by the browser, its title in Chinese.
    figure = lab.outputs().locator("svg[role=img]").first
    figure.wait_for(timeout=30_000)
    assert figure.locator("title").first.text_content() == "议题的利害矩阵：政府 × 居民"
    assert "合作" in figure.locator("text").all_text_contents()
    assert figure.bounding_box()["width"] > 300
    # ipysigma's English-only search box and information panel are hidden (its one-line graph
    # summary "Undirected Graph …" has no option to hide it).
    assert (
        lab.outputs().locator(".ipysigma-information-display").locator("visible=true").count() == 0
    )
    assert lab.outputs().get_by_text("Search a node").locator("visible=true").count() == 0
    # The sigma canvas is there; click its centre (the only node).
    canvas = lab.outputs().locator("canvas").locator("visible=true").last
    canvas.wait_for(timeout=30_000)
    box = canvas.bounding_box()
    assert box and box["width"] > 100
    lab.page.wait_for_timeout(1500)  # let sigma finish its first render and camera fit
    lab.page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    lab.widget("picked:sg:social_work_agency").wait_for(timeout=15_000)
    lab.screenshot("draw_sigma")
