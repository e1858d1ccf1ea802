"""One try at filing a voice note: marked running on its record, transcribed, and how it
ended recorded, so a process that dies at any point leaves the record to the next start.

Tries are counted by the one attempts rule (bot/attempts.py): one cut short by the death of the
process counts against the note, one cut short by a stop that was asked for does not. A full
disk or a transcription server that fails is not the note's fault: it is tried again in this
process, later each time.
"""

from __future__ import annotations

import errno
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from bot.attempts import Attempts
from bot.jobs import Job
from bot.speechlane import Advance, Tracker
from notes import retries
from notes.errors import explain
from notes.intake import inbox
from notes.intake.inbox import AlreadyFiled
from notes.intake.voice import transcribe_into_inbox
from notes.kb import KnowledgeBase
from transcribe import ModelError, ServiceError, Transcriber, TranscriptionError

DISK_RETRY_SECONDS = retries.RETRY_SECONDS
"""When a note could not be filed for lack of space (or the server failed): the waits before it
is tried again, the one retry schedule."""

log = logging.getLogger("bot.worker")
"""The queue's log: these lines read as they always have."""


@dataclass(frozen=True)
class Queued:
    """A voice note in the queue."""

    record: Job
    ack_message_id: int | None = None
    """The acknowledgement to edit into the result; None sends a new message instead."""
    recovered: bool = False
    """Saved before a restart and picked up at this start."""


@dataclass(frozen=True)
class Outcome:
    job: Queued
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


class VoiceTries:
    """The tries of the voice queue's notes, on its one thread; `stopping` from the loop."""

    def __init__(
        self,
        kb: KnowledgeBase,
        transcriber: Transcriber,
        max_seconds: float | None,
        advanced: Callable[[Advance | None], None],
        attempts: Attempts | None = None,
    ) -> None:
        self.kb = kb
        self.transcriber = transcriber
        self.max_seconds = max_seconds
        self.advanced = advanced
        """Told how far the note in progress is (for /status and the progress in the chat)."""
        self.attempts = attempts or Attempts(kb)
        """Shared with the filing lane: one stop unmarks the tries of both."""
        self._disk_tries: dict[str, int] = {}

    @property
    def stop_requested(self) -> bool:
        return self.attempts.stop_requested

    def stopping(self) -> None:
        """A stop was asked for: the try in progress no longer counts if the process dies."""
        self.attempts.stopping()

    def forget(self, stem: str) -> None:
        """The note is answered: its count of disk retries goes."""
        self._disk_tries.pop(stem, None)

    def work(self, job: Queued) -> Outcome:
        """Mark the try, transcribe, and record how it ended (the record stays until told)."""
        job = replace(job, record=self.attempts.begin(job.record))
        try:
            outcome = self._transcribe(job)
        except Exception as error:  # a bug, or the note's fault: counted, tried at the next start
            if isinstance(error, OSError) and _disk_full(error):
                return self._record(self._retry_later(job, error), self.attempts.ended(job.record))
            log.exception("transcribing %s failed", job.record.audio_name)
            reason = f"unexpected {explain(error, named=True)}; it is tried again at the next start"
            outcome = Outcome(job, error=reason, retry=True)
            return self._record(outcome, self.attempts.failed(job.record))
        if outcome.note_name:
            log.info("filed %s", outcome.note_name)
        return self._record(outcome, self.attempts.ended(job.record))

    def _retry_later(self, job: Queued, failure: Exception) -> Outcome:
        """The disk (full, say) or the transcription server failed: not the note's fault;
        tried again in this process, later each time."""
        log.warning("filing %s failed: %s", job.record.stem, explain(failure))
        tries = self._disk_tries.get(job.record.stem, 0)
        self._disk_tries[job.record.stem] = tries + 1
        seconds = retries.scheduled(tries, DISK_RETRY_SECONDS)
        reason = f"{explain(failure)}; the note is kept and tried again in {seconds / 60:g} min"
        return Outcome(job, error=reason, retry=True, retry_in=seconds)

    def _record(self, outcome: Outcome, record: Job) -> Outcome:
        return replace(outcome, job=replace(outcome.job, record=record))

    def _transcribe(self, job: Queued) -> Outcome:
        record = job.record
        existing = inbox.note_path(self.kb, record.transcript_name)
        if existing is not None:
            return _from_note(job, existing)
        recording = record.recording()
        audio = self.kb.audio / record.audio_name
        tracker = Tracker()

        def advanced(done: float, total: float) -> None:
            tracker.report(done, total)
            self.advanced(tracker.advance)

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


def _from_note(job: Queued, path: Path | None) -> Outcome:
    """The answer for a note filed already (by a run that died before answering)."""
    if path is None:
        return Outcome(job, error="the transcript vanished while it was being filed")
    note = inbox.read_note(path)
    duration = float(note.header.extra.get("duration") or 0.0)
    return Outcome(job, path.name, note.text, duration)
