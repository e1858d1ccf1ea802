"""The transcription queue: one note at a time, on a thread of its own, off the event loop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor

from bot import jobs
from bot.attempts import Attempts
from bot.speechlane import PROGRESS_EVERY_SECONDS, Advance, Shown, SpeechLane, due
from bot.voicetries import DISK_RETRY_SECONDS as DISK_RETRY_SECONDS
from bot.voicetries import Outcome as Outcome
from bot.voicetries import Queued as Queued
from bot.voicetries import VoiceTries
from notes.kb import KnowledgeBase
from transcribe import Transcriber

HEARTBEAT_SECONDS = 4.5
"""How often `heartbeat` runs while a note is transcribed (a chat action lasts 5 s)."""

log = logging.getLogger(__name__)


Callback = Callable[[Queued], Awaitable[None]]
Deliver = Callable[[Outcome], Awaitable[bool]]
"""Answers the author; returns False when the answer could not be sent (the network)."""
ShowProgress = Callable[[Queued, str], Awaitable[None]]
"""Shows the progress of a long note (`42% of 12:30, 3:10 left`) in its chat."""


class TranscriptionQueue:
    """Jobs wait in order; a single worker thread transcribes them and `deliver` answers.

    A note's record stays on disk until its author has been told how it ended, so a process
    that dies at any point leaves it to be answered at the next start.
    """

    def __init__(
        self,
        kb: KnowledgeBase,
        transcriber: Transcriber,
        deliver: Deliver,
        heartbeat: Callback | None = None,
        show_progress: ShowProgress | None = None,
        max_seconds: float | None = None,
        attempts: Attempts | None = None,
    ) -> None:
        self.kb = kb
        self.transcriber = transcriber
        self.deliver = deliver
        self.heartbeat = heartbeat
        self.show_progress = show_progress
        self.max_seconds = max_seconds
        self.advance: Advance | None = None
        """Of the note in progress; set from the worker thread (one reference, replaced)."""
        self._jobs: asyncio.Queue[Queued] = asyncio.Queue()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="transcribe")
        self.lane = SpeechLane(self._executor, transcriber, max_seconds)
        """The speech of videos takes this lane too: one recording at a time."""
        self._current: Queued | None = None
        self._task: asyncio.Task[None] | None = None
        self._closing = False
        self._stems: set[str] = set()
        self.tries = VoiceTries(kb, transcriber, max_seconds, self._advanced, attempts)

    @property
    def busy(self) -> bool:
        """A note is being transcribed now."""
        return self._current is not None

    @property
    def waiting(self) -> int:
        """Notes queued behind the one in progress."""
        return self._jobs.qsize()

    @property
    def size(self) -> int:
        """Notes queued, the one being transcribed included."""
        return self._jobs.qsize() + (self._current is not None)

    def holds(self, stem: str) -> bool:
        """The note of `stem` is queued, in progress, or waiting for a retry in this process."""
        return stem in self._stems

    def put(self, job: Queued) -> None:
        """Queue `job` (`size`, read before, says how many notes are ahead of it)."""
        self._stems.add(job.record.stem)
        self._jobs.put_nowait(job)

    def start(self, warm_up: Callable[[], object] | None = None) -> None:
        """Start the worker; `warm_up` (e.g. loading the model) runs first on its thread."""
        if warm_up is not None:
            self._executor.submit(_logged, warm_up)
        self._task = asyncio.create_task(self._run(), name="transcription-queue")

    @property
    def stop_requested(self) -> bool:
        return self.tries.stop_requested

    def stopping(self) -> None:
        """A stop was asked for: the try in progress is no longer held against its note."""
        self.tries.stopping()

    async def close(self) -> None:
        """Let the note in progress finish and be answered; queued ones wait for the next start."""
        self._closing = True
        self.stopping()
        if self._task is not None:
            if self._current is None:
                self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await asyncio.to_thread(self._executor.shutdown, wait=True, cancel_futures=True)

    async def _run(self) -> None:
        while not self._closing:
            job = await self._jobs.get()
            self._current = job
            try:
                outcome = await self._process(job)
                told = await self.deliver(outcome)
                await asyncio.to_thread(self._settle, outcome, told)
            except Exception:
                log.exception("answering voice note %s failed", job.record.stem)
                self._stems.discard(job.record.stem)
            finally:
                self._current = None

    async def _process(self, job: Queued) -> Outcome:
        self.advance = None
        future = asyncio.get_running_loop().run_in_executor(self._executor, self.tries.work, job)
        shown: Shown = (None, 0.0)
        while not future.done():
            if self.heartbeat is not None:
                with contextlib.suppress(Exception):
                    await self.heartbeat(job)
            shown = await self._show(job, shown)
            await asyncio.wait([future], timeout=min(HEARTBEAT_SECONDS, PROGRESS_EVERY_SECONDS))
        self.advance = None
        return await future

    async def _show(self, job: Queued, shown: Shown) -> Shown:
        """Edit the progress in, if the note is long, it moved, and the last edit is old enough."""
        advance, now = self.advance, time.monotonic()
        if self.show_progress is None or advance is None or not due(advance, shown, now):
            return shown
        with contextlib.suppress(Exception):
            await self.show_progress(job, str(advance))
        return advance, now

    def _settle(self, outcome: Outcome, told: bool) -> None:
        """Forget the note once its author knows how it ended; else keep it for later."""
        stem = outcome.job.record.stem
        if outcome.retry_in is not None and not self._closing:
            loop = self._task.get_loop() if self._task else None
            if loop is not None:
                loop.call_soon_threadsafe(
                    loop.call_later, outcome.retry_in, self._retry, outcome.job
                )
                return
        self._stems.discard(stem)
        if outcome.final and told:
            self.tries.forget(stem)
            jobs.remove(self.kb, outcome.job.record)

    def _advanced(self, advance: Advance | None) -> None:
        self.advance = advance

    def _retry(self, job: Queued) -> None:
        if not self._closing:
            self._jobs.put_nowait(job)


def _logged(function: Callable[[], object]) -> None:
    try:
        function()
    except Exception:
        log.exception("warming up the transcriber failed; each note will report why")
