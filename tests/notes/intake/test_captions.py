"""A voice note's caption is filed exactly as the author sent it, like a text note.

The transcript is wrapped at 100 columns; the caption after it is not: its tabs, `\\r\\n`
line breaks, long lines and long URLs stay byte for byte.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from notes.intake import transcripts
from notes.intake.origin import Origin
from notes.intake.voice import Recording, transcript_note
from notes.kb import KnowledgeBase
from tests.conftest import SPEECH_OGG
from tests.support.telegram_server import (
    FEB_4,
    OWNER,
    FakeBotAPI,
    bot_running,
    bot_settings,
    voice_message,
)
from transcribe import Transcript
from transcribe.engine import WhisperEngine

pytestmark = pytest.mark.timeout(180)

URL = "https://example.com/" + "very-long-path-segment/" * 6 + "?utm=a&b=c"
CAPTION = (
    "put it towards the end\tafter the evals part\r\n"
    f"see {URL} and the follow-up thread where the reviewers disagreed about sampling\r\n"
    "  indented:\tcode_like(x)  "
)
NAME = "20260204_102339_AlexeyDTC_msg900_transcript.txt"


def test_a_caption_is_rendered_as_sent_after_the_wrapped_transcript() -> None:
    recording = Recording(
        Origin("telegram", datetime(2026, 3, 1, tzinfo=UTC), 42, "me"), caption=CAPTION
    )
    spoken = " ".join(["evaluation sets deserve a review step"] * 10)
    note = transcript_note(recording, "x.ogg", Transcript(spoken, "en", 3.5, "whisper-base"))

    document = transcripts.render(note)

    assert document.endswith(f"\n\nCaption: {CAPTION}")
    body = document.split("---\n\n", 1)[1]
    assert all(len(line) <= 100 for line in body.split("\n\nCaption: ")[0].splitlines())


def test_the_bot_files_a_voice_notes_caption_byte_for_byte(
    kb: KnowledgeBase, engine: WhisperEngine
) -> None:
    with FakeBotAPI() as api:
        message = voice_message(OWNER, 900, api.add_file(SPEECH_OGG.read_bytes()), date=FEB_4)
        api.queue(message | {"caption": CAPTION})

        with bot_running(bot_settings(kb.root, api), engine):
            api.wait_for(lambda: (kb.raw / NAME).exists(), what="the transcript filed")

    assert (kb.raw / NAME).read_bytes().endswith(f"\n\nCaption: {CAPTION}".encode())
