"""Commands: /start and /help, /status, /draft, /articles."""

from __future__ import annotations

import asyncio
import html
from datetime import datetime

from telegram import BotCommand, Update
from telegram.ext import CommandHandler

from bot import passes, replies, requests, revisions
from bot.handlers import AnyApplication, Context
from bot.materials import status_line
from bot.speechqueue import TranscriptionQueue
from notes import whenwords
from notes.intake import inbox
from notes.kb import KnowledgeBase, glossary
from notes.kb.articlemap import Named
from notes.settings import Settings
from notes.upkeep.recent import recent_articles

MENU = (
    BotCommand("status", "what is waiting, and the last drafting run"),
    BotCommand("draft", "run a drafting pass now"),
    BotCommand("articles", "the ten most recently updated drafts"),
    BotCommand("ask", "answer a question from your articles and notes"),
    BotCommand("trace", "where a note went; a day's notes; an article's notes"),
    BotCommand("help", "what this bot does"),
)
"""The command menu Telegram shows (setMyCommands); /start works without a menu entry."""
ARTICLES_SHOWN = 10


class Commands:
    def __init__(self, settings: Settings, kb: KnowledgeBase, queue: TranscriptionQueue):
        self.settings = settings
        self.kb = kb
        self.queue = queue

    def register(self, application: AnyApplication) -> None:
        application.add_handler(CommandHandler(["start", "help"], self.help))
        application.add_handler(CommandHandler("status", self.status))
        # A pass takes minutes: block=False lets other updates through meanwhile.
        application.add_handler(CommandHandler("draft", self.draft, block=False))
        application.add_handler(CommandHandler("articles", self.articles))

    async def help(self, update: Update, context: Context) -> None:
        if update.effective_message:
            await update.effective_message.reply_text(replies.HELP)

    async def status(self, update: Update, context: Context) -> None:
        if update.effective_message is None:
            return
        waiting = len(await asyncio.to_thread(inbox.pending, self.kb))
        where = whenwords.zone(self.settings.timezone)
        last_run = await asyncio.to_thread(passes.last_run, self.kb, where)
        materials = await asyncio.to_thread(status_line, self.kb)
        proposed = await asyncio.to_thread(glossary.status_line, self.kb)
        advance = str(self.queue.advance) if self.queue.advance else None
        text = replies.status(waiting, self.queue.busy, self.queue.waiting, last_run, advance)
        extra = [line for line in (materials, proposed and html.escape(proposed)) if line]
        await update.effective_message.reply_text("\n".join([text, *extra]))

    async def draft(self, update: Update, context: Context) -> None:
        if update.effective_message is None:
            return
        progress = await update.effective_message.reply_text(replies.DRAFT_STARTED)
        result, report = await asyncio.to_thread(passes.run_pass_report, self.settings)
        await progress.edit_text(replies.plain(result))
        if report is not None:
            await requests.remember(self.kb, progress, revisions.named_in(report))
            chat = [progress.chat_id]
            await revisions.send_revisions(context.bot, self.kb, chat, report)

    async def articles(self, update: Update, context: Context) -> None:
        if update.effective_message is None:
            return
        entries = await asyncio.to_thread(recent_articles, self.kb, ARTICLES_SHOWN)
        today = datetime.now(whenwords.zone(self.settings.timezone)).date()
        sent = await update.effective_message.reply_text(replies.articles(entries, today))
        await requests.remember(self.kb, sent, [Named(e.path, e.title) for e in entries])
