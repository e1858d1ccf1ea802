"""Reading every note format of the author's real KB (files copied from it, byte for byte)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from notes.intake import noteformats
from notes.intake.transcripts import NoteFormatError
from notes.kb import names
from tests.conftest import DATA

AUTHOR_KB = DATA / "author_kb"
USED = AUTHOR_KB / "inbox" / "used"
NOTES = sorted(p for p in USED.rglob("*") if p.is_file() and names.is_note_name(p.name))


def test_the_slice_holds_every_format_and_each_is_read() -> None:
    read = {path.name: noteformats.read(path) for path in NOTES}
    formats = {(note.format, note.kind) for note in read.values()}
    assert formats == {
        ("NAME_transcript.txt", "voice"),
        ("NAME.md (telegram)", "text"),
        ("NAME.md (telegram_file)", "file"),
        ("NAME_photo.md", "photo"),
        ("NAME_file.md", "file"),
        ("NAME_video.md", "video"),
    }
    assert all(note.date.tzinfo is not None and note.text.strip() for note in read.values())
    assert "20260516_193345_AlexeyDTC_msg4138.md" in read  # from inbox/used/feedback/


def test_a_text_note_is_its_message() -> None:
    note = noteformats.read(USED / "20260424_124837_AlexeyDTC_msg3607.md")
    assert (note.kind, note.source) == ("text", "telegram")
    assert note.date == datetime(2026, 4, 24, 12, 48, 37, tzinfo=UTC)
    body = (USED / note.name).read_text(encoding="utf-8").split("\n---\n\n", 1)[1]
    assert note.text == body


def test_a_photo_note_names_its_image() -> None:
    note = noteformats.read(USED / "20260320_093015_AlexeyDTC_msg3030_photo.md")
    assert note.kind == "photo"
    assert note.attachments == ("20260320_093015_AlexeyDTC_msg3030.jpg",)
    assert note.text.startswith("### Analysis of the Image")
    placed = noteformats.read(USED / "20260201_080307_AlexeyDTC_msg788_photo.md")
    assert placed.attachments == ("20260201_080307_AlexeyDTC_msg788.jpg",)
    assert placed.meta["article"] == "certificates-and-ai-design-experiments.md"


def test_a_file_note_without_a_body_says_what_was_sent() -> None:
    bare = noteformats.read(USED / "20260123_121736_valeriia_kuka_msg485_file.md")
    assert bare.kind == "file"
    assert bare.text == "(sent a file: kdp_interior.pdf, without a caption)"
    assert bare.attachments == ("20260123_121736_valeriia_kuka_msg485.pdf",)
    captioned = noteformats.read(USED / "20260123_121736_valeriia_kuka_msg488_file.md")
    assert captioned.text == "Caption: можно даже так"


def test_a_file_sent_as_a_text_note_name_is_a_file_note() -> None:
    note = noteformats.read(USED / "20260225_225841_AlexeyDTC_msg2471.md")
    assert (note.kind, note.source) == ("file", "telegram_file")
    assert note.text == "video: building the svg logo\n"


def test_a_video_note_keeps_its_link_and_caption() -> None:
    note = noteformats.read(USED / "20260207_070935_AlexeyDTC_msg1080_video.md")
    assert note.kind == "video"
    assert note.text.startswith("[View video on Telegram](https://t.me/c/3688590333/1080)")
    assert "Caption: demo of chatgpt viewer" in note.text


def test_an_old_transcript_without_offset_or_user_id_is_utc() -> None:
    note = noteformats.read(USED / "20260205_121005_AlexeyDTC_msg933_transcript.txt")
    assert note.date == datetime(2026, 2, 5, 12, 10, 5, tzinfo=UTC)
    assert note.meta["user_id"] == "unknown"


def test_a_note_without_a_date_takes_the_time_of_its_name() -> None:
    note = noteformats.parse("20260301_090000_me_msg1.md", "---\nsource: telegram\n---\n\nhi")
    assert note.date == datetime(2026, 3, 1, 9, tzinfo=UTC)


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("20260301_090000_me_msg1.md", b"just text", "does not start with '---'"),
        ("20260301_090000_me_msg1.md", b"---\nsource: [x\n---\n\nhi", "not valid YAML"),
        ("20260301_090000_me_msg1.md", b"---\nsource: telegram\n", "not closed"),
        ("20260301_090000_me_msg1.md", b"---\ndate: soon\n---\n\nhi", "not an ISO 8601 time"),
        ("20260301_090000_me_msg1.md", b"---\nsource: 5\n---\n\nhi", "source is not text"),
        ("20260301_090000_me_msg1.md", b"---\nsource: telegram\n---\n\n\xff", "not UTF-8"),
        ("x_transcript.txt", b"---\nsource: telegram_voice\n---\n\nhi", "no date"),
        ("README.md", b"---\ndate: 2026-03-01\n---\n\nhi", "not a note's name"),
    ],
)
def test_what_cannot_be_read_says_why(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(NoteFormatError, match=reason):
        noteformats.read(path)


def test_crlf_notes_are_read() -> None:
    note = noteformats.parse(
        "20260301_090000_me_msg1.md",
        "---\r\nsource: telegram\r\ndate: 2026-03-01T09:00:00+00:00\r\n---\r\n\r\nhi",
    )
    assert note.text == "hi"
