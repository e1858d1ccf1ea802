"""A job: one message the bot must file, kept on disk from before its acknowledgement until its
author has been told how it ended, so a process that dies anywhere in between leaves it to be
picked up at the next start.

Every kind of message is one `Job`: a voice note or an audio file (`kind` "voice"), a photo,
a video, a round video, a GIF, a file, a text or the links of a message. Its record lives in
the folder of its lane, through the one crash-record store (bot/records.py):

- `.voicenotes/voicequeue/NAME.json`: a recording, for the speech lane;
- `.voicenotes/materials/NAME_KIND.json`: anything else (a message may hold a photo and links,
  two jobs), for the filing lane.

Records written by earlier versions read as they are: a voice record carries no `kind` (it is
"voice"), a material record no `running` (it was not marked). How tries are counted:
bot/attempts.py.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.records import RecordStore
from notes.intake import inbox
from notes.intake.origin import Forward, Origin
from notes.intake.voice import Recording
from notes.kb import KnowledgeBase, atomic, names

VOICE = "voice"
"""The kind of a recording (a voice note, or audio sent as a file): the speech lane's."""


@dataclass(frozen=True, kw_only=True)
class Job:
    """Everything needed to file one message's note(s) and answer its author later."""

    stem: str
    """The message's name (notes/kb/names.message_stem)."""
    kind: str = VOICE
    """`voice`, `photo`, `document`, `video`, `video_note`, `animation`, `text`, `links` or
    `edit_links`."""

    # Who sent it, from which chat and message, forwarded from whom.
    date: datetime
    user_id: int
    username: str
    chat_id: int
    message_id: int
    forward: dict[str, Any] | None = None
    """Where a forwarded message came from (a Forward as a record, date as ISO text)."""
    group: str | None = None
    """Notes sent as one burst (an album, forwards and the comment after them) share this."""
    message_link: str | None = None

    # The file it carries, if any.
    file_id: str | None = None
    file_name: str = ""
    mime_type: str = ""
    file_size: int = 0
    width: int = 0
    height: int = 0
    duration: int = 0
    audio_name: str = ""
    """A recording's file in `inbox/audio/` (stem and suffix)."""
    source: str = ""
    """A recording's `source:` (`telegram_voice`, `telegram_audio`)."""

    # What the author wrote.
    caption: str | None = None
    """The author's caption, filed with the note as sent."""
    text: str | None = None
    urls: list[str] = field(default_factory=list)
    article: str | None = None
    """The article the note asks to revise (a reply to a bot message naming it), if any."""

    # Where the job is.
    ack_message_id: int | None = None
    """The acknowledgement sent to the author, to be edited into the answer."""
    attempts: int = 0
    """Failed tries so far (bot/attempts.py says which tries count)."""
    running: bool = False
    """A try is in progress and no stop was asked for: found so at a start, the process died
    during the try, and the try counts as failed."""

    @property
    def key(self) -> str:
        """The record's name: the stem of a recording, `STEM_KIND` for the rest."""
        return self.stem if self.kind == VOICE else f"{self.stem}_{self.kind}"

    @property
    def transcript_name(self) -> str:
        return names.transcript_name(self.stem)

    def failed_once(self) -> Job:
        """The try ended in failure: counted, and no longer running."""
        return replace(self, attempts=self.attempts + 1, running=False)

    def crashed(self) -> bool:
        """The process died during a try it was not asked to stop."""
        return self.running

    def origin(self) -> Origin:
        """Who sent it, from which chat and message, forwarded from whom (notes/intake/origin)."""
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

    def recording(self) -> Recording:
        """A recording to file: its origin, kind (from `source`), caption and article."""
        kind = self.source.removeprefix("telegram_")  # the record keeps the whole source
        return Recording(self.origin(), kind, self.caption or "", self.article)


def forward_dict(forward: Forward | None) -> dict[str, Any] | None:
    """`forward` as a job record keeps it (date as ISO 8601 text)."""
    if forward is None:
        return None
    return asdict(forward) | {"date": forward.date.isoformat()}


def _key(job: Job) -> str:
    return job.key


SPEECH: RecordStore[Job] = RecordStore("voicequeue", Job, _key, "voice queue record")
"""The speech lane's records: recordings."""
FILING: RecordStore[Job] = RecordStore("materials", Job, _key, "materials record")
"""The filing lane's records: everything else."""


def store(job: Job) -> RecordStore[Job]:
    """The store of `job`'s lane."""
    return SPEECH if job.kind == VOICE else FILING


def save(kb: KnowledgeBase, job: Job) -> Path:
    """Write (or replace) the job's record atomically; raises OSError when it cannot."""
    return store(job).save(kb, job)


def remove(kb: KnowledgeBase, job: Job) -> None:
    store(job).remove(kb, job.key)


def exists(kb: KnowledgeBase, job: Job) -> bool:
    return store(job).exists(kb, job.key)


def saved(kb: KnowledgeBase, job: Job) -> Job | None:
    """The record of `job` as it is on disk now, if there is one and it can be read."""
    return store(job).get(kb, job.key)


def saved_audio(kb: KnowledgeBase, stem: str) -> Path | None:
    """The kept recording of a message, whatever its extension."""
    if not kb.audio.is_dir():
        return None
    for path in sorted(kb.audio.glob(f"{stem}.*")):
        if path.is_file() and not atomic.is_temporary(path):
            return path
    return None


def ended(kb: KnowledgeBase, stem: str) -> str | None:
    """Where a recording of this stem is, in a few words, once its way through the bot ended
    (filed, or failed with the recording kept); None while it is new or still in progress.

    Names are deterministic, so a message delivered twice maps to the same stem.
    """
    for name in (names.transcript_name(stem), names.text_note_name(stem)):
        path = inbox.note_path(kb, name)
        if path is not None:
            return f"filed as {name}"
    if SPEECH.exists(kb, stem):
        return None
    audio = saved_audio(kb, stem)
    if audio is not None:
        return f"kept as inbox/audio/{audio.name}"
    return None
