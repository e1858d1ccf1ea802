"""One origin for every kind of note: its front matter pairs, in the order the KB has them."""

from __future__ import annotations

from datetime import UTC, datetime

from notes.intake import transcripts
from notes.intake.origin import Forward, Origin
from notes.intake.transcripts import Note, note_front

WHEN = datetime(2026, 2, 4, 10, 23, 39, 512, tzinfo=UTC)
FORWARD = Forward("channel", "Data: Канал", datetime(2026, 2, 1, 8, tzinfo=UTC), "data", -100, 7)


def test_a_plain_origin_opens_the_front_matter_and_adds_nothing_after() -> None:
    origin = Origin("telegram", WHEN, 822266080, "AlexeyDTC", message_id=413, chat_id=-100)
    assert origin.head("photo") == [
        ("source", "telegram_photo"),
        ("date", "2026-02-04T10:23:39+00:00"),
        ("user_id", 822266080),
        ("username", "AlexeyDTC"),
    ]
    assert origin.tail() == []
    assert note_front([*origin.head(""), *origin.tail()]) == (
        "---\nsource: telegram\ndate: 2026-02-04T10:23:39+00:00\nuser_id: 822266080\n"
        "username: AlexeyDTC\nfiled_by: voicenotes\n---"
    )


def test_a_forwarded_origin_ends_with_whose_words_and_the_burst() -> None:
    origin = Origin("telegram", WHEN, 1, "a", forward=FORWARD, group="album1")
    assert [key for key, _ in origin.tail()] == [
        "forwarded_from",
        "forwarded_from_kind",
        "forwarded_date",
        "forwarded_from_username",
        "forwarded_chat_id",
        "forwarded_message_id",
        "group",
    ]
    tail = (
        "forwarded_from: 'Data: Канал'\nforwarded_from_kind: channel\n"
        "forwarded_date: 2026-02-01T08:00:00+00:00\nforwarded_from_username: data\n"
        "forwarded_chat_id: -100\nforwarded_message_id: 7\ngroup: album1\n"
    )
    material = note_front([*origin.head("link"), *origin.tail()])
    assert material.endswith("username: a\n" + tail + "filed_by: voicenotes\n---")
    header = origin.note_header("voice", "x.ogg", dict(origin.tail()))
    spoken = transcripts.render(Note(header, "Привет."))
    assert spoken.startswith("---\nsource: telegram_voice\n")
    assert ("audio_file: x.ogg\n" + tail + "---\n\nПривет.") in spoken


def test_the_source_joins_the_channel_and_the_kind() -> None:
    telegram = Origin("telegram", WHEN, 1, "a")
    local = Origin("local", WHEN, 0, "me")
    assert [telegram.source(kind) for kind in ("voice", "video_note", "")] == [
        "telegram_voice",
        "telegram_video_note",
        "telegram",
    ]
    assert [local.source(kind) for kind in ("file", "link", "audio")] == [
        "local_file",
        "local_link",
        "audio_file",
    ]
    assert local.note_header("audio", "x.ogg").source == "audio_file"


def test_a_forward_kept_in_a_job_record_reads_back_the_same() -> None:
    record = {"kind": "user", "name": "Ёж", "date": "2026-02-01T08:00:00+00:00"}
    assert Forward.from_record(record) == Forward("user", "Ёж", datetime(2026, 2, 1, 8, tzinfo=UTC))
