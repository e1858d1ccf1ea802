"""How long to wait before trying again: the one retry schedule, and the one doubling rule.

Pure arithmetic in seconds, no clock. Two shapes of waiting, each written once:

- `RETRY_SECONDS` / `scheduled`: work that failed for a reason outside the note (a full disk,
  a server down) is tried again after 1, 2, 5 and 15 minutes, then every hour.
- `doubling`: a wait that starts at `first` and doubles with each failure in a row, never
  longer than `ceiling` (the watcher between failed passes).
"""

from __future__ import annotations

from collections.abc import Sequence

RETRY_SECONDS: tuple[float, ...] = (60.0, 120.0, 300.0, 900.0, 3600.0)
"""The waits before the 1st, 2nd, ... retry; the last one repeats from then on."""


def scheduled(tries: int, schedule: Sequence[float] = RETRY_SECONDS) -> float:
    """Seconds to wait after `tries` earlier failures (0 before the first retry).

    Past the end of `schedule` its last wait repeats; a negative count reads as 0.
    """
    if not schedule:
        raise ValueError("a retry schedule needs at least one wait")
    return schedule[min(max(tries, 0), len(schedule) - 1)]


def doubling(first: float, ceiling: float, failures: int) -> float:
    """`first` doubled `failures` times (0: `first` itself), never more than `ceiling`."""
    return min(ceiling, first * 2.0 ** max(failures, 0))
