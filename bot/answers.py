"""Where the bot's answers about a message go, for voice notes and materials alike: the
acknowledgement edited into the answer (or into the progress), else a new reply to the
message. What the answers say is bot/replies.py.

A network that fails while answering is reported (False), so that a voice note's record is
kept and its author answered at the next start.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from telegram import Bot, ReplyParameters
from telegram.error import BadRequest, NetworkError, TelegramError

from bot import replies

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Asked:
    """The message answered, and the acknowledgement that answers it (if one was sent)."""

    chat_id: int
    message_id: int
    ack_message_id: int | None
    about: str
    """What the log calls it: its record's name."""


async def edit_or_reply(bot: Bot, asked: Asked, text: str, *, anew_on_any: bool = False) -> bool:
    """Edit the acknowledgement into `text`; without one, or when it cannot be edited, reply.

    False when the network failed (nothing sent). With `anew_on_any` (materials) any failure
    of the edit leads to a reply; else only a refused edit does, and other errors propagate.
    """
    if asked.ack_message_id is not None:
        try:
            await bot.edit_message_text(
                text, chat_id=asked.chat_id, message_id=asked.ack_message_id
            )
            return True
        except BadRequest as error:
            log.warning("acknowledgement not editable (%s); answering anew", error)
        except NetworkError as error:
            if not anew_on_any:
                log.warning("could not answer about %s: %s", asked.about, error)
                return False
            log.warning("acknowledgement not editable (%s); answering anew", error)
        except TelegramError as error:
            if not anew_on_any:
                raise
            log.warning("acknowledgement not editable (%s); answering anew", error)
    return await reply(bot, asked, text)


async def reply(bot: Bot, asked: Asked, text: str) -> bool:
    """Reply to the message; a chat that is gone is logged, not raised. False only when the
    network failed (worth another try later)."""
    reply_to = ReplyParameters(asked.message_id, allow_sending_without_reply=True)
    try:
        await bot.send_message(asked.chat_id, text, reply_parameters=reply_to)
    except NetworkError as error:
        log.warning("could not answer about %s: %s", asked.about, error)
        return False
    except TelegramError as error:
        log.warning("could not answer about %s: %s", asked.about, error)
    return True


async def show_progress(bot: Bot, asked: Asked, status: str) -> None:
    """Edit the acknowledgement into the progress of a recording (none: nothing)."""
    if asked.ack_message_id is None:
        return
    try:
        await bot.edit_message_text(
            replies.transcribing(status), chat_id=asked.chat_id, message_id=asked.ack_message_id
        )
    except TelegramError as error:
        log.debug("progress not shown: %s", error)
