"""Fetching a URL the author sent, safely: http(s) only, public addresses only, capped, timed.

- The host is resolved once, every address it has is checked (notes/intake/addresses.py),
  and the connection goes to an address that was checked: the host name travels only in the
  Host header and as the TLS server name (SNI, and the name the certificate must bear), so a
  second lookup answering 127.0.0.1 (DNS rebinding) is never made.
- Every hop of a redirect is checked again, so a public page cannot bounce the fetch to
  localhost.
- One deadline covers the whole fetch, connection to last byte and every redirect: a server
  that trickles a byte now and then is given up at `policy.deadline`.
- Setting `policy.stop` ends a fetch in progress within a tenth of a second (`Stopped`).

`FetchError` carries one line fit for the chat.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import threading
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import urljoin, urlsplit

import httpx

from notes.errors import explain
from notes.intake.addresses import Address, is_public

MAX_BYTES = 15 * 1024 * 1024
TIMEOUT = 20.0
DEADLINE = 60.0
MAX_REDIRECTS = 5
USER_AGENT = "Mozilla/5.0 (compatible; voicenotes; +https://github.com/) Gecko/20100101"
_STOP_POLL = 0.1
T = TypeVar("T")


class FetchError(Exception):
    """The URL was not fetched. The message is one line saying why."""


class Stopped(Exception):
    """The fetch was abandoned because the program is stopping (not the page's fault)."""


@dataclass(frozen=True)
class FetchPolicy:
    """Limits for one fetch. `allow_private` lets intranet and test servers through."""

    max_bytes: int = MAX_BYTES
    timeout: float = TIMEOUT
    """Seconds for connecting, and for each read."""

    allow_private: bool = False
    max_redirects: int = MAX_REDIRECTS
    user_agent: str = USER_AGENT
    deadline: float = DEADLINE
    """Seconds for the whole fetch, connection to last byte, redirects included."""

    stop: threading.Event | None = None
    """Set when the program stops: a fetch in progress raises Stopped at once."""


@dataclass(frozen=True)
class Fetched:
    url: str
    final_url: str
    content_type: str
    """The media type alone, lowercase (`text/html`)."""

    body: bytes


def fetch(url: str, policy: FetchPolicy, *, accept: str = "*/*") -> Fetched:
    """GET `url` with `policy`'s limits, following redirects that pass the same checks.

    Raises FetchError for a refused address, a scheme other than http(s), a timeout or the
    deadline passed, an HTTP error status, too many redirects or a body larger than
    `policy.max_bytes`; Stopped when `policy.stop` is set. Call it from a thread without an
    event loop of its own (it runs one).
    """
    return asyncio.run(_bounded(_fetch(url, policy, accept), policy))


async def _bounded(work: Awaitable[T], policy: FetchPolicy) -> T:
    """`work` within the policy's deadline, abandoned as soon as `policy.stop` is set."""
    task = asyncio.ensure_future(work)
    watch = asyncio.ensure_future(_stop_set(policy.stop))
    try:
        done, _ = await asyncio.wait(
            {task, watch}, timeout=policy.deadline, return_when=asyncio.FIRST_COMPLETED
        )
        if task in done:
            return task.result()
        if watch in done:
            raise Stopped("stopping")
        raise FetchError(f"not fetched within {policy.deadline:g} s (the server is too slow)")
    finally:
        for pending in (task, watch):
            pending.cancel()
        await asyncio.gather(task, watch, return_exceptions=True)


async def _stop_set(stop: threading.Event | None) -> None:
    if stop is None:
        await asyncio.Event().wait()  # never set: the deadline alone bounds the fetch
        return
    while not stop.is_set():
        await asyncio.sleep(_STOP_POLL)


async def _fetch(url: str, policy: FetchPolicy, accept: str) -> Fetched:
    headers = {"User-Agent": policy.user_agent, "Accept": accept}
    timeout = httpx.Timeout(policy.timeout)
    current = url
    async with httpx.AsyncClient(timeout=timeout, headers=headers, trust_env=False) as client:
        for _ in range(policy.max_redirects + 1):
            addresses = check_url(current, policy)
            try:
                async with _PinnedStream(client, httpx.URL(current), addresses) as response:
                    if response.is_redirect and "location" in response.headers:
                        current = urljoin(current, response.headers["location"])
                        continue
                    return await _read(url, current, response, policy)
            except httpx.TimeoutException:
                raise FetchError(f"no answer within {policy.timeout:g} s") from None
            except httpx.HTTPError as error:
                raise FetchError(f"cannot fetch: {explain(error)[:160]}") from None
    raise FetchError(f"more than {policy.max_redirects} redirects")


class _PinnedStream:
    """`client.stream("GET", url)` connected to the first of `addresses` that answers."""

    def __init__(self, client: httpx.AsyncClient, url: httpx.URL, addresses: list[Address]):
        self.client, self.url, self.addresses = client, url, addresses
        self.response: httpx.Response | None = None

    async def __aenter__(self) -> httpx.Response:
        host = self.url.raw_host.decode("ascii")
        port = f":{self.url.port}" if self.url.port is not None else ""
        named = f"[{host}]" if ":" in host else host  # an IPv6 literal, as in the URL
        error: httpx.ConnectError | None = None
        for address in self.addresses:
            request = self.client.build_request(
                "GET",
                self.url.copy_with(host=str(address)),
                headers={"Host": named + port},
                extensions={"sni_hostname": host},
            )
            try:
                self.response = await self.client.send(request, stream=True)
                return self.response
            except httpx.ConnectError as failed:
                error = failed
        assert error is not None
        raise error

    async def __aexit__(self, *exc: object) -> None:
        if self.response is not None:
            await self.response.aclose()


def check_url(url: str, policy: FetchPolicy) -> list[Address]:
    """The addresses `url`'s host resolves to, each checked: public ones only (unless private
    ones are allowed), http(s) only. Raises FetchError naming the first refused address."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchError(f"only http and https links are fetched, not {parts.scheme or 'this'}")
    host = parts.hostname
    if not host:
        raise FetchError("the link has no host")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise FetchError("the link has a port that is not a number") from None
    addresses = _addresses(host, port)
    if policy.allow_private:
        return addresses
    for address in addresses:
        if not is_public(address):
            raise FetchError(
                f"{host} is a private or local address ({address}); not fetched "
                "(VOICENOTES_FETCH_PRIVATE=1 allows it)"
            )
    return addresses


def _addresses(host: str, port: int) -> list[Address]:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        raise FetchError(f"unknown host {host}") from None
    found = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    if not found:
        raise FetchError(f"unknown host {host}")
    return list(dict.fromkeys(found))


async def _read(url: str, final_url: str, response: httpx.Response, policy: FetchPolicy) -> Fetched:
    if response.status_code >= 400:
        raise FetchError(f"the server answered HTTP {response.status_code}")
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > policy.max_bytes:
        raise FetchError(f"too large ({_mb(int(declared))}; the limit is {_mb(policy.max_bytes)})")
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > policy.max_bytes:
            raise FetchError(f"too large (over the {_mb(policy.max_bytes)} limit)")
        chunks.append(chunk)
    media = response.headers.get("content-type", "").split(";")[0].strip().lower()
    return Fetched(url, final_url, media, b"".join(chunks))


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"
