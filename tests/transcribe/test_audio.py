from __future__ import annotations

import pytest

from tests.support import audio
from transcribe.audio import SAMPLE_RATE, load_audio
from transcribe.base import AudioError


def test_real_clip_decodes_to_16k_mono(speech_ogg):
    samples = load_audio(speech_ogg)
    assert samples.ndim == 1
    assert samples.size / SAMPLE_RATE == pytest.approx(12.1, abs=0.1)
    assert 0.05 < abs(samples).max() <= 1.0


@pytest.mark.parametrize(
    "suffix, codec", [(".mp3", "mp3"), (".m4a", "aac"), (".wav", "pcm_s16le"), (".mp4", "aac")]
)
def test_other_formats_decode(tmp_path, suffix, codec):
    source = audio.encode(tmp_path / f"clip{suffix}", audio.speech_samples(), codec)
    assert load_audio(source).size / SAMPLE_RATE == pytest.approx(12.1, abs=0.2)


@pytest.mark.parametrize(
    "make, reason",
    [
        (lambda d, clip: d / "missing.ogg", "no such file"),
        (lambda d, clip: d, "not a file"),
        (lambda d, clip: _write(d / "empty.ogg", b""), "empty file"),
        (lambda d, clip: _write(d / "notes.ogg", b"just some text\n" * 50), "not audio"),
        (lambda d, clip: audio.truncated_copy(clip, d / "cut.ogg"), "truncated"),
        (lambda d, clip: audio.damaged_copy(clip, d / "bad.ogg"), "corrupt"),
    ],
    ids=["missing", "directory", "empty", "text", "truncated", "damaged"],
)
def test_bad_files_are_refused_with_a_reason(tmp_path, speech_ogg, make, reason):
    path = make(tmp_path, speech_ogg)
    with pytest.raises(AudioError, match=reason):
        load_audio(path)


def test_damaged_mp3_that_decodes_short_is_refused(tmp_path):
    source = audio.encode(tmp_path / "clip.mp3", audio.speech_samples(), "mp3")
    data = bytearray(source.read_bytes())
    start = len(data) // 4
    data[start : start + len(data) // 2] = bytes(len(data) // 2)
    source.write_bytes(bytes(data))
    with pytest.raises(AudioError, match="corrupt"):
        load_audio(source)


def _write(path, data):
    path.write_bytes(data)
    return path
