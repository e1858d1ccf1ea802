"""Revisions as the bot shows them: a compact diff, the commit link and an Undo button.

After a pass that revised articles the author gets one message per article: what the model
says changed, the lines removed and added (cut to fit one message), the commit link, and an
Undo button when the revision was committed. Each such message names its article (a reply
to it is a request for that article, see notes.kb.articlemap). Undo reverts the revision's
commit through notes.upkeep.undo when nothing touched the article since, and says so when
something did; the blocking git work runs off the event loop.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from html import escape

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import TelegramError
from telegram.ext import CallbackQueryHandler

from bot import requests
from bot.handlers import AnyApplication, Context
from bot.redact import scrub
from bot.replies import CUT_MARK, MESSAGE_LIMIT, utf16_length
from notes.drafting.report import PassReport, Revision
from notes.kb import KnowledgeBase, gitkb
from notes.kb.articlemap import Named
from notes.upkeep import undo

UNDO_PREFIX = "undo:"
"""Callback data of the Undo button: `undo:` and the revision's full commit hash."""
log = logging.getLogger(__name__)


def changed_lines(diff: str) -> list[str]:
    """The removed (`- `) and added (`+ `) lines of a unified diff, in order (the date
    in the front matter aside: every revision changes it)."""
    return [
        f"{line[0]} {line[1:]}"
        for line in diff.splitlines()
        if line[:1] in ("-", "+")
        and not line.startswith(("---", "+++"))
        and not line[1:].startswith("updated: ")
    ]


def revision_text(revision: Revision, commit_link: str | None) -> str:
    """The message about one revision, in Telegram HTML, within one message."""
    head = f"Revised <b>{escape(revision.title)}</b> (<code>{escape(revision.path)}</code>)"
    head += f": {escape(revision.summary)}" if revision.summary else ""
    tail = f"\n{escape(commit_link)}" if commit_link else ""
    lines = changed_lines(revision.diff)
    room = MESSAGE_LIMIT - utf16_length(head + tail + "\n<pre></pre>" + "\n" + CUT_MARK)
    shown: list[str] = []
    for line in lines:
        if utf16_length(escape("\n".join([*shown, line]))) > room:
            shown.append(CUT_MARK)
            break
        shown.append(line)
    return f"{head}\n<pre>{escape(chr(10).join(shown))}</pre>{tail}"


def undo_button(commit: str | None) -> InlineKeyboardMarkup | None:
    if commit is None:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton("Undo", callback_data=UNDO_PREFIX + commit)]]
    )


async def send_revisions(
    bot: Bot, kb: KnowledgeBase, chat_ids: Iterable[int], report: PassReport
) -> None:
    """One message per revised article to each of `chat_ids`, each remembered as naming it."""
    for revision in report.revised:
        text = revision_text(revision, report.commit_link)
        for chat_id in chat_ids:
            try:
                sent = await bot.send_message(
                    chat_id, text, reply_markup=undo_button(report.commit)
                )
                await requests.remember(kb, sent, [Named(revision.path, revision.title)])
            except (TelegramError, OSError) as error:
                log.warning("revision of %s not shown to %s: %s", revision.path, chat_id, error)


def named_in(report: PassReport) -> list[Named]:
    """The articles a pass's summary names: created, updated and revised."""
    changed = [(c.path, c.title) for c in [*report.created, *report.updated]]
    changed += [(r.path, r.title) for r in report.revised]
    return [Named(path, title) for path, title in changed]


def undo_answer(kb: KnowledgeBase, commit: str) -> str:
    """Undo the revision `commit` (blocking), in a line for the author."""
    try:
        done = undo.undo(kb.root, commit)
    except undo.UndoRefused as refused:
        return f"Not undone: {refused}"
    except gitkb.GitError as error:
        return f"Not undone: {scrub(str(error))}"
    return f"Undone: {', '.join(done.articles)} restored as before {done.revision}."


class UndoHandlers:
    """The Undo button under a revision's message."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb

    def register(self, application: AnyApplication) -> None:
        pattern = f"^{UNDO_PREFIX}[0-9a-f]{{7,64}}$"
        application.add_handler(CallbackQueryHandler(self.pressed, pattern=pattern))

    async def pressed(self, update: Update, context: Context) -> None:
        """Undo off the event loop; the answer goes under the revision, the button goes."""
        query = update.callback_query
        if query is None or query.data is None:
            return
        await query.answer()
        commit = query.data.removeprefix(UNDO_PREFIX)
        text = await asyncio.to_thread(undo_answer, self.kb, commit)
        message = query.message
        if isinstance(message, Message):
            if text.startswith("Undone"):
                await message.edit_reply_markup(reply_markup=None)
            await message.reply_text(escape(text), do_quote=True)
