"""The students' feedback pages in the grading language: nbgrader's feedback template, relabelled.

``nbgrader generate_feedback`` renders each graded notebook with nbconvert's ``HTMLExporter``
and nbgrader's template ``feedback`` (``formgrader/templates/feedback/index.html.j2``), whose
headings are English.  :func:`configure` points that exporter at
``sanshe_edu/grade/templates/feedback/sanshe_feedback.html.j2``, which extends nbgrader's
template and writes its headings, the student, the assignment, the total and every question's
score in Chinese (or English), on a page that loads nothing from the network.

How the template is chosen (nbgrader 0.9): ``NbGraderAPI.generate_feedback`` forces
``HTMLExporter.template_name = 'feedback'``, so our template folder has that name too and
comes first in ``extra_template_basedirs`` (nbgrader's own folder second, for the template we
extend); the file is picked with ``template_file``.  The settings are made for the exporter of
``GenerateFeedback`` only (``c.GenerateFeedback.HTMLExporter…``), so the Formgrader's own
rendering of submissions is left alone.  The language is fixed when :func:`configure` runs and
travels as ``HTMLExporter.language_code``; the template turns it into texts with the Jinja
filter :func:`texts`.

>>> from traitlets.config import Config
>>> c = configure(Config(), lang="en")
>>> c.GenerateFeedback.HTMLExporter.template_file, c.GenerateFeedback.HTMLExporter.language_code
('sanshe_feedback.html.j2', 'en')
>>> texts("zh")["total"].format(score=3, max_score=4)
'得分 3 / 4'
>>> texts("en")["html_lang"], texts("zh")["html_lang"]
('en', 'zh-CN')
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from ..i18n import catalogue, resolve_lang, t

#: The folder given to nbconvert as a template base dir: it holds ``feedback/``.
TEMPLATES = Path(__file__).resolve().parent / "templates"
#: Our template's file name inside ``TEMPLATES / "feedback"``.
TEMPLATE_FILE = "sanshe_feedback.html.j2"
#: The name the template knows :func:`texts` by.
FILTER_NAME = "sanshe_feedback_texts"
#: The configurable whose exporter renders the feedback.
SECTION = "GenerateFeedback"

_DOMAIN = "feedback."


def nbgrader_templates() -> Path:
    """nbgrader's formgrader templates folder (holding ``feedback/index.html.j2``), found
    without importing nbgrader."""
    spec = importlib.util.find_spec("nbgrader")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("nbgrader is not installed")
    root = Path(next(iter(spec.submodule_search_locations)))
    return root / "server_extensions" / "formgrader" / "templates"


def texts(language_code: str | None = None) -> dict[str, str]:
    """Every text of the feedback page in one language (``"zh"``/``"en"``, or the current one).

    This is the Jinja filter ``sanshe_feedback_texts``: the template calls it with
    ``resources.language_code``.
    """
    lang = resolve_lang(language_code or None)
    return {
        key[len(_DOMAIN) :]: t(key, lang=lang) for key in catalogue() if key.startswith(_DOMAIN)
    }


def configure(config: Any = None, lang: str | None = None) -> Any:
    """Set ``config`` (a traitlets ``Config``; a new one if ``None``) so that
    ``generate_feedback`` writes our pages in ``lang`` (default: the current language,
    ``SANSHE_EDU_LANG`` / ``sanshe-edu --lang``), and return it.

    Call it after the rest of the feedback settings; it keeps any other Jinja filters set
    for the feedback exporter.
    """
    if config is None:
        from traitlets.config import Config

        config = Config()
    code = resolve_lang(lang)
    exporter = config[SECTION].HTMLExporter
    exporter.template_name = "feedback"
    exporter.template_file = TEMPLATE_FILE
    exporter.extra_template_basedirs = [str(TEMPLATES), str(nbgrader_templates())]
    exporter.language_code = code
    filters = dict(exporter["filters"]) if "filters" in exporter else {}
    filters[FILTER_NAME] = f"{__name__}.texts"
    exporter.filters = filters
    return config
