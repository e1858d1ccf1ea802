"""Segment timestamps of a transcript, kept beside it as a WebVTT sidecar `NAME.vtt`.

The transcript (`NAME_transcript.txt`) keeps the KB's format; its times live in the
sidecar, which players and editors understand, and which moves with the note from
`inbox/raw/` to `inbox/used/`. Written through notes.kb.atomic; read with webvtt-py.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import webvtt
from webvtt.errors import MalformedFileError
from webvtt.models import Timestamp

from notes.kb import atomic, names
from transcribe.base import Segment

SUFFIX = ".vtt"


class TimelineError(ValueError):
    """A sidecar that cannot be read as WebVTT; the message is one line."""


def sidecar_name(note_name: str) -> str:
    """`NAME.vtt` for `NAME_transcript.txt` (any note name)."""
    return stem_of(note_name) + SUFFIX


def stem_of(note_name: str) -> str:
    for suffix in names.NOTE_SUFFIXES:
        if note_name.endswith(suffix):
            return note_name[: -len(suffix)]
    return note_name


def render(segments: Sequence[Segment]) -> str:
    """The WebVTT text of `segments`: one cue each, times to the millisecond."""
    captions = [
        webvtt.Caption(_stamp(s.start), _stamp(max(s.end, s.start)), " ".join(s.text.split()))
        for s in segments
    ]
    return str(webvtt.WebVTT(captions=captions).content)


def parse(text: str) -> list[Segment]:
    """The cues of a WebVTT text as segments, in file order. Raises TimelineError."""
    try:
        captions = webvtt.from_string(text).captions
    except MalformedFileError as error:
        raise TimelineError(f"not a WebVTT file: {error}") from None
    return [
        Segment(_seconds(c.start_time), _seconds(c.end_time), " ".join(c.text.split()))
        for c in captions
    ]


def write(folder: Path, note_name: str, segments: Sequence[Segment]) -> Path:
    """Write the sidecar of `note_name` into `folder`; never overwrites one already there."""
    return atomic.write_text(folder / sidecar_name(note_name), render(segments))


def read(folder: Path, note_name: str) -> list[Segment] | None:
    """The segments of the sidecar of `note_name` in `folder`; None when it has none.

    A sidecar that cannot be read counts as none: the note still drafts, without times.
    """
    try:
        return parse((folder / sidecar_name(note_name)).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, TimelineError):
        return None


def clock(seconds: float) -> str:
    """`12:30` (or `1:02:03` past an hour): how a time is shown to the model and the author."""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def seconds(shown: str) -> int:
    """`12:30` -> 750; `1:02:03` -> 3723 (the inverse of `clock` for whole seconds)."""
    total = 0
    for piece in shown.split(":"):
        total = total * 60 + int(piece)
    return total


def _stamp(seconds: float) -> str:
    millis = round(max(seconds, 0.0) * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def _seconds(stamp: Timestamp) -> float:
    return stamp.hours * 3600 + stamp.minutes * 60 + stamp.seconds + stamp.milliseconds / 1000
