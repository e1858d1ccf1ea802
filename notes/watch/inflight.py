"""Notes the bot is still transcribing or filing: the watcher waits for them.

The bot keeps a crash record for each note from the moment it arrives until it is filed in
`inbox/raw/` and its author told (bot/records.py): `.voicenotes/voicequeue/` for voice notes
being transcribed, `.voicenotes/materials/` for photos, videos, links and files being
prepared, `.voicenotes/updates/` for messages being handled. While any is there, a note of the
sitting is still on its way, and drafting now would split it from the notes sent around it
(a long voice note from the text before it).

Records count only while a bot holds the KB's bot lock (`.voicenotes/bot.lock`): those a
stopped bot left are answered at its next start, and must not hold drafting up meanwhile.
A record older than STALE_AFTER is not waited for either (a note stuck for good).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from pathlib import Path

from notes.kb import KnowledgeBase

RECORD_FOLDERS = ("updates", "voicequeue", "materials")
"""The bot's crash-record folders under `.voicenotes/` (bot/records.py names them)."""

_UPDATES = "updates"
"""Its update records are named by the update's number; `handled.json` beside them is not one."""

BOT_LOCK = "bot.lock"
"""The bot's one-instance lock file under `.voicenotes/` (bot/instance.py)."""

STALE_AFTER = 3 * 3600.0
"""Seconds: a record untouched this long is not waited for (hours of audio take less)."""


def in_flight(kb: KnowledgeBase, *, now: float | None = None) -> list[str]:
    """Names of the notes the running bot is still transcribing or filing (empty: none, or
    no bot runs)."""
    if not bot_running(kb):
        return []
    now = time.time() if now is None else now
    found = []
    for folder in RECORD_FOLDERS:
        for record in sorted((kb.state / folder).glob("*.json")):
            if folder == _UPDATES and not record.stem.isdigit():
                continue
            try:
                fresh = now - record.stat().st_mtime < STALE_AFTER
            except OSError:
                continue  # removed meanwhile: filed
            if fresh:
                found.append(f"{folder}/{record.stem}")
    return found


def bot_running(kb: KnowledgeBase) -> bool:
    """Whether a bot holds the KB's bot lock (in this process or another)."""
    path: Path = kb.state / BOT_LOCK
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return False
    else:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)
