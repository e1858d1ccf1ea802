from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from notes.kb import names

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
    assert names.text_note_name(stem) == stem + ".md"
    assert names.stem_of(stem + "_text.txt") == stem
    assert names.is_note_name(stem + "_transcript.txt")
    assert not names.is_note_name("." + stem + "_transcript.txt.abc.tmp")
    assert not names.is_note_name("notes.md")
    with pytest.raises(ValueError):
        names.stem_of("notes.md")


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("20260123_120902_valeriia_kuka_msg422.md", "20260123_120902_valeriia_kuka_msg422"),
        ("20260122_182057_AlexeyDTC_msg413_photo.md", "20260122_182057_AlexeyDTC_msg413"),
        ("20260123_121736_valeriia_kuka_msg485_file.md", "20260123_121736_valeriia_kuka_msg485"),
        ("20260207_070935_AlexeyDTC_msg1080_video.md", "20260207_070935_AlexeyDTC_msg1080"),
        ("20260116_205911_AlexeyDTC_photo.md", "20260116_205911_AlexeyDTC"),
        ("meeting_transcript.txt", "meeting"),
    ],
)
def test_every_kind_of_note_the_kb_holds_is_a_note(name: str, stem: str) -> None:
    assert names.is_note_name(name)
    assert names.stem_of(name) == stem


@pytest.mark.parametrize(
    "name",
    ["README.md", "20260123_120902_valeriia_kuka_msg422.jpg", "x.md", "_transcript.txt", ".md"],
)
def test_other_files_are_not_notes(name: str) -> None:
    assert not names.is_note_name(name)


def test_time_of_a_name() -> None:
    assert names.time_of("20260204_102339_AlexeyDTC_msg900.md") == WHEN
    assert names.time_of("20261304_102339_x.md") is None
    assert names.time_of("notes.md") is None
