"""What happens when handling an update fails: one log line, one line to the author.

A failure of the disk leaves the update kept: it is tried again (see polling.Ledger.failed),
and the author is told once, at the first failure.
"""

from __future__ import annotations

import logging
from collections.abc import Collection

from telegram import Update
from telegram.error import TelegramError

from bot import replies
from bot.polling import Ledger
from bot.redact import scrub
from notes.errors import explain

log = logging.getLogger("bot.handlers")
"""The handlers' log: these lines read as they always have."""


async def report(
    ledger: Ledger, allowed: Collection[int], update: object, failure: BaseException | None
) -> None:
    """Log `failure`, note it in the `ledger`, and tell an allowed author in one line (a reply
    to his message); the bot goes on."""
    reason = scrub(explain(failure, named=True))
    log.error("handling an update failed: %s", reason, exc_info=failure)
    first = ledger.first_failure(update)
    delay = ledger.failed(update, failure)
    if not isinstance(update, Update) or update.effective_message is None:
        return
    if update.effective_user is None or update.effective_user.id not in allowed:
        return
    if delay is not None and not first:
        return  # told at the first failure
    text = replies.error_line(reason) if delay is None else replies.kept_for_retry(reason, delay)
    try:  # a reply: the author sees which message it means
        await update.effective_message.reply_text(text, do_quote=True)
    except TelegramError as error:
        log.warning("could not report the failure to the author: %s", scrub(str(error)))
