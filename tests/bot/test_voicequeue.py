"""Records of voice notes saved but not yet transcribed, and what a message already left."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot import voicequeue
from bot.voicequeue import PendingVoice
from notes.intake.inbox import file_note
from notes.intake.transcripts import Note, NoteHeader
from notes.kb import KnowledgeBase

WHEN = datetime(2026, 2, 4, 10, 23, 39, tzinfo=UTC)


def record(message_id: int = 900, attempts: int = 0) -> PendingVoice:
    stem = f"20260204_102339_AlexeyDTC_msg{message_id}"
    return PendingVoice(
        stem,
        f"{stem}.ogg",
        "telegram_voice",
        WHEN,
        822266080,
        "AlexeyDTC",
        822266080,
        message_id,
        "AwACAgIAAxkBAAI",
        attempts,
    )


def test_a_record_reads_back_as_it_was_written(kb: KnowledgeBase) -> None:
    saved = record()
    path = voicequeue.save(kb, saved)

    assert path == kb.state / "voicequeue" / f"{saved.stem}.json"
    assert voicequeue.load(path) == saved
    assert voicequeue.load(voicequeue.save(kb, saved.failed_once())).attempts == 1
    assert saved.transcript_name == f"{saved.stem}_transcript.txt"


def test_pending_lists_records_oldest_first_and_skips_unreadable_ones(kb: KnowledgeBase) -> None:
    for message_id in (902, 900, 901):
        voicequeue.save(kb, record(message_id))
    (voicequeue.folder(kb) / "broken.json").write_text("{not json")
    voicequeue.remove(kb, record(901).stem)

    assert [r.message_id for r in voicequeue.pending(kb)] == [900, 902]
    assert (voicequeue.folder(kb) / "broken.json").exists()


def test_pending_is_empty_in_a_new_knowledge_base(tmp_path: Path) -> None:
    assert voicequeue.pending(KnowledgeBase(tmp_path / "new")) == []


def test_received_says_where_a_message_already_is(kb: KnowledgeBase) -> None:
    note = record()
    assert voicequeue.ended(kb, note.stem) is None

    (kb.audio / f".{note.stem}.ogg.x1.tmp").write_bytes(b"half")
    assert voicequeue.ended(kb, note.stem) is None  # a write cut short is not a copy

    (kb.audio / note.audio_name).write_bytes(b"OggS")
    assert voicequeue.ended(kb, note.stem) == f"kept as inbox/audio/{note.audio_name}"

    voicequeue.save(kb, note)
    assert voicequeue.ended(kb, note.stem) is None  # still on its way

    header = NoteHeader("telegram_voice", WHEN, 1, "AlexeyDTC", note.audio_name)
    file_note(kb, note.transcript_name, Note(header, "text"))
    assert voicequeue.ended(kb, note.stem) == f"filed as {note.transcript_name}"

    text_stem = record(901).stem
    file_note(kb, f"{text_stem}.md", Note(NoteHeader("telegram", WHEN, 1, "A"), "t"))
    assert voicequeue.ended(kb, text_stem) == f"filed as {text_stem}.md"


def test_saved_audio_finds_any_suffix_of_the_stem_only(kb: KnowledgeBase) -> None:
    (kb.audio / "20260204_102339_AlexeyDTC_msg90.ogg").write_bytes(b"other message")
    assert voicequeue.saved_audio(kb, "20260204_102339_AlexeyDTC_msg9") is None
    (kb.audio / "20260204_102339_AlexeyDTC_msg9.mp4").write_bytes(b"video")
    assert voicequeue.saved_audio(kb, "20260204_102339_AlexeyDTC_msg9") == (
        kb.audio / "20260204_102339_AlexeyDTC_msg9.mp4"
    )
