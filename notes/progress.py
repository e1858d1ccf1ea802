"""Progress on long work: one wording for the terminal's bar and the chat's status.

`status(done, total, elapsed)` is the pure part (`42% of 12:30, 3:10 left`);
`TerminalProgress` draws it with a bar, only when a person is watching a terminal.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

from notes.intake.timeline import clock

BAR_WIDTH = 24


def time_left(
    done: float, total: float, elapsed: float, since: tuple[float, float] = (0.0, 0.0)
) -> float | None:
    """Seconds of work left at the pace measured since the step `since` = (done, elapsed);
    None until a step after it has been measured (the first report has no pace: loading
    the model and the first window would make it wildly long)."""
    base_done, base_elapsed = since
    measured, spent = done - base_done, elapsed - base_elapsed
    if measured <= 0 or spent <= 0 or total <= 0:
        return None
    return max(0.0, (total - done) * spent / measured)


def status(
    done: float, total: float, elapsed: float, since: tuple[float, float] = (0.0, 0.0)
) -> str:
    """`42% of 12:30, 3:10 left` (audio done of the recording, at the pace since `since`)."""
    share = 100 * done / total if total else 100.0
    text = f"{share:3.0f}% of {clock(total)}"
    left = time_left(done, total, elapsed, since)
    if left is not None and done < total:
        text += f", {clock(left + 0.5)} left"
    return text


def bar(done: float, total: float, width: int = BAR_WIDTH) -> str:
    filled = round(width * min(1.0, done / total)) if total else width
    return "[" + "#" * filled + "-" * (width - filled) + "]"


class TerminalProgress:
    """One status line per item, redrawn in place; silent when the stream is not a TTY."""

    def __init__(
        self,
        stream: TextIO,
        min_interval: float = 0.2,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream
        self.enabled = stream.isatty()
        self.min_interval = min_interval
        self.now = now
        self.label = ""
        self._started = 0.0
        self._last_draw = 0.0
        self._first: tuple[float, float] | None = None

    def start(self, label: str) -> None:
        self.label = label
        self._started = self.now()
        self._first = None
        self._draw(f"{label} …")

    def update(self, done: float, total: float) -> None:
        now = self.now()
        if self._first is None:
            self._first = (done, now - self._started)
        if now - self._last_draw < self.min_interval and done < total:
            return
        self._last_draw = now
        line = status(done, total, now - self._started, self._first)
        self._draw(f"{self.label} {bar(done, total)} {line}")

    def done(self) -> None:
        if self.enabled:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()

    def _draw(self, text: str) -> None:
        if self.enabled:
            self.stream.write("\r\x1b[2K" + text)
            self.stream.flush()
