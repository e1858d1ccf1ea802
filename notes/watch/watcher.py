"""Drafting by itself: watch `inbox/raw/` and run a pass once the inbox has been quiet.

A pass also waits while the bot is still transcribing or filing a note (notes.watch.inflight), so
that a long voice note is drafted with the text and photos sent around it.

The watcher blocks on a condition until the next deadline of its schedule (or forever while
nothing is waiting): an idle watcher does no work at all. Filesystem events come from
watchdog's own thread; passes run on the thread that called `run()`. A pass left unfinished
by a killed process (its journal is there) is finished at the start even with nothing waiting.
"""

from __future__ import annotations

import argparse
import functools
import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from watchdog.events import (
    FileClosedEvent,
    FileCreatedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer

from notes.drafting import intentions, run_pass
from notes.errors import explain
from notes.intake import inbox
from notes.kb import KnowledgeBase, atomic, names
from notes.settings import Settings
from notes.signals import stop_on_signals
from notes.watch.attempt import Draft, OnReport, PassAttempt
from notes.watch.schedule import PassOutcome, Schedule, Timing

__all__ = ["Watcher", "is_arrival", "is_note", "run_command", "stop_on_signals"]

log = logging.getLogger(__name__)

ARRIVALS = (FileCreatedEvent, FileMovedEvent, FileClosedEvent)
"""A note appears (created, moved in) or is written (closed after writing).

Notes leaving the inbox (deleted, moved out) are not new work: a pass makes those itself.
"""


def is_note(path: Path) -> bool:
    return not atomic.is_temporary(path) and names.is_note_name(path.name)


def is_arrival(event: FileSystemEvent, folder: Path) -> bool:
    """A filesystem event that brings a note (not a temporary file) into `folder`."""
    if event.is_directory or not isinstance(event, ARRIVALS):
        return False
    where = event.dest_path if isinstance(event, FileMovedEvent) else event.src_path
    path = Path(os.fsdecode(where))
    return bool(where) and path.parent == folder and is_note(path)


class _Arrivals(FileSystemEventHandler):
    def __init__(self, folder: Path, on_note: Callable[[], None]) -> None:
        self._folder = folder
        self._on_note = on_note

    def on_any_event(self, event: FileSystemEvent) -> None:
        if is_arrival(event, self._folder):
            self._on_note()


class Watcher:
    """Runs `draft()` after the inbox has been quiet, one pass at a time, until stopped.

    `draft` (notes.drafting.run_pass for the KB) raises `Busy` when another process holds
    the drafting lock and an `LLMError` when the model fails; a report with failed batches
    also counts as a failure (backoff). `on_report` hears about every pass that ran, even
    one an LLM failure stopped halfway, on the watcher's thread. `halt`, when given, is set by
    `stop()`: hand the same event to the pass (`run_pass(stop=...)`) so that a stop ends it.
    """

    def __init__(
        self,
        kb: KnowledgeBase,
        draft: Draft,
        timing: Timing,
        *,
        on_report: OnReport | None = None,
        clock: Callable[[], float] = time.monotonic,
        halt: threading.Event | None = None,
    ) -> None:
        self.kb = kb
        self.halt = halt
        self._attempt = PassAttempt(kb, draft, on_report)
        self._clock = clock
        self._schedule = Schedule(timing)
        # Reentrant: stop() may run in a signal handler on the thread that waits here.
        self._wake = threading.Condition(threading.RLock())
        self._stopping = False

    def run(self) -> None:
        """Watch and draft until `stop()`; a pass in progress ends (see `stop`) first."""
        self.kb.raw.mkdir(parents=True, exist_ok=True)
        observer = Observer()
        observer.schedule(
            _Arrivals(self.kb.raw, self.note_arrived), str(self.kb.raw), event_filter=list(ARRIVALS)
        )
        observer.start()
        try:
            self._catch_up()
            while self._wait_for_pass():
                self._run_pass()
        finally:
            observer.stop()
            observer.join()
        log.info("watcher stopped")

    def stop(self) -> None:
        """Start no new pass; `run()` returns once a pass in progress has ended.

        With `halt`, the pass stops before its next LLM call (or during one) and commits
        what it finished; without it, the pass runs to its end.
        """
        if self.halt is not None:
            self.halt.set()
        with self._wake:
            self._stopping = True
            self._wake.notify_all()

    @property
    def stopping(self) -> bool:
        return self._stopping

    @property
    def failures(self) -> int:
        """Failed passes in a row (the backoff grows with them)."""
        return self._schedule.failures

    def wait_idle(self, timeout: float) -> bool:
        """Block until no pass runs and none is due; False if that took over `timeout` s."""
        with self._wake:
            return self._wake.wait_for(self._idle, timeout)

    def _idle(self) -> bool:
        return not self._schedule.running and self._schedule.next_pass_at() is None

    def note_arrived(self, at: float | None = None) -> None:
        """A note arrived (at `at`, a time of the watcher's clock; default now)."""
        with self._wake:
            self._schedule.changed(self._clock() if at is None else at)
            self._wake.notify_all()

    def _catch_up(self) -> None:
        """Notes filed while nobody watched: their own quiet period counts from their mtime."""
        waiting = inbox.pending(self.kb)
        if not waiting and intentions.load(self.kb) is not None:
            log.info("watching %s; a pass did not complete: finishing it", self.kb.raw)
            self.note_arrived(self._clock() - self._schedule.timing.debounce)
            return
        if not waiting:
            log.info("watching %s", self.kb.raw)
            for line in inbox.unreadable(self.kb):
                log.warning("%s", line)
            return
        newest = max(_mtime(path) for path in waiting)
        self.note_arrived(self._clock() - max(time.time() - newest, 0.0))
        log.info("watching %s; %d note(s) waiting from before", self.kb.raw, len(waiting))

    def _wait_for_pass(self) -> bool:
        """Block until a pass is due (True) or the watcher is stopped (False)."""
        with self._wake:
            while not self._stopping:
                now = self._clock()
                if self._schedule.is_due(now):
                    self._schedule.start()
                    return True
                self._wake.wait(self._schedule.wait_time(now))
            return False

    def _run_pass(self) -> None:
        outcome = self._attempt.run()
        with self._wake:
            now = self._clock()
            self._schedule.finish(now, outcome)
            wait = self._schedule.wait_time(now)
            self._wake.notify_all()
        if outcome is not PassOutcome.DRAFTED and wait is not None and not self._stopping:
            log.info("next drafting attempt in %.0f s", wait)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return time.time()


def drafting_settings_error(settings: Settings) -> str | None:
    """Why drafting cannot run with these settings, if it cannot."""
    if settings.openai_api_key is None:
        return "no API key: set OPENAI_API_KEY (any value for a local server that needs none)"
    return None


def run_command(args: argparse.Namespace, settings: Settings) -> int:
    """`voicenotes watch`: draft by itself until SIGINT or SIGTERM."""
    problem = drafting_settings_error(settings)
    if problem is not None:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    kb = KnowledgeBase(settings.kb)
    halt = threading.Event()
    draft = functools.partial(run_pass, settings, stop=halt)
    watcher = Watcher(kb, draft, Timing.for_debounce(args.debounce), halt=halt)
    with stop_on_signals(watcher.stop):
        try:
            kb.ensure()
            watcher.run()
        except OSError as error:
            print(f"error: cannot watch {kb.raw}: {explain(error)}", file=sys.stderr)
            return 1
    return 0
