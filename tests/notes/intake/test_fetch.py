import pytest

from notes.intake.fetch import FetchError, FetchPolicy, check_url, fetch
from tests.support.web_server import Route, WebServer

OPEN = FetchPolicy(allow_private=True, timeout=2.0)


def test_a_page_is_fetched_with_its_media_type(web: WebServer) -> None:
    url = web.page("/a", "<html><body>hi</body></html>")
    fetched = fetch(url, OPEN)
    assert fetched.content_type == "text/html"
    assert fetched.body == b"<html><body>hi</body></html>"
    assert fetched.final_url == url


def test_redirects_are_followed_and_the_final_url_kept(web: WebServer) -> None:
    target = web.page("/final", "<p>done</p>")
    start = web.redirect("/start", "/final")
    fetched = fetch(start, OPEN)
    assert fetched.final_url == target
    assert fetched.url == start


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://localhost:8080/admin",
        "http://10.1.2.3/",
        "http://192.168.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://0.0.0.0/",
    ],
)
def test_local_and_private_addresses_are_refused_by_default(url: str) -> None:
    with pytest.raises(FetchError, match=r"private or local address.*VOICENOTES_FETCH_PRIVATE"):
        check_url(url, FetchPolicy())


def test_a_local_server_is_refused_without_the_switch(web: WebServer) -> None:
    url = web.page("/a", "<p>secret</p>")
    with pytest.raises(FetchError, match="private or local"):
        fetch(url, FetchPolicy())
    assert web.hits == []


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.org/x", "javascript:alert(1)"]
)
def test_only_http_and_https(url: str) -> None:
    with pytest.raises(FetchError, match="only http and https"):
        check_url(url, OPEN)


def test_a_declared_huge_body_is_refused_before_reading(web: WebServer) -> None:
    url = web.route("/big", Route(body=b"x" * 5000))
    with pytest.raises(FetchError, match="too large"):
        fetch(url, FetchPolicy(allow_private=True, max_bytes=1000))


def test_an_undeclared_huge_body_is_cut_off_at_the_cap(web: WebServer) -> None:
    url = web.route("/stream", Route(stream_bytes=3 * 1024 * 1024))
    with pytest.raises(FetchError, match=r"over the 1\.0 MB limit"):
        fetch(url, FetchPolicy(allow_private=True, max_bytes=1024 * 1024))


def test_a_slow_server_times_out(web: WebServer) -> None:
    url = web.route("/slow", Route(body=b"late", delay=3.0))
    with pytest.raises(FetchError, match=r"no answer within 0\.5 s"):
        fetch(url, FetchPolicy(allow_private=True, timeout=0.5))


def test_an_error_status_is_a_reason(web: WebServer) -> None:
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch(web.url("/missing"), OPEN)


def test_an_unknown_host_is_a_reason() -> None:
    with pytest.raises(FetchError, match="unknown host"):
        check_url("https://no-such-host.invalid/x", FetchPolicy())
