"""The updates Telegram handed over, on disk from the moment they arrive until handled.

Telegram forgets an update once a later `getUpdates` confirms it, and python-telegram-bot
confirms with its next call, before the update is handled. So every update is written here
first (`.voicenotes/updates/UPDATE_ID.json`, as Telegram sent it) and only then released to
the handlers; it is forgotten when its handling has ended. At the next start what is still
here is handled again. Ids handled lately are kept (`handled.json`) so that an update
Telegram delivers again, because its confirmation never reached it, is handled once.

A kept update that cannot be turned back into an update (a damaged file, or fields a newer
python-telegram-bot no longer accepts) is moved to `.voicenotes/updates/unreadable/` and
logged once with its id: the bot starts, the updates beside it are handled, and if Telegram
delivers that update again it is handled as new, never taken for one received before.

Any kind of update goes through here: messages, edits, whatever later handlers take. The
files are kept by the one crash-record store (bot/records.py, which says why the journal and
the notes' records are two kinds of record).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from bot.records import SET_ASIDE, UNREADABLE, RecordStore
from notes.errors import explain
from notes.kb import KnowledgeBase, atomic

FOLDER = "updates"
HANDLED = "handled.json"
REMEMBERED = 1000
"""Handled ids kept for spotting a redelivery; Telegram redelivers only its last unconfirmed
batch (at most 100 updates)."""

PARSE_ERRORS = (LookupError, TypeError, ValueError, AttributeError)
"""What a parser (python-telegram-bot's) raises on an update whose fields it does not accept."""
Data = dict[str, Any]
log = logging.getLogger(__name__)
RECORDS: RecordStore[Data] = RecordStore(
    FOLDER,
    Data,
    lambda data: str(int(data["update_id"])),
    "update",
    named=str.isdigit,
    order=int,
)


class UpdateJournal:
    """Updates received and not yet handled, kept in a folder of the KB's tool state.

    Thread-safe: the bot writes from its event loop's worker threads. `parse` is how the
    handlers will read a kept update (raising one of PARSE_ERRORS when they cannot): a record
    it refuses is set aside rather than handled.
    """

    def __init__(self, kb: KnowledgeBase, parse: Callable[[Data], object] = dict) -> None:
        self.kb = kb
        self._parse = parse
        self.folder = RECORDS.folder(kb)
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
                RECORDS.save(self.kb, data)
                admitted.append(data)
        return admitted

    def unhandled(self) -> list[Data]:
        """Updates kept but not handled (a crash, a stop), oldest first.

        One that cannot be read or parsed is set aside (`updates/unreadable/`) and logged.
        """
        kept: list[Data] = []
        with self._lock:
            handled = set(self._handled_ids())
            for key in RECORDS.keys(self.kb):
                data = self._readable(key)
                if data is None:
                    continue
                if data["update_id"] in handled:
                    RECORDS.remove(self.kb, key)
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
            RECORDS.remove(self.kb, str(update_id))

    def pending(self) -> int:
        """How many updates are kept unhandled."""
        return len(RECORDS.keys(self.kb))

    def _seen(self, update_id: int) -> bool:
        """Handled lately, or kept and readable: a damaged record does not hide a redelivery."""
        if update_id in self._handled_ids():
            return True
        key = str(update_id)
        return RECORDS.exists(self.kb, key) and self._readable(key) is not None

    def _readable(self, key: str) -> Data | None:
        """Record `key` if it is an update to handle; else None, the record set aside."""
        problem: str | None
        try:
            data = RECORDS.load(RECORDS.path(self.kb, key))
        except FileNotFoundError:
            return None
        except UNREADABLE as error:
            problem = explain(error, named=True)
        else:
            problem = _problem(data, key, self._parse)
            if problem is None:
                return data
        self._set_aside(key, problem)
        return None

    def _set_aside(self, key: str, problem: str) -> None:
        try:
            RECORDS.set_aside(self.kb, key)
        except OSError as error:
            log.error(
                "kept update %s cannot be handled (%s) nor moved aside: %s",
                key,
                problem,
                explain(error, named=True),
            )
            return
        log.error(
            "kept update %s cannot be handled (%s); moved to updates/%s/: "
            "it is handled if Telegram delivers it again",
            key,
            problem,
            SET_ASIDE,
        )

    def _handled_ids(self) -> list[int]:
        if self._handled is None:
            self._handled = _read_ids(self.folder / HANDLED)
        return self._handled


def _problem(data: Data, key: str, parse: Callable[[Data], object]) -> str | None:
    """Why `data`, kept as `KEY.json`, cannot be handled; None when it can."""
    update_id = data.get("update_id")
    if type(update_id) is not int or update_id != int(key):
        return f"its update id is {update_id!r}"
    try:
        parse(data)
    except PARSE_ERRORS as error:
        return f"it does not parse: {explain(error, named=True)}"
    return None


def _read_ids(path: Path) -> list[int]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except ValueError as error:
        log.warning("handled updates unreadable (%s); starting a new list", error)
        return []
    return [int(i) for i in data if isinstance(i, int)]
