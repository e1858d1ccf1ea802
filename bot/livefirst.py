"""The order updates are handled in: what the author sends now before a backlog.

After a long stop Telegram hands over what waited (thousands of updates, oldest first), and
the bot replays what a previous run kept but never handled. Handled in arrival order, a
message sent now would wait behind all of it (minutes). So the bot's update queue has two
lanes: live updates, taken first, and the backlog, taken when no live update waits. Each
lane keeps its own order.

Backlog: an update replayed from the journal, or a message (or an edit of one) sent more
than LIVE_WINDOW before it reached the queue. Everything else is live, including the
Application's own signals (a stop then ends the run without working through the backlog,
which stays in the journal for the next start).
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Callable
from typing import Any

from telegram import Update

LIVE_WINDOW = 60.0
"""Seconds a message may have waited and still count as sent now (clocks, a slow network)."""
LIVE, BACKLOG = 0, 1


class LiveFirstQueue(asyncio.PriorityQueue[Any]):
    """An update queue that hands out live updates before the backlog, each lane in order.

    `replayed(update)` tells an update replayed from the journal; `clock` is the time now.
    """

    def __init__(
        self, replayed: Callable[[object], bool], clock: Callable[[], float] = time.time
    ) -> None:
        super().__init__()
        self._replayed = replayed
        self._clock = clock
        self._order = itertools.count()

    def lane(self, item: object) -> int:
        if not isinstance(item, Update):
            return LIVE
        if self._replayed(item):
            return BACKLOG
        message = item.effective_message
        if message is None:
            return LIVE
        waited = self._clock() - message.date.timestamp()
        return BACKLOG if waited > LIVE_WINDOW else LIVE

    def _put(self, item: Any) -> None:
        super()._put((self.lane(item), next(self._order), item))

    def _get(self) -> Any:
        return super()._get()[2]
