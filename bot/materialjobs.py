"""Materials received but not yet filed: one small record each, kept until the note is filed.

Like the voice queue: a record is written before the author is told the message arrived and
removed once its notes are filed, so a message whose process died in between is filed at the
next start. Records live in `.voicenotes/materials/NAME_KIND.json`, kept by the one
crash-record store (bot/records.py).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from typing import Any

from bot.records import MAX_ATTEMPTS as MAX_ATTEMPTS
from bot.records import RecordStore
from notes.intake.origin import Forward, Origin
from notes.kb import KnowledgeBase


@dataclass(frozen=True)
class MaterialJob:
    """Everything needed to file one message's material and answer its author later."""

    stem: str
    kind: str
    """`photo`, `document`, `video`, `animation`, `text` or `links`."""

    date: datetime
    user_id: int
    username: str
    chat_id: int
    message_id: int
    file_id: str | None = None
    file_name: str = ""
    mime_type: str = ""
    file_size: int = 0
    width: int = 0
    height: int = 0
    duration: int = 0
    caption: str | None = None
    text: str | None = None
    urls: list[str] = field(default_factory=list)
    group: str | None = None
    forward: dict[str, Any] | None = None
    message_link: str | None = None
    ack_message_id: int | None = None
    attempts: int = 0
    """Tries begun so far (see MAX_ATTEMPTS): counted as a try starts."""

    @property
    def key(self) -> str:
        """Record name: a message may hold a photo and links, two jobs."""
        return f"{self.stem}_{self.kind}"

    def origin(self) -> Origin:
        forward = Forward.from_record(self.forward) if self.forward else None
        return Origin(
            "telegram",
            self.date,
            self.user_id,
            self.username,
            message_id=self.message_id,
            chat_id=self.chat_id,
            forward=forward,
            group=self.group,
        )

    def tried(self) -> MaterialJob:
        return replace(self, attempts=self.attempts + 1)


RECORDS: RecordStore[MaterialJob] = RecordStore(
    "materials", MaterialJob, lambda job: job.key, "materials record"
)
folder = RECORDS.folder
save = RECORDS.save
pending = RECORDS.pending
"""Every saved record, oldest first; an unreadable record is logged and left in place."""


def remove(kb: KnowledgeBase, job: MaterialJob) -> None:
    RECORDS.remove(kb, job.key)


def exists(kb: KnowledgeBase, job: MaterialJob) -> bool:
    return RECORDS.exists(kb, job.key)


def forward_dict(forward: Forward | None) -> dict[str, Any] | None:
    if forward is None:
        return None
    return asdict(forward) | {"date": forward.date.isoformat()}
