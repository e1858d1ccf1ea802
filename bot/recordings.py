"""What recording a Telegram message carries, and the file name suffix to keep it under."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from telegram import Message
from telegram.ext import filters

RECORDINGS = filters.VOICE | filters.AUDIO | filters.Document.AUDIO
"""Messages the bot transcribes: voice, audio (also sent as a document). Round videos are
filed as video notes (bot/materials.py)."""

_SUFFIX_BY_MIME = {
    "audio/ogg": ".ogg",
    "audio/opus": ".opus",
    "audio/mpeg": ".mp3",
    "audio/mp3": ".mp3",
    "audio/mp4": ".m4a",
    "audio/x-m4a": ".m4a",
    "audio/aac": ".aac",
    "audio/wav": ".wav",
    "audio/x-wav": ".wav",
    "audio/flac": ".flac",
    "audio/x-flac": ".flac",
    "audio/webm": ".webm",
    "video/mp4": ".mp4",
}
_SAFE_SUFFIX = re.compile(r"^\.[A-Za-z0-9]{1,5}$")
DEFAULT_SUFFIX = ".ogg"


@dataclass(frozen=True)
class Media:
    source: str
    file_id: str
    suffix: str
    file_size: int | None


def recording_of(message: Message) -> Media | None:
    """The recording in `message`, or None when it carries none the bot transcribes."""
    if message.voice:
        voice = message.voice
        return Media("telegram_voice", voice.file_id, ".ogg", voice.file_size)
    if message.audio:
        audio = message.audio
        suffix = audio_suffix(audio.file_name, audio.mime_type)
        return Media("telegram_audio", audio.file_id, suffix, audio.file_size)
    document = message.document
    if document and _is_audio(document.mime_type):
        suffix = audio_suffix(document.file_name, document.mime_type)
        return Media("telegram_audio", document.file_id, suffix, document.file_size)
    return None


def audio_suffix(file_name: str | None, mime_type: str | None) -> str:
    """A safe lowercase suffix: the sender's file name first, then the MIME type, then .ogg."""
    suffix = PurePosixPath(file_name or "").suffix.lower()
    if _SAFE_SUFFIX.match(suffix):
        return suffix
    return _SUFFIX_BY_MIME.get((mime_type or "").split(";")[0].strip().lower(), DEFAULT_SUFFIX)


def _is_audio(mime_type: str | None) -> bool:
    return (mime_type or "").lower().startswith("audio/")
