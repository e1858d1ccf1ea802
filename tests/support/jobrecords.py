"""The bot's job records (bot/jobs.py) as tests build them: one voice note's, one material's."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from bot.jobs import Job


def voice_job(stem: str, date: datetime, **changes: Any) -> Job:
    """A voice note's record: `STEM.ogg`, sent by user 1 in chat 1 as message 1, unless
    `changes` say otherwise (any field of Job)."""
    base = Job(
        stem=stem,
        audio_name=f"{stem}.ogg",
        source="telegram_voice",
        date=date,
        user_id=1,
        username="author",
        chat_id=1,
        message_id=1,
        file_id="file",
        caption="",
    )
    return replace(base, **changes)


def material_job(stem: str, kind: str, date: datetime, **changes: Any) -> Job:
    """A material's record of `kind` (photo, links, ...), sent by user 1 in chat 1 as
    message 1, unless `changes` say otherwise."""
    base = Job(
        stem=stem, kind=kind, date=date, user_id=1, username="author", chat_id=1, message_id=1
    )
    return replace(base, **changes)
