"""A local HTTP server serving fixed pages, PDFs, redirects, slow and huge answers.

with WebServer() as web:
    web.page("/a", "<html>…</html>")
    url = web.url("/a")
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.support.local_http import LocalHTTPServer


@dataclass(frozen=True)
class Route:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    stream_bytes: int = 0
    """Send this many bytes in chunks, with no Content-Length (a body too large to trust)."""

    trickle: float = 0.0
    """Send the body one byte every `trickle` seconds (each read is quick, the whole is not)."""


class WebServer(LocalHTTPServer):
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[str] = []
        self.hosts: list[str] = []
        """The Host header of each request, in order."""
        self._closing = threading.Event()
        self._listen(self._handler())

    def url(self, path: str) -> str:
        return f"{self.origin}{path}"

    def page(
        self, path: str, html: str | bytes, content_type: str = "text/html; charset=utf-8"
    ) -> str:
        body = html.encode() if isinstance(html, str) else html
        self.routes[path] = Route(body=body, content_type=content_type)
        return self.url(path)

    def route(self, path: str, route: Route) -> str:
        self.routes[path] = route
        return self.url(path)

    def redirect(self, path: str, location: str) -> str:
        return self.route(path, Route(status=302, headers={"Location": location}))

    def __exit__(self, *exc: object) -> None:
        self._closing.set()
        super().__exit__(*exc)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                server.hits.append(self.path)
                server.hosts.append(self.headers.get("Host", ""))
                route = server.routes.get(self.path.split("?")[0]) or Route(404, b"not found")
                if route.delay and server._closing.wait(route.delay):
                    return
                try:
                    self.send_response(route.status)
                    self.send_header("Content-Type", route.content_type)
                    for name, value in route.headers.items():
                        self.send_header(name, value)
                    if route.stream_bytes:
                        self.send_header("Connection", "close")
                        self.end_headers()
                        chunk = b"x" * 65536
                        sent = 0
                        while sent < route.stream_bytes:
                            self.wfile.write(chunk)
                            sent += len(chunk)
                        return
                    self.send_header("Content-Length", str(len(route.body)))
                    self.end_headers()
                    if route.trickle:
                        self._trickle(route)
                        return
                    self.wfile.write(route.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def _trickle(self, route: Route) -> None:
                for index in range(len(route.body)):
                    self.wfile.write(route.body[index : index + 1])
                    self.wfile.flush()
                    if server._closing.wait(route.trickle):
                        return

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler


def make_pdf(text_lines: list[str], title: str = "") -> bytes:
    """A small real PDF with a text layer (pypdf can read it back)."""
    lines = "".join(
        f"BT /F1 12 Tf 72 {720 - 20 * i} Td ({line}) Tj ET\n" for i, line in enumerate(text_lines)
    ).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(lines)).encode() + b" >>\nstream\n" + lines + b"endstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Title (" + title.encode("latin-1") + b") >>",
    ]
    return pdf_of(objects, info=" /Info 6 0 R")


def pdf_of(objects: list[bytes], info: str = "") -> bytes:
    """A PDF file of `objects` (numbered from 1, the catalog first) with its xref table;
    `info` is added to the trailer (e.g. " /Info 6 0 R")."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R{info} >>\n".encode()
    out += f"startxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def slow_ok(seconds: float) -> Route:
    return Route(body=b"<html><body>late</body></html>", delay=seconds)
