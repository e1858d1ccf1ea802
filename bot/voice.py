"""A voice note's way through the bot: saved first, answered last, picked up after a restart."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from telegram import Bot
from telegram.error import TelegramError

from bot import answers, jobs, replies
from bot.attempts import given_up
from bot.jobs import Job
from bot.speechqueue import Outcome, Queued
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
    return await answers.edit_or_reply(bot, asked(outcome.job), answer(outcome))


async def show_progress(bot: Bot, job: Queued, status: str) -> None:
    """Edit the acknowledgement into the progress of the note (no acknowledgement: nothing)."""
    await answers.show_progress(bot, asked(job), status)


async def tell(bot: Bot, record: Job, text: str) -> bool:
    """Reply to the voice note of `record` (answers.reply)."""
    where = answers.Asked(record.chat_id, record.message_id, None, record.stem)
    return await answers.reply(bot, where, text)


def asked(job: Queued) -> answers.Asked:
    """The voice note of `job` and its acknowledgement, as answers.py addresses them."""
    record = job.record
    ack_id = job.ack_message_id or record.ack_message_id
    return answers.Asked(record.chat_id, record.message_id, ack_id, record.stem)


async def recoverable(bot: Bot, kb: KnowledgeBase, record: Job) -> bool:
    """True when the note can be answered or tried again; otherwise its author is told why not."""
    if inbox.note_path(kb, record.transcript_name) is not None:
        return True  # filed before the restart: only the answer is missing
    if given_up(record):
        if await tell(bot, record, replies.gave_up(record.audio_name, record.attempts)):
            jobs.remove(kb, record)
        return False
    if jobs.saved_audio(kb, record.stem) is not None:
        return True
    try:
        await download(bot, record.file_id or "", kb.audio / record.audio_name)
    except DownloadError as error:
        if await tell(bot, record, replies.lost(str(error))):
            jobs.remove(kb, record)
        return False
    return True
