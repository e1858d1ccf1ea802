"""What PyAV can tell about a video (or GIF) file: duration, size, resolution, a keyframe."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import av
from PIL import Image


class MediaError(ValueError):
    """The file is not a video PyAV can read. One line for the user."""


@dataclass(frozen=True)
class MediaInfo:
    duration: float
    width: int
    height: int
    size: int
    has_audio: bool
    has_video: bool


def probe(path: Path) -> MediaInfo:
    """Duration, resolution and streams of `path`. Raises MediaError."""
    try:
        with av.open(str(path), mode="r", metadata_errors="ignore") as container:
            video = container.streams.video[0] if container.streams.video else None
            duration = (container.duration or 0) / av.time_base
            if not duration and video is not None and video.duration and video.time_base:
                duration = float(video.duration * video.time_base)
            return MediaInfo(
                duration=round(float(duration), 3),
                width=int(video.codec_context.width) if video else 0,
                height=int(video.codec_context.height) if video else 0,
                size=path.stat().st_size,
                has_audio=bool(container.streams.audio),
                has_video=video is not None,
            )
    except (av.error.FFmpegError, EOFError, ValueError, IndexError) as error:
        raise MediaError(f"not a video the decoder can read ({type(error).__name__})") from None


def keyframe(path: Path, at: float | None = None) -> bytes:
    """One frame as PNG bytes: at `at` seconds, else a third of the way in. Raises MediaError."""
    try:
        with av.open(str(path), mode="r", metadata_errors="ignore") as container:
            if not container.streams.video:
                raise MediaError("the file has no picture")
            stream = container.streams.video[0]
            duration = (container.duration or 0) / av.time_base
            target = at if at is not None else duration / 3
            if target > 0 and stream.time_base:
                container.seek(int(target / stream.time_base), stream=stream, backward=True)
            for frame in container.decode(video=0):
                image: Image.Image = frame.to_image()  # type: ignore[no-untyped-call]
                out = io.BytesIO()
                image.save(out, "PNG")
                return out.getvalue()
    except MediaError:
        raise
    except (av.error.FFmpegError, EOFError, ValueError) as error:
        raise MediaError(f"no frame could be decoded ({type(error).__name__})") from None
    raise MediaError("no frame could be decoded")
