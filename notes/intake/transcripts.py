"""Writing notes: ordered YAML front matter, a blank line, then the text.

A voice transcript's text is wrapped at 100 columns, as the author's KB has them; what the
author wrote with it (a caption, `Note.ending`) is not. A text note is stored exactly as sent
(long URLs, code lines, tabs and `\r` kept): only control characters that are unsafe in a
text file are removed (see `keep_as_sent`). A note voicenotes files ends its front matter
with `filed_by: voicenotes` (`as_filed`), the mark `cleanup` requires before it deletes a
note; `render` adds nothing to a note read back, so the author's notes (which lack it) render
byte for byte as they are. Reading every format the KB holds, the lenient way, is
notes.intake.noteformats.
"""

from __future__ import annotations

import textwrap
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from notes.markdown import frontmatter

WRAP_COLUMNS = 100
TEXT_SOURCE = "telegram"
"""A text note as the author's KB writes it (`NAME.md`)."""
ARTICLE_KEY = "article"
"""The front-matter key of a note that asks to revise one article (its KB path)."""


def request_extra(article: str | None) -> dict[str, str]:
    """The front matter a note gains as a request for `article` (nothing for other notes)."""
    return {ARTICLE_KEY: article} if article else {}


SOURCES = (
    "telegram_voice",
    "telegram_audio",
    "telegram_video_note",
    "telegram_text",
    "audio_file",
    TEXT_SOURCE,
    "telegram_photo",
    "telegram_file",
    "telegram_video",
)
VOICE_SOURCES = frozenset({"telegram_voice", "telegram_audio", "telegram_video_note", "audio_file"})
_KEPT_CONTROLS = frozenset("\t\n\r")
FILED_KEY = "filed_by"
FILED_BY = "voicenotes"
"""The last front matter line of every note voicenotes files: `filed_by: voicenotes`."""
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
    ending: str = ""
    """Written after `text` as given (unsafe control characters aside), never wrapped: the
    author's own words that end a voice note (its caption), kept as he sent them."""


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


def keep_as_sent(text: str) -> str:
    """`text` unchanged but for control characters unsafe in a file (NUL, ESC, DEL, C1...).

    Tabs, line feeds and carriage returns stay; so do format characters (zero-width joiners
    in emoji, direction marks), which are text, not control.
    """
    return "".join(
        char for char in text if char in _KEPT_CONTROLS or unicodedata.category(char) != "Cc"
    )


def body_of(note: Note) -> str:
    """The text as the file holds it: a transcript wrapped, everything else as sent."""
    if note.header.source in VOICE_SOURCES:
        return wrap_text(keep_as_sent(note.text)) + keep_as_sent(note.ending)
    return keep_as_sent(note.text + note.ending)


def as_filed(note: Note) -> Note:
    """`note` marked as voicenotes' (`filed_by: voicenotes` after every other key)."""
    if FILED_KEY in note.header.extra:
        return note
    extra = {**note.header.extra, FILED_KEY: FILED_BY}
    return replace(note, header=replace(note.header, extra=extra))


class Written(str):
    """A front matter value already written as YAML: `front` puts it down as it is."""


_ISO_KEYS = frozenset({"date", "forwarded_date", "fetched"})
"""Keys whose text values are times already written the KB's way (unquoted ISO 8601)."""


def front(pairs: Iterable[tuple[str, Any]]) -> str:
    """The front matter of every kind of note: `---`, one `key: value` line per pair in
    order (None values left out), `---`.

    A value is written as `Written` says, a time as the KB writes `date`
    (`2026-02-04T10:23:39+00:00`, unquoted), so is text under `date`, `forwarded_date` or
    `fetched`; anything else as a YAML scalar.
    """
    lines = [f"{key}: {_value(key, value)}" for key, value in pairs if value is not None]
    return "---\n" + "\n".join(lines) + "\n---"


def note_front(pairs: Iterable[tuple[str, Any]]) -> str:
    """`front` of a note voicenotes files: the pairs, then `filed_by: voicenotes` last."""
    return front([*pairs, (FILED_KEY, FILED_BY)])


def _value(key: str, value: Any) -> str:
    if isinstance(value, Written):
        return str(value)
    if isinstance(value, datetime) and value.tzinfo is not None:
        return iso_date(value)
    if key in _ISO_KEYS and isinstance(value, str):
        return value
    return frontmatter.scalar(value)


def _as_read(value: Any) -> Written:
    """A value of a note read back, written as it was: times unquoted, text (a quoted time
    too) and null as YAML; a `Written` value as it is."""
    if isinstance(value, Written):
        return value
    if isinstance(value, datetime) and value.tzinfo is not None:
        return Written(iso_date(value))
    return Written(frontmatter.scalar(value))


def render(note: Note) -> str:
    head = note.header
    pairs: list[tuple[str, Any]] = [
        ("source", Written(head.source)),
        ("date", head.date),
        ("user_id", head.user_id),
        ("username", head.username),
        ("audio_file", head.audio_file),
    ]
    pairs += [(key, _as_read(value)) for key, value in head.extra.items()]
    return f"{front(pairs)}\n\n{body_of(note)}"


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
