"""`/ask QUESTION` and `/trace NOTE|DATE|ARTICLE`: thin handlers over notes.knowing.

The work (reading the KB, the model's answer) runs on a thread; `/ask` may take as long as
a model call, so it does not hold up other updates (block=False).
"""

from __future__ import annotations

import asyncio

from telegram import Update
from telegram.ext import CommandHandler

from bot import replies
from bot.handlers import AnyApplication, Context
from notes.kb import KnowledgeBase
from notes.knowing import questions, tracing
from notes.settings import Settings

ASK_USAGE = "Ask me something: /ask did I already write about webinars?"
TRACE_USAGE = "Trace a note (its name), a day (YYYY-MM-DD) or an article: /trace 2026-04-07"
TRACE_LINES = 60
"""Lines of a trace shown in one message (a busy day can list many notes)."""


class KnowingCommands:
    def __init__(self, settings: Settings, kb: KnowledgeBase) -> None:
        self.settings = settings
        self.kb = kb

    def register(self, application: AnyApplication) -> None:
        application.add_handler(CommandHandler("ask", self.ask, block=False))
        application.add_handler(CommandHandler("trace", self.trace, block=False))

    async def ask(self, update: Update, context: Context) -> None:
        message = update.effective_message
        if message is None:
            return
        question = " ".join(context.args or [])
        if not question.strip():
            await message.reply_text(ASK_USAGE)
            return
        reply = await asyncio.to_thread(questions.ask, self.kb, self.settings, question)
        await message.reply_text(replies.plain("\n".join(reply.lines())))

    async def trace(self, update: Update, context: Context) -> None:
        message = update.effective_message
        if message is None:
            return
        what = " ".join(context.args or []).strip()
        if not what:
            await message.reply_text(TRACE_USAGE)
            return
        lines, _ = await asyncio.to_thread(tracing.answer, self.kb, what)
        if len(lines) > TRACE_LINES:
            lines = [*lines[:TRACE_LINES], f"… and {len(lines) - TRACE_LINES} more lines"]
        await message.reply_text(replies.plain("\n".join(lines)))
