"""The deadline of one call to the model, and a stop that ends the wait for it at once.

The request runs on a thread of its own while the caller polls; every request and body read
of httpx (the openai client's retries too) is cut to the time left, so a server that is silent
or trickles its answer a byte at a time is given up when the deadline passes, and a thread left
behind by an abandoned call ends at the server's next byte.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx2 as httpx
import openai

from notes.llm.exchange import LLMError

_POLL = 0.1


class Stopped(LLMError):
    """A stop was asked for (a signal) before or while waiting for the model."""


def call_within(
    create: Callable[[], object], timeout: float, stop: threading.Event | None, server: str
) -> object:
    """`create()` (the request) on a thread; abandoned at the deadline (`LLMError`) or a stop
    (`Stopped`).

    The wait polls: a signal handler on this thread may set the stop at any moment.
    """
    deadline = time.monotonic() + timeout
    cutoff = _Cutoff(deadline)
    outcome: list[tuple[bool, object]] = []
    done = threading.Event()

    def call() -> None:
        _current.cutoff = cutoff
        try:
            outcome.append((True, create()))
        except BaseException as error:
            outcome.append((False, error))
        finally:
            done.set()

    threading.Thread(target=call, name="llm-call", daemon=True).start()
    while not done.wait(_POLL):
        if stop is not None and stop.is_set():
            cutoff.cancel()
            raise Stopped("stopped while waiting for the LLM")
        if time.monotonic() >= deadline:
            cutoff.cancel()
            raise LLMError(f"the LLM server ({server}) did not answer within {timeout:g} s")
    succeeded, value = outcome[0]
    if not succeeded:
        raise value  # type: ignore[misc]
    return value


def http_client(auth: httpx.BasicAuth | None) -> openai.DefaultHttpxClient:
    """The httpx client for openai: each request and read ends at its call's deadline."""
    return _HttpClient(
        auth=auth, event_hooks={"request": [_cut_request], "response": [_cut_response]}
    )


class _HttpClient(openai.DefaultHttpxClient):
    """Closed when collected, as the openai client closes the one it makes itself."""

    def __del__(self) -> None:
        try:
            if not self.is_closed:
                self.close()
        except Exception:  # interpreter shutdown: nothing left to close with
            pass


_current = threading.local()
"""`cutoff`: the deadline of the call that the current thread makes."""


def _cut_request(request: httpx.Request) -> None:
    cutoff: _Cutoff | None = getattr(_current, "cutoff", None)
    if cutoff is not None:
        cutoff.on_request(request)


def _cut_response(response: httpx.Response) -> None:
    cutoff: _Cutoff | None = getattr(_current, "cutoff", None)
    if cutoff is not None:
        cutoff.on_response(response)


class _Cutoff:
    """The deadline of one call, enforced on every request and body read of httpx.

    Each request (the openai client's retries too) gets its timeouts cut to the time left, and
    the body is read no further once the deadline has passed or the call was abandoned: a
    thread left behind by an abandoned call ends at the server's next byte.
    """

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline
        self._cancelled = threading.Event()

    def cancel(self) -> None:
        self._cancelled.set()

    def left(self) -> float:
        """Seconds left; raises httpx.TimeoutException when none are."""
        left = self.deadline - time.monotonic()
        if left <= 0 or self._cancelled.is_set():
            raise httpx.ReadTimeout("the call's deadline has passed")
        return left

    def on_request(self, request: httpx.Request) -> None:
        left = self.left()
        timeouts = dict(request.extensions.get("timeout") or {})
        cut = {
            name: left if timeouts.get(name) is None else min(timeouts[name], left)
            for name in ("connect", "read", "write", "pool")
        }
        request.extensions = {**request.extensions, "timeout": cut}

    def on_response(self, response: httpx.Response) -> None:
        response.stream = _CutoffStream(response.stream, self)


class _CutoffStream(httpx.SyncByteStream):
    def __init__(self, inner: Any, cutoff: _Cutoff) -> None:
        self._inner = inner
        self._cutoff = cutoff

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._inner:
            self._cutoff.left()
            yield chunk

    def close(self) -> None:
        self._inner.close()
