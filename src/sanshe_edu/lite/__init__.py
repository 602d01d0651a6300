"""The browser edition: a self-contained JupyterLite site of the course (``sanshe-edu lite``).

``sanshe-edu lite build [OUT]`` makes a static site (JupyterLab, the lessons and the glossary,
the ``sanshe_edu`` wheel and the pure-Python packages it needs, the widgets'
front end, and the Pyodide runtime from the npm package pinned to the kernel's version) that
any web server can serve: the browser asks nothing of any other host. ``sanshe-edu lite serve
[DIR]`` serves it on this computer and opens it in the browser. See :mod:`sanshe_edu.lite.build`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..i18n import t


def register(subparsers) -> None:
    parser = subparsers.add_parser("lite", help=t("lite.help"), description=t("lite.help"))
    sub = parser.add_subparsers(dest="lite_command", metavar="COMMAND")
    build = sub.add_parser("build", help=t("lite.build_help"), description=t("lite.build_help"))
    build.add_argument("out", nargs="?", default="sanshe-edu-lite", help=t("lite.out_help"))
    build.add_argument("--cache", default=None, help=t("lite.cache_help"))
    build.set_defaults(func=_run_build)
    serve = sub.add_parser("serve", help=t("lite.serve_help"), description=t("lite.serve_help"))
    serve.add_argument("dir", nargs="?", default="sanshe-edu-lite", help=t("lite.dir_help"))
    serve.add_argument("--port", type=int, default=8765, help=t("lite.port_help"))
    serve.add_argument(
        "--no-browser", dest="open_browser", action="store_false", help=t("lite.no_browser_help")
    )
    serve.set_defaults(func=_run_serve)
    parser.set_defaults(func=lambda args: (parser.print_help(), 2)[1])


def _run_build(args: argparse.Namespace) -> int:
    from .build import build_site

    info = build_site(Path(args.out), cache=Path(args.cache) if args.cache else None)
    print(t("lite.built", out=info["out"], mb=f"{info['size_mb']:.1f}", s=f"{info['seconds']:.0f}"))
    return 0


def _run_serve(args: argparse.Namespace) -> int:
    from .serve import serve

    serve(Path(args.dir), port=args.port, open_browser=args.open_browser)
    return 0
