"""Voice notes across restarts and failed edits: recovery at start, answers, downloads."""

from __future__ import annotations

import asyncio
import shutil
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from telegram import Bot

from bot import jobs, replies
from bot.attempts import MAX_ATTEMPTS
from bot.jobs import Job, forward_dict
from bot.speechqueue import Outcome, Queued
from bot.voice import DownloadError, answer, deliver, download
from notes.intake.inbox import file_note, read_note
from notes.intake.origin import Forward
from notes.intake.transcripts import Note, NoteHeader
from notes.kb import KnowledgeBase
from tests.conftest import SPEECH_OGG
from tests.support.telegram_server import (
    FEB_4,
    OWNER,
    FakeBotAPI,
    HeldTranscriber,
    bot_running,
    bot_settings,
    voice_message,
)
from transcribe import Progress, Transcript
from transcribe.engine import WhisperEngine

pytestmark = pytest.mark.timeout(180)

NAME = "20260204_102339_AlexeyDTC_msg900"
WHEN = datetime(2026, 2, 4, 10, 23, 39, tzinfo=UTC)


def left_behind(kb: KnowledgeBase, file_id: str = "file-lost", attempts: int = 1) -> Job:
    """The record a process leaves when it dies after the acknowledgement."""
    record = Job(
        stem=NAME,
        audio_name=f"{NAME}.ogg",
        source="telegram_voice",
        date=WHEN,
        user_id=OWNER.id,
        username="AlexeyDTC",
        chat_id=OWNER.id,
        message_id=900,
        file_id=file_id,
        caption="",
        attempts=attempts,
    )
    jobs.save(kb, record)
    return record


class FailingOnce:
    """A transcriber whose disk fails the first time (an error worth another try)."""

    model_id = "failing"

    def transcribe(self, audio: Path, progress: Progress | None = None) -> Transcript:
        raise OSError("simulated I/O failure")


def test_audio_saved_before_a_crash_is_transcribed_at_start_and_its_author_told(
    kb: KnowledgeBase, api: FakeBotAPI, engine: WhisperEngine
) -> None:
    left_behind(kb)
    shutil.copy(SPEECH_OGG, kb.audio / f"{NAME}.ogg")

    with bot_running(bot_settings(kb.root, api), engine):
        (told,) = api.wait_for(lambda: api.sent_to(OWNER.id), what="the recovered transcript")

    assert told.reply_to == 900
    assert told.html.startswith(f"After a restart: Filed <code>{NAME}_transcript.txt</code>")
    note = read_note(kb.raw / f"{NAME}_transcript.txt")
    assert (note.header.source, note.header.date, note.header.audio_file) == (
        "telegram_voice",
        WHEN,
        f"{NAME}.ogg",
    )
    assert jobs.SPEECH.pending(kb) == []
    assert not api.calls_to("getFile")


def test_a_forwarded_note_saved_before_a_crash_keeps_its_origin(
    kb: KnowledgeBase, api: FakeBotAPI, engine: WhisperEngine
) -> None:
    origin = Forward("channel", "Data Channel", WHEN, "datachan", -1001012345678, 55)
    jobs.save(kb, replace(left_behind(kb), forward=forward_dict(origin)))
    shutil.copy(SPEECH_OGG, kb.audio / f"{NAME}.ogg")

    with bot_running(bot_settings(kb.root, api), engine):
        api.wait_for(lambda: api.sent_to(OWNER.id), what="the recovered transcript")

    extra = read_note(kb.raw / f"{NAME}_transcript.txt").header.extra
    assert (extra["forwarded_from"], extra["forwarded_from_kind"]) == ("Data Channel", "channel")
    assert (extra["forwarded_date"], extra["forwarded_message_id"]) == (WHEN, 55)
    assert (extra["forwarded_from_username"], extra["forwarded_chat_id"]) == (
        "datachan",
        -1001012345678,
    )


def test_a_note_whose_download_was_cut_short_is_fetched_again_at_start(
    kb: KnowledgeBase, api: FakeBotAPI, engine: WhisperEngine
) -> None:
    left_behind(kb, file_id=api.add_file(SPEECH_OGG.read_bytes()), attempts=0)

    with bot_running(bot_settings(kb.root, api), engine):
        (told,) = api.wait_for(lambda: api.sent_to(OWNER.id), what="the recovered transcript")

    assert told.html.startswith(f"After a restart: Filed <code>{NAME}_transcript.txt</code>")
    assert (kb.audio / f"{NAME}.ogg").read_bytes() == SPEECH_OGG.read_bytes()


def test_a_note_filed_just_before_a_crash_is_answered_without_transcribing_again(
    kb: KnowledgeBase, api: FakeBotAPI, engine: WhisperEngine
) -> None:
    left_behind(kb)
    shutil.copy(SPEECH_OGG, kb.audio / f"{NAME}.ogg")
    header = NoteHeader(
        "telegram_voice", WHEN, OWNER.id, "AlexeyDTC", f"{NAME}.ogg", {"duration": 12.1}
    )
    file_note(kb, f"{NAME}_transcript.txt", Note(header, "Со спокойным мужеством"))
    held = HeldTranscriber(engine)

    with bot_running(bot_settings(kb.root, api), held):
        (told,) = api.wait_for(lambda: api.sent_to(OWNER.id), what="the answer")

    assert told.text == (
        f"After a restart: Filed {NAME}_transcript.txt (12 s)\nСо спокойным мужеством"
    )
    assert held.files == []
    assert jobs.SPEECH.pending(kb) == []


def test_a_note_that_failed_too_often_is_given_up_and_its_audio_kept(
    kb: KnowledgeBase, api: FakeBotAPI, engine: WhisperEngine
) -> None:
    left_behind(kb, attempts=MAX_ATTEMPTS)
    shutil.copy(SPEECH_OGG, kb.audio / f"{NAME}.ogg")

    with bot_running(bot_settings(kb.root, api), engine):
        (told,) = api.wait_for(lambda: api.sent_to(OWNER.id), what="the answer")

    assert told.text == (
        f"After a restart: gave up on a voice note after {MAX_ATTEMPTS} tries. "
        f"The recording is kept as inbox/audio/{NAME}.ogg."
    )
    assert jobs.SPEECH.pending(kb) == []
    assert (kb.audio / f"{NAME}.ogg").exists()
    assert list(kb.raw.iterdir()) == []


def test_an_unexpected_failure_is_tried_again_at_the_next_start(
    kb: KnowledgeBase, api: FakeBotAPI, engine: WhisperEngine
) -> None:
    api.queue(voice_message(OWNER, 900, api.add_file(SPEECH_OGG.read_bytes()), date=FEB_4))
    settings = bot_settings(kb.root, api)
    with bot_running(settings, FailingOnce()):
        (failed,) = api.wait_for(
            lambda: [m for m in api.sent_to(OWNER.id) if len(m.texts) > 1], what="the failure"
        )
    assert failed.text.startswith(
        "Could not transcribe: unexpected OSError: simulated I/O failure; it is tried again"
    )
    assert [record.attempts for record in jobs.SPEECH.pending(kb)] == [1]

    with bot_running(settings, engine):
        told = api.wait_for(
            lambda: [m for m in api.sent_to(OWNER.id) if len(m.texts) > 2], what="the answer"
        )

    assert told == [failed]  # the acknowledgement, edited once more, even after the restart
    assert told[0].html.startswith(f"After a restart: Filed <code>{NAME}_transcript.txt</code>")
    assert jobs.SPEECH.pending(kb) == []


def test_an_acknowledgement_that_cannot_be_edited_is_answered_anew(
    kb: KnowledgeBase, api: FakeBotAPI
) -> None:
    record = left_behind(kb)
    outcome = Outcome(Queued(record, ack_message_id=424242), f"{NAME}_transcript.txt", "текст", 3.0)

    async def deliver_it() -> None:
        async with Bot(api.token, base_url=f"{api.url}/bot") as bot:
            await deliver(bot, outcome)

    asyncio.run(deliver_it())

    (sent,) = api.sent_to(OWNER.id)
    assert sent.reply_to == 900
    assert sent.text == f"Filed {NAME}_transcript.txt (3 s)\nтекст"
    assert len(api.calls_to("editMessageText")) == 1


def test_download_writes_the_file_whole_or_says_why_not(api: FakeBotAPI, tmp_path: Path) -> None:
    good = api.add_file(b"OggS and more")
    big = api.add_file(b"OggS", declared_size=21 * 1024 * 1024)

    async def fetch(file_id: str, target: Path) -> Path:
        async with Bot(
            api.token, base_url=f"{api.url}/bot", base_file_url=f"{api.url}/file/bot"
        ) as bot:
            return await download(bot, file_id, target)

    assert asyncio.run(fetch(good, tmp_path / "a.ogg")).read_bytes() == b"OggS and more"
    with pytest.raises(DownloadError) as too_big:
        asyncio.run(fetch(big, tmp_path / "b.ogg"))
    assert too_big.value.too_big
    with pytest.raises(DownloadError) as unknown:
        asyncio.run(fetch("no-such-file", tmp_path / "c.ogg"))
    assert not unknown.value.too_big
    assert str(unknown.value) == "Invalid file_id"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["a.ogg"]


def test_answer_is_the_transcript_or_the_reason_with_a_restart_prefix_when_recovered(
    kb: KnowledgeBase,
) -> None:
    record = left_behind(kb)
    filed = Outcome(Queued(record, 1), f"{NAME}_transcript.txt", "a < b", 2.4)
    failed = Outcome(Queued(record, recovered=True), error="no speech found")

    assert answer(filed) == (
        f"Filed <code>{NAME}_transcript.txt</code> (2 s)\n"
        "<blockquote expandable>a &lt; b</blockquote>"
    )
    assert answer(failed) == replies.RESTART_PREFIX + (
        f"Could not transcribe: no speech found. The recording is kept as "
        f"<code>inbox/audio/{NAME}.ogg</code>."
    )


def test_only_a_death_during_a_try_not_asked_for_counts_against_the_note(
    kb: KnowledgeBase, api: FakeBotAPI, engine: WhisperEngine
) -> None:
    crashed = left_behind(kb, attempts=MAX_ATTEMPTS - 1)
    jobs.save(kb, replace(crashed, running=True))  # died mid-try, no stop asked for
    shutil.copy(SPEECH_OGG, kb.audio / f"{NAME}.ogg")
    stopped = replace(crashed, stem=f"{NAME}1", audio_name=f"{NAME}1.ogg", message_id=901)
    jobs.save(kb, stopped)  # killed after a stop was asked for: running is False
    shutil.copy(SPEECH_OGG, kb.audio / f"{NAME}1.ogg")

    with bot_running(bot_settings(kb.root, api), engine):
        answers = api.wait_for(
            lambda: len(api.sent_to(OWNER.id)) == 2 and api.sent_to(OWNER.id), what="answers"
        )

    gave_up, filed = sorted(answers, key=lambda m: m.reply_to or 0)
    assert gave_up.text.startswith("After a restart: gave up on a voice note after 3 tries")
    assert filed.html.startswith(f"After a restart: Filed <code>{NAME}1_transcript.txt</code>")
