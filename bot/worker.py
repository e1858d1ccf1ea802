"""The transcription queue: one note at a time, on a thread of its own, off the event loop."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import threading
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from bot import voicequeue
from bot.speechlane import PROGRESS_EVERY_SECONDS, Advance, Shown, SpeechLane, Tracker, due
from bot.voicequeue import PendingVoice
from notes.errors import explain
from notes.intake import inbox
from notes.intake.formats import Forward
from notes.intake.inbox import AlreadyFiled
from notes.intake.voice import Recording, transcribe_into_inbox
from notes.kb import KnowledgeBase
from transcribe import ModelError, ServiceError, Transcriber, TranscriptionError

HEARTBEAT_SECONDS = 4.5
"""How often `heartbeat` runs while a note is transcribed (a chat action lasts 5 s)."""
DISK_RETRY_MINUTES = (1, 2, 5, 15, 60)
"""When a note could not be filed for lack of space: the waits before it is tried again."""

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    record: PendingVoice
    ack_message_id: int | None = None
    """The acknowledgement to edit into the result; None sends a new message instead."""
    recovered: bool = False
    """Saved before a restart and picked up at this start."""


@dataclass(frozen=True)
class Outcome:
    job: Job
    note_name: str | None = None
    """The filed transcript; None when the note failed."""
    text: str = ""
    duration: float = 0.0
    error: str | None = None
    retry: bool = False
    """The failure may pass: the note is kept for another try."""
    retry_in: float | None = None
    """Seconds before that try in this process; None: at the next start."""

    @property
    def final(self) -> bool:
        """Filed, or failed for good: once the author is told, the record can go."""
        return not self.retry


Callback = Callable[[Job], Awaitable[None]]
Deliver = Callable[[Outcome], Awaitable[bool]]
"""Answers the author; returns False when the answer could not be sent (the network)."""
ShowProgress = Callable[[Job, str], Awaitable[None]]
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
    ) -> None:
        self.kb = kb
        self.transcriber = transcriber
        self.deliver = deliver
        self.heartbeat = heartbeat
        self.show_progress = show_progress
        self.max_seconds = max_seconds
        self.advance: Advance | None = None
        """Of the note in progress; set from the worker thread (one reference, replaced)."""
        self.stop_requested = False
        self._jobs: asyncio.Queue[Job] = asyncio.Queue()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="transcribe")
        self.lane = SpeechLane(self._executor, transcriber, max_seconds)
        """The speech of videos takes this lane too: one recording at a time."""
        self._current: Job | None = None
        self._task: asyncio.Task[None] | None = None
        self._closing = False
        self._stems: set[str] = set()
        self._disk_tries: dict[str, int] = {}
        self._records = threading.Lock()
        self._trying: PendingVoice | None = None

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

    def put(self, job: Job) -> None:
        """Queue `job` (`size`, read before, says how many notes are ahead of it)."""
        self._stems.add(job.record.stem)
        self._jobs.put_nowait(job)

    def start(self, warm_up: Callable[[], object] | None = None) -> None:
        """Start the worker; `warm_up` (e.g. loading the model) runs first on its thread."""
        if warm_up is not None:
            self._executor.submit(_logged, warm_up)
        self._task = asyncio.create_task(self._run(), name="transcription-queue")

    def stopping(self) -> None:
        """A stop was asked for: if the process dies during the try in progress, that is not
        the note's fault, so the try is no longer marked running."""
        with self._records:
            self.stop_requested = True
            if self._trying is not None and self._trying.running:
                self._trying = replace(self._trying, running=False)
                _save(self.kb, self._trying)

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

    async def _process(self, job: Job) -> Outcome:
        self.advance = None
        future = asyncio.get_running_loop().run_in_executor(self._executor, self._work, job)
        shown: Shown = (None, 0.0)
        while not future.done():
            if self.heartbeat is not None:
                with contextlib.suppress(Exception):
                    await self.heartbeat(job)
            shown = await self._show(job, shown)
            await asyncio.wait([future], timeout=min(HEARTBEAT_SECONDS, PROGRESS_EVERY_SECONDS))
        self.advance = None
        return await future

    async def _show(self, job: Job, shown: Shown) -> Shown:
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
            self._disk_tries.pop(stem, None)
            voicequeue.remove(self.kb, stem)

    def _retry(self, job: Job) -> None:
        if not self._closing:
            self._jobs.put_nowait(job)

    def _work(self, job: Job) -> Outcome:
        """Mark the try, transcribe, and record how it ended (the record stays until told)."""
        with self._records:
            self._trying = replace(job.record, running=not self.stop_requested)
            _save(self.kb, self._trying)
        try:
            outcome = self._transcribe(job)
        except Exception as error:  # a bug, or the note's fault: counted, tried at the next start
            if isinstance(error, OSError) and _disk_full(error):
                settled = replace(job.record, running=False)
                return self._record(self._retry_later(job, error), settled)
            log.exception("transcribing %s failed", job.record.audio_name)
            reason = f"unexpected {explain(error, named=True)}; it is tried again at the next start"
            outcome = Outcome(job, error=reason, retry=True)
            return self._record(outcome, job.record.failed_once())
        if outcome.note_name:
            log.info("filed %s", outcome.note_name)
        return self._record(outcome, replace(job.record, running=False))

    def _retry_later(self, job: Job, failure: Exception) -> Outcome:
        """The disk (full, say) or the transcription server failed: not the note's fault;
        tried again in this process, later each time."""
        log.warning("filing %s failed: %s", job.record.stem, explain(failure))
        tries = self._disk_tries.get(job.record.stem, 0)
        self._disk_tries[job.record.stem] = tries + 1
        minutes = DISK_RETRY_MINUTES[min(tries, len(DISK_RETRY_MINUTES) - 1)]
        reason = f"{explain(failure)}; the note is kept and tried again in {minutes} min"
        return Outcome(job, error=reason, retry=True, retry_in=minutes * 60.0)

    def _record(self, outcome: Outcome, record: PendingVoice) -> Outcome:
        with self._records:
            self._trying = None
            _save(self.kb, record)
        return replace(outcome, job=replace(outcome.job, record=record))

    def _transcribe(self, job: Job) -> Outcome:
        record = job.record
        existing = inbox.note_path(self.kb, record.transcript_name)
        if existing is not None:
            return _from_note(job, existing)
        forward = Forward.from_record(record.forward) if record.forward else None
        recording = Recording(
            record.source,
            record.date,
            record.user_id,
            record.username,
            record.caption,
            forward,
            article=record.article,
        )
        audio = self.kb.audio / record.audio_name
        tracker = Tracker()

        def advanced(done: float, total: float) -> None:
            tracker.report(done, total)
            self.advance = tracker.advance

        try:
            filed = transcribe_into_inbox(
                self.kb,
                self.transcriber,
                audio,
                record.stem,
                recording,
                progress=advanced,
                max_seconds=self.max_seconds,
            )
        except AlreadyFiled:
            return _from_note(job, inbox.note_path(self.kb, record.transcript_name))
        except ModelError as error:  # not the note's fault: keep it for the next start
            return Outcome(job, error=explain(error, named=True), retry=True)
        except ServiceError as error:
            return self._retry_later(job, error)
        except TranscriptionError as error:
            return Outcome(job, error=explain(error, named=True))
        return Outcome(job, filed.path.name, filed.transcript.text, filed.transcript.duration)


def _disk_full(failure: OSError) -> bool:
    return failure.errno in (errno.ENOSPC, errno.EDQUOT)


def _save(kb: KnowledgeBase, record: PendingVoice) -> None:
    """Keep the record's state; a disk that fails here leaves the previous state, logged."""
    try:
        voicequeue.save(kb, record)
    except OSError as error:
        log.warning(
            "voice queue record of %s not updated: %s", record.stem, explain(error, named=True)
        )


def _from_note(job: Job, path: Path | None) -> Outcome:
    """The answer for a note filed already (by a run that died before answering)."""
    if path is None:
        return Outcome(job, error="the transcript vanished while it was being filed")
    note = inbox.read_note(path)
    duration = float(note.header.extra.get("duration") or 0.0)
    return Outcome(job, path.name, note.text, duration)


def _logged(function: Callable[[], object]) -> None:
    try:
        function()
    except Exception:
        log.exception("warming up the transcriber failed; each note will report why")
