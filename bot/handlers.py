"""Message handlers: the access gate, recordings, text notes, everything else, and errors."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from typing import Any

from telegram import Message, Update, User
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import replies, voicequeue
from bot.media import RECORDINGS, Media, recording_of
from bot.redact import scrub
from bot.voice import DownloadError, download
from bot.voicequeue import PendingVoice
from bot.worker import Job, TranscriptionQueue
from notes import inbox, names
from notes.errors import explain
from notes.inbox import AlreadyFiled
from notes.kb import KnowledgeBase
from notes.transcripts import TEXT_SOURCE, Note, NoteHeader

Context = ContextTypes.DEFAULT_TYPE
AnyApplication = Application[Any, Any, Any, Any, Any, Any]
log = logging.getLogger(__name__)


class MessageHandlers:
    """What the bot does with a message: file it, or say why not."""

    def __init__(self, kb: KnowledgeBase, allowed: Iterable[int], queue: TranscriptionQueue):
        self.kb = kb
        self.allowed = frozenset(allowed)
        self.queue = queue
        self._refused: set[int] = set()

    def register(self, application: AnyApplication) -> None:
        """The gate runs before any other handler; register commands before calling this,
        as the last handler here takes whatever message nothing before it took."""
        application.add_handler(TypeHandler(Update, self.gate), group=-1)
        application.add_handler(MessageHandler(RECORDINGS, self.recording))
        application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, self.text))
        application.add_handler(MessageHandler(filters.ALL, self.unsupported))
        application.add_error_handler(self.error)

    async def gate(self, update: Update, context: Context) -> None:
        """Strangers get one short refusal per run; nothing of theirs is read or kept."""
        user = update.effective_user
        if user is not None and user.id in self.allowed:
            return
        log.warning("refused an update from user id %s", user.id if user else "unknown")
        message = update.effective_message
        if user is not None and message is not None and user.id not in self._refused:
            self._refused.add(user.id)
            await message.reply_text(replies.REFUSAL)
        raise ApplicationHandlerStop

    async def recording(self, update: Update, context: Context) -> None:
        """Save the recording, acknowledge it, queue it for transcription."""
        message, user = update.effective_message, update.effective_user
        media = recording_of(message) if message else None
        if message is None or user is None or media is None:
            return
        stem = _stem(message, user)
        if where := voicequeue.received(self.kb, stem):
            await message.reply_text(replies.duplicate(where))
            return
        record = _pending(message, user, media, stem)
        if await self._save(message, record):
            await self._acknowledge(message, record)

    async def text(self, update: Update, context: Context) -> None:
        """A text message is filed exactly as sent, as `NAME.md` (the KB's text notes)."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None or message.text is None:
            return
        name = names.text_note_name(_stem(message, user))
        header = NoteHeader(TEXT_SOURCE, message.date, user.id, _username(user))
        try:
            await asyncio.to_thread(inbox.file_note, self.kb, name, Note(header, message.text))
        except AlreadyFiled:
            await message.reply_text(replies.duplicate(f"filed as {name}"))
            return
        await message.reply_text(replies.text_filed(name))

    async def unsupported(self, update: Update, context: Context) -> None:
        if update.effective_message is not None:
            await update.effective_message.reply_text(replies.UNSUPPORTED)

    async def error(self, update: object, context: Context) -> None:
        """Log the failure, and tell the author in one line; the bot goes on."""
        reason = scrub(explain(context.error, named=True))
        log.error("handling an update failed: %s", reason, exc_info=context.error)
        if not isinstance(update, Update) or update.effective_message is None:
            return
        if update.effective_user is None or update.effective_user.id not in self.allowed:
            return
        try:
            await update.effective_message.reply_text(replies.error_line(reason))
        except TelegramError as error:
            log.warning("could not report the failure to the author: %s", scrub(str(error)))

    async def _save(self, message: Message, record: PendingVoice) -> bool:
        """Record, then download: a note that reached the bot survives a crash from here on."""
        await asyncio.to_thread(voicequeue.save, self.kb, record)
        try:
            await download(message.get_bot(), record.file_id, self.kb.audio / record.audio_name)
        except DownloadError as error:
            voicequeue.remove(self.kb, record.stem)
            text = replies.TOO_BIG if error.too_big else replies.not_downloaded(str(error))
            await message.reply_text(text)
            return False
        return True

    async def _acknowledge(self, message: Message, record: PendingVoice) -> None:
        ahead = self.queue.size
        try:
            ack = await message.reply_text(replies.ack(ahead), do_quote=True)
            ack_id: int | None = ack.message_id
        except TelegramError as error:
            log.warning("acknowledgement not sent (%s); the result comes anew", error)
            ack_id = None
        self.queue.put(Job(record, ack_id))


def _pending(message: Message, user: User, media: Media, stem: str) -> PendingVoice:
    return PendingVoice(
        stem=stem,
        audio_name=stem + media.suffix,
        source=media.source,
        date=message.date,
        user_id=user.id,
        username=_username(user),
        chat_id=message.chat_id,
        message_id=message.message_id,
        file_id=media.file_id,
    )


def _stem(message: Message, user: User) -> str:
    return names.message_stem(message.date, user.username, user.id, message.message_id)


def _username(user: User) -> str:
    return names.author(user.username, user.id)
