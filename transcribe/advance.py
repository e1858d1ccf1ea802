"""How far the transcription of one file has come, in seconds of its audio (pure rules).

A file's audio is scanned window by window (decoded, then searched for speech); its speech is
queued as chunks of up to 30 s, and each chunk is encoded (one Whisper window) and then decoded
into text together with the rest of its batch. A batch covers a minute or more of audio, so
counting only decoded chunks would leave a long note's progress still for a long while on a
slow machine. Here a chunk counts `share` done once its window is encoded, whole once its
text is decoded; a pause counts with the chunk after it, and audio with no speech after it
counts done once it is scanned. Chunks may be encoded in any order (batches run side by side).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass


def encoded_share(batch: int) -> float:
    """The share of a chunk counted done once encoded, for batches of `batch` chunks.

    The encoder takes a batch one window at a time (each step: the share of one chunk), the
    decoder the whole batch at once (one step: the rest of every chunk); batch / (batch + 1)
    makes those steps alike, at most about one chunk's audio (30 s) each. (In time, encoding
    is about half of a batch on a CPU: bench/README.md.)"""
    return batch / (batch + 1)


@dataclass
class _Pending:
    start: float
    end: float
    counted_from: float
    """Where the stretch this chunk stands for begins: the end of the chunk before it in its
    window (the pause between them counts with it), or its own start."""
    encoded: bool = False

    @property
    def length(self) -> float:
        return self.end - self.counted_from


class Advance:
    """The seconds of one recording done so far; never goes back."""

    def __init__(self, share: float = encoded_share(1)) -> None:
        self.share = share
        self._scanned = 0.0
        self._waiting: deque[_Pending] = deque()
        """Chunks found and not yet decoded, in order."""

    def scanned(self, chunks: Iterable[tuple[float, float]], until: float) -> None:
        """The audio up to `until` is searched; `chunks` are the stretches of speech found."""
        before: float | None = None
        for start, end in chunks:
            self._waiting.append(_Pending(start, end, start if before is None else before))
            before = end
        self._scanned = max(self._scanned, until)

    def encoded(self, start: float) -> None:
        """The window of the waiting chunk that starts at `start` is encoded."""
        for pending in self._waiting:
            if pending.start == start:
                pending.encoded = True
                return

    def decoded(self) -> None:
        """The first waiting chunk's text is decoded."""
        if self._waiting:
            self._waiting.popleft()

    @property
    def done(self) -> float:
        """Seconds of the recording scanned, less what its waiting chunks stand for (less
        `share` of that for those encoded)."""
        left = sum(p.length * (1 - self.share if p.encoded else 1) for p in self._waiting)
        return max(0.0, self._scanned - left)
