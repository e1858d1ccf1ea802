"""`voicenotes bot`: the configured Application, its start and stop, and notices to the owner.

For another command that runs the bot beside other work:

    application = build_application(settings)   # raises ConfigError with a one-line reason
    poll(application)                            # blocks until SIGINT/SIGTERM
    # from inside the running application, e.g. a task started in post_init:
    await notify(application, "3 articles updated")
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import logging
import signal
import sys
from collections.abc import Callable, Sequence
from typing import Any

from telegram import LinkPreviewOptions, Update
from telegram.constants import ChatAction, ParseMode
from telegram.error import TelegramError
from telegram.ext import ApplicationBuilder, Defaults
from telegram.request import HTTPXRequest

from bot import redact, requests, voice
from bot.attempts import Attempts
from bot.commands import MENU, Commands
from bot.filinglane import FilingLane
from bot.handlers import AnyApplication, MessageHandlers
from bot.instance import AlreadyRunning, only_instance
from bot.knowing import KnowingCommands
from bot.livefirst import LiveFirstQueue
from bot.materials import MaterialHandlers
from bot.polling import (
    REJECTED,
    JournalApplication,
    JournalBot,
    Ledger,
    StartFailed,
    TokenRejected,
    parse_update,
)
from bot.revisions import UndoHandlers
from bot.speechqueue import Outcome, Queued, TranscriptionQueue
from bot.updatejournal import UpdateJournal
from bot.worker import Worker
from notes import required
from notes.intake.filing import Materials
from notes.intake.voice import max_seconds
from notes.kb import KnowledgeBase
from notes.kb.articlemap import Named
from notes.settings import Settings
from transcribe import Transcriber

ALLOWED_UPDATES = [Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY]
SERVICE_KEY = "voicenotes"
log = logging.getLogger(__name__)


class ConfigError(Exception):
    """The bot cannot start with these settings; the message says why in one line."""


def config_problem(settings: Settings) -> str | None:
    """The first setting the bot cannot start without (the command line lists them all)."""
    missing = required.problems(settings, "bot")
    return missing[0] if missing else None


class Service:
    """The bot's parts that outlive one update: the queue and the handlers around it."""

    def __init__(
        self, settings: Settings, transcriber: Transcriber, application: JournalApplication
    ):
        self.settings = settings
        self.kb = KnowledgeBase(settings.kb).ensure()
        self.transcriber = transcriber
        self.application = application
        self.ledger = application.ledger
        self.allowed = tuple(settings.telegram_allowed_users)
        self.handle_signals = False
        attempts = Attempts(self.kb)
        self.queue = TranscriptionQueue(
            self.kb,
            transcriber,
            self._deliver,
            self._typing,
            show_progress=self._progress,
            max_seconds=max_seconds(settings),
            attempts=attempts,
        )
        materials = Materials(self.kb, settings, transcriber=lambda: self.transcriber)
        filing = FilingLane(materials, self.queue.lane, attempts)
        self.worker = Worker(self.kb, self.queue, filing, attempts)
        self.materials = MaterialHandlers(self.kb, self.worker)
        Commands(settings, self.kb, self.queue).register(application)
        UndoHandlers(self.kb).register(application)
        KnowingCommands(settings, self.kb).register(application)
        self.materials.register(application)
        handlers = MessageHandlers(
            self.kb, self.allowed, self.worker, self.ledger, settings.telegram_allowed_groups
        )
        handlers.register(application)
        application.bot.keep_only(handlers.admits)
        application.bot.when_rejected(functools.partial(request_stop, application))

    async def start(self) -> None:
        """Menu, worker, the notes a previous run left untranscribed, then its updates."""
        if self.handle_signals:
            loop = asyncio.get_running_loop()
            for number in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(number, request_stop, self.application, number)
        try:
            await self.application.bot.set_my_commands(MENU)
        except TelegramError as error:
            log.warning("command menu not set: %s", redact.scrub(str(error)))
        self.queue.start(warm_up=getattr(self.transcriber, "load", None))
        await self.worker.recover(self.application.bot)
        replayed = await asyncio.to_thread(self.ledger.replay, self.application.bot)
        for update in replayed:
            self.application.update_queue.put_nowait(update)
        if replayed:
            log.info("handling %d message(s) received before the restart", len(replayed))

    def stopping(self) -> None:
        """A stop was asked for: the note in progress is finished, and not held against."""
        self.worker.stopping()

    async def stop(self) -> None:
        await self.worker.stop()

    async def _deliver(self, outcome: Outcome) -> bool:
        return await voice.deliver(self.application.bot, outcome)

    async def _progress(self, job: Queued, status: str) -> None:
        await voice.show_progress(self.application.bot, job, status)

    async def _typing(self, job: Queued) -> None:
        await self.application.bot.send_chat_action(job.record.chat_id, ChatAction.TYPING)


def build_application(settings: Settings, transcriber: Transcriber | None = None) -> AnyApplication:
    """The bot, configured and wired, not yet running. Raises ConfigError."""
    problem = config_problem(settings)
    if problem:
        raise ConfigError(problem)
    assert settings.telegram_bot_token is not None
    root = settings.telegram_api_base_url.rstrip("/")
    defaults = Defaults(
        parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)
    )
    journal = UpdateJournal(KnowledgeBase(settings.kb), parse_update)
    bot = JournalBot(
        journal,
        token=settings.telegram_bot_token.get_secret_value().strip(),
        base_url=f"{root}/bot",
        base_file_url=f"{root}/file/bot",
        defaults=defaults,
        request=HTTPXRequest(connection_pool_size=256),
        get_updates_request=HTTPXRequest(connection_pool_size=1),
    )
    ledger = Ledger(journal)
    application = (
        ApplicationBuilder()
        .application_class(JournalApplication)
        .bot(bot)
        .update_queue(LiveFirstQueue(ledger.is_replay))
        .post_init(_post_init)
        .post_stop(_post_stop)
        .build()
    )
    assert isinstance(application, JournalApplication)
    application.ledger = ledger
    service = Service(settings, transcriber or _whisper(settings), application)
    application.bot_data[SERVICE_KEY] = service
    return application


def service_of(application: AnyApplication) -> Service:
    service: Service = application.bot_data[SERVICE_KEY]
    return service


def poll(application: AnyApplication, *, handle_signals: bool = True) -> None:
    """Run until SIGINT/SIGTERM; updates that arrived while the bot was down are kept.

    A stop lets the note being transcribed finish and be answered; a second signal changes
    nothing. Off the main thread signals cannot be caught: pass `handle_signals=False` there
    and stop the bot with `request_stop(application)` called on its event loop. A token the
    server rejects while the bot runs (revoked) stops it the same way, then raises
    TokenRejected.
    """
    service_of(application).handle_signals = handle_signals
    application.run_polling(
        allowed_updates=ALLOWED_UPDATES,
        drop_pending_updates=False,
        stop_signals=None,
        bootstrap_retries=-1,
    )
    if application.bot.rejected:
        raise TokenRejected(f"{REJECTED}; the bot stopped")


def request_stop(application: AnyApplication, signum: int | None = None) -> None:
    """Stop polling after the work in progress (call it on the bot's event loop)."""
    service = service_of(application)
    name = signal.Signals(signum).name if signum else "stop"
    if service.queue.stop_requested:
        log.info("%s: still finishing the work in progress", name)
        return  # stopping twice would cut the stop short: the answer would never be sent
    log.info("%s: stopping after the work in progress", name)
    service.stopping()
    application.stop_running()


async def notify(application: AnyApplication, text: str, named: Sequence[Named] = ()) -> int:
    """Send `text` (Telegram HTML: escape what is not markup) to every allowed user.

    Returns how many got it; a user who never started the bot is logged and skipped. Each
    message is remembered as naming the articles `named` (a reply to it revises them).
    """
    delivered = 0
    service = service_of(application)
    for user_id in service.allowed:
        try:
            sent = await application.bot.send_message(user_id, text)
            delivered += 1
            await requests.remember(service.kb, sent, named)
        except (TelegramError, OSError) as error:
            log.warning("could not notify user id %s: %s", user_id, error)
    return delivered


def run_command(args: argparse.Namespace, settings: Settings) -> int:
    problem = config_problem(settings)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    redact.protect(settings.secrets())
    return run_guarded(settings, poll)


def run_guarded(settings: Settings, run: Callable[[AnyApplication], None]) -> int:
    """Build the bot and `run(application)` as the KB's only bot; failures in one line."""
    kb = KnowledgeBase(settings.kb).ensure()
    try:
        with only_instance(kb):
            application = build_application(settings)
            users = len(settings.telegram_allowed_users)
            log.info("serving %d user(s), knowledge base %s", users, settings.kb)
            run(application)
    except (AlreadyRunning, ConfigError, StartFailed) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"error: {redact.scrub(str(error))}", file=sys.stderr)
        return 1
    return 0


async def _post_init(application: Any) -> None:
    await service_of(application).start()


async def _post_stop(application: Any) -> None:
    await service_of(application).stop()


def _whisper(settings: Settings) -> Transcriber:
    from notes.intake.transcribers import transcriber_for  # imported late: a bad config fails fast

    return transcriber_for(settings)
