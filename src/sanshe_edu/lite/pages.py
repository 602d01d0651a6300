"""What the site adds to JupyterLite's pages, so that it opens where learning starts and keeps a
learner's work:

- the lessons under Chinese names in the file browser (``00_开始这里.ipynb``, from each
  notebook's title; links between lessons follow), :func:`site_name`;
- the site's front page (``index.html``) opens lesson 00 (:data:`START`), not the Launcher
  (it keeps the empty ``jupyter-config-data`` element JupyterLite's pages read from it);
- ``sanshe-lite.js`` in JupyterLab's page (``lab/index.html``), before JupyterLab itself: it
  asks the browser to keep the site's storage for good (``navigator.storage.persist()``: the
  answers are there), keeps JupyterLab's "leave site? changes may not be saved" from showing
  (answers are stored as they are given, and notebooks autosave every few seconds:
  :data:`AUTOSAVE_S`), and on a narrow screen (a tablet, a phone) closes the file browser once
  the lesson is open;
- the storage's names fixed (:data:`STORAGE_NAME`): JupyterLite's default name carries the
  site's path, so a new course version served elsewhere would start with empty storage.

>>> site_name("05_subject_element_linkage.ipynb", "# 05 主体联动与要素联动 / Subject linkage")
'05_主体联动与要素联动.ipynb'
>>> site_name("glossary.ipynb", "# 术语表 (Glossary)")
'术语表.ipynb'
>>> site_name("x.ipynb", "no heading")
'x.ipynb'
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import quote

#: The names under which the site keeps the learner's files and settings in the browser: the
#: same for every build and version (never the version, never the path the site is served at).
STORAGE_NAME = "sanshe-edu"
SETTINGS_STORAGE_NAME = "sanshe-edu-settings"
#: Seconds between autosaves of an open notebook (JupyterLab's default is 120).
AUTOSAVE_S = 5
#: Up to this width (CSS pixels) the file browser is closed once a lesson is open.
NARROW_PX = 1024
#: The lesson the site opens on (its name in the course; :func:`site_name` gives the site's).
START = "00_start_here.ipynb"
SCRIPT = "sanshe-lite.js"

_HEADING = re.compile(r"^#\s+(.+?)\s*(?:\(|（|/|$)")


def site_name(name: str, first_line: str) -> str:
    """A lesson's file name in the site: its title (the first heading up to an English
    translation in brackets or after a slash), spaces as ``_``."""
    m = _HEADING.match(first_line.strip())
    if not m:
        return name
    title = re.sub(r"[\s/\\:*?\"<>|]+", "_", m.group(1).strip()).strip("_")
    return f"{title}.ipynb" if title else name


def notebook_title_line(nb: dict) -> str:
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown":
            source = "".join(cell.get("source", []))
            return source.strip().splitlines()[0] if source.strip() else ""
    return ""


def rename_links(nb: dict, names: dict[str, str]) -> None:
    """Markdown links to other lessons (``](01_origins.ipynb)``, with an optional ``#…``) point
    to their names in the site."""
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        source = "".join(cell.get("source", []))
        for old, new in names.items():
            source = source.replace(f"]({old})", f"]({quote(new)})")
            source = source.replace(f"]({old}#", f"]({quote(new)}#")
        cell["source"] = source


def config_data() -> dict:
    """Entries of ``jupyter-config-data`` in the site's ``jupyter-lite.json``."""
    return {
        "contentsStorageName": STORAGE_NAME,
        "settingsStorageName": SETTINGS_STORAGE_NAME,
    }


def settings_overrides() -> dict:
    """JupyterLab settings of the site: autosave often; no "Modified" column in the file
    browser, so the lessons' Chinese names show whole (``05_主体联动与要素联动.ipynb``)."""
    return {
        "@jupyterlab/docmanager-extension:plugin": {"autosaveInterval": AUTOSAVE_S},
        "@jupyterlab/filebrowser-extension:browser": {"showLastModifiedColumn": False},
    }


def start_url(start_name: str) -> str:
    return f"lab/index.html?path={quote(start_name)}"


_SCRIPT = """\
// sanshe-edu: the browser edition's additions to JupyterLab's page (sanshe_edu.lite.pages).
(function () {
  "use strict";
  // Keep the site's storage (the learner's answers) even when the device is short of space.
  window.sansheStorage = Promise.resolve(false);
  if (navigator.storage && navigator.storage.persist) {
    window.sansheStorage = navigator.storage.persisted()
      .then(function (done) { return done || navigator.storage.persist(); })
      .catch(function () { return false; });
  }
  // Answers are stored as they are given and notebooks autosave: no "leave site?" question.
  // (Registered before JupyterLab's own handler, which this one stops.)
  window.addEventListener("beforeunload", function (event) {
    event.stopImmediatePropagation();
  });
  // A narrow screen: close the file browser once the lesson is open (and JupyterLab has
  // restored its layout), once: a learner who opens it again keeps it open.
  if (window.matchMedia("(max-width: NARROW_PXpx)").matches) {
    var tries = 0;
    var timer = window.setInterval(function () {
      tries += 1;
      var lesson = document.querySelector(".jp-NotebookPanel .jp-Cell");
      var stack = document.querySelector("#jp-left-stack");
      var tab = document.querySelector(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current");
      if (tries > 120 || (lesson && stack && stack.classList.contains("lm-mod-hidden"))) {
        window.clearInterval(timer);
      } else if (lesson && tab && tries % 4 === 0) {
        // Lumino's tab bar reacts to the pointer, not to click(): press and release.
        var at = tab.getBoundingClientRect();
        var where = { bubbles: true, cancelable: true, button: 0, isPrimary: true,
          clientX: at.left + at.width / 2, clientY: at.top + at.height / 2 };
        tab.dispatchEvent(new PointerEvent("pointerdown", where));
        tab.dispatchEvent(new PointerEvent("pointerup", where));
      }
    }, 250);
  }
})();
"""

_FRONT = """\
<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>三社联动 · sanshe-edu</title>
<script id="jupyter-config-data" type="application/json" data-jupyter-lite-root=".">{}</script>
<meta http-equiv="refresh" content="0; url=URL">
<script>window.location.replace("URL" + window.location.hash);</script>
</head>
<body><p><a href="URL">开始学习 · Start</a></p></body>
</html>
"""


def add_pages(out: Path, start_name: str) -> None:
    """Write the front page and the script into a built site, and load the script first in
    JupyterLab's page."""
    out = Path(out)
    url = start_url(start_name)
    (out / "index.html").write_text(_FRONT.replace("URL", url), encoding="utf-8")
    icon = out / "lab" / "favicon.ico"
    if icon.is_file() and not (out / "favicon.ico").exists():  # what a browser asks the root
        shutil.copy2(icon, out / "favicon.ico")
    (out / SCRIPT).write_text(_SCRIPT.replace("NARROW_PX", str(NARROW_PX)), encoding="utf-8")
    lab = out / "lab" / "index.html"
    page = lab.read_text(encoding="utf-8")
    tag = f'<script src="../{SCRIPT}"></script>\n    '
    if SCRIPT not in page:
        page = page.replace("<script", tag + "<script", 1)
    lab.write_text(page, encoding="utf-8")


__all__ = [
    "AUTOSAVE_S",
    "NARROW_PX",
    "SCRIPT",
    "SETTINGS_STORAGE_NAME",
    "START",
    "STORAGE_NAME",
    "add_pages",
    "config_data",
    "notebook_title_line",
    "rename_links",
    "settings_overrides",
    "site_name",
    "start_url",
]
