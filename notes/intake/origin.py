"""Where a note came from: who sent it, from which chat and message, forwarded from whom.

One `Origin` for every kind of note, voice included: the bot builds it from a message (through
its job record), the command line from the user and the file, and every filer takes it. What
belongs to one kind (a caption, an article, an audio file, a video's size) stays with the
note. Pure: an origin says itself as front matter pairs; each format places them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from notes.intake.transcripts import NoteHeader, Written, iso_date


@dataclass(frozen=True)
class Forward:
    """Where a forwarded message came from."""

    kind: str
    """`user`, `hidden_user`, `chat` or `channel` (Telegram's MessageOrigin types)."""

    name: str
    date: datetime
    username: str | None = None
    chat_id: int | None = None
    message_id: int | None = None

    def pairs(self) -> list[tuple[str, Any]]:
        pairs: list[tuple[str, Any]] = [
            ("forwarded_from", self.name),
            ("forwarded_from_kind", self.kind),
            ("forwarded_date", Written(iso_date(self.date))),
        ]
        if self.username:
            pairs.append(("forwarded_from_username", self.username))
        if self.chat_id is not None:
            pairs.append(("forwarded_chat_id", self.chat_id))
        if self.message_id is not None:
            pairs.append(("forwarded_message_id", self.message_id))
        return pairs

    @classmethod
    def from_record(cls, data: dict[str, Any]) -> Forward:
        """The origin kept in a job record (`date` as ISO 8601 text); raises ValueError."""
        fields = dict(data) | {"date": datetime.fromisoformat(str(data["date"]))}
        return cls(**fields)


_OLDER_SOURCES = {"local_audio": "audio_file"}
"""Sources the KB named before the `channel_kind` rule: a recording transcribed from the
command line is `audio_file`."""


@dataclass(frozen=True)
class Origin:
    """Who sent a note, when (the message's time, UTC), through which channel, from which
    chat and message, forwarded from whom, in which burst."""

    channel: str
    """`telegram` for the bot; `local` for the command line. The first word of `source`."""

    date: datetime
    user_id: int
    username: str
    message_id: int | None = None
    chat_id: int | None = None
    forward: Forward | None = None
    group: str | None = None
    """Notes sent as one burst (an album, forwards and the comment after them) share this."""

    def source(self, kind: str) -> str:
        """The note's `source`: `telegram_photo`; `telegram` alone for a text (`kind` empty)."""
        name = f"{self.channel}_{kind}" if kind else self.channel
        return _OLDER_SOURCES.get(name, name)

    def head(self, kind: str) -> list[tuple[str, Any]]:
        """The pairs that open every note's front matter, in this order."""
        return [
            ("source", self.source(kind)),
            ("date", iso_date(self.date)),
            ("user_id", self.user_id),
            ("username", self.username),
        ]

    def tail(self) -> list[tuple[str, Any]]:
        """The pairs that follow a note's own keys: where it was forwarded from, its burst."""
        pairs = list(self.forward.pairs()) if self.forward else []
        if self.group:
            pairs.append(("group", self.group))
        return pairs

    def note_header(
        self, kind: str, audio_file: str | None = None, extra: dict[str, Any] | None = None
    ) -> NoteHeader:
        """The header of a note of `kind` sent from here; raises NoteFormatError for a kind
        `NoteHeader` does not write (it writes voice and text notes)."""
        return NoteHeader(
            self.source(kind), self.date, self.user_id, self.username, audio_file, extra or {}
        )
