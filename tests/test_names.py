from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from notes import names

WHEN = datetime(2026, 2, 4, 10, 23, 39, tzinfo=UTC)


def test_message_stem_matches_the_examples():
    assert names.message_stem(WHEN, "AlexeyDTC", 822266080, 900) == (
        "20260204_102339_AlexeyDTC_msg900"
    )


def test_username_falls_back_to_user_id():
    assert names.message_stem(WHEN, None, 77, 5) == "20260204_102339_user77_msg5"


def test_time_is_converted_to_utc():
    local = WHEN.astimezone(timezone(timedelta(hours=3)))
    assert names.timestamp(local) == "20260204_102339"


def test_unsafe_characters_are_replaced():
    assert names.safe_component("Ал ex.y/..") == "___ex_y___"
    assert names.file_stem(WHEN, "me", "my note (1)") == "20260204_102339_me_my_note__1_"


def test_note_file_names():
    stem = "20260204_102339_AlexeyDTC_msg900"
    assert names.transcript_name(stem) == stem + "_transcript.txt"
    assert names.text_note_name(stem) == stem + "_text.txt"
    assert names.is_note_name(stem + "_transcript.txt")
    assert not names.is_note_name("." + stem + "_transcript.txt.abc.tmp")
    assert not names.is_note_name("notes.md")
