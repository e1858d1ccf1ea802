"""Pieces of speech grouped into chunks the model decodes at once (pure rules, no model).

The VAD finds stretches of speech; consecutive stretches are joined, pauses left out, into
chunks of at most `most` samples, as faster-whisper's batched pipeline does, so that a chunk
fills one 30-second Whisper window. A chunk remembers where its speech began and ended in the
recording, for the transcript's segment times.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Samples = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    """Sample indices, end excluded."""


def group_spans(spans: Iterable[Span], most: int) -> list[list[Span]]:
    """Consecutive spans grouped so that each group's total length stays within `most`."""
    groups: list[list[Span]] = []
    size = 0
    for span in spans:
        length = span.end - span.start
        if groups and size + length <= most:
            groups[-1].append(span)
            size += length
        else:
            groups.append([span])
            size = length
    return groups


def speech_of(samples: Samples, group: Sequence[Span]) -> Samples:
    """The samples of the spans of `group`, joined without the pauses between them."""
    return np.concatenate([samples[span.start : span.end] for span in group])
