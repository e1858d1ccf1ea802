"""How long a recording says it is, read from its container without decoding the audio."""

from __future__ import annotations

from pathlib import Path

import av

from transcribe.base import TranscriptionError


class TooLongError(TranscriptionError):
    """The recording is longer than the configured cap; nothing was transcribed."""


def declared_seconds(path: Path) -> float | None:
    """The duration the container declares, or None when it declares none or cannot be read.

    Reading it costs a header parse, not a decode, so a cap is enforced before any work.
    """
    try:
        with av.open(str(path), mode="r", metadata_errors="ignore") as container:
            if container.duration:
                return float(container.duration / av.time_base)
            stream = container.streams.audio[0] if container.streams.audio else None
            if stream is not None and stream.duration and stream.time_base:
                return float(stream.duration * stream.time_base)
    except (av.error.FFmpegError, OSError, ValueError, EOFError):
        return None
    return None


def check_length(path: Path, cap_seconds: float | None) -> None:
    """Raise TooLongError when `path` declares more than `cap_seconds` (None: no cap)."""
    if not cap_seconds or not path.is_file():
        return
    seconds = declared_seconds(path)
    if seconds is not None and seconds > cap_seconds:
        raise TooLongError(
            f"the recording is {_minutes(seconds)} long, over the {_minutes(cap_seconds)} "
            "limit (VOICENOTES_MAX_MINUTES); not transcribed, the audio is kept"
        )


def _minutes(seconds: float) -> str:
    minutes = seconds / 60
    return f"{minutes:.0f} min" if minutes >= 10 else f"{minutes:.1f} min"
