"""What material a Telegram message carries, as the jobs that file it (no I/O).

Forwards record their origin; an album shares its `media_group_id`; a burst of forwards and
the comment sent right after it share one group.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from telegram import (
    Animation,
    Chat,
    Message,
    MessageEntity,
    MessageOriginChannel,
    MessageOriginChat,
    MessageOriginHiddenUser,
    MessageOriginUser,
    User,
    Video,
    VideoNote,
)
from telegram.warnings import PTBDeprecationWarning

from bot.content import as_sent
from bot.jobs import Job, forward_dict
from notes.intake import urls
from notes.intake.origin import Forward
from notes.kb import names

BURST_WINDOW = timedelta(minutes=2)
_LINK_TYPES: list[str | None] = [MessageEntity.URL, MessageEntity.TEXT_LINK]


def stem_of(message: Message, user: User) -> str:
    return names.message_stem(message.date, user.username, user.id, message.message_id)


def urls_of(message: Message) -> list[str]:
    """URLs in the text or caption, hidden text links included."""
    found: list[str] = []
    for entities in (
        message.parse_entities(_LINK_TYPES),
        message.parse_caption_entities(_LINK_TYPES),
    ):
        for entity, text in entities.items():
            found.append(
                entity.url if entity.type == MessageEntity.TEXT_LINK and entity.url else text
            )
    body = message.text or message.caption or ""
    return urls.urls_in(body, hidden=found)


def forward_of(message: Message) -> Forward | None:
    origin = message.forward_origin
    if origin is None:
        return None
    if isinstance(origin, MessageOriginUser):
        person = origin.sender_user
        return Forward("user", person.full_name, origin.date, person.username, person.id)
    if isinstance(origin, MessageOriginHiddenUser):
        return Forward("hidden_user", origin.sender_user_name, origin.date)
    if isinstance(origin, MessageOriginChannel):
        chat = origin.chat
        return Forward(
            "channel", chat.title or "", origin.date, chat.username, chat.id, origin.message_id
        )
    if isinstance(origin, MessageOriginChat):
        chat = origin.sender_chat
        return Forward("chat", chat.title or "", origin.date, chat.username, chat.id)
    return None


def message_link(message: Message) -> str | None:
    """`https://t.me/c/…/ID` for supergroups and channels (private chats have none)."""
    chat = message.chat
    if chat.type not in (Chat.SUPERGROUP, Chat.CHANNEL):
        return None
    if chat.username:
        return f"https://t.me/{chat.username}/{message.message_id}"
    return f"https://t.me/c/{str(chat.id).removeprefix('-100')}/{message.message_id}"


@dataclass
class Bursts:
    """Forwards sent in a row, then the author's comment: one group per chat at a time."""

    window: timedelta = BURST_WINDOW
    _open: dict[int, tuple[str, datetime]] = field(default_factory=dict)
    _given: dict[tuple[int, int], str | None] = field(default_factory=dict)

    def group_for(self, message: Message) -> str | None:
        """The group of `message`: its album, its burst of forwards, or None.

        Asked again for the same message (its links, after its text), the same answer.
        """
        key = (message.chat_id, message.message_id)
        if key not in self._given:
            if len(self._given) > 1000:
                self._given.clear()
            self._given[key] = self._group_for(message)
        return self._given[key]

    def _group_for(self, message: Message) -> str | None:
        chat, when = message.chat_id, message.date
        current = self._open.get(chat)
        if current is not None and when - current[1] > self.window:
            self._open.pop(chat, None)
            current = None
        if message.forward_origin is not None:
            group = current[0] if current else f"forwards{message.message_id}"
            self._open[chat] = (group, when)
            return group
        if message.media_group_id:
            return f"album{message.media_group_id}"
        if current is not None:
            self._open.pop(chat, None)
            return current[0]
        return None

    def is_open(self, message: Message) -> bool:
        current = self._open.get(message.chat_id)
        return current is not None and message.date - current[1] <= self.window


def job_for(message: Message, user: User, kind: str, group: str | None) -> Job:
    """The job that files `message`'s material of `kind` (photo, animation, video, video_note,
    document, text, links, edit_links)."""
    base = Job(
        stem=stem_of(message, user),
        kind=kind,
        date=message.date,
        user_id=user.id,
        username=names.author(user.username, user.id),
        chat_id=message.chat_id,
        message_id=message.message_id,
        caption=message.caption,
        group=group,
        forward=forward_dict(forward_of(message)),
        message_link=message_link(message),
    )
    if kind == "photo" and message.photo:
        largest = max(message.photo, key=lambda size: size.width * size.height)
        return _with(
            base,
            largest.file_id,
            "",
            "image/jpeg",
            largest.file_size,
            largest.width,
            largest.height,
        )
    moving = (
        message.animation if kind == "animation" else message.video if kind == "video" else None
    )
    if moving is not None:  # a GIF and a video carry the same details
        return _with(
            base,
            moving.file_id,
            moving.file_name or "",
            moving.mime_type or "",
            moving.file_size,
            moving.width,
            moving.height,
            _seconds(moving),
        )
    if kind == "video_note" and message.video_note:
        r = message.video_note
        # A round video is a square `length` pixels wide; Telegram gives it no name or type.
        return _with(base, r.file_id, "", "video/mp4", r.file_size, r.length, r.length, _seconds(r))
    if kind == "document" and message.document:
        d = message.document
        return _with(base, d.file_id, d.file_name or "file", d.mime_type or "", d.file_size)
    if kind in ("links", "edit_links"):
        return _replace(base, urls=urls_of(message), caption=None, text=None)
    return _replace(base, text=as_sent(message.text or message.caption or ""))


def _with(
    job: Job,
    file_id: str,
    file_name: str,
    mime_type: str,
    file_size: int | None,
    width: int = 0,
    height: int = 0,
    duration: float | int = 0,
) -> Job:
    return _replace(
        job,
        file_id=file_id,
        file_name=file_name,
        mime_type=mime_type,
        file_size=file_size or 0,
        width=width,
        height=height,
        duration=int(duration),
    )


def _seconds(media: Video | Animation | VideoNote) -> float:
    """The declared duration, read without PTB's int-to-timedelta migration warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = media.duration
    return value.total_seconds() if isinstance(value, timedelta) else float(value or 0)


def _replace(job: Job, **changes: object) -> Job:
    return replace(job, **changes)  # type: ignore[arg-type]
