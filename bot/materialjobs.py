"""Materials received but not yet filed: one small record each, kept until the note is filed.

Like the voice queue: a record is written before the author is told the message arrived and
removed once its notes are filed, so a message whose process died in between is filed at the
next start. Records live in `.voicenotes/materials/NAME.json`.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from notes import atomic
from notes.kb import KnowledgeBase
from notes.materials.formats import Forward, Sender

FOLDER = "materials"
MAX_ATTEMPTS = 3
log = logging.getLogger(__name__)


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

    @property
    def key(self) -> str:
        """Record name: a message may hold a photo and links, two jobs."""
        return f"{self.stem}_{self.kind}"

    def sender(self) -> Sender:
        forward = None
        if self.forward:
            data = dict(self.forward)
            data["date"] = datetime.fromisoformat(data["date"])
            forward = Forward(**data)
        return Sender(
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


def folder(kb: KnowledgeBase) -> Path:
    return kb.state / FOLDER


def record_path(kb: KnowledgeBase, key: str) -> Path:
    return folder(kb) / f"{key}.json"


def save(kb: KnowledgeBase, job: MaterialJob) -> Path:
    data = asdict(job) | {"date": job.date.isoformat()}
    text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    return atomic.write_text(record_path(kb, job.key), text, overwrite=True)


def remove(kb: KnowledgeBase, job: MaterialJob) -> None:
    record_path(kb, job.key).unlink(missing_ok=True)


def exists(kb: KnowledgeBase, job: MaterialJob) -> bool:
    return record_path(kb, job.key).exists()


def pending(kb: KnowledgeBase) -> list[MaterialJob]:
    """Every saved record, oldest first; an unreadable record is logged and left in place."""
    jobs: list[MaterialJob] = []
    if not folder(kb).is_dir():
        return jobs
    for path in sorted(folder(kb).glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            data["date"] = datetime.fromisoformat(data["date"])
            jobs.append(MaterialJob(**data))
        except (OSError, ValueError, TypeError, KeyError) as error:
            log.warning("skipping unreadable materials record %s: %s", path.name, error)
    return jobs


def forward_dict(forward: Forward | None) -> dict[str, Any] | None:
    if forward is None:
        return None
    return asdict(forward) | {"date": forward.date.isoformat()}
