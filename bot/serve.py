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

from bot import redact, revisions
from bot.app import config_problem, notify, poll, request_stop, run_guarded, service_of
from bot.handlers import AnyApplication
from notes.drafting import ArticleChange, PassReport, run_pass
from notes.errors import explain
from notes.kb import KnowledgeBase
from notes.kb.articlemap import Named
from notes.settings import Settings
from notes.watch.schedule import Timing
from notes.watch.watcher import Watcher, drafting_settings_error

NOTIFY_TIMEOUT = 60.0
log = logging.getLogger(__name__)


def pass_notice(report: PassReport) -> str | None:
    """The message about a pass the author did not ask for; None when no article changed
    and no conflict with his edits stopped it."""
    if report.conflict:
        return html.escape(f"Drafting stopped: {report.conflict}")
    lines = [_article_line("new", a) for a in report.created]
    lines += [_article_line("updated", a) for a in report.updated]
    if not lines:
        return None
    lines += [f"• style left: {html.escape(finding)}" for finding in report.style.left]
    if report.commit_link:
        lines.append(html.escape(report.commit_link))
    return "\n".join(["Drafted from the inbox:", *lines])


def _article_line(change: str, article: ArticleChange) -> str:
    """`• new: <b>Title</b> — <code>articles/x.md</code>`: the title and where it is."""
    title, path = html.escape(article.title), html.escape(article.path)
    return f"• {change}: <b>{title}</b> — <code>{path}</code>"


class Notifier:
    """Sends pass notices from the watcher's thread through the bot's event loop."""

    def __init__(self, application: AnyApplication) -> None:
        self.application = application
        self.loop: asyncio.AbstractEventLoop | None = None

    def __call__(self, report: PassReport) -> None:
        text = pass_notice(report)
        if (text is None and not report.revised) or self.loop is None:
            return
        if not self.loop.is_running():
            return  # no notice after the bot has stopped: the pass is in the run log
        sent = asyncio.run_coroutine_threadsafe(self._send(text, report), self.loop)
        sent.result(timeout=NOTIFY_TIMEOUT)

    async def _send(self, text: str | None, report: PassReport) -> None:
        """The notice (remembered as naming its articles), then each revision's message."""
        if text is not None:
            named = [Named(a.path, a.title) for a in report.created + report.updated]
            await notify(self.application, text, named)
        service = service_of(self.application)
        await revisions.send_revisions(self.application.bot, service.kb, service.allowed, report)


def serve(
    application: AnyApplication,
    watcher: Watcher,
    notifier: Notifier | None = None,
    *,
    handle_signals: bool = True,
) -> None:
    """Poll for updates and watch the inbox until a stop signal (or `stop_running()`)."""
    thread = threading.Thread(target=_watch, args=(watcher,), name="watcher", daemon=True)
    bot_post_init, bot_post_stop = application.post_init, application.post_stop

    def stop(signum: int | None = None) -> None:
        watcher.stop()
        request_stop(application, signum)

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
        poll(application, handle_signals=False)  # the signals are ours: see post_init
    finally:
        watcher.stop()
        _join(thread)


def _watch(watcher: Watcher) -> None:
    try:
        watcher.run()
    except OSError as error:
        log.error("cannot watch %s: %s; the bot goes on without it", watcher.kb.raw, explain(error))


def _join(thread: threading.Thread) -> None:
    if thread.ident is not None:
        thread.join()


def run_command(args: argparse.Namespace, settings: Settings) -> int:
    problem = config_problem(settings) or drafting_settings_error(settings)
    if problem is not None:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    redact.protect(settings.secrets())

    def run(application: AnyApplication) -> None:
        notifier = Notifier(application)
        kb = KnowledgeBase(settings.kb).ensure()
        halt = threading.Event()  # set by watcher.stop(): a stop ends the pass in progress
        draft = functools.partial(run_pass, settings, stop=halt)
        timing = Timing.for_debounce(args.debounce)
        watcher = Watcher(kb, draft, timing, on_report=notifier, halt=halt)
        serve(application, watcher, notifier)

    return run_guarded(settings, run)
