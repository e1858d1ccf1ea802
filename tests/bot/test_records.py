"""The one crash-record store: written whole, listed oldest first, unreadable ones kept, and
records an earlier version left behind picked up at the next start."""

from __future__ import annotations

import json
import logging
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from bot import jobs, updatejournal
from bot.records import RecordStore
from notes.kb import KnowledgeBase
from tests.conftest import SPEECH_OGG
from tests.support.pictures import photo_with_gps
from tests.support.telegram_server import (
    FEB_4,
    OWNER,
    FakeBotAPI,
    SentMessage,
    bot_running,
    bot_settings,
    text_message,
)
from transcribe.engine import WhisperEngine

WHEN = datetime(2026, 2, 4, 10, 23, 39, tzinfo=UTC)
STEM = "20260204_102339_AlexeyDTC_msg"


@dataclass(frozen=True)
class Thing:
    name: str
    date: datetime
    tags: list[str]
    attempts: int = 0


STORE: RecordStore[Thing] = RecordStore("things", Thing, lambda thing: thing.name, "thing")


def test_a_record_reads_back_as_it_was_written_in_its_own_file(kb: KnowledgeBase) -> None:
    thing = Thing("b", WHEN, ["первый", "x"], attempts=2)

    path = STORE.save(kb, thing)

    assert path == kb.state / "things" / "b.json"
    assert STORE.load(path) == thing == STORE.get(kb, "b")
    assert [p.name for p in STORE.folder(kb).iterdir()] == ["b.json"]  # no temporary left
    assert "первый" in path.read_text(encoding="utf-8")


def test_records_are_listed_oldest_first_and_an_unreadable_one_is_kept(
    kb: KnowledgeBase, caplog: pytest.LogCaptureFixture
) -> None:
    for name in ("20260204_c", "20260203_a", "20260204_b"):
        STORE.save(kb, Thing(name, WHEN, []))
    (STORE.folder(kb) / "20260201_broken.json").write_text("{not json", encoding="utf-8")
    (STORE.folder(kb) / "20260202_wrong.json").write_text('{"name": 1}', encoding="utf-8")

    with caplog.at_level(logging.WARNING):
        assert [t.name for t in STORE.pending(kb)] == ["20260203_a", "20260204_b", "20260204_c"]

    assert (STORE.folder(kb) / "20260201_broken.json").exists()
    assert (STORE.folder(kb) / "20260202_wrong.json").exists()
    assert STORE.get(kb, "20260202_wrong") is None
    assert [r.getMessage().count("\n") for r in caplog.records] == [0, 0, 0]  # one line each


def test_names_and_order_can_be_the_stores_own(kb: KnowledgeBase) -> None:
    numbered: RecordStore[Thing] = RecordStore(
        "numbered", Thing, lambda t: t.name, "thing", named=str.isdigit, order=int
    )
    for name in ("10", "9", "100"):
        numbered.save(kb, Thing(name, WHEN, []))
    (numbered.folder(kb) / "handled.json").write_text("[]", encoding="utf-8")

    assert numbered.keys(kb) == ["9", "10", "100"]


def test_removing_what_is_not_there_and_reading_a_new_kb_are_no_errors(kb: KnowledgeBase) -> None:
    assert STORE.pending(kb) == [] and STORE.keys(kb) == []
    assert STORE.get(kb, "a") is None and not STORE.exists(kb, "a")
    STORE.remove(kb, "a")


def test_a_record_that_cannot_be_written_raises_and_leaves_nothing(kb: KnowledgeBase) -> None:
    STORE.folder(kb).write_text("in the way", encoding="utf-8")

    with pytest.raises(OSError):
        STORE.save(kb, Thing("a", WHEN, []))
    assert STORE.folder(kb).read_text(encoding="utf-8") == "in the way"


def test_the_three_stores_keep_their_folders() -> None:
    folders = {jobs.SPEECH.folder_name, jobs.FILING.folder_name}
    assert folders | {updatejournal.RECORDS.folder_name} == {"voicequeue", "materials", "updates"}


def test_records_an_earlier_version_left_are_picked_up_at_the_next_start(
    kb: KnowledgeBase, api: FakeBotAPI, engine: WhisperEngine
) -> None:
    """A process killed before the upgrade: a voice note saved, a photo received, a text
    update kept, each in the earlier version's own bytes."""
    photo = api.add_file(photo_with_gps(500, 300, 1))
    _earlier(kb, "voicequeue", f"{STEM}900", _EARLIER_VOICE)
    shutil.copy(SPEECH_OGG, kb.audio / f"{STEM}900.ogg")
    _earlier(kb, "materials", f"{STEM}901_photo", _EARLIER_PHOTO.replace("FILE_ID", photo))
    update = {"update_id": 7, "message": text_message(OWNER, 902, "RAG needs evals", FEB_4)}
    _earlier(kb, "updates", "7", json.dumps(update, ensure_ascii=False, sort_keys=True) + "\n")

    with bot_running(bot_settings(kb.root, api), engine):
        told = api.wait_for(lambda: _replies(api, 3), what="three answers")

    answers = {m.reply_to: m.text for m in told}
    assert answers[900].startswith(f"After a restart: Filed {STEM}900_transcript.txt")
    assert answers[901].startswith(f"After a restart: Filed {STEM}901_photo.md")
    assert answers[902].startswith("After a restart:") and f"{STEM}902.md" in answers[902]
    assert (kb.raw / f"{STEM}901_photo.md").read_text(encoding="utf-8").endswith("Caption: до")
    assert jobs.SPEECH.pending(kb) == [] and jobs.FILING.pending(kb) == []
    assert updatejournal.UpdateJournal(kb).pending() == 0


def _replies(api: FakeBotAPI, count: int) -> list[SentMessage]:
    done = [m for m in api.sent_to(OWNER.id) if not m.text.endswith("…")]
    return done if len({m.reply_to for m in done}) >= count else []


def _earlier(kb: KnowledgeBase, folder: str, name: str, text: str) -> None:
    (kb.state / folder).mkdir(parents=True, exist_ok=True)
    (kb.state / folder / f"{name}.json").write_text(text, encoding="utf-8")


_EARLIER_VOICE = """{
 "stem": "20260204_102339_AlexeyDTC_msg900",
 "audio_name": "20260204_102339_AlexeyDTC_msg900.ogg",
 "source": "telegram_voice",
 "date": "2026-02-04T10:23:39+00:00",
 "user_id": 822266080,
 "username": "AlexeyDTC",
 "chat_id": 822266080,
 "message_id": 900,
 "file_id": "file-gone",
 "attempts": 1,
 "ack_message_id": null,
 "running": true,
 "caption": ""
}
"""

_EARLIER_PHOTO = """{
 "stem": "20260204_102339_AlexeyDTC_msg901",
 "kind": "photo",
 "date": "2026-02-04T10:23:39+00:00",
 "user_id": 822266080,
 "username": "AlexeyDTC",
 "chat_id": 822266080,
 "message_id": 901,
 "file_id": "FILE_ID",
 "file_name": "",
 "mime_type": "",
 "file_size": 0,
 "width": 500,
 "height": 300,
 "duration": 0,
 "caption": "до",
 "text": null,
 "urls": [],
 "group": null,
 "forward": null,
 "message_link": null,
 "ack_message_id": null,
 "attempts": 1
}
"""
