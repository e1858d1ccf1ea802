from __future__ import annotations

import shutil
from datetime import UTC, datetime

import pytest

from notes.intake import inbox
from notes.intake.inbox import AlreadyFiled
from notes.intake.transcripts import Note, NoteHeader, as_filed
from tests.conftest import DATA, EXAMPLES

NAME = "20260301_090000_me_msg1_text.txt"


def _note(text: str = "hello") -> Note:
    return Note(NoteHeader("telegram_text", datetime(2026, 3, 1, 9, tzinfo=UTC), 1, "me"), text)


def test_file_and_read_back(kb):
    path = inbox.file_note(kb, NAME, _note())
    assert path == kb.raw / NAME
    assert inbox.read_note(path) == as_filed(_note())
    assert inbox.pending(kb) == [path]


def test_never_overwrites_raw_or_used(kb):
    inbox.file_note(kb, NAME, _note("first"))
    with pytest.raises(AlreadyFiled, match="inbox/raw/"):
        inbox.file_note(kb, NAME, _note("second"))
    (kb.raw / NAME).rename(kb.used / NAME)
    with pytest.raises(AlreadyFiled, match="inbox/used/"):
        inbox.file_note(kb, NAME, _note("third"))
    assert inbox.read_note(kb.used / NAME).text == "first"
    assert inbox.pending(kb) == []


def test_pending_is_oldest_first_and_ignores_other_files(kb):
    for source in sorted((EXAMPLES / "inbox" / "used").iterdir(), reverse=True):
        (kb.raw / source.name).write_bytes(source.read_bytes())
    (kb.raw / ".20260101_000000_x_msg1_text.txt.abc.tmp").write_text("partial")
    (kb.raw / "README.md").write_text("not a note")
    names = [p.name for p in inbox.pending(kb)]
    assert names == sorted(p.name for p in (EXAMPLES / "inbox" / "used").iterdir())


def test_note_path_finds_either_folder(kb):
    assert inbox.note_path(kb, NAME) is None
    inbox.file_note(kb, NAME, _note())
    assert inbox.note_path(kb, NAME) == kb.raw / NAME


def test_keep_audio_copies_once(kb, speech_ogg):
    kept = inbox.keep_audio(kb, speech_ogg, "x.ogg")
    assert kept.read_bytes() == speech_ogg.read_bytes()
    assert inbox.keep_audio(kb, speech_ogg, "x.ogg") == kept


AUTHOR_USED = DATA / "author_kb" / "inbox" / "used"
PHOTO = "20260320_093015_AlexeyDTC_msg3030_photo.md"
IMAGE = "20260320_093015_AlexeyDTC_msg3030.jpg"
TEXT = "20260424_124837_AlexeyDTC_msg3607.md"


def test_scan_reads_every_note_and_names_what_it_cannot(kb):
    for name in (PHOTO, IMAGE, TEXT):
        shutil.copy(AUTHOR_USED / name, kb.raw / name)
    (kb.raw / "20260301_090000_me_msg9.md").write_text("no front matter", encoding="utf-8")
    (kb.raw / "README.md").write_text("about this folder", encoding="utf-8")
    (kb.raw / "recording.ogg").write_bytes(b"OggS")
    (kb.raw / "later").mkdir()
    (kb.raw / ".gitkeep").touch()

    scan = inbox.scan_raw(kb)

    assert [note.name for note in scan.notes] == [PHOTO, TEXT]
    assert scan.attachments == {PHOTO: [IMAGE]}
    assert [str(problem) for problem in scan.unreadable] == [
        "inbox/raw/20260301_090000_me_msg9.md not read: "
        "no front matter: the file does not start with '---'",
        "inbox/raw/README.md not read: not a note's name (a note is NAME_transcript.txt, "
        "NAME.md, NAME_photo.md, NAME_file.md or NAME_video.md, NAME starting with "
        "YYYYMMDD_HHMMSS_)",
        "inbox/raw/later not read: a folder: notes in it are not read",
        "inbox/raw/recording.ogg not read: not a note, and no note in inbox/raw names it as "
        "its attachment",
    ]
    assert inbox.unreadable(kb) == [str(problem) for problem in scan.unreadable]


def test_an_image_without_its_note_is_named(kb):
    shutil.copy(AUTHOR_USED / IMAGE, kb.raw / IMAGE)
    assert [problem.name for problem in inbox.scan_raw(kb).unreadable] == [IMAGE]


def test_a_note_moves_to_used_with_its_attachments(kb):
    for name in (PHOTO, IMAGE, TEXT):
        shutil.copy(AUTHOR_USED / name, kb.raw / name)
    touched = inbox.move_to_used(kb, PHOTO)
    assert sorted(p.name for p in kb.used.iterdir()) == [IMAGE, PHOTO]
    assert (kb.used / IMAGE).read_bytes() == (AUTHOR_USED / IMAGE).read_bytes()
    assert set(touched) == {kb.raw / PHOTO, kb.used / PHOTO, kb.raw / IMAGE, kb.used / IMAGE}
    assert [p.name for p in kb.raw.iterdir()] == [TEXT]
