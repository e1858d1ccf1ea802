from pathlib import Path

import pytest

from notes.intake import images, media
from tests.support.pictures import video_with_speech


def test_probe_reads_duration_resolution_and_streams(tmp_path: Path) -> None:
    path = video_with_speech(tmp_path / "v.mp4", seconds=3.0)
    info = media.probe(path)
    assert info.duration == pytest.approx(3.0, abs=0.3)
    assert (info.width, info.height) == (320, 240)
    assert info.has_audio and info.has_video
    assert info.size == path.stat().st_size


def test_a_silent_clip_has_no_audio(tmp_path: Path) -> None:
    info = media.probe(video_with_speech(tmp_path / "gif.mp4", seconds=1.0, audio=False))
    assert not info.has_audio and info.has_video


def test_keyframe_is_an_image(tmp_path: Path) -> None:
    frame = media.keyframe(video_with_speech(tmp_path / "v.mp4", seconds=2.0))
    prepared = images.prepare(frame)
    assert (prepared.width, prepared.height) == (320, 240)


def test_a_file_that_is_not_a_video_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.mp4"
    bad.write_bytes(b"not a video at all" * 50)
    with pytest.raises(media.MediaError):
        media.probe(bad)
    with pytest.raises(media.MediaError):
        media.keyframe(bad)
