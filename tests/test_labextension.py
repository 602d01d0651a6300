"""The course's JupyterLab extension (``labextension/``): its committed build is the build of
its source, and the package installs it where JupyterLab finds it.  (What it does is tested in
the browser: test_kernel_start_browser.py, test_student_words_browser.py and the hub test.)
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXT = REPO / "labextension"
BUILT = EXT / "sanshe_edu_lab"


def _built_js() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in (BUILT / "static").glob("*.js"))


def test_the_committed_build_is_the_build_of_the_source():
    """Every plugin id and every Chinese text of ``src/index.js`` is in the built files, and
    only one build is there (a rebuild replaces the folder): rebuild after editing the source
    (labextension/README.md)."""
    source = (EXT / "src" / "index.js").read_text(encoding="utf-8")
    built = _built_js()
    ids = re.findall(r"id: '(sanshe-edu-lab:[\w-]+)'", source)
    assert len(ids) == 3
    texts = re.findall(r"'([^'\n]*[\u4e00-\u9fff][^'\n]*)'", source)
    assert len(texts) > 15
    missing = [x for x in ids + texts if x not in built and json.dumps(x)[1:-1] not in built]
    assert missing == [], missing
    # its style sheet too (built into a chunk that the extension's ``./style`` loads)
    css = (EXT / "style" / "index.css").read_text(encoding="utf-8")
    rules = re.findall(r"([\w-]+): ([\w-]+);", css)
    assert rules and all(f"{k}: {v};" in built for k, v in rules), rules
    entries = list((BUILT / "static").glob("remoteEntry.*.js"))
    assert len(entries) == 1, entries
    meta = json.loads((BUILT / "package.json").read_text(encoding="utf-8"))
    src_meta = json.loads((EXT / "package.json").read_text(encoding="utf-8"))
    assert (meta["name"], meta["version"]) == (src_meta["name"], src_meta["version"])
    assert meta["jupyterlab"]["_build"]["load"] == f"static/{entries[0].name}"
    assert meta["jupyterlab"]["_build"]["style"] == "./style"


def test_the_package_installs_it_for_jupyterlab():
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert (
        '"labextension/sanshe_edu_lab" = "share/jupyter/labextensions/sanshe-edu-lab"' in pyproject
    )
    installed = Path(sys.prefix) / "share" / "jupyter" / "labextensions" / "sanshe-edu-lab"
    assert (installed / "package.json").is_file()
    shipped = {p.name for p in (BUILT / "static").iterdir()}
    assert shipped <= {p.name for p in (installed / "static").iterdir()}
