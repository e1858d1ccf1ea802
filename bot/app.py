"""`voicenotes bot`: the configured Application, its start and stop, and notices to the owner.

For another command that runs the bot beside other work:

    application = build_application(settings)   # raises ConfigError with a one-line reason
    poll(application)                            # blocks until SIGINT/SIGTERM
    # from inside the running application, e.g. a task started in post_init:
    await notify(application, "3 articles updated")
"""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Any

from telegram import LinkPreviewOptions, Update
from telegram.constants import ChatAction, ParseMode
from telegram.error import TelegramError
from telegram.ext import ApplicationBuilder, Defaults

from bot import redact, voice
from bot.commands import MENU, Commands
from bot.handlers import AnyApplication, MessageHandlers
from bot.materials import MaterialHandlers
from bot.worker import Job, Outcome, TranscriptionQueue
from notes.intake import engine_options
from notes.kb import KnowledgeBase
from notes.settings import Settings
from transcribe import Transcriber

ALLOWED_UPDATES = [Update.MESSAGE, Update.EDITED_MESSAGE]
SERVICE_KEY = "voicenotes"
log = logging.getLogger(__name__)


class ConfigError(Exception):
    """The bot cannot start with these settings; the message says why in one line."""


def config_problem(settings: Settings) -> str | None:
    token = settings.telegram_bot_token
    if token is None or not token.get_secret_value().strip():
        return "TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather and set its token"
    if not settings.telegram_allowed_users:
        return (
            "TELEGRAM_ALLOWED_USERS is empty: the bot serves listed Telegram user ids only; "
            "set it to your numeric user id"
        )
    return None


class Service:
    """The bot's parts that outlive one update: the queue and the handlers around it."""

    def __init__(self, settings: Settings, transcriber: Transcriber, application: AnyApplication):
        self.settings = settings
        self.kb = KnowledgeBase(settings.kb).ensure()
        self.transcriber = transcriber
        self.application = application
        self.allowed = tuple(settings.telegram_allowed_users)
        self.queue = TranscriptionQueue(self.kb, transcriber, self._deliver, self._typing)
        self.materials = MaterialHandlers(settings, self.kb, lambda: self.transcriber)
        Commands(settings, self.kb, self.queue).register(application)
        self.materials.register(application)
        MessageHandlers(self.kb, self.allowed, self.queue).register(application)

    async def start(self) -> None:
        """Menu, worker, then the notes a previous run left untranscribed."""
        try:
            await self.application.bot.set_my_commands(MENU)
        except TelegramError as error:
            log.warning("command menu not set: %s", error)
        self.queue.start(warm_up=getattr(self.transcriber, "load", None))
        await voice.recover(self.application.bot, self.kb, self.queue)
        await self.materials.recover(self.application.bot)

    async def stop(self) -> None:
        await self.materials.drain()
        await self.queue.close()

    async def _deliver(self, outcome: Outcome) -> None:
        await voice.deliver(self.application.bot, outcome)

    async def _typing(self, job: Job) -> None:
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
    application = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token.get_secret_value().strip())
        .base_url(f"{root}/bot")
        .base_file_url(f"{root}/file/bot")
        .defaults(defaults)
        .post_init(_post_init)
        .post_stop(_post_stop)
        .build()
    )
    service = Service(settings, transcriber or _whisper(settings), application)
    application.bot_data[SERVICE_KEY] = service
    return application


def service_of(application: AnyApplication) -> Service:
    service: Service = application.bot_data[SERVICE_KEY]
    return service


def poll(application: AnyApplication, *, handle_signals: bool = True) -> None:
    """Run until SIGINT/SIGTERM; updates that arrived while the bot was down are kept.

    Off the main thread signals cannot be caught: pass `handle_signals=False` there and stop
    the bot with `application.stop_running()` called on its event loop.
    """
    if handle_signals:
        application.run_polling(allowed_updates=ALLOWED_UPDATES, drop_pending_updates=False)
    else:
        application.run_polling(
            allowed_updates=ALLOWED_UPDATES, drop_pending_updates=False, stop_signals=None
        )


async def notify(application: AnyApplication, text: str) -> int:
    """Send `text` (Telegram HTML: escape what is not markup) to every allowed user.

    Returns how many got it; a user who never started the bot is logged and skipped.
    """
    delivered = 0
    for user_id in service_of(application).allowed:
        try:
            await application.bot.send_message(user_id, text)
            delivered += 1
        except TelegramError as error:
            log.warning("could not notify user id %s: %s", user_id, error)
    return delivered


def run_command(args: argparse.Namespace, settings: Settings) -> int:
    problem = config_problem(settings)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    assert settings.telegram_bot_token is not None
    redact.protect([settings.telegram_bot_token.get_secret_value()])
    application = build_application(settings)
    users = len(settings.telegram_allowed_users)
    log.info("serving %d user(s), knowledge base %s", users, settings.kb)
    poll(application)
    return 0


async def _post_init(application: Any) -> None:
    await service_of(application).start()


async def _post_stop(application: Any) -> None:
    await service_of(application).stop()


def _whisper(settings: Settings) -> Transcriber:
    from transcribe.engine import WhisperEngine  # imported late: a bad config fails fast

    return WhisperEngine(engine_options(settings))
