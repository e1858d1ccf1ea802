"""The link fetcher against real local servers: one deadline per fetch, a stop that ends it,
the checked address pinned for the connection, and every non-global address form refused."""

from __future__ import annotations

import contextlib
import socket
import ssl
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from notes.intake.fetch import FetchError, FetchPolicy, Stopped, check_url, fetch
from tests.support.web_server import Route, WebServer

pytestmark = pytest.mark.timeout(60)

TRICKLE = Route(body=b"<html><body>" + b"x" * 200 + b"</body></html>", trickle=0.2)
"""One byte every 0.2 s: each read is quick, the whole page takes 45 s."""


class FakeDNS:
    """Answers for the names given, in turn (the last answer repeats); the rest as usual."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, answers: dict[str, list[str]]) -> None:
        self.answers = answers
        self.asked: list[str] = []
        self._real = socket.getaddrinfo
        monkeypatch.setattr(socket, "getaddrinfo", self)

    def __call__(self, host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else host
        if name not in self.answers:
            return self._real(host, port, *args, **kwargs)
        self.asked.append(name)
        queue = self.answers[name]
        address = queue.pop(0) if len(queue) > 1 else queue[0]
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        sockaddr = (address, int(port or 0), 0, 0) if ":" in address else (address, int(port or 0))
        return [(family, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", sockaddr)]


def test_a_trickling_page_is_given_up_at_the_deadline(web: WebServer) -> None:
    url = web.route("/trickle", TRICKLE)
    policy = FetchPolicy(allow_private=True, timeout=1.0, deadline=1.5)
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"not fetched within 1\.5 s"):
        fetch(url, policy)
    assert time.monotonic() - started < 3.0


def test_the_deadline_covers_every_redirect(web: WebServer) -> None:
    web.route("/slow", Route(body=b"<p>late</p>", delay=0.8))
    web.redirect("/hop2", "/slow")
    start = web.redirect("/hop1", "/hop2")
    policy = FetchPolicy(allow_private=True, timeout=5.0, deadline=0.6)
    with pytest.raises(FetchError, match="not fetched within"):
        fetch(start, policy)


def test_a_stop_ends_a_fetch_in_progress_at_once(web: WebServer) -> None:
    url = web.route("/trickle", TRICKLE)
    stop = threading.Event()
    policy = FetchPolicy(allow_private=True, timeout=20.0, deadline=60.0, stop=stop)
    threading.Timer(0.5, stop.set).start()
    started = time.monotonic()
    with pytest.raises(Stopped):
        fetch(url, policy)
    assert time.monotonic() - started < 1.5


def test_a_page_within_the_deadline_is_read_whole(web: WebServer) -> None:
    url = web.route("/short", Route(body=b"<p>ok</p>", trickle=0.05))
    fetched = fetch(url, FetchPolicy(allow_private=True, timeout=2.0, deadline=5.0))
    assert fetched.body == b"<p>ok</p>"


def test_the_address_checked_is_the_address_connected_to(
    web: WebServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DNS rebinding: the first answer is public, every later one 127.0.0.1. The fetch must
    not look the name up again, so it never reaches the local server."""
    port = web.url("/").rsplit(":", 1)[1].split("/")[0]
    web.page("/secret", "<p>internal admin page</p>")
    dns = FakeDNS(monkeypatch, {"rebind.test": ["93.184.216.34", "127.0.0.1"]})
    with pytest.raises(FetchError):
        fetch(f"http://rebind.test:{port}/secret", FetchPolicy(timeout=1.0, deadline=2.0))
    assert web.hits == []
    assert dns.asked == ["rebind.test"]


def test_the_pinned_connection_carries_the_host_name(
    web: WebServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = web.url("/").rsplit(":", 1)[1].split("/")[0]
    web.page("/a", "<p>hello</p>")
    dns = FakeDNS(monkeypatch, {"site.test": ["127.0.0.1"]})
    fetched = fetch(f"http://site.test:{port}/a", FetchPolicy(allow_private=True, timeout=2.0))
    assert fetched.body == b"<p>hello</p>"
    assert fetched.final_url == f"http://site.test:{port}/a"
    assert web.hosts == [f"site.test:{port}"]
    assert dns.asked == ["site.test"]


@pytest.mark.parametrize(
    "url",
    [
        "http://[64:ff9b::a9fe:a9fe]/latest/meta-data/",
        "http://[64:ff9b:1::808:808]/",
        "http://[2002:7f00:1::]/",
        "http://[2002:a9fe:a9fe::1]/",
        "http://[::127.0.0.1]/",
        "http://[::ffff:0:7f00:1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[fec0::1]/",
        "http://[fe80::1]/",
        "http://[fd12:3456::1]/",
        "http://[ff02::1]/",
        "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/",
        "http://100.64.0.1/",
        "http://224.0.0.1/",
        "http://255.255.255.255/",
    ],
)
def test_every_non_global_form_is_refused(url: str) -> None:
    with pytest.raises(FetchError, match="private or local address"):
        check_url(url, FetchPolicy())


def test_a_name_answering_an_ipv6_form_of_a_local_address_is_refused(
    web: WebServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    FakeDNS(monkeypatch, {"evil.test": ["::ffff:0:7f00:1"]})
    with pytest.raises(FetchError, match=r"evil\.test is a private or local address"):
        fetch(web.url("/").replace("127.0.0.1", "evil.test"), FetchPolicy(timeout=1.0))
    assert web.hits == []


@pytest.mark.parametrize(
    "url",
    ["http://[2606:4700::1111]/", "http://[64:ff9b::808:808]/", "http://[2002:808:808::1]/"],
)
def test_public_addresses_pass_the_check(url: str) -> None:
    assert len(check_url(url, FetchPolicy())) == 1


def test_tls_goes_to_the_checked_address_with_the_host_name_as_server_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The connection is made to the pinned IP, yet TLS names the host (SNI) and checks the
    certificate against it: here a self-signed one, which must be refused."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=site.test", "-addext", "subjectAltName=DNS:site.test",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    names: list[str | None] = []
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    context.sni_callback = lambda sock, name, ctx: names.append(name)
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def serve() -> None:
        connection, _ = listener.accept()
        with connection, contextlib.suppress(OSError):
            context.wrap_socket(connection, server_side=True).close()

    server = threading.Thread(target=serve, daemon=True)
    server.start()
    dns = FakeDNS(monkeypatch, {"site.test": ["127.0.0.1"]})
    try:
        with pytest.raises(FetchError, match=r"CERTIFICATE_VERIFY_FAILED|certificate"):
            fetch(f"https://site.test:{port}/", FetchPolicy(allow_private=True, timeout=5.0))
    finally:
        server.join(5)
        listener.close()
    assert names == ["site.test"]
    assert dns.asked == ["site.test"]


def test_an_ipv6_literal_keeps_its_brackets_in_the_host_header() -> None:
    if not socket.has_ipv6:
        pytest.skip("no IPv6 on this machine")
    try:
        listener = socket.create_server(("::1", 0), family=socket.AF_INET6)
    except OSError:
        pytest.skip("no IPv6 loopback on this machine")
    port = listener.getsockname()[1]
    heard: list[bytes] = []

    def serve() -> None:
        connection, _ = listener.accept()
        with connection:
            heard.append(connection.recv(65536))
            connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")

    server = threading.Thread(target=serve, daemon=True)
    server.start()
    try:
        fetched = fetch(f"http://[::1]:{port}/", FetchPolicy(allow_private=True, timeout=5.0))
    finally:
        server.join(5)
        listener.close()
    assert fetched.body == b"ok"
    assert f"\r\nhost: [::1]:{port}\r\n".encode() in heard[0].lower()
