"""Crash records: what the bot must not lose, one small JSON file each, until its work is done.

The bot keeps three kinds of record, all through one `RecordStore`:

- `.voicenotes/updates/UPDATE_ID.json` (bot/updatejournal.py): an update as Telegram sent it, from
  the moment Telegram hands it over until its handler has returned;
- `.voicenotes/voicequeue/NAME.json` (bot/jobs.py, the speech lane): a recording, from before
  its acknowledgement until its author has been told how it ended (filed, or given up);
- `.voicenotes/materials/NAME_KIND.json` (bot/jobs.py, the filing lane): any other message,
  from before its acknowledgement until its notes are filed and its author told.

The two lanes keep one record type, `jobs.Job` (how its tries count: bot/attempts.py).

Why one store and two payloads, not one record: the update journal covers seconds (hand-over
to handler) and is keyed by Telegram's update id, which is how a redelivered update is spotted.
A job's record lives minutes to hours, across restarts, and carries what only the handler
knew: the recording's name, the acknowledgement to edit, the tries so far, the album a photo
belongs to (decided in memory while the album arrives). Keeping the raw update until the note
is answered would move all that state into the journal and re-run handlers whose in-memory
decisions (albums, bursts of forwards) a restart has forgotten. So the update and the job stay
two dataclasses, and the way a record is written, read, listed and removed is this one.

Guarantees of a store:
- `save` writes through notes/kb/atomic.py: the record is there whole or not at all (OSError to
  the caller, who must then not acknowledge);
- `pending` lists records oldest first; a record that cannot be read is logged and left in
  place for a person to look at, never deleted;
- `set_aside` moves a record into `FOLDER/unreadable/` (never overwriting one there): the
  update journal does so with a record it cannot turn back into an update (a damaged file,
  or one a library upgrade no longer parses), so that the bot starts and the update, if
  Telegram delivers it again, is handled as new;
- `remove` of a record that is not there is no error;
- folder names and fields are those of earlier versions: a record a killed process left
  before an upgrade is picked up at the next start as it is.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import TypeAdapter

from notes.errors import explain
from notes.kb import KnowledgeBase, atomic

SET_ASIDE = "unreadable"
"""The sub-folder of a store's folder where `set_aside` moves a record."""
T = TypeVar("T")
log = logging.getLogger(__name__)
UNREADABLE = (OSError, ValueError)
"""What reading a record may raise (a pydantic ValidationError is a ValueError)."""


def _every(name: str) -> bool:
    return True


def _by_name(name: str) -> str:
    return name


class RecordStore(Generic[T]):
    """Records of one payload type in `.voicenotes/FOLDER/KEY.json`.

    `kind` is the payload type (a dataclass, or a plain dict type); `key` names a record's
    file. `named` tells a record's file name (without `.json`) from other files in the folder,
    `order` sorts those names oldest first (names are sortable as they are by default).
    """

    def __init__(
        self,
        folder: str,
        kind: Any,
        key: Callable[[T], str],
        what: str,
        *,
        named: Callable[[str], bool] = _every,
        order: Callable[[str], Any] = _by_name,
    ) -> None:
        self.folder_name = folder
        self.key = key
        self.what = what
        self._adapter: TypeAdapter[T] = TypeAdapter(kind)
        self._named = named
        self._order = order

    def folder(self, kb: KnowledgeBase) -> Path:
        return kb.state / self.folder_name

    def path(self, kb: KnowledgeBase, key: str) -> Path:
        return self.folder(kb) / f"{key}.json"

    def save(self, kb: KnowledgeBase, record: T) -> Path:
        """Write (or replace) the record atomically; raises OSError when it cannot."""
        data = self._adapter.dump_python(record, mode="json")
        text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
        return atomic.write_text(self.path(kb, self.key(record)), text, overwrite=True)

    def load(self, path: Path) -> T:
        """The record in `path`; raises OSError or ValueError when it cannot be read."""
        return self._adapter.validate_json(path.read_bytes())

    def get(self, kb: KnowledgeBase, key: str) -> T | None:
        """The record named `key`, if there is one and it can be read (else logged)."""
        path = self.path(kb, key)
        try:
            return self.load(path)
        except FileNotFoundError:
            return None
        except UNREADABLE as error:
            log.warning("%s %s unreadable: %s", self.what, path.name, explain(error, named=True))
            return None

    def exists(self, kb: KnowledgeBase, key: str) -> bool:
        return self.path(kb, key).exists()

    def remove(self, kb: KnowledgeBase, key: str) -> None:
        self.path(kb, key).unlink(missing_ok=True)

    def set_aside(self, kb: KnowledgeBase, key: str) -> Path:
        """Move record `key` to `FOLDER/unreadable/` (`KEY.json`, else `KEY-2.json`...) and
        return where it went; raises OSError when it cannot be moved."""
        aside = self.folder(kb) / SET_ASIDE
        target = aside / f"{key}.json"
        number = 1
        while target.exists():
            number += 1
            target = aside / f"{key}-{number}.json"
        return atomic.move_file(self.path(kb, key), target)

    def keys(self, kb: KnowledgeBase) -> list[str]:
        """The names of the records kept, oldest first."""
        if not self.folder(kb).is_dir():
            return []
        names = [path.stem for path in self.folder(kb).glob("*.json") if self._named(path.stem)]
        return sorted(names, key=self._order)

    def pending(self, kb: KnowledgeBase) -> list[T]:
        """Every record kept, oldest first; an unreadable one is logged and left in place."""
        records: list[T] = []
        for key in self.keys(kb):
            path = self.path(kb, key)
            try:
                records.append(self.load(path))
            except UNREADABLE as error:
                log.warning(
                    "skipping unreadable %s %s: %s",
                    self.what,
                    path.name,
                    explain(error, named=True),
                )
        return records
