from __future__ import annotations

import numpy as np
import pytest

from transcribe.windows import quietest, windows


def _noise(size: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).uniform(-0.5, 0.5, size).astype(np.float32)


def test_windows_cover_the_stream_once_in_order():
    stream = _noise(10_000)
    blocks = [stream[i : i + 777] for i in range(0, stream.size, 777)]
    pieces = list(windows(blocks, length=2_000, search=500, frame=50))
    assert np.array_equal(np.concatenate([w for _, w in pieces]), stream)
    offsets = [offset for offset, _ in pieces]
    assert offsets == [sum(w.size for _, w in pieces[:i]) for i in range(len(pieces))]
    assert all(1_500 <= w.size <= 2_000 for _, w in pieces[:-1])


def test_a_window_ends_in_the_pause():
    stream = _noise(5_000)
    stream[1_700:1_800] = 0.0  # a pause inside the search stretch
    (offset, first), *_ = windows([stream], length=2_000, search=500, frame=50)
    assert offset == 0
    assert 1_700 <= first.size <= 1_800


def test_a_short_stream_is_one_window():
    stream = _noise(1_000)
    [(offset, window)] = windows([stream], length=2_000, search=500, frame=50)
    assert offset == 0 and np.array_equal(window, stream)


def test_quietest_frame():
    samples = _noise(1_000)
    samples[600:700] = 0.0
    assert quietest(samples, 100) == 650


def test_bad_sizes_are_refused():
    with pytest.raises(ValueError):
        list(windows([_noise(10)], length=100, search=200, frame=10))
