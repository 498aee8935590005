"""A local HTTP server that answers with recorded responses, so download code runs for real offline."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from urllib.parse import parse_qsl, urlsplit

RECORDED = Path(__file__).parent / "recorded"


class RecordedServer:
    """Serves `routes` ("/path" or "/path?param=value" -> file); the most specific match wins.

    `origin` (for example "https://api.pdok.nl") is replaced by this server's address in every answer,
    so that links in recorded responses (paging) lead back here. Unknown paths answer 404.
    """

    def __init__(self, routes: dict[str, Path], origin: str) -> None:
        self.routes = routes
        self.origin = origin
        self.requests: list[tuple[str, dict[str, str]]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = dict(parse_qsl(parts.query))
                server.requests.append((parts.path, query))
                body = server.answer(parts.path, query)
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body if body is not None else b'{"code": "NotFound"}')

            def log_message(self, *_args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def answer(self, path: str, query: dict[str, str]) -> bytes | None:
        best: tuple[int, Path] | None = None
        for route, file in self.routes.items():
            route_parts = urlsplit(route)
            wanted = dict(parse_qsl(route_parts.query))
            matches = route_parts.path == path and all(query.get(k) == v for k, v in wanted.items())
            if matches and (best is None or len(wanted) > best[0]):
                best = (len(wanted), file)
        if best is None:
            return None
        return best[1].read_bytes().replace(self.origin.encode(), self.url.encode())

    def __enter__(self) -> RecordedServer:
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *_exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
