"""The bot's side of materials: photos, albums, videos, round videos, GIFs, documents, links,
forwards, and the links an edit adds.

Each message becomes a job record first (so a crash loses nothing), then an acknowledgement,
then the filing off the event loop, then the acknowledgement edited into what was filed.
Faults of the material (a page that will not load, a corrupt PDF…) are one line in the
answer; the note is filed anyway.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Callable, Coroutine
from dataclasses import replace
from html import escape
from typing import Any

from telegram import Bot, Message, Update
from telegram.error import TelegramError
from telegram.ext import MessageHandler, filters

from bot import answers, jobs, replies
from bot.attempts import Attempts, given_up
from bot.handlers import AnyApplication, Context
from bot.jobs import Job
from bot.jobthreads import in_thread
from bot.material_of import Bursts, job_for, stem_of
from bot.materialfiling import file_job
from bot.materialtasks import JobTooLong, MaterialTasks
from bot.materialtexts import acknowledgement, answer, edit_reply
from bot.redact import scrub
from bot.speechlane import SpeechLane
from bot.status import text_notes_waiting
from notes.errors import explain
from notes.intake import (
    formats,
    inbox,
    linknotes,
    photos,
    videos,
)
from notes.intake import (
    message_edits as edits,
)
from notes.intake.fetch import Stopped
from notes.intake.filing import Filed, Materials
from notes.intake.waiting import waiting
from notes.kb import KnowledgeBase, names
from notes.settings import Settings
from transcribe import Transcriber

log = logging.getLogger(__name__)
WORKERS = 2

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
    def __init__(
        self,
        settings: Settings,
        kb: KnowledgeBase,
        transcriber: Callable[[], Transcriber],
        lane: SpeechLane | None = None,
    ) -> None:
        self.kb = kb
        self.materials = Materials(kb, settings, transcriber=transcriber)
        self.lane = lane  # a video's speech takes it (none: transcribed on the filing thread)
        self.bursts = Bursts()
        self.tasks = MaterialTasks(WORKERS, self.materials.stop)
        self.attempts = Attempts(kb)
        self._filing: dict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        """One job of a key at a time: edits of one message that add links share a key."""

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
            if kind == "links" and not job.urls:
                return
            await self.accept(message, job)

        return handle

    async def edited(self, update: Update, context: Context) -> None:
        """An edit: the note not yet drafted takes the new words; a drafted one a follow-up.
        A link the edit added is fetched and filed like a link in a new message."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None:
            return
        sender = job_for(message, user, "text", None).sender()
        sender = replace(sender, date=message.edit_date or message.date)
        text = message.text or message.caption or ""
        edit = await asyncio.to_thread(
            edits.apply_edit, self.kb, stem_of(message, user), text, sender
        )
        await message.reply_text(edit_reply(edit), do_quote=True)
        links = replace(job_for(message, user, "edit_links", None), date=sender.date)
        added = await asyncio.to_thread(_added_links, self.kb, links)
        if added is not None:
            await self.accept(message, added)

    async def accept(self, message: Message, job: Job) -> None:
        """Record the job, acknowledge it, file it in the background."""
        if await asyncio.to_thread(_already, self.kb, job):
            await message.reply_text(replies.duplicate(job.stem))
            return
        await asyncio.to_thread(jobs.save, self.kb, job)
        try:
            ack = await message.reply_text(acknowledgement(job), do_quote=True)
            job = replace(job, ack_message_id=ack.message_id)
            await asyncio.to_thread(jobs.save, self.kb, job)
        except TelegramError as error:
            log.warning("acknowledgement not sent (%s); the result comes anew", error)
        self._start(message.get_bot(), job)

    async def recover(self, bot: Bot) -> int:
        """File the materials received before a restart but never answered."""
        waiting = await asyncio.to_thread(jobs.FILING.pending, self.kb)
        for job in waiting:
            if job.crashed():  # the process died during its try: that try counts
                job = job.failed_once()
                await asyncio.to_thread(jobs.save, self.kb, job)
            if given_up(job):
                await asyncio.to_thread(jobs.remove, self.kb, job)
                await _tell(bot, job, replies.gave_up_on_message(job.attempts))
                continue
            self._start(bot, replace(job, ack_message_id=None), recovered=True)
        if self.materials.settings.vision_model:
            self.tasks.start(describe_pending(self.materials))
        return len(waiting)

    def stopping(self) -> None:
        """A stop was asked for: fetches end at once, filings not yet begun wait for the
        next start; the tries in progress no longer count if the process dies."""
        self.attempts.stopping()
        self.tasks.stopping()

    async def drain(self) -> None:
        """At shutdown: the filings in progress get a few seconds (materialtasks.STOP_GRACE),
        then are cancelled; whatever is not filed is filed at the next start."""
        self.stopping()
        await self.tasks.drain()

    def _start(self, bot: Bot, job: Job, *, recovered: bool = False) -> None:
        self.tasks.start(self._work(bot, job, recovered))

    async def _work(self, bot: Bot, job: Job, recovered: bool) -> None:
        async with self._filing[job.key], self.tasks.slots:
            if self.tasks.stop.is_set():
                return  # stopping: the record stays, the next start files it
            job = await asyncio.to_thread(self.attempts.begin, job)
            tried = await self._try(bot, job)
            if tried is None:
                return  # not filed: the record stays for the next start
            filed, text = tried
            self.attempts.left(job)
            await asyncio.to_thread(_forget, self.kb, job)
            await _answer(bot, job, (replies.RESTART_PREFIX if recovered else "") + text)
        if any(note.kind == "photo" and not note.problem for note in filed):
            await describe_pending(self.materials)

    async def _try(self, bot: Bot, job: Job) -> tuple[list[Filed], str] | None:
        """The notes filed and the answer; None when the try ended otherwise (a stop, or a
        failure counted against the job and told its author)."""
        try:
            filed = await self.tasks.within(file_job(self.materials, self.lane, bot, job))
        except Stopped:
            self.attempts.left(job)  # the bot stopped mid-fetch: not the job's fault
            return None
        except inbox.AlreadyFiled as error:
            return [], replies.duplicate(str(error))
        except JobTooLong as error:
            await asyncio.to_thread(self.attempts.failed, job)
            await _answer(bot, job, f"Gave up: {error}; it is tried again at the next start.")
            return None
        except Exception as error:
            log.exception("filing %s failed", job.key)
            await asyncio.to_thread(self.attempts.failed, job)
            reason = escape(scrub(explain(error, named=True)))
            await _answer(bot, job, f"Could not file this message: {reason}")
            return None
        for note in filed:
            log.info("filed %s", note.path.name)
        return filed, answer(filed)


async def describe_pending(materials: Materials) -> None:
    """The vision model answers (again): describe the photos and video keyframes filed while
    it did not."""
    try:
        done = await in_thread(photos.describe_pending, materials)
        done += await in_thread(videos.describe_pending, materials)
    except OSError as error:
        log.warning("describing waiting photos failed: %s", error)
        return
    if done:
        log.info("described %d image(s) filed while the vision model was away", len(done))


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


def _forget(kb: KnowledgeBase, job: Job) -> None:
    """Remove the job's record, unless a later edit's record (with more links) replaced it."""
    if job.kind == "edit_links":
        for saved in jobs.FILING.pending(kb):
            if saved.key == job.key and not set(saved.urls) <= set(job.urls):
                return
    jobs.remove(kb, job)


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


async def _answer(bot: Bot, job: Job, text: str) -> None:
    await answers.edit_or_reply(bot, asked(job), text, anew_on_any=True)


async def _tell(bot: Bot, job: Job, text: str) -> None:
    await answers.reply(bot, replace(asked(job), ack_message_id=None), text)


def asked(job: Job) -> answers.Asked:
    """The message of `job` and its acknowledgement, as answers.py addresses them."""
    return answers.Asked(job.chat_id, job.message_id, job.ack_message_id, job.key)
