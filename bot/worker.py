"""The transcription queue: one note at a time, on a thread of its own, off the event loop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from bot import voicequeue
from bot.voicequeue import PendingVoice
from notes import inbox
from notes.errors import explain
from notes.inbox import AlreadyFiled
from notes.intake import Recording, transcribe_into_inbox
from notes.kb import KnowledgeBase
from transcribe import ModelError, Transcriber, TranscriptionError

HEARTBEAT_SECONDS = 4.5
"""How often `heartbeat` runs while a note is transcribed (a chat action lasts 5 s)."""

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
    """The failure may pass: keep the note for the next start (within MAX_ATTEMPTS)."""


Callback = Callable[[Job], Awaitable[None]]
Deliver = Callable[[Outcome], Awaitable[None]]


class TranscriptionQueue:
    """Jobs wait in order; a single worker thread transcribes them and `deliver` answers."""

    def __init__(
        self,
        kb: KnowledgeBase,
        transcriber: Transcriber,
        deliver: Deliver,
        heartbeat: Callback | None = None,
    ) -> None:
        self.kb = kb
        self.transcriber = transcriber
        self.deliver = deliver
        self.heartbeat = heartbeat
        self._jobs: asyncio.Queue[Job] = asyncio.Queue()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="transcribe")
        self._current: Job | None = None
        self._task: asyncio.Task[None] | None = None
        self._closing = False

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

    def put(self, job: Job) -> None:
        """Queue `job` (`size`, read before, says how many notes are ahead of it)."""
        self._jobs.put_nowait(job)

    def start(self, warm_up: Callable[[], object] | None = None) -> None:
        """Start the worker; `warm_up` (e.g. loading the model) runs first on its thread."""
        if warm_up is not None:
            self._executor.submit(_logged, warm_up)
        self._task = asyncio.create_task(self._run(), name="transcription-queue")

    async def close(self) -> None:
        """Let the note in progress finish and be answered; queued ones wait for the next start."""
        self._closing = True
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
                await self.deliver(await self._process(job))
            except Exception:
                log.exception("answering voice note %s failed", job.record.stem)
            finally:
                self._current = None

    async def _process(self, job: Job) -> Outcome:
        future = asyncio.get_running_loop().run_in_executor(self._executor, self._work, job)
        while self.heartbeat is not None and not future.done():
            with contextlib.suppress(Exception):
                await self.heartbeat(job)
            await asyncio.wait([future], timeout=HEARTBEAT_SECONDS)
        return await future

    def _work(self, job: Job) -> Outcome:
        """Count the attempt, transcribe, and forget the record unless it is worth a retry."""
        try:
            voicequeue.save(self.kb, job.record.tried())
            outcome = self._transcribe(job)
            if not outcome.retry:
                voicequeue.remove(self.kb, job.record.stem)
        except Exception as error:  # the disk, a bug: the note is kept for the next start
            log.exception("transcribing %s failed", job.record.audio_name)
            reason = f"unexpected {explain(error, named=True)}; it is tried again at the next start"
            return Outcome(job, error=reason, retry=True)
        return outcome

    def _transcribe(self, job: Job) -> Outcome:
        record = job.record
        existing = inbox.note_path(self.kb, record.transcript_name)
        if existing is not None:
            return _from_note(job, existing)
        recording = Recording(record.source, record.date, record.user_id, record.username)
        audio = self.kb.audio / record.audio_name
        try:
            filed = transcribe_into_inbox(self.kb, self.transcriber, audio, record.stem, recording)
        except AlreadyFiled:
            return _from_note(job, inbox.note_path(self.kb, record.transcript_name))
        except ModelError as error:  # not the note's fault: keep it for the next start
            return Outcome(job, error=explain(error, named=True), retry=True)
        except TranscriptionError as error:
            return Outcome(job, error=explain(error, named=True))
        return Outcome(job, filed.path.name, filed.transcript.text, filed.transcript.duration)


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
