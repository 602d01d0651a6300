"""Serve a built site on this computer only (``127.0.0.1``), with the MIME types JupyterLite
needs (``.wasm``, ``.mjs``); stop with Ctrl+C.

>>> handler = _handler(Path(".")).func
>>> handler.extensions_map[".wasm"], handler.extensions_map[".mjs"]
('application/wasm', 'text/javascript')
"""

from __future__ import annotations

import functools
import http.server
from pathlib import Path
from typing import ClassVar

from ..errors import SansheError
from ..i18n import t


def _handler(root: Path):
    class Handler(http.server.SimpleHTTPRequestHandler):
        extensions_map: ClassVar[dict[str, str]] = {
            **http.server.SimpleHTTPRequestHandler.extensions_map,
            ".wasm": "application/wasm",
            ".mjs": "text/javascript",
            ".js": "text/javascript",
            ".json": "application/json",
            ".ipynb": "application/json",
        }

        def log_message(self, format, *args):  # quiet: a learner needs no access log
            pass

    return functools.partial(Handler, directory=str(root))


def make_server(root: Path, port: int = 8765) -> http.server.ThreadingHTTPServer:
    """The server (not started): ``server.serve_forever()``; ``port=0`` picks a free port."""
    root = Path(root)
    if not (root / "index.html").exists():
        raise SansheError("lite.no_site", dir=root)
    return http.server.ThreadingHTTPServer(("127.0.0.1", port), _handler(root))


def serve(root: Path, port: int = 8765) -> None:
    server = make_server(root, port)
    url = f"http://127.0.0.1:{server.server_address[1]}/lab/index.html"
    print(t("lite.serving", url=url), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
