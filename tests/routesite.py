"""A tiny HTTP server on 127.0.0.1 (port 0) that answers fixed routes, for bad-input tests."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Route = tuple[int, str, bytes]  # status, content type, body


class RouteServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, routes: dict[str, Route]) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.routes = routes
        self.hits: list[str] = []

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: RouteServer

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self.server.hits.append(self.path)
        status, ctype, body = self.server.routes.get(
            self.path, (404, "text/html", b"<html><body>not found</body></html>"))
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def start(routes: dict[str, Route]) -> RouteServer:
    server = RouteServer(routes)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@contextmanager
def serving(routes: dict[str, Route]) -> Iterator[RouteServer]:
    """:func:`start`, stopped and closed when the block ends. ``routes`` may still be
    added to inside it (pages that name the server's address, say)."""
    server = start(routes)
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def closed_port() -> int:
    """A local port nobody listens on (connections are refused)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def article_html(title: str, body: str, charset: str = "utf-8") -> str:
    paragraphs = "".join(f"<p>{body} Paragraph {i} of the story goes on.</p>" for i in range(6))
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="{charset}">'
            f"<title>{title} | Test Site</title>"
            f'<meta property="og:title" content="{title}">'
            '<meta property="article:published_time" content="2026-11-20T10:00:00Z">'
            f"</head><body><nav><a href='/'>Home</a></nav><article><h1>{title}</h1>"
            f"{paragraphs}</article><footer>Footer text</footer></body></html>")
