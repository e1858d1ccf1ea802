"""Cutting a stream of samples into windows that end in the quietest moment near their end.

A long recording is transcribed window by window, so memory stays bounded by the window
length, whatever the recording's; the cut falls where the sound is quietest within the last
`search` samples of a window, so that it lands in a pause rather than inside a word.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np
import numpy.typing as npt

Samples = npt.NDArray[np.float32]


def windows(
    blocks: Iterable[Samples], length: int, search: int, frame: int
) -> Iterator[tuple[int, Samples]]:
    """(offset in samples, window) for consecutive windows of at most `length` samples.

    Windows cover the stream exactly once, in order; every window but the last is at least
    `length - search` samples long.
    """
    if not 0 < search <= length or frame <= 0:
        raise ValueError("need 0 < search <= length and frame > 0")
    buffer = np.zeros(0, dtype=np.float32)
    offset = 0
    for block in blocks:
        buffer = np.concatenate([buffer, block]) if buffer.size else block
        while buffer.size > length:
            cut = length - search + quietest(buffer[length - search : length], frame)
            yield offset, buffer[:cut].copy()
            buffer = buffer[cut:]
            offset += cut
    if buffer.size:
        yield offset, buffer


def quietest(samples: Samples, frame: int) -> int:
    """The index of the middle of the `frame`-long stretch of `samples` with the least energy."""
    count = samples.size // frame
    if count == 0:
        return samples.size
    energy = np.square(samples[: count * frame].reshape(count, frame)).sum(axis=1)
    return int(np.argmin(energy)) * frame + frame // 2
