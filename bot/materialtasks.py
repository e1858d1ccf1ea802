"""The material filings in progress: a few at a time, each bounded in time, all ended on stop.

- At most `workers` filings run at once; the others wait for a slot.
- One filing may take JOB_SECONDS at most: past that it is given up (`JobTooLong`), its
  record kept, so it is tried again at the next start (counted: bot/attempts.py).
- A stop sets `stop` (a link being fetched ends at once: notes/intake/fetch.py watches
  it), lets the filings in progress finish for STOP_GRACE seconds and cancels the rest. A
  filing cancelled or stopped keeps its record and is done at the next start; the work
  itself runs in daemon threads (bot/jobthreads.py), so nothing still running holds up the
  exit.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")
JOB_SECONDS = 15 * 60.0
STOP_GRACE = 10.0


class JobTooLong(Exception):
    """A filing took longer than JOB_SECONDS and was given up."""


class MaterialTasks:
    def __init__(self, workers: int, stop: threading.Event) -> None:
        self.slots = asyncio.Semaphore(workers)
        self.stop = stop
        """Set once the bot stops; the filings still waiting for a slot then never start."""
        self._tasks: set[asyncio.Task[None]] = set()

    def start(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def within(self, work: Coroutine[Any, Any, T]) -> T:
        """`work`'s result; JobTooLong once it has run JOB_SECONDS (the work is cancelled)."""
        seconds = JOB_SECONDS
        try:
            return await asyncio.wait_for(work, seconds)
        except TimeoutError:
            raise JobTooLong(f"not filed within {_duration(seconds)}") from None

    def stopping(self) -> None:
        """The bot stops: fetches in progress end, filings not yet begun never begin."""
        self.stop.set()

    async def drain(self, grace: float | None = None) -> None:
        """At shutdown: let the filings in progress end for `grace` seconds (STOP_GRACE), then
        cancel the rest; their records stay for the next start."""
        self.stopping()
        running = set(self._tasks)
        if not running:
            return
        _, late = await asyncio.wait(running, timeout=STOP_GRACE if grace is None else grace)
        for task in late:
            task.cancel()
        if late:
            log.info("stopping: %d material filing(s) left for the next start", len(late))
            await asyncio.gather(*late, return_exceptions=True)


def _duration(seconds: float) -> str:
    if seconds >= 120:
        return f"{seconds / 60:g} minutes"
    return f"{seconds:g} s"
