"""The browser edition: site size and build time, then in Chromium (every request to another
host blocked) the time from opening the site to the first widget answering a click, cold (a
fresh browser profile: nothing cached) and warm (the same profile, second visit).

Goals: first widget < 20 s cold and < 8 s warm on this machine. Downloads come from the build
cache (``SANSHE_EDU_LITE_CACHE``), so only the first build ever touches PyPI or npm.
"""

from __future__ import annotations

import os
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

CHROMIUM = os.environ.get("SANSHE_EDU_CHROMIUM", "/usr/bin/chromium")
NOTEBOOK = "00_start_here.ipynb"


def _first_widget_seconds(browser, base: str, context=None) -> tuple[float, object]:
    """Open 00, run all, press the first widget's check button: seconds until its feedback."""
    context = context or browser.new_context(viewport={"width": 1400, "height": 1000})
    blocked = []

    def route(r):
        if urlparse(r.request.url).hostname == "127.0.0.1":
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    start = time.perf_counter()
    page.goto(f"{base}/lab/index.html?path={NOTEBOOK}")
    page.locator(".jp-NotebookPanel:visible .jp-Cell").first.wait_for(timeout=180_000)
    page.wait_for_function(
        "() => /\\|\\s*空闲/.test(document.querySelector('#jp-main-statusbar')?.innerText||'')",
        timeout=180_000,
    )
    page.locator('.lm-MenuBar-itemLabel:text-is("运行")').click()
    page.locator('.lm-Menu-itemLabel:text-is("运行所有单元格"):visible').click()
    widget = page.locator(".sanshe-quiz:visible").first
    widget.wait_for(timeout=180_000)
    widget.get_by_role("button", name="检查答案").first.click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('.sanshe-quiz .sanshe-feedback')]"
        ".some(f => f.innerText.trim().length > 0)",
        timeout=60_000,
    )
    seconds = time.perf_counter() - start
    page.close()
    if blocked:
        raise RuntimeError(f"the site asked another host: {blocked[:3]}")
    return seconds, context


def main() -> None:
    from playwright.sync_api import sync_playwright

    from sanshe_edu.lite.build import build_site
    from sanshe_edu.lite.serve import make_server

    with tempfile.TemporaryDirectory() as tmp:
        info = build_site(Path(tmp) / "site")
        print(f"lite_site_size: {info['size_mb']:.1f} MB")
        print(f"lite_build_time: {info['seconds']:.1f} s")
        server = make_server(Path(tmp) / "site", port=0)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}"
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(
                    executable_path=CHROMIUM, headless=True, args=["--no-sandbox"]
                )
                cold, context = _first_widget_seconds(browser, base)
                warm, _ = _first_widget_seconds(browser, base, context)
                context.close()
                browser.close()
            print(f"lite_first_widget_cold: {cold:.1f} s (goal < 20 s)")
            print(f"lite_first_widget_warm: {warm:.1f} s (goal < 8 s)")
        finally:
            server.shutdown()
            server.server_close()


if __name__ == "__main__":
    main()
