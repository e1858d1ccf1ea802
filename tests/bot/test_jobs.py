"""The one job record: both lanes' records, what a message already left, and the one
attempts rule (bot/attempts.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from bot import jobs
from bot.attempts import MAX_ATTEMPTS, Attempts, given_up
from bot.jobs import Job
from notes.intake.inbox import file_note
from notes.intake.origin import Forward
from notes.intake.transcripts import Note, NoteHeader
from notes.kb import KnowledgeBase
from tests.support.jobrecords import material_job, voice_job

WHEN = datetime(2026, 2, 4, 10, 23, 39, tzinfo=UTC)


def record(message_id: int = 900, attempts: int = 0) -> Job:
    stem = f"20260204_102339_AlexeyDTC_msg{message_id}"
    return voice_job(
        stem,
        WHEN,
        user_id=822266080,
        username="AlexeyDTC",
        chat_id=822266080,
        message_id=message_id,
        file_id="AwACAgIAAxkBAAI",
        attempts=attempts,
    )


def job(**changes: object) -> Job:
    forward = jobs.forward_dict(Forward("channel", "Data", WHEN, "data", -100123, 5))
    base = material_job(
        "STEM", "photo", WHEN, username="alexey", message_id=900, file_id="f", forward=forward
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_a_record_reads_back_as_it_was_written(kb: KnowledgeBase) -> None:
    saved = record()
    path = jobs.save(kb, saved)

    assert path == kb.state / "voicequeue" / f"{saved.stem}.json"
    assert jobs.SPEECH.load(path) == saved
    assert jobs.SPEECH.load(jobs.save(kb, saved.failed_once())).attempts == 1
    assert saved.transcript_name == f"{saved.stem}_transcript.txt"


def test_pending_lists_records_oldest_first_and_skips_unreadable_ones(kb: KnowledgeBase) -> None:
    for message_id in (902, 900, 901):
        jobs.save(kb, record(message_id))
    (jobs.SPEECH.folder(kb) / "broken.json").write_text("{not json")
    jobs.remove(kb, record(901))

    assert [r.message_id for r in jobs.SPEECH.pending(kb)] == [900, 902]
    assert (jobs.SPEECH.folder(kb) / "broken.json").exists()


def test_pending_is_empty_in_a_new_knowledge_base(tmp_path: Path) -> None:
    assert jobs.SPEECH.pending(KnowledgeBase(tmp_path / "new")) == []


def test_received_says_where_a_message_already_is(kb: KnowledgeBase) -> None:
    note = record()
    assert jobs.ended(kb, note.stem) is None

    (kb.audio / f".{note.stem}.ogg.x1.tmp").write_bytes(b"half")
    assert jobs.ended(kb, note.stem) is None  # a write cut short is not a copy

    (kb.audio / note.audio_name).write_bytes(b"OggS")
    assert jobs.ended(kb, note.stem) == f"kept as inbox/audio/{note.audio_name}"

    jobs.save(kb, note)
    assert jobs.ended(kb, note.stem) is None  # still on its way

    header = NoteHeader("telegram_voice", WHEN, 1, "AlexeyDTC", note.audio_name)
    file_note(kb, note.transcript_name, Note(header, "text"))
    assert jobs.ended(kb, note.stem) == f"filed as {note.transcript_name}"

    text_stem = record(901).stem
    file_note(kb, f"{text_stem}.md", Note(NoteHeader("telegram", WHEN, 1, "A"), "t"))
    assert jobs.ended(kb, text_stem) == f"filed as {text_stem}.md"


def test_saved_audio_finds_any_suffix_of_the_stem_only(kb: KnowledgeBase) -> None:
    (kb.audio / "20260204_102339_AlexeyDTC_msg90.ogg").write_bytes(b"other message")
    assert jobs.saved_audio(kb, "20260204_102339_AlexeyDTC_msg9") is None
    (kb.audio / "20260204_102339_AlexeyDTC_msg9.mp4").write_bytes(b"video")
    assert jobs.saved_audio(kb, "20260204_102339_AlexeyDTC_msg9") == (
        kb.audio / "20260204_102339_AlexeyDTC_msg9.mp4"
    )


def test_a_material_record_round_trips_with_its_forward(kb: KnowledgeBase) -> None:
    saved = job(urls=["https://x.org"], group="album1")
    path = jobs.save(kb, saved)
    assert path == kb.state / "materials" / "STEM_photo.json"
    (loaded,) = jobs.FILING.pending(kb)
    assert loaded == saved
    origin = loaded.origin()
    assert origin.forward is not None and origin.forward.date == WHEN
    assert (origin.group, origin.message_id) == ("album1", 900)


def test_a_recording_keeps_its_caption_forward_and_article() -> None:
    forward = jobs.forward_dict(Forward("user", "Anna", WHEN, "anna", 7))
    heard = replace(record(), caption="до", forward=forward, article="rag.md").recording()
    assert (heard.origin.source(heard.kind), heard.caption) == ("telegram_voice", "до")
    assert heard.article == "rag.md"
    assert heard.origin.forward == Forward("user", "Anna", WHEN, "anna", 7)


def test_a_photo_and_the_links_of_one_message_are_two_records(kb: KnowledgeBase) -> None:
    jobs.save(kb, job())
    jobs.save(kb, job(kind="links"))
    assert len(jobs.FILING.pending(kb)) == 2
    jobs.remove(kb, job())
    assert [j.kind for j in jobs.FILING.pending(kb)] == ["links"]
    assert jobs.SPEECH.pending(kb) == []


def test_an_unreadable_record_is_skipped_and_kept(kb: KnowledgeBase) -> None:
    broken = jobs.FILING.folder(kb) / "broken.json"
    broken.parent.mkdir(parents=True, exist_ok=True)
    broken.write_text("{not json", encoding="utf-8")
    assert jobs.FILING.pending(kb) == []
    assert broken.exists()


def test_a_job_is_given_up_after_max_attempts() -> None:
    assert not given_up(job(attempts=MAX_ATTEMPTS - 1))
    assert given_up(job(attempts=MAX_ATTEMPTS))


def test_a_try_is_marked_running_and_only_a_failure_counts(kb: KnowledgeBase) -> None:
    for begun in (record(), job()):
        attempts = Attempts(kb)
        jobs.save(kb, begun)
        tried = attempts.begin(begun)
        assert tried.running and jobs.saved(kb, begun) == tried  # a death now counts
        assert attempts.ended(tried) == begun == jobs.saved(kb, begun)  # filed: not counted
        failed = attempts.failed(attempts.begin(begun))
        assert (failed.attempts, failed.running) == (1, False) == _state(kb, begun)


def test_a_stop_takes_the_mark_off_the_tries_in_progress_and_off_those_after(
    kb: KnowledgeBase,
) -> None:
    attempts = Attempts(kb)
    first, second = job(), job(kind="links", urls=["https://x.org"])
    jobs.save(kb, first)
    jobs.save(kb, second)
    attempts.begin(first)
    attempts.begin(second)

    attempts.stopping()

    assert _state(kb, first) == _state(kb, second) == (0, False)  # a kill now counts nothing
    attempts.begin(first)
    assert _state(kb, first) == (0, False)


def test_the_count_goes_onto_the_record_as_it_is_now(kb: KnowledgeBase) -> None:
    """An edit replaced the record during the try (more links): the failure keeps them."""
    attempts = Attempts(kb)
    first = job(kind="edit_links", urls=["https://a.org"])
    jobs.save(kb, first)
    tried = attempts.begin(first)
    jobs.save(kb, replace(first, urls=["https://a.org", "https://b.org"]))

    attempts.failed(tried)

    saved = jobs.saved(kb, first)
    assert saved is not None and saved.urls == ["https://a.org", "https://b.org"]
    assert (saved.attempts, saved.running) == (1, False)


def _state(kb: KnowledgeBase, job: Job) -> tuple[int, bool]:
    saved = jobs.saved(kb, job)
    assert saved is not None
    return saved.attempts, saved.running
