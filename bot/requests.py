"""Revision requests as the bot sees them: a reply to a message that names an article.

A text, voice or link message that replies to a bot message naming articles (bot messages
are remembered in notes.kb.articlemap when sent) is a request for that article: its notes
record the article's path as `article:` in their front matter, and drafting revises that
article (a link's page is material the revision may cite).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from telegram import Message

from notes.kb import KnowledgeBase, articlemap
from notes.kb.articlemap import Named


async def article_of(kb: KnowledgeBase, message: Message) -> str | None:
    """The article `message` asks to revise, by what it replies to; None for other notes."""
    replied = message.reply_to_message
    if replied is None or replied.from_user is None or not replied.from_user.is_bot:
        return None
    named = await asyncio.to_thread(articlemap.named_by, kb, message.chat_id, replied.message_id)
    quote = message.quote.text if message.quote is not None else None
    return articlemap.pick(named, quote)


async def remember(kb: KnowledgeBase, sent: Message, named: Sequence[Named]) -> None:
    """Remember that `sent`, a bot message, names `named` (off the event loop)."""
    await asyncio.to_thread(articlemap.remember, kb, sent.chat_id, sent.message_id, named)
