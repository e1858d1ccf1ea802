"""The filing lane: every job but a recording, filed side by side (WORKERS at a time), each
try bounded in time and counted by the one attempts rule (bot/attempts.py), its author answered
once its notes are filed.

A job's record stays until its notes are filed and its author told: a try that fails, runs too
long or is cut short by a stop leaves it to the next start. A video's speech takes the speech
lane (bot/materialfiling.py), so two recordings never compete for the model.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from dataclasses import replace

from telegram import Bot

from bot import answers, jobs, replies
from bot.attempts import Attempts
from bot.jobs import Job
from bot.jobthreads import in_thread
from bot.materialfiling import file_job
from bot.materialtasks import JobTooLong, MaterialTasks
from bot.materialtexts import answer
from bot.speechlane import SpeechLane
from notes.errors import explain
from notes.intake import inbox, photos, videos
from notes.intake.fetch import Stopped
from notes.intake.filing import FiledNote, Materials
from notes.kb import KnowledgeBase

log = logging.getLogger("bot.materials")
"""The lane's log: these lines read as they always have."""
WORKERS = 2


class FilingLane:
    """Up to WORKERS filings at once; one job of a key at a time (edits of one message that
    add links share a key)."""

    def __init__(self, materials: Materials, lane: SpeechLane | None, attempts: Attempts) -> None:
        self.materials = materials
        self.kb = materials.kb
        self.lane = lane  # a video's speech takes it (none: transcribed on the filing thread)
        self.attempts = attempts
        self.tasks = MaterialTasks(WORKERS, materials.stop)
        self._filing: dict[str, asyncio.Lock] = defaultdict(asyncio.Lock)

    def put(self, bot: Bot, job: Job, *, recovered: bool = False) -> None:
        """File `job` in the background; `recovered`: saved before a restart."""
        self.tasks.start(self._work(bot, job, recovered))

    def describe_later(self) -> None:
        """With a vision model set, describe in the background what was filed without one."""
        if self.materials.settings.vision_model:
            self.tasks.start(describe_pending(self.materials))

    def stopping(self) -> None:
        """A stop was asked for: fetches end at once, filings not yet begun wait for the
        next start."""
        self.tasks.stopping()

    async def drain(self) -> None:
        """At shutdown: the filings in progress get a few seconds (materialtasks.STOP_GRACE),
        then are cancelled; whatever is not filed is filed at the next start."""
        await self.tasks.drain()

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
            await asyncio.to_thread(forget, self.kb, job)
            await tell(bot, job, (replies.RESTART_PREFIX if recovered else "") + text)
        if any(note.kind == "photo" and not note.problem for note in filed):
            await describe_pending(self.materials)

    async def _try(self, bot: Bot, job: Job) -> tuple[list[FiledNote], str] | None:
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
            await tell(bot, job, replies.too_long_for_now(str(error)))
            return None
        except Exception as error:
            log.exception("filing %s failed", job.key)
            await asyncio.to_thread(self.attempts.failed, job)
            await tell(bot, job, replies.could_not_file(explain(error, named=True)))
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


def forget(kb: KnowledgeBase, job: Job) -> None:
    """Remove the job's record, unless a later edit's record (with more links) replaced it."""
    saved = jobs.saved(kb, job) if job.kind == "edit_links" else None
    if saved is not None and not set(saved.urls) <= set(job.urls):
        return
    jobs.remove(kb, job)


async def tell(bot: Bot, job: Job, text: str) -> None:
    """Edit the job's acknowledgement into `text`; without one, or failing that, reply."""
    await answers.edit_or_reply(bot, asked(job), text, anew_on_any=True)


async def tell_anew(bot: Bot, job: Job, text: str) -> None:
    """Reply to the job's message with `text` (a restart forgot its acknowledgement)."""
    await answers.reply(bot, replace(asked(job), ack_message_id=None), text)


def asked(job: Job) -> answers.Asked:
    """The message of `job` and its acknowledgement, as answers.py addresses them."""
    return answers.Asked(job.chat_id, job.message_id, job.ack_message_id, job.key)
