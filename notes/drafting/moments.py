"""Time in the sources the model reads: marks like `[12:30]`, parts cut at pauses, and
citations of a moment (`[^S1@12:30-13:10]`). Pure rules.

A transcript with a WebVTT sidecar (notes.intake.timeline) is shown with a time mark every few
segments; one too long for a prompt is cut at its longest pauses into parts, each with the
time range it covers, each a source of its own (so one note can feed several articles).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from notes.intake import timeline
from notes.intake.timeline import clock
from transcribe.base import Segment

MARK_EVERY = 3
"""A time mark before every this many segments."""

PART_CHARS = 12_000
"""Longest part of a transcript shown as one source (~4k tokens of Russian)."""

SLACK = 2.0
"""Seconds a cited range may reach past the part it comes from (marks are whole seconds)."""

_LABEL = re.compile(r"(?P<id>[^@\s\[\]]+)@(?P<start>\d+(?::\d\d){1,2})-(?P<end>\d+(?::\d\d){1,2})")


@dataclass(frozen=True)
class Part:
    """Segments of one recording shown together, covering `start`..`end` seconds."""

    start: float
    end: float
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class Moment:
    """A citation of a moment: source `id` from `start` to `end` seconds."""

    id: str
    start: int
    end: int


def marked(segments: Sequence[Segment], every: int = MARK_EVERY) -> str:
    """The segments' text with `[m:ss]` before the first and every `every`-th segment."""
    pieces = []
    for number, segment in enumerate(segments):
        if number % every == 0:
            pieces.append(f"[{clock(segment.start)}]")
        pieces.append(segment.text)
    return " ".join(pieces)


def parts(segments: Sequence[Segment], duration: float, limit: int = PART_CHARS) -> list[Part]:
    """`segments` cut at pauses into parts of at most ~`limit` characters, covering the recording.

    A cut goes at the longest pause in the second half of a part that has grown past the
    limit; cuts are placed mid-pause, so the parts' ranges meet and span 0..`duration`.
    """
    groups: list[list[Segment]] = [[]]
    size = 0
    for segment in segments:
        current = groups[-1]
        if current and size + len(segment.text) + 1 > limit:
            cut = _longest_pause(current, segment)
            groups[-1], rest = current[:cut], current[cut:]
            groups.append(rest)
            size = sum(len(s.text) + 1 for s in rest)
        groups[-1].append(segment)
        size += len(segment.text) + 1
    bounds = [0.0]
    for before, after in itertools.pairwise(groups):
        bounds.append(round((before[-1].end + after[0].start) / 2, 1))
    bounds.append(max(duration, groups[-1][-1].end if groups[-1] else 0.0))
    return [Part(bounds[n], bounds[n + 1], tuple(group)) for n, group in enumerate(groups) if group]


def _longest_pause(segments: list[Segment], incoming: Segment) -> int:
    """Index to cut `segments` at: the longest pause in their second half or before `incoming`.

    Of equal pauses the latest wins, so parts stay as full as the limit allows.
    """
    following = [*segments, incoming]
    half = max(1, len(segments) // 2)
    gaps = [(following[i].start - following[i - 1].end, i) for i in range(half, len(following))]
    return max(gaps)[1]


def moment(label: str) -> Moment | None:
    """The moment a citation label names (`S1@12:30-13:10`), or None for a plain label."""
    found = _LABEL.fullmatch(label)
    if found is None:
        return None
    return Moment(found["id"], timeline.seconds(found["start"]), timeline.seconds(found["end"]))


def span(start: float, end: float) -> str:
    """`12:30-13:10`: a range as the model reads and writes it."""
    return f"{clock(start)}-{clock(end)}"
