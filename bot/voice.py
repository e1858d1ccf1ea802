"""A voice note's way through the bot: saved first, answered last, picked up after a restart."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from telegram import Bot, ReplyParameters
from telegram.error import BadRequest, NetworkError, TelegramError

from bot import replies, voicequeue
from bot.records import given_up
from bot.voicequeue import PendingVoice
from bot.worker import Job, Outcome, TranscriptionQueue
from notes.intake import inbox
from notes.kb import KnowledgeBase, atomic

log = logging.getLogger(__name__)


class DownloadError(Exception):
    """The Bot API would not hand the file over; the message says why in one line."""

    def __init__(self, reason: str, *, too_big: bool = False) -> None:
        super().__init__(reason)
        self.too_big = too_big


async def download(bot: Bot, file_id: str, target: Path) -> Path:
    """Fetch a file through the Bot API and write it to `target` atomically."""
    try:
        telegram_file = await bot.get_file(file_id)
        data = await telegram_file.download_as_bytearray()
    except TelegramError as error:
        too_big = "file is too big" in str(error).lower()
        raise DownloadError(str(error) or type(error).__name__, too_big=too_big) from None
    return await asyncio.to_thread(atomic.write_bytes, target, bytes(data))


def answer(outcome: Outcome) -> str:
    """The text that replaces the acknowledgement: the filed transcript, or why it failed."""
    prefix = replies.RESTART_PREFIX if outcome.job.recovered else ""
    if outcome.note_name is not None:
        return replies.transcribed(outcome.note_name, outcome.text, outcome.duration, prefix)
    return replies.failed(outcome.job.record.audio_name, outcome.error or "unknown error", prefix)


async def deliver(bot: Bot, outcome: Outcome) -> bool:
    """Edit the acknowledgement into the answer; without one, reply to the voice note.

    Returns False when the answer could not be sent for now (the network): the note's record
    is then kept and the author answered at the next start.
    """
    job, text = outcome.job, answer(outcome)
    ack_id = job.ack_message_id or job.record.ack_message_id
    if ack_id is not None:
        try:
            await bot.edit_message_text(text, chat_id=job.record.chat_id, message_id=ack_id)
            return True
        except BadRequest as error:
            log.warning("acknowledgement not editable (%s); answering anew", error)
        except NetworkError as error:
            log.warning("could not answer about %s: %s", job.record.stem, error)
            return False
    return await tell(bot, job.record, text)


async def show_progress(bot: Bot, job: Job, status: str) -> None:
    """Edit the acknowledgement into the progress of the note (no acknowledgement: nothing)."""
    ack_id = job.ack_message_id or job.record.ack_message_id
    if ack_id is None:
        return
    try:
        await bot.edit_message_text(
            replies.transcribing(status), chat_id=job.record.chat_id, message_id=ack_id
        )
    except TelegramError as error:
        log.debug("progress not shown: %s", error)


async def tell(bot: Bot, record: PendingVoice, text: str) -> bool:
    """Reply to the voice note of `record`; a chat that is gone is logged, not raised.

    Returns False only when the network failed (worth another try later).
    """
    reply_to = ReplyParameters(record.message_id, allow_sending_without_reply=True)
    try:
        await bot.send_message(record.chat_id, text, reply_parameters=reply_to)
    except NetworkError as error:
        log.warning("could not answer about %s: %s", record.stem, error)
        return False
    except TelegramError as error:
        log.warning("could not answer about %s: %s", record.stem, error)
    return True


async def recover(bot: Bot, kb: KnowledgeBase, queue: TranscriptionQueue) -> int:
    """Queue the notes saved before a restart but never answered; returns how many.

    A note whose try was cut short by the death of the process (not by a stop) has that try
    counted; after MAX_ATTEMPTS it is given up and its author told.
    """
    queued = 0
    for record in await asyncio.to_thread(voicequeue.pending, kb):
        if record.crashed():
            record = record.failed_once()
            await asyncio.to_thread(voicequeue.save, kb, record)
        if await _recoverable(bot, kb, record):
            queue.put(Job(record, record.ack_message_id, recovered=True))
            queued += 1
    if queued:
        log.info("picked up %d voice note(s) saved before the restart", queued)
    return queued


async def _recoverable(bot: Bot, kb: KnowledgeBase, record: PendingVoice) -> bool:
    """True when the note can be answered or tried again; otherwise its author is told why not."""
    if inbox.note_path(kb, record.transcript_name) is not None:
        return True  # filed before the restart: only the answer is missing
    if given_up(record):
        if await tell(bot, record, replies.gave_up(record.audio_name, record.attempts)):
            voicequeue.remove(kb, record.stem)
        return False
    if voicequeue.saved_audio(kb, record.stem) is not None:
        return True
    try:
        await download(bot, record.file_id, kb.audio / record.audio_name)
    except DownloadError as error:
        if await tell(bot, record, replies.lost(str(error))):
            voicequeue.remove(kb, record.stem)
        return False
    return True
