"""SIGINT and SIGTERM as a request to stop, for the commands that draft (watch, draft)."""

from __future__ import annotations

import contextlib
import logging
import signal
from collections.abc import Callable, Iterator
from types import FrameType

log = logging.getLogger(__name__)


@contextlib.contextmanager
def stop_on_signals(stop: Callable[[], None]) -> Iterator[None]:
    """SIGINT and SIGTERM call `stop` (on the main thread) instead of killing the process.

    `stop` ends a drafting pass at its next step, or at once while it waits for the model;
    a write or a move in progress always completes, so the knowledge base stays consistent.
    Repeated signals change nothing more.
    """
    stopping = False

    def handle(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        name = signal.Signals(signum).name
        if stopping:
            log.info("%s: already stopping", name)
            return
        stopping = True
        log.info("%s: stopping", name)
        stop()

    watched = (signal.SIGINT, signal.SIGTERM)
    previous = {number: signal.signal(number, handle) for number in watched}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
