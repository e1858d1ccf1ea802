"""The WebVTT sidecar of a transcript: its format, and its times against real audio."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from notes.intake import timeline, transcripts
from notes.intake.origin import Origin
from notes.intake.voice import Recording
from tests.conftest import LONG_STEM, LongNote
from transcribe.base import Segment

STEM = "20260301_093000_me_msg9"
VOICE = Recording(Origin("telegram", datetime(2026, 3, 1, 9, 30, tzinfo=UTC), 42, "me"))


def test_segments_come_back_from_the_sidecar_to_the_millisecond() -> None:
    segments = [Segment(0.0, 2.48, "привет  мир"), Segment(3725.5, 3730.25, "RAG и evals")]
    text = timeline.render(segments)
    assert text == (
        "WEBVTT\n\n00:00:00.000 --> 00:00:02.480\nпривет мир\n\n"
        "01:02:05.500 --> 01:02:10.250\nRAG и evals\n"
    )
    assert timeline.parse(text) == [
        Segment(0.0, 2.48, "привет мир"),
        Segment(3725.5, 3730.25, "RAG и evals"),
    ]


def test_the_sidecar_is_named_for_the_note() -> None:
    assert timeline.sidecar_name(f"{STEM}_transcript.txt") == f"{STEM}.vtt"


def test_an_unreadable_sidecar_counts_as_none(tmp_path: Path) -> None:
    (tmp_path / f"{STEM}.vtt").write_text("not vtt at all", encoding="utf-8")
    assert timeline.read(tmp_path, f"{STEM}_transcript.txt") is None
    assert timeline.read(tmp_path, "missing_transcript.txt") is None
    with pytest.raises(timeline.TimelineError):
        timeline.parse("not vtt at all")


@pytest.mark.parametrize(
    ("seconds", "shown"), [(0, "0:00"), (59.9, "0:59"), (750, "12:30"), (3723, "1:02:03")]
)
def test_clock(seconds: float, shown: str) -> None:
    assert timeline.clock(seconds) == shown


@pytest.mark.timeout(300)
def test_a_multi_minute_note_s_sidecar_times_match_the_speech_in_the_audio(
    long_note: LongNote,
) -> None:
    kb, spans = long_note.kb, long_note.spans
    document = long_note.transcript.read_text(encoding="utf-8")
    note = transcripts.parse(document)
    assert document.startswith("---\nsource: telegram_voice\n")  # the transcript format kept
    assert "WEBVTT" not in document and "-->" not in document
    duration = float(note.header.extra["duration"])
    assert duration == pytest.approx(spans[-1][1], abs=0.1) and duration > 120
    cues = timeline.read(kb.raw, long_note.transcript.name)
    assert cues is not None and cues == timeline.parse((kb.raw / f"{LONG_STEM}.vtt").read_text())
    assert " ".join(cue.text for cue in cues) == " ".join(note.text.split())

    def on_speech(moment: float) -> bool:
        return any(start - 1.0 <= moment <= end + 1.0 for start, end in spans)

    # Cues begin and end on speech (the engine may join copies across a pause into one).
    assert all(on_speech(cue.start) and on_speech(cue.end) for cue in cues), cues
    for start, _ in spans:  # every copy of the speech is in a cue
        assert any(cue.start - 1.0 <= start <= cue.end for cue in cues), start
    assert abs(cues[0].start - spans[0][0]) < 1.0  # the leading silence is in none
    assert cues[-1].end <= duration
    assert [c.start for c in cues] == sorted(c.start for c in cues)
