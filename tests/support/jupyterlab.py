"""The real-browser harness: a ``jupyter lab`` of its own and a page driver, for the browser
tests (``tests/browser/conftest.py`` makes fixtures of them) and for ``bench/bench_quiz.py``.
Playwright is imported only when a page is driven; nothing here is a test or a fixture.

:class:`LabServer` — a running JupyterLab in an isolated folder: ``.root`` (server root folder;
copy notebooks here), ``.token``, ``.base_url``, ``.url(path)``, ``.env`` (the isolated
environment the server and its kernels use: ``JUPYTER_*``, ``IPYTHONDIR``, ``MPLCONFIGDIR``,
``SANSHE_EDU_DATA_DIR``, ``SANSHE_EDU_WORKSPACE``), ``.api(method, path)`` (REST call, returns
parsed JSON), ``.course_root`` (nbgrader course directory inside the root;
``nbgrader_config.py`` in the root points at it), ``.shutdown_kernels()``, ``.start()``,
``.stop()``.  Autosave is off, the news pop-up is disabled, notebook windowing is off (every
cell is in the DOM), pages open with ``?reset``.

:class:`Lab` — drives one notebook of a server in a Playwright page::

    nb = lab.put_notebook(COURSE / "00_start_here.ipynb")   # copy into the server root
    lab.open(nb)                    # open it, wait for the kernel to be idle
    lab.run_all()                   # Run -> Run All Cells, confirms it started, retries
    lab.wait_idle()                 # (run_all already waits) no [*] prompt, kernel idle
    lab.widget("提交")              # locator of visible output text (a widget, HTML...)
    lab.click("提交")               # click the button / element with that text in an output
    lab.text(".widget-html")        # inner text of the first visible match in the outputs
    lab.assert_no_errors()          # no error / stderr output in the notebook
    lab.assert_cjk_glyphs()         # the browser has a CJK font (no tofu boxes)
    lab.screenshot("start_here")    # tests/artifacts/start_here.png, returns the path

Also: ``lab.cells()`` (locator of the cells, e.g. ``lab.cells().first.scroll_into_view_if_needed()``
before a screenshot), ``lab.cell_outputs()`` (list of output texts), ``lab.error_outputs()``,
``lab.goto(path, **params)`` (any server URL path with the token, e.g.
``lab.goto("lab", reset="")``).

The browser: Chromium at ``/usr/bin/chromium`` (``SANSHE_EDU_CHROMIUM`` points at another),
launched with :data:`CHROMIUM_ARGS`; never ``playwright install``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

CHROMIUM = os.environ.get("SANSHE_EDU_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "tests" / "artifacts"
COURSE = REPO / "course"
SERVER_START_TIMEOUT = 60.0
DEFAULT_TIMEOUT_MS = 30_000

# Lab user settings for tests: no autosave, all cells in the DOM, no news, no update checks.
USER_SETTINGS = {
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}
LEARNER_OVERRIDES = (
    REPO / "src" / "sanshe_edu" / "platform" / "jupyter_learner" / "labconfig"
    / "default_setting_overrides.json"
)  # fmt: skip
DISABLED_EXTENSIONS = {"@jupyterlab/apputils-extension:announcements": True}


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def idle_condition(idle_word: str) -> str:
    """A page function: no code cell queued or running (no ``[*]``) and the status bar says
    the kernel is idle (``idle_word``: "Idle", or "空闲" in a Chinese lab)."""
    return """() => {
        const ps = [...document.querySelectorAll(
            '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputArea-prompt')];
        const status = document.querySelector('#jp-main-statusbar');
        return ps.length > 0 && !ps.some(p => p.innerText.includes('[*]'))
            && !!status && /\\|\\s*IDLE_WORD/.test(status.innerText);
    }""".replace("IDLE_WORD", idle_word)


def wait_steady(page, condition: str, timeout_ms: int, hold_ms: int = 600) -> None:
    """Wait until the page function ``condition`` has held for ``hold_ms`` without a break.

    A kernel's status and a cell's prompt number travel apart from its outputs (the reply on
    the shell channel, the outputs and status on iopub), and between two queued cells the
    status bar can say idle for a moment: a condition true once can still be a moment early.
    """
    page.evaluate("() => { window.__sansheSteadySince = undefined; }")
    page.wait_for_function(
        """(hold) => {
            const now = performance.now();
            if (!(CONDITION)()) {
                window.__sansheSteadySince = undefined;
                return false;
            }
            if (window.__sansheSteadySince === undefined) window.__sansheSteadySince = now;
            return now - window.__sansheSteadySince >= hold;
        }""".replace("CONDITION", condition),
        arg=hold_ms,
        timeout=timeout_ms,
        polling=100,
    )


def assert_file_names_whole(page, names) -> None:
    """The file browser lists every one of ``names`` whole: no "Modified" column beside them
    and no name cut off (text wider than its place)."""
    shown = page.locator(".jp-DirListing-content .jp-DirListing-itemText").all_inner_texts()
    assert set(names) <= set(shown), shown
    assert page.locator(".jp-DirListing-headerItem.jp-id-modified:visible").count() == 0
    cut = page.evaluate(
        """() => [...document.querySelectorAll('.jp-DirListing-item .jp-DirListing-itemText')]
            .filter(el => el.scrollWidth > el.clientWidth + 1).map(el => el.innerText)"""
    )
    assert cut == [], cut


class LabServer:
    """A running ``jupyter lab`` in an isolated tmp environment (see module docstring)."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.root = base / "root"
        self.course_root = self.root / "grading_course"
        self.exchange = base / "exchange"
        self.token = uuid.uuid4().hex
        self.port = _free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = base / "jupyter-lab.log"
        self.proc: subprocess.Popen | None = None
        dirs = {
            "JUPYTER_CONFIG_DIR": base / "jupyter_config",
            "JUPYTER_DATA_DIR": base / "jupyter_data",
            "JUPYTER_RUNTIME_DIR": base / "jupyter_runtime",
            "IPYTHONDIR": base / "ipython",
            "MPLCONFIGDIR": base / "mpl",
            "SANSHE_EDU_DATA_DIR": base / "sanshe_data",
            "SANSHE_EDU_WORKSPACE": base / "sanshe_workspace",
            "JUPYTERLAB_SETTINGS_DIR": base / "jupyter_config" / "lab" / "user-settings",
            "JUPYTERLAB_WORKSPACES_DIR": base / "jupyter_config" / "lab" / "workspaces",
        }
        for d in [self.root, self.course_root / "source", self.exchange, *dirs.values()]:
            d.mkdir(parents=True, exist_ok=True)
        self.env = {**os.environ, **{k: str(v) for k, v in dirs.items()}}
        self.env.pop("JUPYTER_PATH", None)
        # The course's default language (Chinese) whatever an earlier in-process `--lang`
        # left behind; a test wanting English sets it in its notebook.
        self.env.pop("SANSHE_EDU_LANG", None)
        self.env.pop("JUPYTER_PREFER_ENV_PATH", None)
        self.env["PYTHONUNBUFFERED"] = "1"
        self._write_config(dirs)

    def _write_config(self, dirs: dict[str, Path]) -> None:
        settings = dirs["JUPYTERLAB_SETTINGS_DIR"]
        for rel, value in USER_SETTINGS.items():
            path = settings / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(value), encoding="utf-8")
        labconfig = dirs["JUPYTER_CONFIG_DIR"] / "labconfig"
        labconfig.mkdir(parents=True, exist_ok=True)
        # What every lab we ship starts with (platform/jupyter_learner): no news pop-up, a
        # notebook starts its kernel without asking, widget messages on the kernel's main shell.
        shutil.copy(LEARNER_OVERRIDES, labconfig / "default_setting_overrides.json")
        (labconfig / "page_config.json").write_text(
            json.dumps({"disabledExtensions": DISABLED_EXTENSIONS}), encoding="utf-8"
        )
        (self.root / "nbgrader_config.py").write_text(
            "c = get_config()  # noqa\n"
            f"c.CourseDirectory.root = {str(self.course_root)!r}\n"
            "c.CourseDirectory.course_id = 'sanshe-test'\n"
            f"c.Exchange.root = {str(self.exchange)!r}\n",
            encoding="utf-8",
        )

    def url(self, path: str = "lab", **params: str) -> str:
        """Absolute URL of ``path`` with the token (``reset`` etc. via ``params``)."""
        query = "&".join([*(k if v == "" else f"{k}={v}" for k, v in params.items())])
        sep = "&" if query else ""
        return f"{self.base_url}/{path.lstrip('/')}?{query}{sep}token={self.token}"

    def api(self, method: str, path: str, body: object | None = None) -> object:
        """Call the server's REST API; returns parsed JSON (``None`` for an empty answer)."""
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(
            f"{self.base_url}/{path.lstrip('/')}",
            data=data,
            method=method,
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(req, timeout=10) as resp:
            raw = resp.read()
        return json.loads(raw) if raw else None

    def start(self) -> None:
        cmd = [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            f"--port={self.port}",
            "--ServerApp.port_retries=0",
            "--ServerApp.ip=127.0.0.1",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root}",
            "--ServerApp.open_browser=False",
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd.append("--allow-root")
        log = self.log_path.open("wb")
        self.proc = subprocess.Popen(
            cmd, cwd=self.root, env=self.env, stdout=log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"jupyter lab exited early:\n{self.log()}")
            try:
                self.api("GET", "api/status")
                return
            except OSError:
                time.sleep(0.25)
        self.stop()
        raise RuntimeError(f"jupyter lab did not answer in {SERVER_START_TIMEOUT}s:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")[-6000:]

    def shutdown_kernels(self) -> None:
        try:
            for session in self.api("GET", "api/sessions") or []:
                self.api("DELETE", f"api/sessions/{session['id']}")
            for kernel in self.api("GET", "api/kernels") or []:
                self.api("DELETE", f"api/kernels/{kernel['id']}")
        except OSError:
            pass

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.shutdown_kernels()
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


_ERROR_MIME = '[data-mime-type="application/vnd.jupyter.stderr"]'


class Lab:
    """Helpers to drive one notebook in the session's JupyterLab (see module docstring)."""

    #: What the status bar says of an idle kernel (the lab's language).
    IDLE_WORD = "Idle"

    def __init__(self, server: LabServer, page, name: str = "test") -> None:
        self.server = server
        self.page = page
        self.name = re.sub(r"[^\w.-]+", "_", name)

    # -- files ------------------------------------------------------------------------------
    def put_notebook(self, src: Path | str | dict, name: str | None = None) -> str:
        """Copy a notebook (path or nbformat dict) into the server root; returns its path there.

        A notebook without a kernelspec gets ``python3`` so no kernel picker dialog appears.
        """
        if isinstance(src, dict):
            nb = json.loads(json.dumps(src))
            name = name or f"{self.name}.ipynb"
        else:
            src = Path(src)
            nb = json.loads(src.read_text(encoding="utf-8"))
            name = name or src.name
        nb.setdefault("metadata", {}).setdefault(
            "kernelspec", {"name": "python3", "display_name": "Python 3", "language": "python"}
        )
        dest = self.server.root / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(json.dumps(nb, ensure_ascii=False, indent=1), encoding="utf-8")
        return name

    def put_file(self, src: Path | str, name: str | None = None) -> str:
        """Copy any file (data, a module) into the server root; returns its path there."""
        src = Path(src)
        dest = self.server.root / (name or src.name)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)
        return str(dest.relative_to(self.server.root))

    # -- navigation -------------------------------------------------------------------------
    def goto(self, path: str = "lab", **params: str) -> None:
        self.page.goto(self.server.url(path, **params))

    def open(self, rel_path: str, timeout_ms: int = 60_000) -> None:
        """Open a notebook (path relative to the server root) and wait until its kernel is idle."""
        self.goto(f"lab/tree/{rel_path}", reset="")
        self.page.locator(".jp-NotebookPanel:visible .jp-Cell").first.wait_for(timeout=timeout_ms)
        self._wait_kernel_idle(timeout_ms)

    def _wait_kernel_idle(self, timeout_ms: int) -> None:
        self.page.wait_for_function(
            """() => {
                const el = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
                if (!el) return false;
                const status = document.querySelector('#jp-main-statusbar');
                return !!status && /\\|\\s*Idle/.test(status.innerText);
            }""",
            timeout=timeout_ms,
        )

    # -- running ----------------------------------------------------------------------------
    def prompts(self) -> list[str]:
        return self.page.locator(
            ".jp-NotebookPanel:visible .jp-CodeCell .jp-InputArea-prompt"
        ).all_inner_texts()

    def _menu(self, menu: str, item: str) -> None:
        self.page.locator(f'.lm-MenuBar-itemLabel:text-is("{menu}")').click()
        self.page.locator(f'.lm-Menu-itemLabel:text-is("{item}"):visible').click()

    def run_all(self, timeout_ms: int = 120_000, attempts: int = 3) -> None:
        """Run → Run All Cells; confirm it started; retry; wait until idle.

        "Started" means the prompts changed from before the click (a ``[*]`` or new execution
        numbers), so a second ``run_all`` on the same notebook is confirmed too.
        """
        before = self.prompts()
        if not before:
            raise AssertionError("the open notebook has no code cells")
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        for _ in range(attempts):
            self._menu("Run", "Run All Cells")
            try:
                self.page.wait_for_function(
                    """(before) => {
                        const ps = [...document.querySelectorAll(
                            '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell'
                            + ' .jp-InputArea-prompt')].map(p => p.innerText);
                        return ps.some(p => p.includes('[*]'))
                            || ps.some((p, i) => /\\[\\d+\\]/.test(p) && p !== before[i]);
                    }""",
                    arg=before,
                    timeout=10_000,
                )
                break
            except PlaywrightTimeout:  # the menu click did nothing: try again
                continue
        else:
            raise AssertionError(f"Run All Cells did not start after {attempts} attempts")
        self.wait_idle(timeout_ms)

    def wait_idle(self, timeout_ms: int = 120_000) -> None:
        """Wait until no cell is queued/running (no ``[*]``) and the kernel is idle."""
        wait_steady(self.page, idle_condition(self.IDLE_WORD), timeout_ms)

    # -- outputs and widgets ----------------------------------------------------------------
    def cells(self):
        """Locator of all cells of the open notebook (``.nth(i)``, ``.first`` ...)."""
        return self.page.locator(".jp-NotebookPanel:visible .jp-Cell")

    def outputs(self):
        """Locator of all output areas of the open notebook."""
        return self.page.locator(".jp-NotebookPanel:visible .jp-OutputArea-output")

    def cell_outputs(self) -> list[str]:
        return self.outputs().all_inner_texts()

    def widget(self, text: str, exact: bool = False):
        """Visible element in the outputs whose text is/contains ``text`` (first match)."""
        return self.outputs().get_by_text(text, exact=exact).locator("visible=true").first

    def click(self, text: str, role: str = "button") -> None:
        """Click the output element (a button by default) whose accessible name is ``text``."""
        target = self.outputs().get_by_role(role, name=text).locator("visible=true").first
        target.click()

    def text(self, selector: str) -> str:
        """Inner text of the first visible element matching ``selector`` in the outputs."""
        return self.outputs().locator(selector).locator("visible=true").first.inner_text()

    def error_outputs(self) -> list[str]:
        """Texts of error tracebacks and stderr outputs in the open notebook."""
        return self.page.locator(
            f".jp-NotebookPanel:visible .jp-OutputArea-output{_ERROR_MIME}"
        ).all_inner_texts()

    def assert_no_errors(self, allow_stderr: re.Pattern | None = None) -> None:
        """Fail if any cell shows an error or stderr (``allow_stderr`` lets matching text pass).

        Matplotlib's "Glyph … missing from font" warning arrives on stderr, so missing CJK
        glyphs in static figures fail here too.
        """
        bad = [e for e in self.error_outputs() if not (allow_stderr and allow_stderr.search(e))]
        assert not bad, "error output in the notebook:\n" + "\n---\n".join(bad)[:4000]

    def assert_cjk_glyphs(self, sample: str = "三社联动社区社工") -> None:
        """Fail when the browser draws ``sample`` with the no-glyph box (no CJK font)."""
        widths = self.page.evaluate(
            """(sample) => {
                const ctx = document.createElement('canvas').getContext('2d');
                ctx.font = '16px sans-serif';
                const tofu = '\\u{F0000}'.repeat([...sample].length);
                return [ctx.measureText(sample).width, ctx.measureText(tofu).width];
            }""",
            sample,
        )
        assert abs(widths[0] - widths[1]) > 0.5, f"no CJK font in the browser: widths {widths}"

    def screenshot(self, name: str | None = None, full_page: bool = False) -> Path:
        """Save a PNG of the page into ``tests/artifacts/`` (git-ignored); returns its path."""
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name or self.name}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        return path
