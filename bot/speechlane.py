"""The speech lane: speech is transcribed one recording at a time, under the length cap, with
its progress shown in the chat once it runs long.

Voice notes (bot/speechqueue.py) and the speech of videos and round videos (bot/materials.py)
share the lane's one thread, so two recordings never compete for the model.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from notes import progress
from transcribe import Progress, Transcriber, Transcript, probe

log = logging.getLogger(__name__)

PROGRESS_AFTER_SECONDS = 60.0
"""A recording longer than this shows its progress in the chat."""

PROGRESS_EVERY_SECONDS = 5.0
"""Least time between two progress edits of one message (Telegram allows about one a second
per chat, and fewer edits of one message; every 5 s stays well inside)."""

Show = Callable[[str], Awaitable[None]]
"""Shows a progress line (`42% of 12:30, 3:10 left`) in the chat; failures are its own."""


@dataclass(frozen=True)
class Advance:
    """How far the note in progress is: seconds of audio done of `total`, after `elapsed`."""

    done: float
    total: float
    elapsed: float
    since: tuple[float, float] = (0.0, 0.0)
    """(done, elapsed) at the first step measured: the time left goes by the pace since."""

    def __str__(self) -> str:
        return progress.status(self.done, self.total, self.elapsed, self.since)


@dataclass
class Tracker:
    """The advance of one recording, written by the lane's thread, read on the event loop."""

    advance: Advance | None = None
    started: float = field(default_factory=time.monotonic)
    _first: list[tuple[float, float]] = field(default_factory=list)

    def report(self, done: float, total: float) -> None:
        """A `transcribe.Progress`: the first step measured is where the pace starts."""
        elapsed = time.monotonic() - self.started
        self._first[:] = self._first or [(done, elapsed)]
        self.advance = Advance(done, total, elapsed, self._first[0])


Shown = tuple[Advance | None, float]
"""The advance last shown, and when (monotonic seconds)."""


def due(advance: Advance | None, shown: Shown, now: float) -> bool:
    """Show `advance` now: the recording is long, it moved, and the last edit is old enough."""
    last, at = shown
    return not (
        advance is None
        or advance.total <= PROGRESS_AFTER_SECONDS
        or advance == last
        or (last is not None and now - at < PROGRESS_EVERY_SECONDS)
    )


async def show_due(tracker: Tracker, show: Show | None, shown: Shown) -> Shown:
    """Edit the progress in when it is `due`; returns what is shown now."""
    advance, now = tracker.advance, time.monotonic()
    if show is None or advance is None or not due(advance, shown, now):
        return shown
    with contextlib.suppress(Exception):
        await show(str(advance))
    return advance, now


class SpeechLane:
    """One recording at a time on `executor` (a single thread), capped at `max_seconds`."""

    def __init__(
        self, executor: ThreadPoolExecutor, transcriber: Transcriber, max_seconds: float | None
    ) -> None:
        self.executor = executor
        self.transcriber = transcriber
        self.max_seconds = max_seconds

    async def transcribe(self, audio: Path, show: Show | None = None) -> Transcript:
        """The transcript of `audio`, its progress shown through `show` while it runs long.

        Raises TranscriptionError (TooLongError over the cap, before any work).
        """
        tracker = Tracker()
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self.executor, self._run, audio, tracker.report)
        shown: Shown = (None, 0.0)
        while not future.done():
            shown = await show_due(tracker, show, shown)
            await asyncio.wait([future], timeout=PROGRESS_EVERY_SECONDS)
        return await future

    def _run(self, audio: Path, report: Progress) -> Transcript:
        probe.check_length(audio, self.max_seconds)
        return self.transcriber.transcribe(audio, report)

    def for_thread(self, loop: asyncio.AbstractEventLoop, show: Show | None) -> Transcriber:
        """A Transcriber for a filing thread: each call waits for its turn in this lane."""
        return _InLane(self, loop, show)


class _InLane:
    def __init__(
        self, lane: SpeechLane, loop: asyncio.AbstractEventLoop, show: Show | None
    ) -> None:
        self.lane, self.loop, self.show = lane, loop, show

    @property
    def model_id(self) -> str:
        return self.lane.transcriber.model_id

    def transcribe(self, audio: Path, progress: Progress | None = None) -> Transcript:
        """Run on a thread other than the event loop's; blocks until the lane is done."""
        done: Future[Transcript] = asyncio.run_coroutine_threadsafe(
            self.lane.transcribe(audio, self.show), self.loop
        )
        return done.result()
