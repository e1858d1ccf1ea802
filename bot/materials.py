"""The bot's side of materials: photos, albums, videos, round videos, GIFs, documents, links,
forwards, and the links an edit adds.

Each message becomes a job (bot/jobs.py) that the one worker (bot/worker.py) records first (so
a crash loses nothing), acknowledges, and files in its filing lane (bot/filinglane.py), the
acknowledgement then edited into what was filed. Faults of the material (a page that will not
load, a corrupt PDF…) are one line in the answer; the note is filed anyway.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from dataclasses import replace
from typing import Any

from telegram import Message, Update
from telegram.ext import MessageHandler, filters

from bot import jobs, replies, requests
from bot.handlers import AnyApplication, Context
from bot.jobs import Job
from bot.material_of import Bursts, job_for, stem_of
from bot.materialtexts import acknowledgement, edit_reply
from bot.status import text_notes_waiting
from bot.worker import Worker
from notes.intake import (
    formats,
    inbox,
    linknotes,
)
from notes.intake import (
    message_edits as edits,
)
from notes.intake.waiting import waiting
from notes.kb import KnowledgeBase, names

LINKS = ~filters.UpdateType.EDITED & (
    filters.Regex(r"(?i)https?://")
    | filters.CaptionRegex(r"(?i)https?://")
    | filters.Entity("url")
    | filters.Entity("text_link")
    | filters.CaptionEntity("url")
    | filters.CaptionEntity("text_link")
)


class _InBurst(filters.MessageFilter):
    """A message sent while a burst of forwards is open in its chat."""

    def __init__(self, bursts: Bursts) -> None:
        super().__init__(name="InBurst")
        self.bursts = bursts

    def filter(self, message: Message) -> bool:
        return self.bursts.is_open(message)


class MaterialHandlers:
    """The handlers of every message but a recording or a plain text; the worker files."""

    def __init__(self, kb: KnowledgeBase, worker: Worker) -> None:
        self.kb = kb
        self.worker = worker
        self.bursts = Bursts()

    def register(self, application: AnyApplication) -> None:
        """Register before the voice and text handlers: forwards and comments come here first.

        Links get a handler group of their own, so a text is filed as a text note and its
        links as link notes.
        """
        texts = filters.TEXT & ~filters.COMMAND
        application.add_handler(MessageHandler(filters.UpdateType.EDITED, self.edited))
        application.add_handler(MessageHandler(filters.PHOTO, self._on("photo")))
        application.add_handler(MessageHandler(filters.ANIMATION, self._on("animation")))
        application.add_handler(MessageHandler(filters.VIDEO, self._on("video")))
        application.add_handler(MessageHandler(filters.VIDEO_NOTE, self._on("video_note")))
        application.add_handler(
            MessageHandler(filters.Document.ALL & ~filters.Document.AUDIO, self._on("document"))
        )
        in_burst = filters.FORWARDED | _InBurst(self.bursts)
        application.add_handler(MessageHandler(texts & in_burst, self._on("text")))
        application.add_handler(MessageHandler(LINKS, self._on("links")), group=1)

    def _on(self, kind: str) -> Callable[[Update, Context], Coroutine[Any, Any, None]]:
        async def handle(update: Update, context: Context) -> None:
            message, user = update.effective_message, update.effective_user
            if message is None or user is None:
                return
            group = self.bursts.group_for(message)
            job = job_for(message, user, kind, group)
            if kind == "links":
                if not job.urls:
                    return
                # Sent in reply to a message naming an article: the pages are material for it.
                job = replace(job, article=await requests.article_of(self.kb, message))
            await self.accept(message, job)

        return handle

    async def edited(self, update: Update, context: Context) -> None:
        """An edit: the note not yet drafted takes the new words; a drafted one a follow-up.
        A link the edit added is fetched and filed like a link in a new message."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None:
            return
        origin = job_for(message, user, "text", None).origin()
        origin = replace(origin, date=message.edit_date or message.date)
        text = message.text or message.caption or ""
        edit = await asyncio.to_thread(
            edits.apply_edit, self.kb, stem_of(message, user), text, origin
        )
        await message.reply_text(edit_reply(edit), do_quote=True)
        links = replace(job_for(message, user, "edit_links", None), date=origin.date)
        added = await asyncio.to_thread(_added_links, self.kb, links)
        if added is not None:
            await self.accept(message, added)

    async def accept(self, message: Message, job: Job) -> None:
        """Record the job, acknowledge it, file it in the background (bot/worker.py)."""
        if await asyncio.to_thread(_already, self.kb, job):
            await message.reply_text(replies.duplicate(job.stem))
            return
        await self.worker.accept(message, job, acknowledgement(job))


def status_line(kb: KnowledgeBase) -> str:
    """/status: material notes waiting, photos not yet described, messages being filed;
    "" when there are none (a voice-only inbox reads as before)."""
    notes, undescribed = waiting(kb)
    notes -= text_notes_waiting(kb)  # the inbox line counts them
    filing_now = len(jobs.FILING.pending(kb))
    if not notes and not filing_now:
        return ""
    line = f"Materials: {notes} {'note' if notes == 1 else 'notes'} waiting"
    if undescribed:
        line += (
            f" ({undescribed} photo(s) or keyframe(s) to describe when the vision model"
            " answers again)"
        )
    return line + (f", {filing_now} being filed." if filing_now else ".")


def _added_links(kb: KnowledgeBase, job: Job) -> Job | None:
    """The job that files the links an edit added; None when it added none.

    Links the message has notes of, or that its own links job or an earlier edit's job is
    still filing, are left out (so an edit delivered twice is acknowledged once). Links an
    earlier edit's job has yet to file are carried over into this record, which replaces
    that one (filing skips whatever that job has filed by then).
    """
    waiting = jobs.FILING.pending(kb)
    mine = [j for j in waiting if j.stem == job.stem and j.kind in ("links", "edit_links")]
    filing = {url for j in mine for url in j.urls}
    fresh = [url for url in linknotes.unfiled(kb, job.stem, job.urls) if url not in filing]
    if not fresh:
        return None
    earlier = [url for j in waiting if j.key == job.key for url in j.urls]
    return replace(job, urls=list(dict.fromkeys([*earlier, *fresh])))


def _already(kb: KnowledgeBase, job: Job) -> bool:
    if job.kind == "edit_links":
        return False  # what is new was worked out from the notes and records (_added_links)
    if jobs.exists(kb, job):
        return True
    if job.kind == "video_note" and (kb.audio / f"{job.stem}.mp4").is_file():
        return True  # received by an earlier version, as a recording: it files it as one
    suffixes = {
        "photo": [formats.PHOTO_SUFFIX, formats.FILE_SUFFIX],
        "document": [formats.PHOTO_SUFFIX, formats.FILE_SUFFIX, formats.VIDEO_SUFFIX],
        "video": [formats.VIDEO_SUFFIX],
        "video_note": [formats.VIDEO_SUFFIX, names.TRANSCRIPT_SUFFIX],
        "animation": [formats.VIDEO_SUFFIX],
        "text": [formats.TEXT_SUFFIX],
        "links": [formats.LINK_SUFFIX, formats.YOUTUBE_SUFFIX],
    }[job.kind]
    return any(inbox.note_path(kb, job.stem + suffix) for suffix in suffixes)
