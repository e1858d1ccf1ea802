"""SIGINT and SIGTERM as a request to stop: the stop is called once, the handlers restored."""

from __future__ import annotations

import os
import signal

from notes.signals import stop_on_signals


def test_sigterm_and_sigint_call_stop_once_and_handlers_come_back() -> None:
    calls: list[str] = []
    before = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    with stop_on_signals(lambda: calls.append("stop")):
        os.kill(os.getpid(), signal.SIGTERM)
        os.kill(os.getpid(), signal.SIGINT)  # no KeyboardInterrupt: already stopping
        signal.sigtimedwait([], 0)  # let the handlers run
    assert calls == ["stop"]
    assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)) == before
