"""Voice notes saved but not yet transcribed: one small record each, kept until filed.

A record is written before the author is told the note arrived and removed only once he has
been told how it ended (filed, or failed for good), so a note whose process died anywhere in
between is found, and answered, at the next start. Records live in
`.voicenotes/voicequeue/NAME.json`, kept by the one crash-record store (bot/records.py).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.records import MAX_ATTEMPTS as MAX_ATTEMPTS
from bot.records import RecordStore
from notes.intake import inbox
from notes.kb import KnowledgeBase, atomic, names


@dataclass(frozen=True)
class PendingVoice:
    """Everything needed to transcribe a saved note and answer its author later."""

    stem: str
    audio_name: str
    source: str
    date: datetime
    user_id: int
    username: str
    chat_id: int
    message_id: int
    file_id: str
    attempts: int = 0
    """Failed tries so far (see MAX_ATTEMPTS); a restart asked for (a stop signal) does not
    count against the note."""
    ack_message_id: int | None = None
    """The acknowledgement sent to the author, to be edited into the answer."""
    running: bool = False
    """A try is in progress and no stop was asked for: found so at a start, the process died
    during the try, and the try counts as failed."""
    caption: str = ""
    """The author's caption, filed with the transcript as sent."""
    forward: dict[str, Any] | None = None
    """Where a forwarded recording came from (a Forward as a record, date as ISO text)."""
    article: str | None = None
    """The article the note asks to revise (a reply to a bot message naming it), if any."""

    @property
    def transcript_name(self) -> str:
        return names.transcript_name(self.stem)

    def failed_once(self) -> PendingVoice:
        return replace(self, attempts=self.attempts + 1, running=False)

    def crashed(self) -> bool:
        """The process died during a try it was not asked to stop."""
        return self.running


RECORDS: RecordStore[PendingVoice] = RecordStore(
    "voicequeue", PendingVoice, lambda record: record.stem, "voice queue record"
)
folder = RECORDS.folder
record_path = RECORDS.path
save = RECORDS.save
load = RECORDS.load
load_record = RECORDS.get
"""The saved record of a stem, if there is one and it can be read."""
pending = RECORDS.pending
"""Every saved record, oldest first; an unreadable record is logged and left in place."""
remove = RECORDS.remove


def saved_audio(kb: KnowledgeBase, stem: str) -> Path | None:
    """The kept recording of a message, whatever its extension."""
    if not kb.audio.is_dir():
        return None
    for path in sorted(kb.audio.glob(f"{stem}.*")):
        if path.is_file() and not atomic.is_temporary(path):
            return path
    return None


def ended(kb: KnowledgeBase, stem: str) -> str | None:
    """Where a message of this stem is, in a few words, once its way through the bot ended
    (filed, or failed with the recording kept); None while it is new or still in progress.

    Names are deterministic, so a message delivered twice maps to the same stem.
    """
    for name in (names.transcript_name(stem), names.text_note_name(stem)):
        path = inbox.note_path(kb, name)
        if path is not None:
            return f"filed as {name}"
    if record_path(kb, stem).exists():
        return None
    audio = saved_audio(kb, stem)
    if audio is not None:
        return f"kept as inbox/audio/{audio.name}"
    return None
