"""Fetching a URL the author sent, safely: http(s) only, public addresses only, capped, timed.

Every hop of a redirect is checked again, so a public page cannot bounce the fetch to
localhost. `FetchError` carries one line fit for the chat.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from notes.errors import explain

MAX_BYTES = 15 * 1024 * 1024
TIMEOUT = 20.0
MAX_REDIRECTS = 5
USER_AGENT = "Mozilla/5.0 (compatible; voicenotes; +https://github.com/) Gecko/20100101"


class FetchError(Exception):
    """The URL was not fetched. The message is one line saying why."""


@dataclass(frozen=True)
class FetchPolicy:
    """Limits for one fetch. `allow_private` lets intranet and test servers through."""

    max_bytes: int = MAX_BYTES
    timeout: float = TIMEOUT
    allow_private: bool = False
    max_redirects: int = MAX_REDIRECTS
    user_agent: str = USER_AGENT


@dataclass(frozen=True)
class Fetched:
    url: str
    final_url: str
    content_type: str
    """The media type alone, lowercase (`text/html`)."""

    body: bytes


def fetch(url: str, policy: FetchPolicy, *, accept: str = "*/*") -> Fetched:
    """GET `url` with `policy`'s limits, following redirects that pass the same checks.

    Raises FetchError for a refused address, a scheme other than http(s), a timeout, an
    HTTP error status, too many redirects or a body larger than `policy.max_bytes`.
    """
    headers = {"User-Agent": policy.user_agent, "Accept": accept}
    timeout = httpx.Timeout(policy.timeout)
    current = url
    with httpx.Client(timeout=timeout, headers=headers, follow_redirects=False) as client:
        for _ in range(policy.max_redirects + 1):
            check_url(current, policy)
            try:
                with client.stream("GET", current) as response:
                    if response.is_redirect and "location" in response.headers:
                        current = urljoin(current, response.headers["location"])
                        continue
                    return _read(url, current, response, policy)
            except httpx.TimeoutException:
                raise FetchError(f"no answer within {policy.timeout:g} s") from None
            except httpx.HTTPError as error:
                raise FetchError(f"cannot fetch: {explain(error)[:160]}") from None
    raise FetchError(f"more than {policy.max_redirects} redirects")


def check_url(url: str, policy: FetchPolicy) -> None:
    """Refuse anything but http(s) to a public address (unless private ones are allowed)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchError(f"only http and https links are fetched, not {parts.scheme or 'this'}")
    host = parts.hostname
    if not host:
        raise FetchError("the link has no host")
    if policy.allow_private:
        return
    for address in _addresses(host, parts.port or (443 if parts.scheme == "https" else 80)):
        if not address.is_global:
            raise FetchError(
                f"{host} is a private or local address ({address}); not fetched "
                "(VOICENOTES_FETCH_PRIVATE=1 allows it)"
            )


def _addresses(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        raise FetchError(f"unknown host {host}") from None
    return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]


def _read(url: str, final_url: str, response: httpx.Response, policy: FetchPolicy) -> Fetched:
    if response.status_code >= 400:
        raise FetchError(f"the server answered HTTP {response.status_code}")
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > policy.max_bytes:
        raise FetchError(f"too large ({_mb(int(declared))}; the limit is {_mb(policy.max_bytes)})")
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > policy.max_bytes:
            raise FetchError(f"too large (over the {_mb(policy.max_bytes)} limit)")
        chunks.append(chunk)
    media = response.headers.get("content-type", "").split(";")[0].strip().lower()
    return Fetched(url, final_url, media, b"".join(chunks))


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"
