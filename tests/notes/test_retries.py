from __future__ import annotations

import pytest

from notes import retries


def test_the_schedule_waits_longer_each_time_then_hourly():
    waits = [retries.scheduled(tries) for tries in range(7)]
    assert waits == [60.0, 120.0, 300.0, 900.0, 3600.0, 3600.0, 3600.0]


def test_a_given_schedule_repeats_its_last_wait():
    assert [retries.scheduled(tries, (0.5, 2.0)) for tries in (-1, 0, 1, 5)] == [
        0.5,
        0.5,
        2.0,
        2.0,
    ]


def test_an_empty_schedule_is_refused():
    with pytest.raises(ValueError, match="at least one wait"):
        retries.scheduled(0, ())


def test_doubling_stops_at_the_ceiling():
    assert [retries.doubling(1.0, 60.0, n) for n in range(8)] == [1, 2, 4, 8, 16, 32, 60, 60]
    assert retries.doubling(240.0, 3600.0, -3) == 240.0
