"""The author's words as the bot files them: as sent, minus unsafe control characters."""

from __future__ import annotations

import re

from telegram import Message

_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""C0 and C1 control characters and DEL; tab, line feed and carriage return are the author's."""


def as_sent(text: str) -> str:
    """`text` unchanged (line breaks, tabs, `\\r`, spaces, URLs) but for unsafe control chars."""
    return _UNSAFE.sub("", text)


def caption_of(message: Message) -> str:
    """The caption the author sent with a recording, as sent (its spaces, tabs and line
    breaks too); empty when there is none or it is only white space."""
    caption = as_sent(message.caption or "")
    return caption if caption.strip() else ""
