from datetime import UTC, datetime

from notes.intake import formats, transcripts
from notes.intake import message_edits as edits
from notes.intake.formats import Description
from notes.intake.origin import Origin
from notes.intake.transcripts import Note, NoteHeader
from notes.kb import KnowledgeBase, atomic

WHEN = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
SENDER = Origin("telegram", WHEN, 1, "alexey", message_id=5)
STEM = "20261130_100000_alexey_msg5"


def test_an_undrafted_text_note_takes_the_new_words(kb: KnowledgeBase) -> None:
    header = NoteHeader("telegram_text", WHEN, 1, "alexey")
    path = atomic.write_text(
        kb.raw / f"{STEM}_text.txt", transcripts.render(Note(header, "старое"))
    )
    edit = edits.apply_edit(kb, STEM, "новое https://x.org/a", SENDER)
    assert (edit.action, edit.path) == ("updated", path)
    assert transcripts.parse(path.read_text()).text == "новое https://x.org/a"
    assert edits.apply_edit(kb, STEM, "новое https://x.org/a", SENDER).action == "unchanged"


def test_a_kb_text_note_keeps_its_front_matter_bytes(kb: KnowledgeBase) -> None:
    original = formats.text_note(SENDER, "было")
    path = atomic.write_text(kb.raw / f"{STEM}.md", original)
    edits.apply_edit(kb, STEM, "стало", SENDER)
    assert path.read_text() == original.removesuffix("было") + "стало"


def test_a_photo_caption_is_replaced_and_nothing_else(kb: KnowledgeBase) -> None:
    note = formats.photo_note(SENDER, f"{STEM}.jpg", "подпись", Description(kind="chart"))
    path = atomic.write_text(kb.raw / f"{STEM}_photo.md", note)
    edits.apply_edit(kb, STEM, "новая подпись", SENDER)
    assert path.read_text() == note.replace("Caption: подпись", "Caption: новая подпись")


def test_a_video_without_caption_gets_one(kb: KnowledgeBase) -> None:
    note = formats.video_note(SENDER, formats.VideoInfo("a.mp4", 3, 2, 2, 10), None)
    path = atomic.write_text(kb.raw / f"{STEM}_video.md", note)
    edits.apply_edit(kb, STEM, "демо", SENDER)
    assert path.read_text() == note.removesuffix("\n") + "\n\nCaption: демо\n"


def test_a_video_caption_edit_keeps_the_transcript_and_keyframe_after_it(kb: KnowledgeBase) -> None:
    sections = ["### Audio transcript (ru, base)\nПривет.", "### Keyframe\n#### Type\nselfie"]
    info = formats.VideoInfo("", 3, 240, 240, 10)
    note = formats.video_note(SENDER, info, "было", kind="video_note", sections=sections)
    path = atomic.write_text(kb.raw / f"{STEM}_video.md", note)
    assert edits.apply_edit(kb, STEM, "стало", SENDER).action == "updated"
    assert path.read_text() == note.replace("Caption: было", "Caption: стало")
    assert edits.apply_edit(kb, STEM, "стало", SENDER).action == "unchanged"
    bare = formats.video_note(SENDER, info, None, kind="video_note", sections=sections)
    path.write_text(bare)
    edits.apply_edit(kb, STEM, "подпись", SENDER)
    assert path.read_text() == bare.replace("MB\n\n###", "MB\n\nCaption: подпись\n\n###", 1)


def test_a_drafted_note_is_untouched_and_a_follow_up_says_what_changed(kb: KnowledgeBase) -> None:
    header = NoteHeader("telegram_text", WHEN, 1, "alexey")
    drafted = transcripts.render(Note(header, "старое"))
    used = atomic.write_text(kb.used / f"{STEM}_text.txt", drafted)

    first = edits.apply_edit(kb, STEM, "новое", SENDER)
    second = edits.apply_edit(kb, STEM, "ещё новее", SENDER)

    assert used.read_text() == drafted
    assert (first.action, first.path.name) == ("follow_up", f"{STEM}_edited.md")
    assert second.path.name == f"{STEM}_edited2.md"
    text = first.path.read_text()
    assert f"\nedit_of: {STEM}_text.txt\n" in text
    assert text.endswith("It now reads:\n\nновое")
    again = edits.apply_edit(kb, STEM, "ещё новее", SENDER)  # the same edit delivered twice
    assert (again.action, again.path) == ("unchanged", second.path)
    assert sorted(p.name for p in kb.raw.iterdir()) == [f"{STEM}_edited.md", f"{STEM}_edited2.md"]


def test_an_unknown_message_is_said_so(kb: KnowledgeBase) -> None:
    assert edits.apply_edit(kb, STEM, "x", SENDER).action == "unknown"
    assert list(kb.raw.iterdir()) == []
