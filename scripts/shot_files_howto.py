"""The picture of "getting the file in and out" (course/images/files_howto.png, embedded by
``sanshe-edu build`` in each assignment's first cell, and in lesson 00): JupyterLab in Chinese,
the file browser's upload button and an assignment's right-click menu with 下载 outlined.

    .venv/bin/python scripts/shot_files_howto.py course/images/files_howto.png
"""

import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
from playwright.sync_api import sync_playwright  # noqa: E402
from support.jupyterlab import CHROMIUM, CHROMIUM_ARGS, USER_SETTINGS, LabServer  # noqa: E402

USER_SETTINGS["@jupyterlab/translation-extension/plugin.jupyterlab-settings"] = {"locale": "zh_CN"}
base = Path(tempfile.mkdtemp())
srv = LabServer(base)
shutil.copy(
    REPO / "exercises" / "a1_concepts" / "a1_concepts.ipynb", srv.root / "a1_concepts.ipynb"
)
shutil.copy(REPO / "course" / "00_start_here.ipynb", srv.root / "00_start_here.ipynb")
srv.start()
shutil.rmtree(srv.root / "grading_course")
(srv.root / "nbgrader_config.py").unlink()
out = Path(sys.argv[1])
try:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = b.new_page(viewport={"width": 760, "height": 700}, device_scale_factor=1)
        page.goto(srv.url("lab", reset=""))
        item = page.locator(".jp-DirListing-item", has_text="a1_concepts.ipynb")
        item.wait_for(timeout=90_000)
        time.sleep(2)
        # The upload button, outlined.
        page.locator(".jp-DirListing-content").click(button="left", position={"x": 10, "y": 200})
        up = page.locator('.jp-FileBrowser-toolbar [title*="上传"]').first
        up.evaluate("e => { e.style.outline = '3px solid #d33'; e.style.outlineOffset = '2px'; }")
        item.click(button="right", position={"x": 60, "y": 10})
        menu = page.locator(".lm-Menu").first
        menu.wait_for()
        dl = page.locator(".lm-Menu-item", has_text="下载").first
        dl.evaluate("e => { e.style.outline = '3px solid #d33'; }")
        time.sleep(0.5)
        box_m = menu.bounding_box()
        page.screenshot(
            path=str(out),
            clip={
                "x": 0,
                "y": 0,
                "width": min(760, box_m["x"] + box_m["width"] + 20),
                "height": min(700, box_m["y"] + box_m["height"] + 10),
            },
        )
finally:
    srv.stop()
    shutil.rmtree(base, ignore_errors=True)
