"""The nbgrader course folder and the explicit nbgrader ``Config`` built from it.

nbgrader's Python API (``NbGraderAPI``) does not read ``nbgrader_config.py`` by itself, so
:func:`load_config` loads the file and then pins the course root and gradebook to the folder.

>>> from sanshe_edu.errors import SansheError
>>> try:
...     find_course("/nonexistent/course")
... except SansheError as exc:
...     print(exc.key)
grade.no_course
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from ...errors import SansheError, unknown_choice
from ...i18n import t

CONFIG_NAME = "nbgrader_config.py"


def find_course(path: str | os.PathLike | None = None) -> Path:
    """The course folder: ``path``, else ``./grading``, else the current folder.

    It must hold ``nbgrader_config.py``; otherwise a :class:`SansheError` says where we looked.
    """
    candidates = [Path(path)] if path else [Path("grading"), Path(".")]
    for candidate in candidates:
        if (candidate / CONFIG_NAME).is_file():
            return candidate.resolve()
    raise SansheError("grade.no_course", path=", ".join(str(c.resolve()) for c in candidates))


def _alembic_on_path() -> None:
    """nbgrader runs the ``alembic`` executable when it creates a gradebook; in a virtual
    environment that was not activated it is not on PATH, so add the interpreter's folder."""
    import shutil
    import sys

    if shutil.which("alembic") is None:
        here = str(Path(sys.executable).parent)
        os.environ["PATH"] = here + os.pathsep + os.environ.get("PATH", "")


def load_config(course: Path, **overrides: object):
    """nbgrader ``Config`` from the course's config file, rooted at ``course``."""
    _alembic_on_path()
    from traitlets.config.loader import PyFileConfigLoader

    loader = PyFileConfigLoader(CONFIG_NAME, path=str(course))
    cfg = loader.load_config()
    cfg.CourseDirectory.root = str(course)
    cfg.CourseDirectory.db_url = f"sqlite:///{course / 'gradebook.db'}"
    cfg.NbGraderAPI.log_level = logging.WARNING
    for dotted, value in overrides.items():
        section, _, name = dotted.rpartition(".")
        setattr(cfg[section], name, value)
    return cfg


#: nbgrader's own ``Exchange.root`` when a course's config does not set one (a test keeps it
#: equal to nbgrader's).
DEFAULT_EXCHANGE = "/usr/local/share/nbgrader/exchange"


def exchange_root(config) -> Path:
    """The exchange folder a course's nbgrader config names (an ``NbGraderAPI``'s ``config``,
    or :func:`~sanshe_edu.grade.pipeline.course.load_config`'s, which imports no nbgrader).

    >>> from traitlets.config import Config
    >>> c = Config()
    >>> str(exchange_root(c))
    '/usr/local/share/nbgrader/exchange'
    >>> c.Exchange.root = "/srv/class/exchange"
    >>> str(exchange_root(c))
    '/srv/class/exchange'
    """
    section = config.Exchange
    return Path(str(section.root) if "root" in section else DEFAULT_EXCHANGE)


def on_class_server(config) -> bool:
    """Whether the course has an nbgrader exchange (a class server's) to release to."""
    return exchange_root(config).is_dir()


def make_api(course: Path, **overrides: object):
    """An ``NbGraderAPI`` for ``course`` (imports nbgrader, about 3 s the first time)."""
    from nbgrader.apps import NbGraderAPI

    cfg = load_config(course, **overrides)
    api = NbGraderAPI(config=cfg)
    api.log.setLevel(logging.WARNING)
    return api


def assignments(course: Path) -> list[str]:
    """Assignment names: the folders of ``source/`` that hold a notebook."""
    source = course / "source"
    if not source.is_dir():
        return []
    return sorted(p.name for p in source.iterdir() if p.is_dir() and any(p.glob("*.ipynb")))


def check_assignment(course: Path, name: str) -> str:
    """``name`` if it is an assignment of ``course``, else a "did you mean" error."""
    names = assignments(course)
    if name not in names:
        raise unknown_choice(t("grade.what_assignment"), name, names)
    return name


def notebook_names(course: Path, assignment: str) -> list[str]:
    """The notebooks an assignment expects, without ``.ipynb``."""
    return sorted(p.stem for p in (course / "source" / assignment).glob("*.ipynb"))


def students_submitted(course: Path, assignment: str) -> list[str]:
    """Students with a ``submitted/<student>/<assignment>/`` folder, sorted."""
    root = course / "submitted"
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if (p / assignment).is_dir())
