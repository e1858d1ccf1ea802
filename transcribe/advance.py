"""How far the transcription of one file has come, in seconds of its audio (pure rules).

A file's audio is scanned window by window (decoded, then searched for speech); its speech is
queued as chunks of up to 30 s, and each chunk is encoded (one Whisper window) and then decoded
into text together with the rest of its batch. A batch of 4 chunks covers about 2 minutes of
audio, so counting only decoded chunks would leave a long note's progress still for minutes
on a slow machine. Here a chunk counts `share` done once its window is encoded, whole once its
text is decoded, and audio with no speech counts done once it is scanned.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable


def encoded_share(batch: int) -> float:
    """The share of a chunk counted done once encoded, for batches of `batch` chunks.

    The encoder takes a batch one window at a time (each step: the share of one chunk), the
    decoder the whole batch at once (one step: the rest of every chunk); batch / (batch + 1)
    makes those steps alike, at most about 30 s of audio each for chunks of 30 s with
    batch 4. (In time, encoding is about half of a batch on a CPU: bench/README.md.)"""
    return batch / (batch + 1)


class Advance:
    """The seconds of one recording done so far; never goes back."""

    def __init__(self, share: float = encoded_share(1)) -> None:
        self.share = share
        self._scanned = 0.0
        self._waiting: deque[tuple[float, float]] = deque()
        """Chunks (start, end) found and not yet decoded, in order."""
        self._encoded = 0
        """How many of the first waiting chunks have their window encoded."""

    def scanned(self, chunks: Iterable[tuple[float, float]], until: float) -> None:
        """The audio up to `until` is searched; `chunks` are the stretches of speech found."""
        self._waiting.extend(chunks)
        self._scanned = max(self._scanned, until)

    def encoded(self) -> None:
        """The next waiting chunk's window is encoded."""
        self._encoded = min(self._encoded + 1, len(self._waiting))

    def decoded(self) -> None:
        """The first waiting chunk's text is decoded."""
        if self._waiting:
            self._waiting.popleft()
            self._encoded = max(0, self._encoded - 1)

    @property
    def done(self) -> float:
        """Seconds of the recording done: all of it before the first chunk still waiting,
        plus `share` of the stretch from there to the end of the last chunk encoded."""
        if not self._waiting:
            return self._scanned
        start = self._waiting[0][0]
        if not self._encoded:
            return start
        end = self._waiting[self._encoded - 1][1]
        return start + self.share * (end - start)
