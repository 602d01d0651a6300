"""The ``sanshe-edu`` command.

Sub-commands live in their own modules and are imported only when used. A module listed in
``SUBCOMMANDS`` defines ``register(subparsers)`` which adds its parser(s) and sets
``func=run`` where ``run(args) -> int`` is the exit status.

Wrong arguments exit with status 2 and a one-line message in the user's language.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from . import i18n
from .errors import SansheError
from .i18n import t

# name -> module; each module has register(subparsers).  Order is the order in --help.
SUBCOMMANDS: dict[str, str] = {
    "lab": "sanshe_edu.platform.lab",
    "doctor": "sanshe_edu.doctor",
    "check": "sanshe_edu.platform.check",
    "build": "sanshe_edu.build",
    "progress": "sanshe_edu.quiz.progress_cli",
    "grade": "sanshe_edu.grade.trainer.cli",
    "teach": "sanshe_edu.grade.trainer.teach",
    "class": "sanshe_edu.classroom.cli",
    "lite": "sanshe_edu.lite",
}


class _Parser(argparse.ArgumentParser):
    """argparse, but errors are one translated line and exit status 2, and help is translated.

    >>> from sanshe_edu.i18n import use_lang
    >>> with use_lang("zh"):
    ...     print(_Parser(prog="demo").format_help())
    用法：demo [-h]
    <BLANKLINE>
    选项:
      -h, --help  显示帮助并退出
    <BLANKLINE>
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._positionals.title = t("cli.positional_title")
        self._optionals.title = t("cli.options_title")
        for action in self._actions:
            if isinstance(action, argparse._HelpAction):
                action.help = t("cli.help_help")

    def format_usage(self) -> str:
        return _translate_usage(super().format_usage())

    def format_help(self) -> str:
        return _translate_usage(super().format_help())

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"sanshe-edu: {t('cli.bad_arguments', detail=message)}\n")


def _translate_usage(text: str) -> str:
    prefix = "usage: "
    return t("cli.usage_prefix") + text[len(prefix) :] if text.startswith(prefix) else text


def _pre_lang(argv: list[str]) -> None:
    """Apply ``--lang`` before building the parser, so its help text is translated too."""
    for i, arg in enumerate(argv):
        value = None
        if arg == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
        if value is not None:
            try:
                i18n.set_lang(value)
                os.environ[i18n.ENV_VAR] = i18n.get_lang()
            except ValueError:
                pass  # argparse's choices check reports it


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="sanshe-edu", description=t("cli.description"))
    parser.add_argument("--lang", choices=i18n.LANGS, help=t("cli.lang_help", env=i18n.ENV_VAR))
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for module_name in SUBCOMMANDS.values():
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name and module_name.startswith(exc.name):
                continue  # that part of the course is not built yet
            raise
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    _pre_lang(argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except SansheError as exc:
        print(f"sanshe-edu: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"sanshe-edu: {t('cli.interrupted')}", file=sys.stderr)
        return 130
    except Exception as exc:  # the last net: one translated line for the user, never a traceback
        if os.environ.get("SANSHE_EDU_DEBUG"):
            raise
        if isinstance(exc, OSError) and exc.filename:
            line = t("cli.os_error", path=exc.filename, detail=exc.strerror or exc)
        else:
            detail = (str(exc).splitlines() or [""])[0][:200]
            line = t("cli.unexpected", kind=type(exc).__name__, detail=detail)
        print(f"sanshe-edu: {line}", file=sys.stderr)
        return 1
