"""Polling that loses nothing: updates kept before Telegram is told they arrived.

`JournalBot.get_updates` writes every update Telegram hands over to the journal before it
returns, and sends Telegram its own offset, advanced only past updates on disk: an update
that could not be kept is asked for again. `JournalApplication` forgets an update once its
handlers have run, unless they failed on the disk (the update is then tried again later).
Both the start and a lost connection are retried with backoff, one log line per try. A token
the server rejects (revoked while the bot runs) stops the bot: `poll` then raises
TokenRejected, which the command reports in one line with a non-zero exit.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
from collections.abc import Callable
from typing import Any

from telegram import Update
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import Application, ExtBot

from bot.redact import scrub
from bot.updatejournal import Data, UpdateJournal
from notes import retries
from notes.errors import explain

FIRST_DELAY = 1.0
MAX_DELAY = 60.0
RETRY_DELAYS = retries.RETRY_SECONDS
"""In-process retries of an update whose handling failed on the disk (a full disk, say): the
one retry schedule."""
log = logging.getLogger(__name__)


REJECTED = (
    "the Bot API server rejected TELEGRAM_BOT_TOKEN: check the token "
    "(revoked?) and TELEGRAM_API_BASE_URL"
)


class StartFailed(Exception):
    """The bot cannot start; the message is one line, safe to print (no token)."""


class TokenRejected(StartFailed):
    """The token was rejected while the bot ran (revoked): it stopped, and cannot go on."""


class Backoff:
    """Delays doubling from FIRST_DELAY up to MAX_DELAY; `reset()` after a success.

    Not the retry schedule (minutes, for a disk or a server to recover): polling reconnects
    within seconds, so that a network that blinked leaves no backlog.
    """

    def __init__(self) -> None:
        self.failures = 0

    @property
    def delay(self) -> float:
        return retries.doubling(FIRST_DELAY, MAX_DELAY, self.failures)

    async def wait(self, what: str) -> None:
        log.warning("%s; trying again in %.0f s", what, self.delay)
        await asyncio.sleep(self.delay)
        self.failures += 1

    def reset(self) -> None:
        self.failures = 0


class JournalBot(ExtBot[None]):
    """The Bot API client that keeps each update before anything confirms it."""

    def __init__(self, journal: UpdateJournal, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._journal = journal
        self._next_offset = 0
        self._backoff = Backoff()
        self._keeps: Callable[[Update], bool] = lambda update: True
        self._rejected = False
        self._on_rejected: Callable[[], None] = lambda: None

    def keep_only(self, keeps: Callable[[Update], bool]) -> None:
        """Write to the journal only the updates `keeps` accepts (a stranger's are not)."""
        self._keeps = keeps

    @property
    def rejected(self) -> bool:
        """The server rejected the token while polling: the bot is stopping for good."""
        return self._rejected

    def when_rejected(self, stop: Callable[[], None]) -> None:
        """Call `stop` (once) when the server rejects the token while polling."""
        self._on_rejected = stop

    async def initialize(self) -> None:
        """Connect (getMe), retrying while the server is unreachable; a rejected token ends it."""
        while True:
            try:
                await super().initialize()
            except InvalidToken:
                raise StartFailed(REJECTED) from None
            except NetworkError as error:
                await self._backoff.wait(f"Bot API unreachable ({one_line(error)})")
                continue
            self._backoff.reset()
            return

    async def get_updates(
        self,
        offset: int | None = None,
        limit: int | None = None,
        timeout: Any = None,
        allowed_updates: Any = None,
        **kwargs: Any,
    ) -> tuple[Update, ...]:
        offset = max(offset or 0, self._next_offset) or None
        if self._rejected:  # stopping: no call can succeed, not even the closing one
            if not _is_last_call(timeout):
                await asyncio.sleep(FIRST_DELAY)
            return ()
        try:
            updates = await super().get_updates(offset, limit, timeout, allowed_updates, **kwargs)
        except InvalidToken:
            # python-telegram-bot would end its polling and leave the process up, idle.
            self._rejected = True
            self._on_rejected()
            return ()
        except NetworkError as error:
            if _is_last_call(timeout):
                raise
            await self._backoff.wait(f"Bot API unreachable ({one_line(error)})")
            return ()
        if not updates:
            self._backoff.reset()
            return updates
        try:
            kept = await asyncio.to_thread(self._admit, updates)
        except OSError as error:
            await self._backoff.wait(
                f"cannot keep {len(updates)} update(s) ({one_line(error)}); "
                "Telegram holds them until they are kept"
            )
            return ()
        self._backoff.reset()
        self._next_offset = max(u.update_id for u in updates) + 1
        return kept

    def _admit(self, updates: tuple[Update, ...]) -> tuple[Update, ...]:
        """The updates to handle: those kept now, and those not to keep (handled in memory).

        An id that comes twice in one batch is handled once, its first copy.
        """
        first: dict[int, Update] = {}
        for update in updates:
            first.setdefault(update.update_id, update)
        once = tuple(first.values())
        kept = self._journal.admit([_data(u) for u in once if self._keeps(u)])
        ids = {int(data["update_id"]) for data in kept}
        return tuple(u for u in once if u.update_id in ids or not self._keeps(u))


class Ledger:
    """What the bot knows of the updates in flight: replayed after a restart, or failed."""

    def __init__(self, journal: UpdateJournal) -> None:
        self.journal = journal
        self.replayed: set[int] = set()
        self._failed: set[int] = set()
        self._tries: dict[int, int] = {}

    def replay(self, bot: ExtBot[Any]) -> list[Update]:
        """The updates a previous run kept but never finished, to be handled first."""
        updates = [Update.de_json(data, bot) for data in self.journal.unhandled()]
        self.replayed.update(update.update_id for update in updates)
        return updates

    def is_replay(self, update: object) -> bool:
        return isinstance(update, Update) and update.update_id in self.replayed

    def failed(self, update: object, error: BaseException | None) -> float | None:
        """Note a handler's failure; returns the delay before a retry, None for no retry.

        Only a failure of the disk (OSError) is retried: the update stays kept meanwhile.
        """
        if not isinstance(update, Update) or not isinstance(error, OSError):
            return None
        self._failed.add(update.update_id)
        return self.retry_delay(update)

    def retry_delay(self, update: Update) -> float:
        tries = self._tries.get(update.update_id, 0)
        return retries.scheduled(tries, RETRY_DELAYS)

    def first_failure(self, update: object) -> bool:
        """True until the update has been retried once: the author is told only once."""
        return isinstance(update, Update) and update.update_id not in self._tries

    async def settle(self, update: Update) -> float | None:
        """After the handlers: forget the update, or return the delay before its retry."""
        update_id = update.update_id
        if update_id in self._failed:
            self._failed.discard(update_id)
            delay = self.retry_delay(update)
            self._tries[update_id] = self._tries.get(update_id, 0) + 1
            return delay
        self._tries.pop(update_id, None)
        await asyncio.to_thread(self.journal.finish, update_id)
        return None


class JournalApplication(Application[Any, Any, Any, Any, Any, Any]):
    """An Application that forgets a kept update only once its handlers have run."""

    ledger: Ledger

    async def process_update(self, update: object) -> None:
        await super().process_update(update)
        if not isinstance(update, Update) or not hasattr(self, "ledger"):
            return
        try:
            delay = await self.ledger.settle(update)
        except OSError as error:
            log.warning("update %d handled but not marked so: %s", update.update_id, error)
            return
        if delay is not None:
            log.info("update %d is tried again in %.0f s", update.update_id, delay)
            asyncio.get_running_loop().call_later(delay, self.update_queue.put_nowait, update)


def one_line(failure: BaseException) -> str:
    """An error in the program's one wording, with anything shaped like a token hidden."""
    return scrub(explain(failure, named=True))


def parse_update(data: Data) -> Update:
    """`data` as the handlers will get it; raises one of journal.PARSE_ERRORS when it cannot."""
    return Update.de_json(data, None)


def _data(update: Update) -> Data:
    data: Data = json.loads(update.to_json())
    return data


def _is_last_call(timeout: Any) -> bool:
    """PTB's closing getUpdates (timeout 0) only confirms: a stop must not wait on it."""
    if isinstance(timeout, dt.timedelta):
        return timeout.total_seconds() == 0
    return bool(timeout == 0)


__all__ = [
    "JournalApplication",
    "JournalBot",
    "Ledger",
    "StartFailed",
    "TelegramError",
    "TokenRejected",
]
