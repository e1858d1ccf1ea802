"""The one worker: every job the bot accepts goes into one of two lanes, and the worker alone
accepts, recovers at start, and stops them.

- The speech lane (bot/speechqueue.py) transcribes recordings one at a time, on a thread of
  its own: progress in the chat once a note runs long, `VOICENOTES_MAX_MINUTES` as the cap,
  a full disk tried again later, the transcript's time marks in `NAME.vtt`. A video's speech
  takes its thread too (bot/speechlane.py).
- The filing lane (bot/filinglane.py) files everything else, side by side.

A job's record is saved before it is acknowledged (`accept`) and removed once its author has
been told how it ended, so a process that dies anywhere leaves it to `recover` at the next
start. Tries count by the one attempts rule (bot/attempts.py), whichever the lane.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace

from telegram import Bot, Message
from telegram.error import TelegramError

from bot import filinglane, jobs, replies, voice
from bot.attempts import Attempts, given_up
from bot.filinglane import FilingLane
from bot.jobs import VOICE, Job
from bot.speechqueue import Queued, TranscriptionQueue
from notes.kb import KnowledgeBase

log = logging.getLogger(__name__)


class Worker:
    """The speech lane and the filing lane of one KB, and the tries of both (`attempts`)."""

    def __init__(
        self,
        kb: KnowledgeBase,
        speech: TranscriptionQueue,
        filing: FilingLane,
        attempts: Attempts,
    ) -> None:
        self.kb = kb
        self.speech = speech
        self.filing = filing
        self.attempts = attempts

    @property
    def stop_requested(self) -> bool:
        return self.attempts.stop_requested

    def put(self, bot: Bot, job: Job, *, recovered: bool = False) -> None:
        """Put `job` in its lane; `recovered`: saved before a restart."""
        if job.kind == VOICE:
            self.speech.put(Queued(job, job.ack_message_id, recovered=recovered))
        else:
            self.filing.put(bot, job, recovered=recovered)

    async def accept(self, message: Message, job: Job, text: str) -> None:
        """Save the job's record, then acknowledge and file it (OSError: nothing was said)."""
        await asyncio.to_thread(jobs.save, self.kb, job)
        await self.acknowledge(message, job, text)

    async def acknowledge(
        self, message: Message, job: Job, text: str, *, recovered: bool = False
    ) -> None:
        """The job's record is saved: say `text`, keep the acknowledgement's id (to edit it
        even after a restart), and put the job in its lane."""
        try:
            ack = await message.reply_text(text, do_quote=True)
        except TelegramError as error:
            log.warning("acknowledgement not sent (%s); the result comes anew", error)
        else:
            job = replace(job, ack_message_id=ack.message_id)
            try:
                await asyncio.to_thread(jobs.save, self.kb, job)
            except OSError as error:
                log.warning("acknowledgement of %s not recorded: %s", job.key, error)
        self.put(message.get_bot(), job, recovered=recovered)

    async def recover(self, bot: Bot) -> int:
        """Put back in their lanes the jobs saved before a restart but never answered; returns
        how many were found. A try the process died in counts; a job out of tries is given up
        and its author told."""
        found = await asyncio.to_thread(_pending, self.kb)
        recordings = 0
        for job in found:
            if job.crashed():
                job = job.failed_once()
                await asyncio.to_thread(jobs.save, self.kb, job)
            if job.kind == VOICE:
                if await voice.recoverable(bot, self.kb, job):
                    self.put(bot, job, recovered=True)
                    recordings += 1
            elif given_up(job):
                await asyncio.to_thread(jobs.remove, self.kb, job)
                await filinglane.tell_anew(bot, job, replies.gave_up_on_message(job.attempts))
            else:
                self.put(bot, replace(job, ack_message_id=None), recovered=True)
        if recordings:
            log.info("picked up %d voice note(s) saved before the restart", recordings)
        self.filing.describe_later()
        return len(found)

    def stopping(self) -> None:
        """A stop was asked for: no try in progress counts any more if the process dies, the
        fetches end, and nothing new begins."""
        self.attempts.stopping()
        self.speech.stopping()
        self.filing.stopping()

    async def stop(self) -> None:
        """At shutdown: the filings get a few seconds, then the note in progress is finished
        and answered; whatever is left waits for the next start."""
        self.stopping()
        await self.filing.drain()
        await self.speech.close()


def _pending(kb: KnowledgeBase) -> list[Job]:
    """The records of both lanes, recordings first, each lane's oldest first."""
    return jobs.SPEECH.pending(kb) + jobs.FILING.pending(kb)
