"""Real images and videos made at test time: JPEGs carrying EXIF GPS, MP4s with speech."""

from __future__ import annotations

import io
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from PIL import Image, ImageDraw

from tests.support.audio import speech_samples
from transcribe.audio import SAMPLE_RATE

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def photo_with_gps(width: int = 4000, height: int = 3000, orientation: int = 6) -> bytes:
    """A camera-like JPEG: EXIF with GPS coordinates, a camera model and an orientation."""
    image = Image.new("RGB", (width, height), (30, 90, 160))
    ImageDraw.Draw(image).rectangle((0, 0, width // 4, height // 8), fill=(250, 250, 250))
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x0110] = "Test Camera"
    exif[GPS_IFD] = {
        1: "N",
        2: (55.0, 45.0, 21.0),
        3: "E",
        4: (37.0, 37.0, 4.0),
    }
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=80)
    return out.getvalue()


def exif_of(data: bytes) -> Image.Exif:
    with Image.open(io.BytesIO(data)) as image:
        return image.getexif()


def size_of(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as image:
        return image.size


def video_with_speech(
    path: Path,
    seconds: float = 3.0,
    *,
    audio: bool = True,
    width: int = 320,
    height: int = 240,
    speech: np.ndarray | None = None,
) -> Path:
    """An MP4 (H.264 picture + AAC speech from the real clip, or `speech`), made with PyAV."""
    fps = 10
    said = speech_samples() if speech is None else speech
    samples = said[: int(SAMPLE_RATE * seconds)] if audio else None
    with av.open(str(path), "w") as container:
        video = container.add_stream("libx264", rate=fps)
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        sound = container.add_stream("aac", rate=SAMPLE_RATE) if audio else None
        if sound is not None:
            sound.layout = "mono"
        for index in range(int(seconds * fps)):
            pixels = np.full((height, width, 3), (index * 8) % 255, dtype=np.uint8)
            frame = av.VideoFrame.from_ndarray(pixels, format="rgb24")
            frame.pts = index
            frame.time_base = Fraction(1, fps)
            container.mux(video.encode(frame))
        container.mux(video.encode(None))
        if sound is not None and samples is not None:
            _mux_audio(container, sound, samples)
    return path


def _mux_audio(
    container: av.container.OutputContainer, stream: av.AudioStream, samples: np.ndarray
) -> None:
    resampler = av.AudioResampler(format=stream.format.name, layout="mono", rate=SAMPLE_RATE)
    pcm = (np.clip(samples, -1, 1) * 32767).astype(np.int16).reshape(1, -1)
    frame = av.AudioFrame.from_ndarray(pcm, format="s16", layout="mono")
    frame.sample_rate = SAMPLE_RATE
    for converted in resampler.resample(frame):
        container.mux(stream.encode(converted))
    for converted in resampler.resample(None):
        container.mux(stream.encode(converted))
    container.mux(stream.encode(None))
