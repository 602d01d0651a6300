"""The accessibility audit of the browser tests: axe-core (bundled by ``axe-playwright-python``,
injected into the page, so it runs offline) on a Playwright page, each violation attributed to
the course ("ours": widget and figure outputs, our Markdown, our own pages) or to the
application around it ("theirs": JupyterLab's or nbgrader's own chrome).

    audit = axe_audit(page, "lesson 04")     # -> Audit
    print(audit.summary())                   # "lesson 04: ours 0 (0 …) / JupyterLab 7 [rules]"
    audit.assert_ours_clean()                # no critical or serious violation of ours

The rules are axe-core's WCAG 2.0/2.1 A and AA rules plus its best practices; the gate is on
impact ``critical`` and ``serious`` only (as the course's issue 28 asks), the rest is counted.
The rule ids of what is not ours are listed in ``docs/accessibility.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: An element is ours when it is inside one of these (in JupyterLab): cell outputs (widgets,
#: figures, tables) and rendered Markdown cells.
OURS_IN_LAB = ".jp-OutputArea-output, .jp-MarkdownCell .jp-RenderedMarkdown"
#: Third-party widgets inside our outputs, whose own markup would be theirs as JupyterLab's is:
#: none now (lesson 05's interactive network is the course's own figure and buttons).
THIRD_PARTY = ""
GATE = ("critical", "serious")
#: Every audit of this test run, for the summary at its end (the root ``conftest.py``).
AUDITS: list[Audit] = []

# For each violation node: is its element inside ``ours`` and not inside ``theirs``?
_ATTRIBUTE_JS = """([violations, ours, theirs]) => violations.map(v => v.nodes.map(n => {
    const sel = n.target[n.target.length - 1];
    let el = null;
    try { el = document.querySelector(Array.isArray(sel) ? sel[sel.length - 1] : sel); }
    catch (e) { el = null; }
    if (!el) return ours === '*';
    if (theirs && el.closest(theirs)) return false;
    return ours === '*' || !!el.closest(ours);
}))"""


@dataclass
class Finding:
    rule: str
    impact: str
    ours: bool
    target: str
    html: str
    help: str


@dataclass
class Audit:
    page: str
    owner: str  # whose the rest is: "JupyterLab", "nbgrader", "JupyterHub"
    findings: list[Finding] = field(default_factory=list)

    def ours(self, gate: bool = False) -> list[Finding]:
        return [f for f in self.findings if f.ours and (not gate or f.impact in GATE)]

    def theirs(self) -> list[Finding]:
        return [f for f in self.findings if not f.ours]

    def rules(self, ours: bool) -> dict[str, str]:
        """rule id -> impact of the violations of one side."""
        return {f.rule: f.impact for f in self.findings if f.ours == ours}

    def summary(self) -> str:
        theirs = ", ".join(f"{r} ({i})" for r, i in sorted(self.rules(False).items()))
        return (
            f"axe {self.page}: ours {len(self.ours())} ({len(self.ours(gate=True))} "
            f"critical/serious) / {self.owner} {len(self.theirs())}"
            + (f" [{theirs}]" if theirs else "")
        )

    def report(self) -> str:
        return "\n".join(
            f"- {f.rule} ({f.impact}) at {f.target}: {f.help}\n    {f.html[:300]}"
            for f in self.ours(gate=True)
        )

    def assert_ours_clean(self) -> None:
        bad = self.ours(gate=True)
        assert not bad, f"axe {self.page}: critical/serious violations in our parts:\n" + (
            self.report()
        )


def axe_audit(
    page,
    name: str,
    ours: str = OURS_IN_LAB,
    owner: str = "JupyterLab",
    theirs: str = THIRD_PARTY,
) -> Audit:
    """Run axe-core on ``page`` and attribute every violating element: ours when inside the
    selector ``ours`` (``"*"``: the whole page) and not inside ``theirs``. Prints the per-page
    counts (shown with pytest ``-s``, and with the test's output when it fails)."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    page.evaluate(axe.axe_script)
    violations = page.evaluate(
        """() => axe.run(document, {resultTypes: ['violations'],
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
                                            'best-practice']}})
            .then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target, html: n.html,
                                          impact: n.impact}))})))"""
    )
    flags = page.evaluate(_ATTRIBUTE_JS, [violations, ours, theirs])
    audit = Audit(name, owner)
    for v, vflags in zip(violations, flags, strict=True):
        for n, mine in zip(v["nodes"], vflags, strict=True):
            audit.findings.append(
                Finding(
                    v["id"],
                    n.get("impact") or v.get("impact") or "minor",
                    bool(mine),
                    " ".join(str(t) for t in n["target"]),
                    n.get("html", ""),
                    v.get("help", ""),
                )
            )
    print(audit.summary())
    AUDITS.append(audit)
    return audit


def audit_files(pages: list[tuple[str, object, str, str]]) -> list[Audit]:
    """Open each ``(name, path, owner, theirs)`` file in a Chromium of its own and audit it with
    the whole page ours except inside ``theirs`` (for tests outside ``tests/browser``, which
    have no browser fixture). Chromium missing: skipped, or failed where browser tests must run
    (``CI`` or ``SANSHE_EDU_REQUIRE_BROWSER`` set)."""
    import os
    from pathlib import Path

    import pytest

    from .jupyterlab import CHROMIUM, CHROMIUM_ARGS

    if not Path(CHROMIUM).exists():
        flags = (os.environ.get("CI", ""), os.environ.get("SANSHE_EDU_REQUIRE_BROWSER", ""))
        if any(f.strip().lower() not in ("", "0", "false", "no") for f in flags):
            pytest.fail(f"no Chromium at {CHROMIUM} for the accessibility audit", pytrace=False)
        pytest.skip(f"no Chromium at {CHROMIUM}")
    import threading

    from playwright.sync_api import sync_playwright

    audits, failed = [], []

    def run() -> None:
        # In a thread of its own: when the browser tests ran first in this process, their
        # Playwright (sync API) holds this thread's event loop and a second one cannot start.
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(
                    executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
                )
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                for name, path, owner, theirs in pages:
                    page.goto(Path(path).resolve().as_uri())
                    audits.append(axe_audit(page, name, ours="*", owner=owner, theirs=theirs))
                browser.close()
        except BaseException as exc:  # handed back to the test's own thread
            failed.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    if failed:
        raise failed[0]
    return audits
