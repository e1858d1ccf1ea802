"""The transcript file format: ordered YAML front matter, a blank line, text wrapped at 100."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from notes.markdown import frontmatter

WRAP_COLUMNS = 100
SOURCES = (
    "telegram_voice",
    "telegram_audio",
    "telegram_video_note",
    "telegram_text",
    "audio_file",
)
VOICE_SOURCES = frozenset(SOURCES) - {"telegram_text"}
_FIXED_KEYS = ("source", "date", "user_id", "username", "audio_file")


class NoteFormatError(ValueError):
    pass


@dataclass(frozen=True)
class NoteHeader:
    source: str
    date: datetime
    user_id: int
    username: str
    audio_file: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.source not in SOURCES:
            raise NoteFormatError(f"unknown source {self.source!r}")
        if self.date.tzinfo is None:
            raise NoteFormatError("date needs a UTC offset")
        if (self.source in VOICE_SOURCES) != (self.audio_file is not None):
            raise NoteFormatError(f"audio_file goes with voice sources only ({self.source})")


@dataclass(frozen=True)
class Note:
    header: NoteHeader
    text: str


def iso_date(when: datetime) -> str:
    """`2026-02-04T10:23:39+00:00`: seconds precision, UTC offset kept."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.replace(microsecond=0).isoformat()


def wrap_text(text: str) -> str:
    """Wrap every line of `text` at 100 columns, keeping the author's own line breaks."""
    lines = text.strip().split("\n")
    return "\n".join(
        textwrap.fill(line, WRAP_COLUMNS, break_long_words=False) if line.strip() else ""
        for line in lines
    )


def render(note: Note) -> str:
    head = note.header
    pairs: list[tuple[str, str]] = [
        ("source", head.source),
        ("date", iso_date(head.date)),
        ("user_id", str(head.user_id)),
        ("username", frontmatter.scalar(head.username)),
    ]
    if head.audio_file is not None:
        pairs.append(("audio_file", frontmatter.scalar(head.audio_file)))
    pairs += [(key, frontmatter.scalar(value)) for key, value in head.extra.items()]
    front = "\n".join(f"{key}: {value}" for key, value in pairs)
    return f"---\n{front}\n---\n\n{wrap_text(note.text)}"


def parse(document: str) -> Note:
    try:
        yaml_text, rest = frontmatter.split(document)
        data = frontmatter.load(yaml_text)
    except frontmatter.FrontMatterError as error:
        raise NoteFormatError(str(error)) from None
    missing = [key for key in ("source", "date", "user_id", "username") if key not in data]
    if missing:
        raise NoteFormatError(f"front matter lacks {', '.join(missing)}")
    header = NoteHeader(
        source=str(data["source"]),
        date=_as_datetime(data["date"]),
        user_id=int(data["user_id"]),
        username=str(data["username"]),
        audio_file=None if data.get("audio_file") is None else str(data["audio_file"]),
        extra={key: value for key, value in data.items() if key not in _FIXED_KEYS},
    )
    return Note(header, rest.removeprefix("\n"))


def _as_datetime(value: Any) -> datetime:
    when = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if when.tzinfo is None:
        raise NoteFormatError(f"date {value} has no UTC offset")
    return when
