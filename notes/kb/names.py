"""Naming rules for notes: `{YYYYMMDD_HHMMSS}_{username}_msg{message_id}` and friends.

A note file is `STEM` plus the suffix of its kind (see notes.intake.noteformats for the contents):
`_transcript.txt` (voice), `.md` (text, as the author's KB writes it), `_photo.md`,
`_file.md`, `_video.md`, and `_text.txt` (text notes of earlier voicenotes versions). A `.md`
note's name starts with the UTC time (`20260204_102339_`), so a README is not taken for one.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")
_TIMESTAMPED = re.compile(r"\d{8}_\d{6}_")
TRANSCRIPT_SUFFIX = "_transcript.txt"
TEXT_SUFFIX = ".md"
"""Text notes, as the author's KB has them: `NAME.md` with `source: telegram`."""

LEGACY_TEXT_SUFFIX = "_text.txt"
PHOTO_SUFFIX = "_photo.md"
FILE_SUFFIX = "_file.md"
VIDEO_SUFFIX = "_video.md"
LINK_SUFFIX = "_link.md"
YOUTUBE_SUFFIX = "_youtube.md"
"""Link and YouTube notes: `.md` notes by their name's time (not in NOTE_SUFFIXES)."""
NOTE_SUFFIXES = (
    TRANSCRIPT_SUFFIX,
    LEGACY_TEXT_SUFFIX,
    PHOTO_SUFFIX,
    FILE_SUFFIX,
    VIDEO_SUFFIX,
    TEXT_SUFFIX,
)
"""Longest first where one ends another (`_photo.md` before `.md`)."""


def safe_component(value: str) -> str:
    """Replace anything outside `[A-Za-z0-9_-]` by `_`."""
    return _UNSAFE.sub("_", value)


def timestamp(when: datetime) -> str:
    """UTC `YYYYMMDD_HHMMSS`; a naive time is taken as UTC."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).strftime("%Y%m%d_%H%M%S")


def time_of(name: str) -> datetime | None:
    """The UTC time a note's name starts with, if it starts with one."""
    if not _TIMESTAMPED.match(name):
        return None
    try:
        return datetime.strptime(name[:15], "%Y%m%d_%H%M%S").replace(tzinfo=UTC)
    except ValueError:
        return None


def author(username: str | None, user_id: int) -> str:
    return safe_component(username) if username else f"user{user_id}"


def message_stem(when: datetime, username: str | None, user_id: int, message_id: int) -> str:
    """Stem for a Telegram message: `20260204_102339_AlexeyDTC_msg900`."""
    return f"{timestamp(when)}_{author(username, user_id)}_msg{message_id}"


def file_stem(when: datetime, username: str, source_stem: str) -> str:
    """Stem for audio filed from the command line: `{time}_{username}_{file stem}`."""
    return f"{timestamp(when)}_{safe_component(username)}_{safe_component(source_stem)}"


def transcript_name(stem: str) -> str:
    return stem + TRANSCRIPT_SUFFIX


def text_note_name(stem: str) -> str:
    """A new text note's name: `STEM.md`, the KB's own format for text notes."""
    return stem + TEXT_SUFFIX


def is_note_name(name: str) -> bool:
    """Whether a file of this name is a note of one of the known kinds (by name alone)."""
    if name.startswith(".") or not name.endswith(NOTE_SUFFIXES):
        return False
    if name.endswith((TRANSCRIPT_SUFFIX, LEGACY_TEXT_SUFFIX)):
        return name not in NOTE_SUFFIXES
    return time_of(name) is not None


def suffix_of(note_name: str) -> str:
    """The kind suffix of a note name (`_photo.md`, `.md`, ...)."""
    for suffix in NOTE_SUFFIXES:
        if note_name.endswith(suffix) and len(note_name) > len(suffix):
            return suffix
    raise ValueError(f"not a note file name: {note_name}")


def stem_of(note_name: str) -> str:
    """`STEM` of a note name; raises ValueError for a name that is not a note's."""
    if not is_note_name(note_name):
        raise ValueError(f"not a note file name: {note_name}")
    return note_name[: -len(suffix_of(note_name))]
