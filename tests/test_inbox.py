from __future__ import annotations

from datetime import UTC, datetime

import pytest

from notes import inbox
from notes.inbox import AlreadyFiled
from notes.transcripts import Note, NoteHeader
from tests.conftest import EXAMPLES

NAME = "20260301_090000_me_msg1_text.txt"


def _note(text: str = "hello") -> Note:
    return Note(NoteHeader("telegram_text", datetime(2026, 3, 1, 9, tzinfo=UTC), 1, "me"), text)


def test_file_and_read_back(kb):
    path = inbox.file_note(kb, NAME, _note())
    assert path == kb.raw / NAME
    assert inbox.read_note(path) == _note()
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
