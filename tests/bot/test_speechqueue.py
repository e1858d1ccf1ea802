"""The transcription queue: order, one note at a time, shutdown, failures."""

from __future__ import annotations

import asyncio
import errno
import shutil
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot import jobs, voicetries
from bot.jobs import Job
from bot.speechqueue import Outcome, Queued, TranscriptionQueue
from notes.kb import KnowledgeBase
from tests.conftest import SPEECH_OGG, SPEECH_WORDS
from tests.support.audio import damaged_copy
from tests.support.jobrecords import voice_job
from tests.support.telegram_server import HeldTranscriber
from transcribe import EngineOptions, Progress, Transcriber, Transcript
from transcribe.engine import WhisperEngine

pytestmark = pytest.mark.timeout(120)


def saved_note(kb: KnowledgeBase, message_id: int, audio: Path = SPEECH_OGG) -> Job:
    """A note as the bot leaves it before queueing: audio in inbox/audio, record written."""
    stem = f"20260204_102339_AlexeyDTC_msg{message_id}"
    shutil.copy(audio, kb.audio / f"{stem}.ogg")
    when = datetime(2026, 2, 4, 10, 23, 39, tzinfo=UTC)
    record = voice_job(stem, when, username="AlexeyDTC", message_id=message_id)
    jobs.save(kb, record)
    return record


class Counting:
    """The real engine, watched: how many files it works on at once, and on which thread."""

    def __init__(self, inner: WhisperEngine) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.active = 0
        self.most = 0
        self.threads: set[str] = set()
        self._lock = threading.Lock()

    def transcribe(self, audio: Path, progress: Progress | None = None) -> Transcript:
        with self._lock:
            self.active += 1
            self.most = max(self.most, self.active)
            self.threads.add(threading.current_thread().name)
        try:
            return self.inner.transcribe(audio, progress)
        finally:
            with self._lock:
                self.active -= 1


def only_outcome(kb: KnowledgeBase, transcriber: Transcriber, record: Job) -> Outcome:
    """The one outcome of `record`, put alone on a new queue (warmed up when it can load)."""
    outcomes: list[Outcome] = []

    async def deliver(outcome: Outcome) -> bool:
        outcomes.append(outcome)
        return True

    async def scenario() -> None:
        queue = TranscriptionQueue(kb, transcriber, deliver)
        queue.put(Queued(record))
        queue.start(warm_up=getattr(transcriber, "load", None))
        while not outcomes:
            await asyncio.sleep(0.05)
        await queue.close()

    asyncio.run(scenario())
    (outcome,) = outcomes
    return outcome


def test_notes_are_transcribed_one_at_a_time_in_order_on_one_thread(
    kb: KnowledgeBase, engine: WhisperEngine
) -> None:
    counting = Counting(engine)
    outcomes: list[Outcome] = []
    beats: list[int] = []
    warm: list[str] = []

    async def deliver(outcome: Outcome) -> bool:
        outcomes.append(outcome)
        return True

    async def heartbeat(job: Job) -> None:
        beats.append(job.record.message_id)

    async def scenario() -> list[int]:
        queue = TranscriptionQueue(kb, counting, deliver, heartbeat)
        ahead = []
        for number in (1, 2):
            ahead.append(queue.size)
            queue.put(Queued(saved_note(kb, number)))
        queue.start(warm_up=lambda: warm.append(threading.current_thread().name))
        while len(outcomes) < 2:
            await asyncio.sleep(0.05)
        await queue.close()
        return ahead

    assert asyncio.run(scenario()) == [0, 1]
    assert [outcome.job.record.message_id for outcome in outcomes] == [1, 2]
    assert all(outcome.error is None for outcome in outcomes)
    assert all(sum(w in outcome.text.lower() for w in SPEECH_WORDS) >= 4 for outcome in outcomes)
    assert [outcome.note_name for outcome in outcomes] == [
        "20260204_102339_AlexeyDTC_msg1_transcript.txt",
        "20260204_102339_AlexeyDTC_msg2_transcript.txt",
    ]
    assert counting.most == 1
    assert len(counting.threads) == 1 and warm == list(counting.threads)
    assert beats[0] == 1 and 2 in beats
    assert jobs.SPEECH.pending(kb) == []


def test_closing_lets_the_running_note_finish_and_leaves_the_queued_for_the_next_start(
    kb: KnowledgeBase, engine: WhisperEngine
) -> None:
    held = HeldTranscriber(engine)
    outcomes: list[Outcome] = []

    async def deliver(outcome: Outcome) -> bool:
        outcomes.append(outcome)
        return True

    async def scenario() -> bool:
        queue = TranscriptionQueue(kb, held, deliver)
        queue.put(Queued(saved_note(kb, 1)))
        queue.put(Queued(saved_note(kb, 2)))
        queue.start()
        await asyncio.to_thread(held.started.wait, 30)
        closing = asyncio.create_task(queue.close())
        await asyncio.sleep(0.2)
        waited = not closing.done()
        held.go.set()
        await closing
        return waited

    assert asyncio.run(scenario()), "close() returned while a note was being transcribed"
    assert [outcome.job.record.message_id for outcome in outcomes] == [1]
    assert outcomes[0].note_name is not None
    assert [(r.message_id, r.attempts) for r in jobs.SPEECH.pending(kb)] == [(2, 0)]


def test_bad_audio_is_answered_with_the_reason_and_not_kept_for_another_try(
    kb: KnowledgeBase, engine: WhisperEngine, tmp_path: Path
) -> None:
    record = saved_note(kb, 1, damaged_copy(SPEECH_OGG, tmp_path / "bad.ogg"))
    outcome = only_outcome(kb, engine, record)
    assert outcome.note_name is None and not outcome.retry
    assert outcome.error is not None and outcome.error.startswith("corrupt")
    assert jobs.SPEECH.pending(kb) == []
    assert (kb.audio / record.audio_name).exists()
    assert list(kb.raw.iterdir()) == []


def test_a_model_that_cannot_load_keeps_the_note_for_the_next_start(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    broken = WhisperEngine(EngineOptions(model=str(tmp_path / "no-such-model")))
    record = saved_note(kb, 1)
    outcome = only_outcome(kb, broken, record)
    assert outcome.retry
    assert (outcome.error or "").startswith("cannot load Whisper model")
    waiting = [(r.message_id, r.attempts) for r in jobs.SPEECH.pending(kb)]
    assert waiting == [(1, 0)]  # not its fault


class FullDiskOnce:
    """A real transcriber behind a disk that is full for the first note filed."""

    def __init__(self, inner: WhisperEngine) -> None:
        self.inner = inner
        self.calls = 0

    @property
    def model_id(self) -> str:
        return str(self.inner.model_id)

    def transcribe(self, audio: Path, progress: Progress | None = None) -> Transcript:
        self.calls += 1
        if self.calls == 1:
            raise OSError(errno.ENOSPC, "No space left on device")
        return self.inner.transcribe(audio, progress)


def test_a_full_disk_is_told_as_retried_and_the_note_is_retried_without_counting_it(
    kb: KnowledgeBase, engine: WhisperEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(voicetries, "DISK_RETRY_SECONDS", (0.3,))
    outcomes: list[Outcome] = []

    async def deliver(outcome: Outcome) -> bool:
        outcomes.append(outcome)
        return True

    async def scenario() -> None:
        queue = TranscriptionQueue(kb, FullDiskOnce(engine), deliver)
        queue.put(Queued(saved_note(kb, 1)))
        queue.start()
        while len(outcomes) < 2:
            await asyncio.sleep(0.05)
        await queue.close()

    asyncio.run(scenario())

    full, filed = outcomes
    assert full.error == "no space left on device; the note is kept and tried again in 0.005 min"
    assert filed.note_name == "20260204_102339_AlexeyDTC_msg1_transcript.txt"
    assert filed.job.record.attempts == 0
    assert jobs.SPEECH.pending(kb) == []


def test_a_note_whose_answer_could_not_be_sent_is_kept_for_the_next_start(
    kb: KnowledgeBase, engine: WhisperEngine
) -> None:
    outcomes: list[Outcome] = []

    async def network_down(outcome: Outcome) -> bool:
        outcomes.append(outcome)
        return False

    async def scenario() -> None:
        queue = TranscriptionQueue(kb, engine, network_down)
        queue.put(Queued(saved_note(kb, 1)))
        queue.start()
        while not outcomes:
            await asyncio.sleep(0.05)
        await queue.close()

    asyncio.run(scenario())

    (record,) = jobs.SPEECH.pending(kb)
    assert (record.attempts, record.running) == (0, False)
    assert (kb.raw / "20260204_102339_AlexeyDTC_msg1_transcript.txt").is_file()
