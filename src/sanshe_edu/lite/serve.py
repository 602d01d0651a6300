"""Serve a built site on this computer only (``127.0.0.1``), with the MIME types JupyterLite
needs (``.wasm``, ``.mjs``); stop with Ctrl+C.

Caching, for a fast second visit: a file named by its content's hash (JupyterLab's and the
extensions' JavaScript chunks) or in a folder named so (the Pyodide runtime and the wheels, in
``static/runtime/<digest>/``) is kept by the browser for a year without asking again
(``immutable``: not even a request to check it); every other file (the lessons, the settings,
whose names stay the same from one build to the next) is kept but checked at each use
(``no-cache`` with an ``ETag``: an unchanged file costs an empty ``304`` answer).

Compression, for a smaller first visit: a text file (JavaScript, JSON, the lessons) and the
WebAssembly runtime go out gzip-compressed to a browser that accepts it (``Content-Encoding:
gzip``; compressed once per server and kept in memory); zips and wheels, compressed already,
go as they are.

>>> handler = _handler(Path(".")).func
>>> handler.extensions_map[".wasm"], handler.extensions_map[".mjs"]
('application/wasm', 'text/javascript')
>>> cache_control("/build/5079.7bde706.js?v=1")
'public, max-age=31536000, immutable'
>>> cache_control("/static/runtime/0123456789abcdef/pyodide.asm.wasm")
'public, max-age=31536000, immutable'
>>> cache_control("/static/runtime/pyodide.mjs"), cache_control("/jupyter-lite.json")
('no-cache', 'no-cache')
>>> compressible("/x/pyodide.asm.wasm"), compressible("/x/python_stdlib.zip")
(True, False)
>>> compressible("/favicon.ico"), compressible("/x/files_howto.png")
(True, False)
"""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import os
import re
import threading
from pathlib import Path
from typing import ClassVar

from ..errors import SansheError
from ..i18n import t

#: JavaScript chunks whose name carries a hash of their content (``5079.7bde706.js``,
#: ``remoteEntry.abcac41d5ca77040.js``) and the runtime's folder named by a digest of its files
#: (``static/runtime/0123456789abcdef/``): a new build gives changed files new names.
_HASHED = re.compile(
    r"^/(build|extensions)/.*\.[0-9a-f]{7,20}\.js$"
    r"|^/static/runtime/[0-9a-f]{16}/"
)
IMMUTABLE = "public, max-age=31536000, immutable"


def cache_control(url_path: str) -> str:
    """The ``Cache-Control`` header for a URL path of the site."""
    path = url_path.split("?", 1)[0].split("#", 1)[0]
    return IMMUTABLE if _HASHED.match(path) else "no-cache"


#: What is sent gzip-compressed (when the browser accepts it): not zips, wheels or images —
#: but the icon, whose ten uncompressed bitmaps (319 kB, asked twice) gzip to 51 kB.
COMPRESSIBLE = (
    ".js", ".mjs", ".json", ".ipynb", ".wasm", ".css", ".html", ".svg", ".map", ".txt", ".ico",
)  # fmt: skip
#: Compressed files kept in memory: (path, mtime, size) → bytes.
_GZIPPED: dict[tuple[str, int, int], bytes] = {}
_GZIP_LOCK = threading.Lock()


def compressible(url_path: str) -> bool:
    return url_path.split("?", 1)[0].split("#", 1)[0].endswith(COMPRESSIBLE)


def _gzipped(path: str) -> bytes:
    st = os.stat(path)
    key = (path, st.st_mtime_ns, st.st_size)
    with _GZIP_LOCK:
        found = _GZIPPED.get(key)
    if found is None:
        with open(path, "rb") as fh:
            found = gzip.compress(fh.read(), compresslevel=6, mtime=0)
        with _GZIP_LOCK:
            _GZIPPED[key] = found
    return found


def _etag(path: str) -> str | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return f'"{st.st_mtime_ns:x}-{st.st_size:x}"'


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

        def send_head(self):
            path = self.translate_path(self.path)
            etag = _etag(path) if os.path.isfile(path) else None
            zipped = (
                etag is not None
                and compressible(self.path)
                and "gzip" in self.headers.get("Accept-Encoding", "")
            )
            if zipped:
                etag = etag[:-1] + '-gz"'
            self._etag = etag
            if etag and etag in self.headers.get("If-None-Match", "").replace(" ", "").split(","):
                self.send_response(http.server.HTTPStatus.NOT_MODIFIED)
                self.end_headers()
                return None
            if not zipped:
                return super().send_head()
            try:
                body = _gzipped(path)
            except OSError:
                return super().send_head()
            self.send_response(http.server.HTTPStatus.OK)
            self.send_header("Content-Type", self.guess_type(path))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Vary", "Accept-Encoding")
            self.end_headers()
            return io.BytesIO(body)

        def end_headers(self):
            if getattr(self, "_etag", None):
                self.send_header("ETag", self._etag)
                self.send_header("Cache-Control", cache_control(self.path))
            super().end_headers()

        def log_message(self, format, *args):  # quiet: a learner needs no access log
            pass

    return functools.partial(Handler, directory=str(root))


def make_server(root: Path, port: int = 8765) -> http.server.ThreadingHTTPServer:
    """The server (not started): ``server.serve_forever()``; ``port=0`` picks a free port."""
    root = Path(root)
    if not (root / "index.html").exists():
        raise SansheError("lite.no_site", dir=root)
    return http.server.ThreadingHTTPServer(("127.0.0.1", port), _handler(root))


def serve(root: Path, port: int = 8765, open_browser: bool = True) -> None:
    """Serve until Ctrl+C; the site's front page (it opens lesson 00) in the browser."""
    server = make_server(root, port)
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    print(t("lite.serving", url=url), flush=True)
    if open_browser:
        import webbrowser

        threading.Timer(0.5, webbrowser.open, args=(url,)).start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
