"""Grouping pending notes into batches by time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from notes.drafting.batching import MAX_BATCH, PendingNote, group

START = datetime(2026, 2, 4, 10, 0, tzinfo=UTC)


def note(minutes: float, name: str | None = None) -> PendingNote:
    when = START + timedelta(minutes=minutes)
    return PendingNote(name or f"n{minutes:g}_transcript.txt", when, "text")


def names(batches: list[list[PendingNote]] | list[object]) -> list[list[str]]:
    return [batch.names for batch in batches]  # type: ignore[attr-defined]


def test_notes_close_together_form_one_batch_oldest_first() -> None:
    batches = group([note(9), note(0), note(4), note(60), note(65), note(200)])
    assert names(batches) == [
        ["n0_transcript.txt", "n4_transcript.txt", "n9_transcript.txt"],
        ["n60_transcript.txt", "n65_transcript.txt"],
        ["n200_transcript.txt"],
    ]


def test_the_gap_is_measured_from_the_previous_note_and_is_inclusive() -> None:
    batches = group([note(0), note(10), note(20), note(30.5)])
    assert names(batches) == [
        ["n0_transcript.txt", "n10_transcript.txt", "n20_transcript.txt"],
        ["n30.5_transcript.txt"],
    ]


def test_the_gap_can_be_chosen() -> None:
    notes = [note(0), note(3), note(6)]
    assert len(group(notes, gap=timedelta(minutes=2))) == 3
    assert len(group(notes, gap=timedelta(minutes=3))) == 1


def test_a_long_run_of_notes_is_cut_into_bounded_batches() -> None:
    batches = group([note(i) for i in range(2 * MAX_BATCH + 1)])
    assert [len(batch.notes) for batch in batches] == [MAX_BATCH, MAX_BATCH, 1]


def test_offsets_are_compared_as_instants_and_text_notes_mix_in() -> None:
    moscow = timezone(timedelta(hours=3))
    local = PendingNote("b_text.txt", datetime(2026, 2, 4, 13, 5, tzinfo=moscow), "typed")
    batches = group([note(0, "a_transcript.txt"), local])
    assert names(batches) == [["a_transcript.txt", "b_text.txt"]]
    assert batches[0].start == START
    assert batches[0].end == START + timedelta(minutes=5)


def test_no_notes_no_batches() -> None:
    assert group([]) == []
