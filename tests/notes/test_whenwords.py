"""Times in the chat: the author's zone, in words, never ISO."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from notes.settings import load_settings
from notes.whenwords import day_in_words, iso_in_words, moment_in_words, zone

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    ("moment", "words"),
    [
        (datetime(2026, 12, 7, 13, 5, tzinfo=UTC), "today 14:05"),
        (datetime(2026, 12, 6, 23, 30, tzinfo=UTC), "today 00:30"),
        (datetime(2026, 12, 6, 8, 12, tzinfo=UTC), "yesterday 09:12"),
        (datetime(2026, 12, 3, 17, 40, tzinfo=UTC), "3 Dec 18:40"),
        (datetime(2025, 12, 3, 17, 40, tzinfo=UTC), "3 Dec 2025 18:40"),
        (datetime(2026, 7, 1, 12, 0), "1 Jul 14:00"),  # no offset: UTC, then summer time
    ],
)
def test_moments_are_in_his_zone_and_in_words(moment: datetime, words: str) -> None:
    assert moment_in_words(moment, NOW, BERLIN) == words


def test_iso_from_the_run_log_becomes_words() -> None:
    assert iso_in_words("2026-12-07T09:00:00+00:00", NOW, BERLIN) == "today 10:00"
    assert iso_in_words("not a time", NOW, BERLIN) == "not a time"


def test_days_in_words() -> None:
    today = date(2026, 3, 2)
    assert day_in_words(today, today) == "today"
    assert day_in_words(date(2026, 3, 1), today) == "yesterday"
    assert day_in_words(date(2026, 1, 9), today) == "9 Jan"


def test_the_zone_defaults_to_the_machines_and_a_bad_name_is_one_line(tmp_path) -> None:
    assert zone(None).utcoffset(NOW) == NOW.astimezone().utcoffset()
    assert load_settings(tmp_path, VOICENOTES_TIMEZONE="Asia/Tokyo").timezone == "Asia/Tokyo"
    with pytest.raises(ValueError, match="'Mars/Base' is not a time zone"):
        load_settings(tmp_path, VOICENOTES_TIMEZONE="Mars/Base")
