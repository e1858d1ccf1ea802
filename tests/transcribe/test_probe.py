"""A recording's declared length, read without decoding, and the cap on it."""

from __future__ import annotations

from pathlib import Path

import pytest

from transcribe import probe


def test_the_declared_length_of_a_real_voice_note(speech_ogg: Path) -> None:
    assert probe.declared_seconds(speech_ogg) == pytest.approx(12.12, abs=0.1)


def test_a_file_that_is_not_audio_declares_nothing(tmp_path: Path) -> None:
    junk = tmp_path / "x.ogg"
    junk.write_bytes(b"not audio at all")
    assert probe.declared_seconds(junk) is None
    probe.check_length(junk, 1.0)  # left to the decoder to refuse


def test_a_recording_over_the_cap_is_refused_in_one_line(speech_ogg: Path) -> None:
    probe.check_length(speech_ogg, 13.0)
    probe.check_length(speech_ogg, None)
    with pytest.raises(probe.TooLongError) as raised:
        probe.check_length(speech_ogg, 6.0)
    assert str(raised.value) == (
        "the recording is 0.2 min long, over the 0.1 min limit (VOICENOTES_MAX_MINUTES); "
        "not transcribed, the audio is kept"
    )
