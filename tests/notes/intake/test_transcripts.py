from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from notes.intake import transcripts
from notes.intake.transcripts import Note, NoteFormatError, NoteHeader
from tests.conftest import DATA, EXAMPLES

EXAMPLE_NOTES = sorted((EXAMPLES / "inbox" / "used").glob("*_transcript.txt"))


@pytest.mark.parametrize("path", EXAMPLE_NOTES, ids=lambda p: p.name)
def test_example_reads_back_and_writes_identical_bytes(path):
    original = path.read_bytes()
    note = transcripts.parse(original.decode("utf-8"))
    assert transcripts.render(note).encode("utf-8") == original


def test_example_header_fields():
    note = transcripts.parse(EXAMPLE_NOTES[0].read_text(encoding="utf-8"))
    assert note.header.source == "telegram_voice"
    assert note.header.date == datetime(2026, 2, 4, 10, 23, 39, tzinfo=UTC)
    assert note.header.user_id == 822266080
    assert note.header.username == "AlexeyDTC"
    assert note.header.audio_file == "20260204_102339_AlexeyDTC_msg900.ogg"
    assert note.text.startswith("Про позицию AI-инженера.")


def test_fresh_note_has_the_example_shape():
    text = " ".join(["слово"] * 60) + " RAG и LLM."
    header = NoteHeader(
        "telegram_voice",
        datetime(2026, 3, 1, 9, 5, 7, tzinfo=UTC),
        42,
        "someone",
        "20260301_090507_someone_msg7.ogg",
        {"duration": 3.5, "language": "ru", "model": "whisper-base (embedded)"},
    )
    rendered = transcripts.render(Note(header, text))
    front, body = rendered.split("\n---\n\n", 1)
    assert front.splitlines() == [
        "---",
        "source: telegram_voice",
        "date: 2026-03-01T09:05:07+00:00",
        "user_id: 42",
        "username: someone",
        "audio_file: 20260301_090507_someone_msg7.ogg",
        "duration: 3.5",
        "language: ru",
        "model: whisper-base (embedded)",
    ]
    assert not rendered.endswith("\n")
    assert all(len(line) <= 100 for line in body.split("\n"))
    assert len(body.split("\n")) > 1
    assert " ".join(body.split("\n")) == text
    assert transcripts.parse(rendered) == Note(header, body)


def test_text_note_has_no_audio_file_and_keeps_line_breaks():
    header = NoteHeader("telegram_text", datetime(2026, 3, 1, tzinfo=UTC), 1, "a")
    rendered = transcripts.render(Note(header, "first line\n\nsecond paragraph"))
    assert "audio_file" not in rendered
    assert rendered.endswith("---\n\nfirst line\n\nsecond paragraph")


def test_date_keeps_its_offset_and_drops_microseconds():
    moscow = timezone(timedelta(hours=3))
    when = datetime(2026, 3, 1, 12, 0, 0, 123456, tzinfo=moscow)
    assert transcripts.iso_date(when) == "2026-03-01T12:00:00+03:00"


def test_username_that_yaml_would_misread_is_quoted():
    header = NoteHeader("telegram_text", datetime(2026, 3, 1, tzinfo=UTC), 1, "123")
    note = transcripts.parse(transcripts.render(Note(header, "x")))
    assert note.header.username == "123"


@pytest.mark.parametrize(
    "document, reason",
    [
        ("no front matter", "does not start"),
        ("---\nsource: telegram_text\n", "not closed"),
        ("---\n: [\n---\n\nx", "not valid YAML"),
        ("---\nsource: telegram_text\n---\n\nx", "lacks date, user_id, username"),
        (
            "---\nsource: telegram_voice\ndate: 2026-03-01T00:00:00+00:00\nuser_id: 1\n"
            "username: a\n---\n\nx",
            "audio_file",
        ),
        (
            "---\nsource: fax\ndate: 2026-03-01T00:00:00+00:00\nuser_id: 1\nusername: a\n---\n\nx",
            "unknown source",
        ),
    ],
)
def test_malformed_notes_are_refused_with_a_reason(document, reason):
    with pytest.raises(NoteFormatError, match=reason):
        transcripts.parse(document)


def test_naive_date_is_refused():
    with pytest.raises(NoteFormatError):
        NoteHeader("telegram_text", datetime(2026, 3, 1), 1, "a")


def test_a_text_note_is_stored_exactly_as_sent():
    sent = (
        "See https://example.com/a-very-long-path/with-hyphens-that-textwrap-would-split-"
        "somewhere-around-the-hundredth-column/and-further?query=1\n"
        "\tdef f(x):  return x  # a code line long enough for textwrap.fill to wrap it, surely\r\n"
        "  leading spaces, trailing spaces  \n\n\n"
    )
    header = NoteHeader("telegram", datetime(2026, 3, 1, tzinfo=UTC), 1, "a")
    rendered = transcripts.render(Note(header, sent))
    assert rendered == (
        "---\nsource: telegram\ndate: 2026-03-01T00:00:00+00:00\nuser_id: 1\nusername: a\n"
        "---\n\n" + sent
    )
    assert transcripts.parse(rendered).text == sent


def test_only_unsafe_control_characters_are_removed():
    sent = "bell\x07 nul\x00 esc\x1b[31m del\x7f c1\x85 tab\t cr\r lf\n zwj 👩\u200d💻 rtl\u200f"
    header = NoteHeader("telegram", datetime(2026, 3, 1, tzinfo=UTC), 1, "a")
    body = transcripts.render(Note(header, sent)).split("---\n\n", 1)[1]
    assert body == "bell nul esc[31m del c1 tab\t cr\r lf\n zwj 👩\u200d💻 rtl\u200f"


def test_the_kbs_newest_text_note_reads_back_and_renders_identically():
    path = DATA / "author_kb/inbox/used/feedback/20260516_193345_AlexeyDTC_msg4138.md"
    original = path.read_bytes()
    assert transcripts.render(transcripts.parse(original.decode("utf-8"))).encode() == original
