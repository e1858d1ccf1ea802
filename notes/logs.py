"""Logging set-up shared by every command."""

from __future__ import annotations

import logging

CHATTY_LOGGERS = (
    "httpx",
    "httpx2",
    "httpcore",
    "openai",
    "telegram",
    "watchdog",
    "faster_whisper",
)
"""Libraries that log request URLs (Bot API URLs carry the token) or routine chatter at INFO."""


def quiet_chatty_libraries() -> None:
    for name in CHATTY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
