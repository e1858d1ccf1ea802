"""Progress on long work, shown only when a person is watching a terminal."""

from __future__ import annotations

import time
from typing import TextIO


class TerminalProgress:
    """One status line per item, redrawn in place; silent when the stream is not a TTY."""

    def __init__(self, stream: TextIO, min_interval: float = 0.2) -> None:
        self.stream = stream
        self.enabled = stream.isatty()
        self.min_interval = min_interval
        self.label = ""
        self._last_draw = 0.0

    def start(self, label: str) -> None:
        self.label = label
        self._draw(f"{label} …")

    def update(self, done: float, total: float) -> None:
        now = time.monotonic()
        if now - self._last_draw < self.min_interval and done < total:
            return
        self._last_draw = now
        share = 100 * done / total if total else 100
        self._draw(f"{self.label} {share:3.0f}% ({done:.0f}/{total:.0f} s)")

    def done(self) -> None:
        if self.enabled:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()

    def _draw(self, text: str) -> None:
        if self.enabled:
            self.stream.write("\r\x1b[2K" + text)
            self.stream.flush()
