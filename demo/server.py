"""Tiny static server for the bundled warta demo site (stdlib only).

Files under ``demo/site`` are stored with the placeholder ``{{BASE}}``; in every served text file
(.html .xml .txt .rss .atom .json) it is replaced by the server's base URL, so absolute links in
feeds, sitemaps and canonical tags work on any port.

URL mapping: ``/x/y/`` (or ``/x/y``) naming a directory serves its ``index.html``, else
``index.rss``, else ``index.xml``; ``/x/file.xml`` serves that file; anything else is a 404.
Query strings are ignored, except that ``page=V`` / ``single=V`` select ``index.page-V.html`` /
``index.single-V.html`` in that directory when such a file exists. Responses carry ``ETag``
(content hash) and ``Last-Modified`` (file mtime) and honour ``If-None-Match`` /
``If-Modified-Since`` with 304. HEAD is supported.

    server, base_url = serve()            # daemon thread, random port
    ...
    server.shutdown(); server.server_close()

    python -m demo.server [--port N] [--host H] [--root DIR] [--verbose]
"""

from __future__ import annotations

import argparse
import email.utils
import hashlib
import re
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import FrameType
from urllib.parse import parse_qs, unquote, urlsplit

DEFAULT_ROOT = Path(__file__).resolve().parent / "site"
PLACEHOLDER = b"{{BASE}}"
TEXT_SUFFIXES = frozenset({".html", ".xml", ".txt", ".rss", ".atom", ".json"})
INDEX_NAMES = ("index.html", "index.rss", "index.xml")
VARIANT_KEYS = ("page", "single")
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".rss": "application/rss+xml; charset=utf-8",
    ".atom": "application/atom+xml; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".png": "image/png",
}
NOT_FOUND = (
    b"<!DOCTYPE html><html><head><title>404 Not Found</title></head>"
    b"<body><h1>404 Not Found</h1><p>No such page on the demo site.</p></body></html>\n"
)


class DemoServer(ThreadingHTTPServer):
    """ThreadingHTTPServer that knows its document root and base URL."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], root: Path, verbose: bool = False) -> None:
        self.root = Path(root).resolve()
        if not self.root.is_dir():
            raise FileNotFoundError(f"demo site root not found: {self.root}")
        self.verbose = verbose
        super().__init__(address, DemoHandler)
        host, port = self.server_address[:2]
        host = host.decode() if isinstance(host, bytes) else host
        self.base_url = f"http://{host}:{port}"

    def handle_error(self, request: object, client_address: object) -> None:
        """Stay quiet when a client hangs up early (crawlers do); report anything else."""
        if isinstance(sys.exc_info()[1], ConnectionError) and not self.verbose:
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class DemoHandler(BaseHTTPRequestHandler):
    server: DemoServer
    server_version = "WartaDemo/1.0"
    protocol_version = "HTTP/1.1"
    timeout = 30

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def log_message(self, format: str, *args: object) -> None:
        if self.server.verbose:
            super().log_message(format, *args)

    def _resolve(self) -> Path | None:
        parts = urlsplit(self.path)
        root = self.server.root
        try:
            target = (root / unquote(parts.path).lstrip("/")).resolve()
        except (OSError, ValueError):
            return None
        if target != root and root not in target.parents:
            return None
        if target.is_file():
            return target
        if not target.is_dir():
            return None
        query = parse_qs(parts.query)
        for key in VARIANT_KEYS:
            for value in query.get(key, []):
                variant = target / f"index.{key}-{value}.html"
                if re.fullmatch(r"[A-Za-z0-9_-]+", value) and variant.is_file():
                    return variant
        return next((target / n for n in INDEX_NAMES if (target / n).is_file()), None)

    def _respond(self, send_body: bool) -> None:
        path = self._resolve()
        if path is None:
            self._send(404, {"Content-Type": "text/html; charset=utf-8"}, NOT_FOUND, send_body)
            return
        data = path.read_bytes()
        if path.suffix in TEXT_SUFFIXES:
            data = data.replace(PLACEHOLDER, self.server.base_url.encode())
        mtime = int(path.stat().st_mtime)
        headers = {
            "ETag": '"' + hashlib.sha1(data, usedforsecurity=False).hexdigest()[:20] + '"',
            "Last-Modified": email.utils.formatdate(mtime, usegmt=True),
        }
        if self._not_modified(headers["ETag"], mtime):
            self._send(304, headers, b"", False)
            return
        headers["Content-Type"] = CONTENT_TYPES.get(path.suffix, "application/octet-stream")
        self._send(200, headers, data, send_body)

    def _not_modified(self, etag: str, mtime: int) -> bool:
        inm = self.headers.get("If-None-Match")
        if inm is not None:
            tags = {t.strip().removeprefix("W/") for t in inm.split(",")}
            return "*" in tags or etag in tags
        ims = self.headers.get("If-Modified-Since")
        if ims:
            try:
                return mtime <= int(email.utils.parsedate_to_datetime(ims).timestamp())
            except (TypeError, ValueError, IndexError):
                return False
        return False

    def _send(self, code: int, headers: dict[str, str], body: bytes, send_body: bool) -> None:
        self.send_response(code)
        for name, value in headers.items():
            self.send_header(name, value)
        if code != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body and body:
            self.wfile.write(body)


def serve(
    root: Path = DEFAULT_ROOT, host: str = "127.0.0.1", port: int = 0, verbose: bool = False
) -> tuple[ThreadingHTTPServer, str]:
    """Start the demo server in a daemon thread; return (server, base_url without slash)."""
    server = DemoServer((host, port), root, verbose)
    threading.Thread(target=server.serve_forever, name="demo-site-server", daemon=True).start()
    return server, server.base_url


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m demo.server", description="Serve the warta demo site."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 (default) picks a free port")
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT)
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    args = parser.parse_args(argv)
    server = DemoServer((args.host, args.port), args.root, args.verbose)
    print(server.base_url, flush=True)

    def _stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    for signum in (signal.SIGINT, signal.SIGTERM):  # SIGINT may arrive ignored (background job)
        signal.signal(signum, _stop)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
