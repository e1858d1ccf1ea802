"""What the bot benchmarks time: from an update queued at the fake Bot API to the bot's
acknowledgement (its first message) and to its answer (that message's last edit)."""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass

from tests.support.telegram_server import SentMessage


@dataclass(frozen=True)
class Timing:
    ack: float
    answer: float

    @classmethod
    def of(cls, message: SentMessage, queued: float) -> Timing:
        """The times of `message`, answering an update queued at `queued` (time.monotonic)."""
        return cls(message.sent_at - queued, message.edited_at[-1] - queued)


def median(timings: Iterable[Timing]) -> Timing:
    """The median of each figure over `timings`."""
    runs = list(timings)
    return Timing(statistics.median(t.ack for t in runs), statistics.median(t.answer for t in runs))
