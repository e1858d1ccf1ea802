"""Message handlers: the access gate, recordings, text notes, everything else, and errors.

Every update reaches these handlers from the journal (bot/polling.py): kept on disk first,
forgotten once they have run. A handler may therefore run twice for one message (the process
died before its end was noted): each one files a message once and, for an update replayed
after a restart, says so ("After a restart: ...").
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from telegram import Chat, Message, Update, User
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import jobs, replies, requests, updatefailures
from bot.content import as_sent, caption_of
from bot.jobs import Job, forward_dict
from bot.material_of import forward_of
from bot.polling import Ledger
from bot.recordings import RECORDINGS, Media, recording_of
from bot.voice import DownloadError, download
from bot.worker import Worker
from notes.intake import inbox
from notes.intake.inbox import AlreadyFiled
from notes.intake.transcripts import TEXT_SOURCE, Note, NoteHeader, request_extra
from notes.kb import KnowledgeBase, names

Context = ContextTypes.DEFAULT_TYPE
AnyApplication = Application[Any, Any, Any, Any, Any, Any]
GATE_GROUP = -2
log = logging.getLogger(__name__)


class MessageHandlers:
    """What the bot does with a message: file it, or say why not."""

    def __init__(
        self,
        kb: KnowledgeBase,
        allowed: Iterable[int],
        worker: Worker,
        ledger: Ledger,
        groups: Iterable[int] = (),
    ):
        self.kb = kb
        self.allowed = frozenset(allowed)
        self.groups = frozenset(groups)
        self.worker = worker
        self.queue = worker.speech
        self.ledger = ledger
        self._refused: set[int] = set()
        self._groups_told: set[int] = set()

    def register(self, application: AnyApplication) -> None:
        """The gate runs before any other handler; register commands and materials before
        calling this, as the last handler here takes whatever message nothing before took."""
        application.add_handler(TypeHandler(Update, self.gate), group=GATE_GROUP)
        application.add_handler(MessageHandler(RECORDINGS, self.recording))
        application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, self.text))
        application.add_handler(MessageHandler(filters.ALL, self.unsupported))
        application.add_error_handler(self.error)

    def admits(self, update: Update) -> bool:
        """An allowed user in a private chat or an allowed group: the updates worth keeping."""
        user, chat = update.effective_user, update.effective_chat
        if user is None or user.id not in self.allowed or chat is None:
            return False
        return chat.type == ChatType.PRIVATE or chat.id in self.groups

    async def gate(self, update: Update, context: Context) -> None:
        """Private chats with allowed users, and the allowed groups, pass; nothing else is kept.

        A stranger gets one short refusal per run; an allowed user writing in another group
        is told once, privately, that it was not filed.
        """
        user, chat = update.effective_user, update.effective_chat
        if chat is not None and chat.type != ChatType.PRIVATE and chat.id not in self.groups:
            log.warning("ignored an update from chat id %s (%s)", chat.id, chat.type)
            await _tell_about_group(self.allowed, self._groups_told, user, chat, context)
            raise ApplicationHandlerStop
        if user is not None and user.id in self.allowed:
            _log_received(update)
            return
        log.warning("refused an update from user id %s", user.id if user else "unknown")
        message = update.effective_message
        private = chat is not None and chat.type == ChatType.PRIVATE
        if private and user is not None and message is not None and user.id not in self._refused:
            self._refused.add(user.id)
            await message.reply_text(replies.refusal(user.id))
        raise ApplicationHandlerStop

    async def recording(self, update: Update, context: Context) -> None:
        """Save the recording, acknowledge it, queue it for transcription."""
        message, user = update.effective_message, update.effective_user
        media = recording_of(message) if message else None
        if message is None or user is None or media is None:
            return
        stem = _stem(message, user)
        if await self._known(update, message, stem):
            return
        record = jobs.SPEECH.get(self.kb, stem) or _pending(message, user, media, stem)
        if record.article is None:
            record = replace(record, article=await requests.article_of(self.kb, message))
        if await self._save(message, record):
            await self._acknowledge(message, record, self.ledger.is_replay(update))

    async def text(self, update: Update, context: Context) -> None:
        """A text message is filed as sent (unsafe control characters aside), as `NAME.md`."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None or message.text is None:
            return
        prefix = replies.RESTART_PREFIX if self.ledger.is_replay(update) else ""
        name = names.text_note_name(_stem(message, user))
        extra = request_extra(await requests.article_of(self.kb, message))
        header = NoteHeader(TEXT_SOURCE, message.date, user.id, _username(user), extra=extra)
        note = Note(header, as_sent(message.text))
        try:
            await asyncio.to_thread(inbox.file_note, self.kb, name, note)
        except AlreadyFiled:
            again = replies.text_filed(name, prefix) if prefix else None
            await message.reply_text(again or replies.duplicate(f"filed as {name}"), do_quote=True)
            return
        log.info("filed %s", name)
        await message.reply_text(replies.text_filed(name, prefix), do_quote=True)

    async def unsupported(self, update: Update, context: Context) -> None:
        if update.effective_message is not None:
            await update.effective_message.reply_text(replies.UNSUPPORTED)

    async def error(self, update: object, context: Context) -> None:
        """Log the failure and tell the author in one line; the bot goes on (a failure of the
        disk leaves the update kept and tried again: bot/updatefailures.py)."""
        await updatefailures.report(self.ledger, self.allowed, update, context.error)

    async def _known(self, update: Update, message: Message, stem: str) -> bool:
        """True when this recording was received before; the author is told where it is.

        A note queued already (a replay after a restart, or recovered) says nothing: its
        answer comes from the queue.
        """
        replay = self.ledger.is_replay(update)
        if self.queue.holds(stem):
            if not replay:
                await message.reply_text(replies.duplicate("waiting for transcription"))
            return True
        where = jobs.ended(self.kb, stem)
        if where is None:
            return False
        prefix = replies.RESTART_PREFIX if replay else ""
        await message.reply_text(replies.duplicate(where, prefix), do_quote=True)
        return True

    async def _save(self, message: Message, record: Job) -> bool:
        """Record, then download: a note that reached the bot survives a crash from here on."""
        await asyncio.to_thread(jobs.save, self.kb, record)
        if jobs.saved_audio(self.kb, record.stem) is not None:
            return True
        try:
            target = self.kb.audio / record.audio_name
            await download(message.get_bot(), record.file_id or "", target)
        except DownloadError as error:
            jobs.remove(self.kb, record)
            text = replies.TOO_BIG if error.too_big else replies.not_downloaded(str(error))
            await message.reply_text(text)
            return False
        return True

    async def _acknowledge(self, message: Message, record: Job, replay: bool) -> None:
        """Acknowledge (saying how many notes are ahead) and queue (bot/worker.py)."""
        prefix = replies.RESTART_PREFIX if replay else ""
        text = prefix + replies.ack(self.queue.size)
        await self.worker.acknowledge(message, record, text, recovered=replay)


async def _tell_about_group(
    allowed: frozenset[int], told: set[int], user: User | None, chat: Chat, context: Context
) -> None:
    """Tell an allowed user, once per group and run, that what he sent there is not filed."""
    if user is None or user.id not in allowed or chat.id in told:
        return
    told.add(chat.id)
    try:
        text = replies.group_ignored(chat.title or str(chat.id))
        await context.bot.send_message(user.id, text)
    except TelegramError as error:
        log.warning("could not tell user id %s about the group: %s", user.id, error)


def _pending(message: Message, user: User, media: Media, stem: str) -> Job:
    return Job(
        stem=stem,
        audio_name=stem + media.suffix,
        source=media.source,
        date=message.date,
        user_id=user.id,
        username=_username(user),
        chat_id=message.chat_id,
        message_id=message.message_id,
        file_id=media.file_id,
        caption=caption_of(message),
        forward=forward_dict(forward_of(message)),
    )


KINDS = ("voice", "audio", "video_note", "video", "animation", "photo", "document", "text")


def _log_received(update: Update) -> None:
    """One log line per message an allowed user sent: its kind, id and sender, no content."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    kind = next((k for k in KINDS if getattr(message, k, None)), "message")
    edited = "edited " if update.edited_message is not None else ""
    log.info("received %s%s %s from user id %s", edited, kind, message.message_id, user.id)


def _stem(message: Message, user: User) -> str:
    return names.message_stem(message.date, user.username, user.id, message.message_id)


def _username(user: User) -> str:
    return names.author(user.username, user.id)
