"""When the watcher may run the next drafting pass: quiet period, retries, backoff.

Pure rules over monotonic times in seconds; the watcher feeds in events and outcomes and
waits until `next_pass_at()`.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass

from notes import retries

MIN_FIRST_RETRY = 30.0
"""The first retry never comes sooner than this, even with a very short quiet period."""
DEFAULT_RETRY_CEILING = 3600.0


def seconds(text: str) -> float:
    """A duration given on the command line: a number of seconds, 0 or more."""
    value = float(text)
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"not a duration in seconds: {text}")
    return value


class PassOutcome(enum.Enum):
    DRAFTED = "drafted"
    """The pass ran and every batch went through (or there was nothing to draft)."""
    FAILED = "failed"
    """The LLM failed, or some batches were left in the inbox: retry later, waiting longer."""
    BUSY = "busy"
    """Another pass (another process) held the lock: try again later, no backoff."""


@dataclass(frozen=True)
class Timing:
    debounce: float = 120.0
    """The inbox must be quiet this long before a pass starts."""
    first_retry: float = 240.0
    """Wait after the first failure; it doubles with each failure in a row."""
    retry_ceiling: float = DEFAULT_RETRY_CEILING
    """The longest wait between retries."""

    @classmethod
    def for_debounce(cls, debounce: float) -> Timing:
        first_retry = max(2 * debounce, MIN_FIRST_RETRY)
        return cls(debounce, first_retry, max(first_retry, DEFAULT_RETRY_CEILING))

    def retry_delay(self, failures: int) -> float:
        """The wait before the next try after `failures` failed passes in a row (>= 1)."""
        return retries.doubling(self.first_retry, self.retry_ceiling, failures - 1)

    @property
    def busy_delay(self) -> float:
        return max(self.debounce, 1.0)


@dataclass
class Schedule:
    timing: Timing
    quiet_at: float | None = None
    """When the inbox will have been quiet long enough; None while nothing is waiting."""
    not_before: float = float("-inf")
    """No pass before this time (after a failure or a busy lock)."""
    failures: int = 0
    running: bool = False

    def changed(self, at: float) -> None:
        """A note arrived or changed at time `at` (also while a pass runs)."""
        quiet_at = at + self.timing.debounce
        self.quiet_at = quiet_at if self.quiet_at is None else max(self.quiet_at, quiet_at)

    def next_pass_at(self) -> float | None:
        """When the next pass is due; None when nothing is waiting or a pass runs."""
        if self.running or self.quiet_at is None:
            return None
        return max(self.quiet_at, self.not_before)

    def wait_time(self, now: float) -> float | None:
        """How long to sleep before the next pass is due; None means until an event."""
        due = self.next_pass_at()
        return None if due is None else max(due - now, 0.0)

    def is_due(self, now: float) -> bool:
        due = self.next_pass_at()
        return due is not None and now >= due

    def start(self) -> None:
        """A pass starts: it takes in every change seen so far."""
        self.running = True
        self.quiet_at = None

    def finish(self, now: float, outcome: PassOutcome) -> None:
        """A pass ended. Changes seen while it ran keep their own quiet period."""
        self.running = False
        if outcome is PassOutcome.DRAFTED:
            self.failures = 0
            self.not_before = float("-inf")
            return
        if outcome is PassOutcome.FAILED:
            self.failures += 1
            self.not_before = now + self.timing.retry_delay(self.failures)
        else:
            self.not_before = now + self.timing.busy_delay
        # The notes are still waiting: come back for them even if nothing else changes.
        self.changed(now - self.timing.debounce)
