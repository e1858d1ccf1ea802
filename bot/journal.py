"""The updates Telegram handed over, on disk from the moment they arrive until handled.

Telegram forgets an update once a later `getUpdates` confirms it, and python-telegram-bot
confirms with its next call, before the update is handled. So every update is written here
first (`.voicenotes/updates/UPDATE_ID.json`, as Telegram sent it) and only then released to
the handlers; it is forgotten when its handling has ended. At the next start what is still
here is handled again. Ids handled lately are kept (`handled.json`) so that an update
Telegram delivers again, because its confirmation never reached it, is handled once.

Any kind of update goes through here: messages, edits, whatever later handlers take.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from notes import atomic
from notes.kb import KnowledgeBase

FOLDER = "updates"
HANDLED = "handled.json"
REMEMBERED = 1000
"""Handled ids kept for spotting a redelivery; Telegram redelivers only its last unconfirmed
batch (at most 100 updates)."""

Data = dict[str, Any]
log = logging.getLogger(__name__)


class UpdateJournal:
    """Updates received and not yet handled, kept in a folder of the KB's tool state.

    Thread-safe: the bot writes from its event loop's worker threads.
    """

    def __init__(self, kb: KnowledgeBase) -> None:
        self.folder = kb.state / FOLDER
        self._lock = threading.Lock()
        self._handled: list[int] | None = None

    def admit(self, updates: Iterable[Data]) -> list[Data]:
        """Keep the updates not seen before and return them; drop the ones seen already.

        Raises OSError when an update cannot be kept: then none after it is admitted, and
        the caller must not confirm it to Telegram.
        """
        admitted: list[Data] = []
        with self._lock:
            for data in updates:
                update_id = int(data["update_id"])
                if self._seen(update_id):
                    log.info("update %d was received before; not handled twice", update_id)
                    continue
                text = json.dumps(data, ensure_ascii=False, sort_keys=True) + "\n"
                atomic.write_text(self._path(update_id), text, overwrite=True)
                admitted.append(data)
        return admitted

    def unhandled(self) -> list[Data]:
        """Updates kept but not handled (a crash, a stop), oldest first.

        An unreadable file is logged and left in place for a person to look at.
        """
        kept: list[Data] = []
        with self._lock:
            handled = set(self._handled_ids())
            for path in sorted(self._files(), key=_id_of):
                try:
                    data = json.loads(path.read_text(encoding="utf-8"))
                    update_id = int(data["update_id"])
                except (OSError, ValueError, KeyError, TypeError) as error:
                    log.warning("skipping unreadable update %s: %s", path.name, error)
                    continue
                if update_id in handled:
                    path.unlink(missing_ok=True)
                else:
                    kept.append(data)
        return kept

    def finish(self, update_id: int) -> None:
        """The update's handling has ended: remember its id, then forget the update."""
        with self._lock:
            ids = [i for i in self._handled_ids() if i != update_id] + [update_id]
            self._handled = ids[-REMEMBERED:]
            text = json.dumps(self._handled) + "\n"
            atomic.write_text(self.folder / HANDLED, text, overwrite=True)
            self._path(update_id).unlink(missing_ok=True)

    def pending(self) -> int:
        """How many updates are kept unhandled."""
        return sum(1 for _ in self._files())

    def _seen(self, update_id: int) -> bool:
        return update_id in self._handled_ids() or self._path(update_id).exists()

    def _handled_ids(self) -> list[int]:
        if self._handled is None:
            self._handled = _read_ids(self.folder / HANDLED)
        return self._handled

    def _files(self) -> list[Path]:
        if not self.folder.is_dir():
            return []
        return [p for p in self.folder.glob("*.json") if p.name != HANDLED and _id_of(p) >= 0]

    def _path(self, update_id: int) -> Path:
        return self.folder / f"{update_id}.json"


def _id_of(path: Path) -> int:
    return int(path.stem) if path.stem.isdigit() else -1


def _read_ids(path: Path) -> list[int]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except ValueError as error:
        log.warning("handled updates unreadable (%s); starting a new list", error)
        return []
    return [int(i) for i in data if isinstance(i, int)]
