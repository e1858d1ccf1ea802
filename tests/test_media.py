"""Which recording a message carries, and the suffix it is kept under."""

from __future__ import annotations

from typing import Any

import pytest
from telegram import Message, Update

from bot.media import RECORDINGS, Media, audio_suffix, recording_of
from tests.support.telegram_server import (
    OWNER,
    audio_message,
    text_message,
    video_note_message,
    voice_message,
)


def message(data: dict[str, Any]) -> Message:
    parsed = Message.de_json(data, None)
    assert parsed is not None
    return parsed


def test_voice_audio_document_and_round_video_are_recordings() -> None:
    voice = message(voice_message(OWNER, 1, "v1", size=100))
    audio = message(audio_message(OWNER, 2, "a1", file_name="talk.MP3", mime_type="audio/mpeg"))
    document = message(
        audio_message(OWNER, 3, "d1", file_name="memo", mime_type="audio/mp4", as_document=True)
    )
    video = message(video_note_message(OWNER, 4, "n1"))

    assert recording_of(voice) == Media("telegram_voice", "v1", ".ogg", 100)
    assert recording_of(audio) == Media("telegram_audio", "a1", ".mp3", 30_000)
    assert recording_of(document) == Media("telegram_audio", "d1", ".m4a", 30_000)
    assert recording_of(video) == Media("telegram_video_note", "n1", ".mp4", 60_000)
    for item in (voice, audio, document, video):
        assert RECORDINGS.check_update(Update(1, message=item))


def test_text_and_non_audio_documents_are_not_recordings() -> None:
    pdf = message(
        audio_message(
            OWNER, 1, "p1", file_name="paper.pdf", mime_type="application/pdf", as_document=True
        )
    )
    text = message(text_message(OWNER, 2, "hello"))

    assert recording_of(pdf) is None
    assert recording_of(text) is None
    assert not RECORDINGS.check_update(Update(1, message=pdf))
    assert not RECORDINGS.check_update(Update(2, message=text))


@pytest.mark.parametrize(
    ("file_name", "mime_type", "suffix"),
    [
        ("voice.OGG", None, ".ogg"),
        ("talk.flac", "audio/mpeg", ".flac"),  # the sender's name wins
        (None, "audio/x-wav", ".wav"),
        ("no_suffix", "audio/ogg; codecs=opus", ".ogg"),
        ("evil.o/g", "audio/mpeg", ".mp3"),
        ("weird.toolongext", None, ".ogg"),
        (None, None, ".ogg"),
    ],
)
def test_audio_suffix_is_safe_and_lowercase(
    file_name: str | None, mime_type: str | None, suffix: str
) -> None:
    assert audio_suffix(file_name, mime_type) == suffix
