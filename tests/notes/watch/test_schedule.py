from __future__ import annotations

import pytest

from notes.watch.schedule import MIN_FIRST_RETRY, PassOutcome, Schedule, Timing, seconds

TIMING = Timing(debounce=10.0, first_retry=40.0, retry_ceiling=200.0)


def started(schedule: Schedule, now: float) -> Schedule:
    assert schedule.is_due(now)
    schedule.start()
    return schedule


def running() -> Schedule:
    """A schedule told of a change at 0 whose pass, due at 10, started then."""
    schedule = Schedule(TIMING)
    schedule.changed(0.0)
    return started(schedule, 10.0)


def test_nothing_waiting_means_no_deadline() -> None:
    schedule = Schedule(TIMING)
    assert schedule.next_pass_at() is None
    assert schedule.wait_time(0.0) is None
    assert not schedule.is_due(1e9)


def test_a_pass_is_due_after_the_quiet_period() -> None:
    schedule = Schedule(TIMING)
    schedule.changed(100.0)
    assert schedule.next_pass_at() == 110.0
    assert schedule.wait_time(104.0) == 6.0
    assert not schedule.is_due(109.9)
    assert schedule.is_due(110.0)


def test_each_change_restarts_the_quiet_period() -> None:
    schedule = Schedule(TIMING)
    for at in (100.0, 105.0, 109.0):
        schedule.changed(at)
    assert schedule.next_pass_at() == 119.0
    assert not schedule.is_due(118.0)


def test_an_older_change_never_brings_the_pass_forward() -> None:
    schedule = Schedule(TIMING)
    schedule.changed(100.0)
    schedule.changed(50.0)  # a note found at start, filed long ago
    assert schedule.next_pass_at() == 110.0


def test_wait_time_is_zero_once_overdue() -> None:
    schedule = Schedule(TIMING)
    schedule.changed(0.0)
    assert schedule.wait_time(500.0) == 0.0


def test_a_pass_takes_in_every_change_so_far() -> None:
    schedule = running()
    assert schedule.running
    assert schedule.next_pass_at() is None
    schedule.finish(30.0, PassOutcome.DRAFTED)
    assert not schedule.running
    assert schedule.next_pass_at() is None


def test_a_change_during_a_pass_leads_to_one_more_pass() -> None:
    schedule = running()
    schedule.changed(12.0)
    schedule.changed(13.0)
    assert schedule.next_pass_at() is None  # not while the pass runs
    schedule.finish(30.0, PassOutcome.DRAFTED)
    assert schedule.next_pass_at() == 23.0  # quiet since 13 + 10: due at once
    assert schedule.wait_time(30.0) == 0.0
    started(schedule, 30.0).finish(40.0, PassOutcome.DRAFTED)
    assert schedule.next_pass_at() is None


def test_a_change_near_the_end_of_a_pass_keeps_its_quiet_period() -> None:
    schedule = running()
    schedule.changed(29.0)
    schedule.finish(30.0, PassOutcome.DRAFTED)
    assert schedule.next_pass_at() == 39.0


def test_failures_back_off_exponentially_up_to_the_ceiling() -> None:
    schedule = Schedule(TIMING)
    schedule.changed(0.0)
    now = 10.0
    waits = []
    for _ in range(5):
        started(schedule, now)
        schedule.finish(now, PassOutcome.FAILED)
        due = schedule.next_pass_at()
        assert due is not None
        waits.append(due - now)
        now = due
    assert waits == [40.0, 80.0, 160.0, 200.0, 200.0]
    assert schedule.failures == 5


def test_a_failure_is_retried_without_any_new_change() -> None:
    schedule = running()
    schedule.finish(12.0, PassOutcome.FAILED)
    assert not schedule.is_due(51.9)
    assert schedule.is_due(52.0)


def test_new_notes_do_not_cut_the_backoff_short() -> None:
    schedule = running()
    schedule.finish(10.0, PassOutcome.FAILED)
    schedule.changed(15.0)
    assert schedule.next_pass_at() == 50.0
    schedule.changed(45.0)  # but the quiet period still holds after it
    assert schedule.next_pass_at() == 55.0


def test_success_resets_the_backoff() -> None:
    schedule = running()
    schedule.finish(10.0, PassOutcome.FAILED)
    started(schedule, 50.0).finish(50.0, PassOutcome.FAILED)
    started(schedule, 130.0).finish(131.0, PassOutcome.DRAFTED)
    assert schedule.failures == 0
    schedule.changed(200.0)
    assert schedule.next_pass_at() == 210.0
    started(schedule, 210.0).finish(210.0, PassOutcome.FAILED)
    assert schedule.next_pass_at() == 250.0  # the first retry wait again


def test_a_busy_lock_retries_later_without_backoff() -> None:
    schedule = running()
    schedule.finish(10.0, PassOutcome.BUSY)
    assert schedule.failures == 0
    assert schedule.next_pass_at() == 20.0


@pytest.mark.parametrize(
    ("debounce", "first_retry"), [(120.0, 240.0), (0.5, MIN_FIRST_RETRY), (0.0, MIN_FIRST_RETRY)]
)
def test_timing_for_a_debounce_never_retries_in_a_tight_loop(
    debounce: float, first_retry: float
) -> None:
    timing = Timing.for_debounce(debounce)
    assert timing.debounce == debounce
    assert timing.first_retry == first_retry
    assert timing.retry_delay(1) == first_retry
    assert timing.retry_delay(2) == 2 * first_retry
    assert timing.retry_delay(100) == timing.retry_ceiling
    assert timing.busy_delay >= 1.0


@pytest.mark.parametrize(("text", "value"), [("120", 120.0), ("0.3", 0.3), ("0", 0.0)])
def test_seconds_reads_a_duration(text: str, value: float) -> None:
    assert seconds(text) == value


@pytest.mark.parametrize("text", ["-1", "nan", "inf", "soon", ""])
def test_seconds_refuses_what_is_not_a_duration(text: str) -> None:
    with pytest.raises(ValueError):
        seconds(text)
