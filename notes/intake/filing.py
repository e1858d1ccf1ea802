"""Filing materials into `inbox/raw/` in the KB's formats: what every kind shares.

Every filing function writes through notes/kb/atomic.py, the files a note refers to first and
the note itself last, so a crash leaves at worst an orphan image, never a note pointing at
nothing. Faults of the material itself (a page that will not load, an image that is not an
image, a video without captions) never raise: the note is filed with the reason, and
`FiledNote.problem` carries it as one line for the chat. The kinds live beside this module:
photos, linknotes (links and YouTube), videos, documents.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import requests

from notes.intake import formats, inbox, pages, youtube
from notes.intake.fetch import FetchPolicy
from notes.intake.origin import Origin
from notes.kb import KnowledgeBase, atomic
from notes.settings import Settings
from transcribe import Transcriber


@dataclass(frozen=True)
class FiledNote:
    """A note filed: where, what kind, one line on what it holds, and any problem."""

    path: Path
    kind: str
    summary: str
    problem: str | None = None


@dataclass
class Materials:
    """Everything filing needs: the KB, settings, and the edges tests replace."""

    kb: KnowledgeBase
    settings: Settings
    transcriber: Callable[[], Transcriber] | None = None
    youtube_session: Callable[[], requests.Session] = youtube.TimedSession
    github_api: str = pages.GITHUB_API
    now: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    stop: threading.Event = field(default_factory=threading.Event)
    """Set when the program stops: a fetch in progress ends at once (fetch.Stopped)."""

    @property
    def policy(self) -> FetchPolicy:
        return FetchPolicy(
            max_bytes=int(self.settings.fetch_max_mb * 1024 * 1024),
            allow_private=self.settings.fetch_private,
            stop=self.stop,
        )

    def fetched_at(self) -> datetime:
        return self.now().replace(microsecond=0)


def file_binary(
    m: Materials,
    data: bytes,
    name: str,
    stem: str,
    origin: Origin,
    caption: str | None,
    *,
    problem: str | None = None,
) -> FiledNote:
    """The file kept as `NAME.ext` with a `NAME_file.md` holding its metadata and caption."""
    saved = keep(m, data, stem, name)
    extra = [("file_size_bytes", len(data)), ("problem", problem)]
    note = formats.file_note(origin, name, saved.name, caption, extra=extra)
    path = inbox.file_note(m.kb, stem + formats.FILE_SUFFIX, note)
    return FiledNote(path, "file", f"{name}: {len(data)} bytes, kept", problem)


def file_missing(
    m: Materials, name: str, stem: str, origin: Origin, caption: str | None, size: int
) -> FiledNote:
    """A file that could not be downloaded: its name, size and the caption, no content."""
    extra = [("file_size_bytes", size or None), ("problem", "not downloaded")]
    note = formats.file_note(origin, name, None, caption, extra=extra)
    path = inbox.file_note(m.kb, stem + formats.FILE_SUFFIX, note)
    return FiledNote(path, "file", f"{name}: not downloaded, details kept")


def keep(m: Materials, data: bytes, stem: str, name: str) -> Path:
    suffix = "".join(ch for ch in Path(name).suffix.lower() if ch.isalnum() or ch == ".")
    return atomic.write_bytes(m.kb.raw / f"{stem}{suffix or '.bin'}", data, overwrite=True)


def first_line(text: str, limit: int = 120) -> str:
    line = " ".join(text.strip().split("\n", 1)[0].split())
    return line if len(line) <= limit else line[: limit - 1] + "…"
