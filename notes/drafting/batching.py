"""Grouping pending notes into batches: oldest first, notes sent close together go together."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from transcribe.base import Segment

DEFAULT_GAP = timedelta(minutes=10)
MAX_BATCH = 12
"""A long run of notes is cut into batches of at most this many, to keep prompts bounded."""


@dataclass(frozen=True)
class PendingNote:
    name: str
    date: datetime
    text: str
    audio_file: str | None = None
    duration: float | None = None
    """Seconds of the recording, from the transcript's front matter."""

    segments: tuple[Segment, ...] = ()
    """Its timed segments (the sidecar), when they still say what the text says."""

    kind: str = "voice"
    """As notes.intake.noteformats names it: voice, text, photo, file, video, link, youtube."""

    meta: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    """The note's front matter."""


@dataclass(frozen=True)
class Batch:
    notes: tuple[PendingNote, ...]

    @property
    def names(self) -> list[str]:
        return [note.name for note in self.notes]

    @property
    def start(self) -> datetime:
        return self.notes[0].date

    @property
    def end(self) -> datetime:
        return self.notes[-1].date


def group(
    notes: Iterable[PendingNote], gap: timedelta = DEFAULT_GAP, max_size: int = MAX_BATCH
) -> list[Batch]:
    """Batches of notes, oldest first; a note within `gap` of the one before joins its batch."""
    batches: list[list[PendingNote]] = []
    for note in sorted(notes, key=lambda n: (n.date, n.name)):
        current = batches[-1] if batches else None
        if current and len(current) < max_size and note.date - current[-1].date <= gap:
            current.append(note)
        else:
            batches.append([note])
    return [Batch(tuple(batch)) for batch in batches]
