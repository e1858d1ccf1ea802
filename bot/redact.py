"""Keeping the bot token out of logs: Bot API URLs carry it, and so can error texts."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

from notes.logs import quiet_chatty_libraries

TOKEN = re.compile(r"(?<!\d)\d{5,}:[A-Za-z0-9_-]{30,}")
"""The shape of a Telegram bot token: `123456789:AAE...`."""
HIDDEN = "<token>"
ABSOLUTE_PATH = re.compile(r"(?<![\w.:/~-])/(?:[^\s/'\"<>]+/)+([^\s/'\"<>]+)")
"""An absolute POSIX path of at least two parts, not part of a URL or a relative path."""


def scrub(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` with anything shaped like a bot token, and each of `secrets`, hidden."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, HIDDEN)
    return TOKEN.sub(HIDDEN, text)


def hide_paths(text: str) -> str:
    """`text` with each absolute path cut to its last part: the chat never sees the server's
    folders."""
    return ABSOLUTE_PATH.sub(r"\1", text)


class Redactor(logging.Filter):
    """A handler filter that hides secrets in the message and in the traceback of a record."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.secrets = tuple(secret for secret in secrets if secret)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = scrub(message, self.secrets)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text, self.secrets)
        return True


def protect(secrets: Iterable[str], handlers: Iterable[logging.Handler] | None = None) -> None:
    """Quiet the URL-logging HTTP loggers and hide `secrets` in every record `handlers` emit.

    By default the handlers are the root logger's, where every logger's records end up.
    """
    quiet_chatty_libraries()
    redactor = Redactor(secrets)
    for handler in logging.getLogger().handlers if handlers is None else handlers:
        handler.addFilter(redactor)
