"""Where a note came from: who sent it, from which chat and message, forwarded from whom.

Pure: these types hold an origin and say it as front matter pairs; the formats place them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from notes.intake.transcripts import iso_date


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
            ("forwarded_date", iso_date(self.date)),
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
