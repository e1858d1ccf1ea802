"""`voicenotes serve`: the bot and the watcher in one process.

The bot polls on the main thread's event loop; the watcher runs its passes on a thread of its
own and the bot tells the author what a pass he did not ask for created or updated. On
SIGINT/SIGTERM no new pass starts, and the transcription and the pass in progress finish and
are filed before the process exits.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import html
import logging
import signal
import sys
import threading
from collections.abc import Sequence
from typing import Any, Protocol

from bot import redact
from bot.app import ALLOWED_UPDATES, ConfigError, build_application, config_problem, notify
from bot.handlers import AnyApplication
from notes.kb import KnowledgeBase
from notes.schedule import Timing
from notes.settings import Settings
from notes.watcher import Watcher, drafting_settings_error

NOTIFY_TIMEOUT = 60.0
log = logging.getLogger(__name__)


class Titled(Protocol):
    @property
    def title(self) -> str: ...


class Changes(Protocol):
    """What a notice needs from a drafting pass's report."""

    @property
    def created(self) -> Sequence[Titled]: ...

    @property
    def updated(self) -> Sequence[Titled]: ...


def pass_notice(report: Changes) -> str | None:
    """The message about a pass the author did not ask for; None when no article changed."""
    lines = [f"• new: <b>{html.escape(a.title)}</b>" for a in report.created]
    lines += [f"• updated: <b>{html.escape(a.title)}</b>" for a in report.updated]
    if not lines:
        return None
    return "\n".join(["Drafted from the inbox:", *lines])


class Notifier:
    """Sends pass notices from the watcher's thread through the bot's event loop."""

    def __init__(self, application: AnyApplication) -> None:
        self.application = application
        self.loop: asyncio.AbstractEventLoop | None = None

    def __call__(self, report: Changes) -> None:
        text = pass_notice(report)
        if text is None or self.loop is None or self.loop.is_closed():
            return
        sent = asyncio.run_coroutine_threadsafe(notify(self.application, text), self.loop)
        sent.result(timeout=NOTIFY_TIMEOUT)


def serve(
    application: AnyApplication,
    watcher: Watcher[Any],
    notifier: Notifier | None = None,
    *,
    handle_signals: bool = True,
) -> None:
    """Poll for updates and watch the inbox until a stop signal (or `stop_running()`)."""
    thread = threading.Thread(target=watcher.run, name="watcher", daemon=True)
    bot_post_init, bot_post_stop = application.post_init, application.post_stop

    def stop(signum: int | None = None) -> None:
        name = signal.Signals(signum).name if signum else "stop"
        if watcher.stopping:
            log.info("%s: still finishing the work in progress", name)
        else:
            log.info("%s: stopping after the work in progress", name)
        watcher.stop()
        application.stop_running()

    async def post_init(app: AnyApplication) -> None:
        loop = asyncio.get_running_loop()
        if handle_signals:
            for number in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(number, stop, number)
        if bot_post_init is not None:
            await bot_post_init(app)
        if notifier is not None:
            notifier.loop = loop
        thread.start()

    async def post_stop(app: AnyApplication) -> None:
        watcher.stop()
        finishing = [asyncio.to_thread(_join, thread)]
        if bot_post_stop is not None:
            finishing.append(bot_post_stop(app))
        await asyncio.gather(*finishing)

    application.post_init = post_init
    application.post_stop = post_stop
    try:
        application.run_polling(
            allowed_updates=ALLOWED_UPDATES, drop_pending_updates=False, stop_signals=None
        )
    finally:
        watcher.stop()
        _join(thread)


def _join(thread: threading.Thread) -> None:
    if thread.ident is not None:
        thread.join()


def run_command(args: argparse.Namespace, settings: Settings) -> int:
    from notes.drafting import run_pass

    problem = config_problem(settings) or drafting_settings_error(settings)
    if problem is not None:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    try:
        application = build_application(settings)
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    redact.protect(_secrets(settings))
    notifier = Notifier(application)
    kb = KnowledgeBase(settings.kb).ensure()
    draft = functools.partial(run_pass, settings)
    watcher = Watcher(kb, draft, Timing.for_debounce(args.debounce), on_report=notifier)
    log.info("serving %d user(s) and watching %s", len(settings.telegram_allowed_users), kb.raw)
    serve(application, watcher, notifier)
    return 0


def _secrets(settings: Settings) -> list[str]:
    secrets = (settings.telegram_bot_token, settings.openai_api_key)
    return [secret.get_secret_value() for secret in secrets if secret is not None]
