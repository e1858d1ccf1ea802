"""Naming rules for notes: `{YYYYMMDD_HHMMSS}_{username}_msg{message_id}` and friends."""

from __future__ import annotations

import re
from datetime import UTC, datetime

_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")
TRANSCRIPT_SUFFIX = "_transcript.txt"
TEXT_SUFFIX = "_text.txt"
NOTE_SUFFIXES = (TRANSCRIPT_SUFFIX, TEXT_SUFFIX)


def safe_component(value: str) -> str:
    """Replace anything outside `[A-Za-z0-9_-]` by `_`."""
    return _UNSAFE.sub("_", value)


def timestamp(when: datetime) -> str:
    """UTC `YYYYMMDD_HHMMSS`; a naive time is taken as UTC."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).strftime("%Y%m%d_%H%M%S")


def author(username: str | None, user_id: int) -> str:
    return safe_component(username) if username else f"user{user_id}"


def message_stem(when: datetime, username: str | None, user_id: int, message_id: int) -> str:
    """Stem for a Telegram message: `20260204_102339_AlexeyDTC_msg900`."""
    return f"{timestamp(when)}_{author(username, user_id)}_msg{message_id}"


def file_stem(when: datetime, username: str, source_stem: str) -> str:
    """Stem for audio filed from the command line: `{time}_{username}_{file stem}`."""
    return f"{timestamp(when)}_{safe_component(username)}_{safe_component(source_stem)}"


def transcript_name(stem: str) -> str:
    return stem + TRANSCRIPT_SUFFIX


def text_note_name(stem: str) -> str:
    return stem + TEXT_SUFFIX


def is_note_name(name: str) -> bool:
    return not name.startswith(".") and name.endswith(NOTE_SUFFIXES)
