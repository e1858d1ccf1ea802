"""The bot's message handlers, end to end: the real Application against the fake Bot API."""

from __future__ import annotations

import itertools
import logging
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot import jobs, polling, replies
from bot.updatejournal import UpdateJournal
from notes.intake import noteformats
from notes.intake.inbox import read_note
from notes.kb import KnowledgeBase
from notes.settings import load_settings
from tests.conftest import LONG_STEM, SPEECH_OGG, SPEECH_WORDS, LongNote
from tests.support.audio import damaged_copy
from tests.support.telegram_server import (
    FEB_4,
    OWNER,
    STRANGER,
    FakeBotAPI,
    HeldTranscriber,
    SentMessage,
    User,
    audio_message,
    bot_running,
    bot_settings,
    forwarded,
    from_user,
    in_group,
    text_message,
    voice_message,
)
from transcribe.engine import WhisperEngine

pytestmark = pytest.mark.timeout(180)

NAME = "20260204_102339_AlexeyDTC_msg900"


def edited(api: FakeBotAPI, count: int = 1) -> list[SentMessage]:
    """The bot's messages to the owner that have been edited, once `count` of them have."""
    done = [message for message in api.sent_to(OWNER.id) if len(message.texts) > 1]
    return done if len(done) >= count else []


def words_heard(text: str) -> int:
    return sum(word in text.lower() for word in SPEECH_WORDS)


def kept_files(kb: KnowledgeBase) -> list[Path]:
    return sorted(path for path in kb.root.rglob("*") if path.is_file())


def test_voice_note_is_saved_acknowledged_then_answered_with_its_transcript(
    kb: KnowledgeBase, api: FakeBotAPI, engine: WhisperEngine
) -> None:
    recording = SPEECH_OGG.read_bytes()
    # Sent while the bot was down: it must be picked up at start, not dropped.
    api.queue(voice_message(OWNER, 900, api.add_file(recording), date=FEB_4))

    with bot_running(bot_settings(kb.root, api), engine):
        (answer,) = api.wait_for(lambda: edited(api), what="the transcript")

    assert not api.calls_to("deleteWebhook")[0].params.get("drop_pending_updates")
    assert answer.texts[0] == "Saved. Transcribing…"
    assert answer.reply_to == 900
    assert (
        f"Filed <code>{NAME}_transcript.txt</code> (12 s)\n<blockquote expandable>" in answer.html
    )
    assert words_heard(answer.text) >= 4
    assert (kb.audio / f"{NAME}.ogg").read_bytes() == recording
    note = read_note(kb.raw / f"{NAME}_transcript.txt")
    assert note.header.source == "telegram_voice"
    assert note.header.date == datetime(2026, 2, 4, 10, 23, 39, tzinfo=UTC)
    assert (note.header.user_id, note.header.username) == (OWNER.id, "AlexeyDTC")
    assert note.header.audio_file == f"{NAME}.ogg"
    assert " ".join(note.text.split()) in " ".join(answer.text.split())
    assert jobs.SPEECH.pending(kb) == []
    methods = [call.method for call in api.calls]
    assert methods.index("getFile") < methods.index("sendMessage")  # saved before the ack
    assert "sendChatAction" in methods


def test_a_forwarded_voice_note_records_whose_words_they_are(
    kb: KnowledgeBase, api: FakeBotAPI, engine: WhisperEngine
) -> None:
    juan = User(4242, "juanpp", "Juan")
    voice = voice_message(OWNER, 900, api.add_file(SPEECH_OGG.read_bytes()), date=FEB_4)
    api.queue(forwarded(voice, from_user(juan, FEB_4 - 3600)))

    with bot_running(bot_settings(kb.root, api), engine):
        api.wait_for(lambda: edited(api), what="the transcript")

    path = kb.raw / f"{NAME}_transcript.txt"
    document = path.read_text(encoding="utf-8")
    assert (
        "\nmodel: whisper-base (embedded)\nforwarded_from: Juan\nforwarded_from_kind: user\n"
        "forwarded_date: 2026-02-04T09:23:39+00:00\nforwarded_from_username: juanpp\n"
        "forwarded_chat_id: 4242\nfiled_by: voicenotes\n---\n\n"
    ) in document
    note = read_note(path)
    assert note.header.source == "telegram_voice" and note.header.audio_file == f"{NAME}.ogg"
    assert note.header.extra["forwarded_date"] == datetime(2026, 2, 4, 9, 23, 39, tzinfo=UTC)
    assert words_heard(note.text) >= 4
    read = noteformats.read(path)
    assert (read.kind, read.meta["forwarded_from"]) == ("voice", "Juan")


def test_an_audio_document_is_filed_under_its_source(
    kb: KnowledgeBase, api: FakeBotAPI, engine: WhisperEngine
) -> None:
    document = audio_message(
        OWNER,
        901,
        api.add_file(SPEECH_OGG.read_bytes()),
        file_name="Memo.OGG",
        mime_type="audio/ogg",
        as_document=True,
        date=FEB_4,
    )
    api.queue(document)

    with bot_running(bot_settings(kb.root, api), engine):
        (answer,) = api.wait_for(lambda: edited(api, 1), what="the transcript")

    stem = "20260204_102339_AlexeyDTC_msg"
    audio_note = read_note(kb.raw / f"{stem}901_transcript.txt")
    assert (audio_note.header.source, audio_note.header.audio_file) == (
        "telegram_audio",
        f"{stem}901.ogg",
    )
    assert words_heard(answer.text) >= 4


def test_stranger_gets_one_refusal_and_nothing_is_downloaded_or_kept(
    kb: KnowledgeBase, api: FakeBotAPI, engine: WhisperEngine, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    api.queue(voice_message(STRANGER, 5, api.add_file(SPEECH_OGG.read_bytes())))
    api.queue(text_message(STRANGER, 6, "my secret plans"))
    api.queue(text_message(OWNER, 7, "/help"))
    before = kept_files(kb)

    with bot_running(bot_settings(kb.root, api), engine):
        api.wait_for(lambda: api.sent_to(OWNER.id), what="the owner's answer")

    assert [message.text for message in api.sent_to(STRANGER.id)] == [
        f"Sorry, this bot serves its owner only. Your Telegram user id is {STRANGER.id}."
    ]
    assert not api.calls_to("getFile")
    state = kb.state / "updates" / "handled.json"  # the owner's /help: an id, nothing else
    assert [path for path in kept_files(kb) if path != state] == before
    assert all("secret" not in path.read_text() for path in kept_files(kb))
    assert str(STRANGER.id) in caplog.text
    assert "secret" not in caplog.text


def test_a_message_delivered_twice_is_filed_once_and_queue_positions_are_told(
    kb: KnowledgeBase, api: FakeBotAPI, engine: WhisperEngine
) -> None:
    held = HeldTranscriber(engine)
    first = voice_message(OWNER, 900, api.add_file(SPEECH_OGG.read_bytes()), date=FEB_4)
    api.queue(first)
    api.queue(first)
    api.queue(voice_message(OWNER, 901, api.add_file(SPEECH_OGG.read_bytes()), date=FEB_4))

    with bot_running(bot_settings(kb.root, api), held):
        api.wait_for(lambda: len(api.sent_to(OWNER.id)) == 3, what="three first answers")
        held.go.set()
        api.wait_for(lambda: edited(api, 2), what="two transcripts")
        api.queue(first)  # once more, after it was filed
        api.wait_for(lambda: len(api.sent_to(OWNER.id)) == 4, what="the last answer")

    texts = [message.texts[0] for message in api.sent_to(OWNER.id)]
    assert texts == [
        "Saved. Transcribing…",
        "Already received: waiting for transcription.",
        "Saved. Queued behind 1 note.",
        f"Already received: filed as {NAME}_transcript.txt.",
    ]
    assert sorted(path.name for path in kb.raw.iterdir()) == [
        f"{NAME}.vtt",
        f"{NAME}_transcript.txt",
        "20260204_102339_AlexeyDTC_msg901.vtt",
        "20260204_102339_AlexeyDTC_msg901_transcript.txt",
    ]
    assert len(list(kb.audio.iterdir())) == 2
    assert len(api.calls_to("getFile")) == 2
    assert len(held.files) == 2


def test_corrupt_voice_note_is_answered_in_one_line_and_its_audio_kept(
    kb: KnowledgeBase, api: FakeBotAPI, engine: WhisperEngine, tmp_path: Path
) -> None:
    damaged = damaged_copy(SPEECH_OGG, tmp_path / "damaged.ogg").read_bytes()
    api.queue(voice_message(OWNER, 900, api.add_file(damaged), date=FEB_4))

    with bot_running(bot_settings(kb.root, api), engine):
        (answer,) = api.wait_for(lambda: edited(api), what="the failure")

    assert answer.text.startswith("Could not transcribe: corrupt")
    assert answer.text.endswith(f"The recording is kept as inbox/audio/{NAME}.ogg.")
    assert "\n" not in answer.text
    assert (kb.audio / f"{NAME}.ogg").read_bytes() == damaged
    assert list(kb.raw.iterdir()) == []
    assert jobs.SPEECH.pending(kb) == []  # not tried again at the next start


def test_text_message_is_filed_as_a_text_note(
    kb: KnowledgeBase, api: FakeBotAPI, engine: WhisperEngine
) -> None:
    text = "RAG needs evals <first> & foremost"
    api.queue(text_message(OWNER, 900, text, date=FEB_4))

    with bot_running(bot_settings(kb.root, api), engine):
        (answer,) = api.wait_for(lambda: api.sent_to(OWNER.id), what="the answer")

    assert answer.html == f"Filed <code>{NAME}.md</code>"
    note = read_note(kb.raw / f"{NAME}.md")
    assert note.header.source == "telegram"
    assert note.header.audio_file is None
    assert note.header.date == datetime(2026, 2, 4, 10, 23, 39, tzinfo=UTC)
    assert note.text == text
    assert list(kb.audio.iterdir()) == []


def test_file_over_the_download_limit_is_answered_with_the_way_around_it(
    kb: KnowledgeBase, api: FakeBotAPI, engine: WhisperEngine
) -> None:
    big = api.add_file(b"OggS", declared_size=25 * 1024 * 1024)
    api.queue(voice_message(OWNER, 900, big, size=25 * 1024 * 1024, date=FEB_4))

    with bot_running(bot_settings(kb.root, api), engine):
        (answer,) = api.wait_for(lambda: api.sent_to(OWNER.id), what="the answer")

    assert answer.text == replies.TOO_BIG
    assert "TELEGRAM_API_BASE_URL" in answer.text
    assert list(kb.audio.iterdir()) == []
    assert jobs.SPEECH.pending(kb) == []


def test_other_messages_are_not_filed_and_say_what_is(
    kb: KnowledgeBase, api: FakeBotAPI, engine: WhisperEngine
) -> None:
    sticker = {
        "file_id": "s1",
        "file_unique_id": "us1",
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
    }
    message = text_message(OWNER, 900, "x", date=FEB_4)
    del message["text"]
    api.queue(message | {"sticker": sticker})

    with bot_running(bot_settings(kb.root, api), engine):
        (answer,) = api.wait_for(lambda: api.sent_to(OWNER.id), what="the answer")

    assert answer.text == replies.UNSUPPORTED
    assert list(kb.raw.iterdir()) == []


def test_a_failing_handler_answers_in_one_line_and_the_bot_goes_on(
    kb: KnowledgeBase, api: FakeBotAPI, engine: WhisperEngine
) -> None:
    jobs.SPEECH.folder(kb).parent.mkdir(parents=True, exist_ok=True)
    jobs.SPEECH.folder(kb).write_text("in the way")  # the voice queue cannot be written
    api.queue(voice_message(OWNER, 900, api.add_file(SPEECH_OGG.read_bytes()), date=FEB_4))
    api.queue(text_message(OWNER, 901, "still here", date=FEB_4))

    with bot_running(bot_settings(kb.root, api), engine):
        failure, filed = api.wait_for(
            lambda: api.sent_to(OWNER.id)[1:] and api.sent_to(OWNER.id), what="two answers"
        )

    assert failure.text == (
        "Could not file this message: file exists. It is kept and tried again in 1 min."
    )
    assert filed.text == "Filed 20260204_102339_AlexeyDTC_msg901.md"
    (kept,) = UpdateJournal(kb).unhandled()  # tried again later, and at the next start
    assert kept["message"]["message_id"] == 900


@pytest.mark.timeout(400)
def test_a_long_note_s_acknowledgement_shows_its_progress_in_order_then_the_result(
    kb: KnowledgeBase, api: FakeBotAPI, engine: WhisperEngine, long_note: LongNote
) -> None:
    # The default engine, batching 4 chunks (some 2 minutes of this note) at a time.
    recording = (long_note.kb.audio / f"{LONG_STEM}.ogg").read_bytes()
    api.queue(voice_message(OWNER, 901, api.add_file(recording), duration=181, date=FEB_4))

    with bot_running(bot_settings(kb.root, api), engine):
        (answer,) = api.wait_for(
            lambda: [m for m in api.sent_to(OWNER.id) if "Filed" in m.html],
            timeout=300,
            what="the transcript",
        )

    shown = answer.texts[1:-1]
    assert answer.texts[0] == "Saved. Transcribing…" and "Filed <code>" in answer.texts[-1]
    # How many edits fit depends on the machine: two workers transcribe this note in some
    # 15 s on a quiet one (edits are 5 s apart); test_engine checks the progress itself.
    assert len(shown) >= 1 and all(t.startswith("Transcribing… ") for t in shown), shown
    shares = [int(re.findall(r"(\d+)% of 3:01", text)[0]) for text in shown]
    assert shares == sorted(shares) and len(set(shares)) == len(shares)
    # The first step measured gives no pace yet: its time left would count the model's load.
    assert all("left" in text for text in shown[1:] if "100%" not in text)
    gaps = [b - a for a, b in itertools.pairwise(answer.edited_at[:-1])]
    assert all(gap >= 4.0 for gap in gaps), gaps  # at most one edit every few seconds


def test_a_voice_notes_caption_is_filed_with_its_transcript_as_sent(
    kb: KnowledgeBase, api: FakeBotAPI, engine: WhisperEngine
) -> None:
    caption = "put it towards the end — see https://example.com/a-b"
    message = voice_message(OWNER, 900, api.add_file(SPEECH_OGG.read_bytes()), date=FEB_4)
    api.queue(message | {"caption": caption})

    with bot_running(bot_settings(kb.root, api), engine):
        api.wait_for(lambda: edited(api), what="the transcript")

    note = read_note(kb.raw / f"{NAME}_transcript.txt")
    assert note.text.endswith(f"\n\nCaption: {caption}")
    assert words_heard(note.text) >= 4


def test_a_text_note_drops_unsafe_control_characters_only(
    kb: KnowledgeBase, api: FakeBotAPI, engine: WhisperEngine
) -> None:
    api.queue(text_message(OWNER, 900, "evals\x00 first\x1b[0m — RAG\x7f 👍", date=FEB_4))

    with bot_running(bot_settings(kb.root, api), engine):
        api.wait_for(lambda: api.sent_to(OWNER.id), what="the answer")

    assert read_note(kb.raw / f"{NAME}.md").text == "evals first[0m — RAG 👍"


def test_a_text_note_is_filed_as_sent(
    kb: KnowledgeBase, api: FakeBotAPI, engine: WhisperEngine
) -> None:
    text = (
        "https://example.com/a-very-long-path-with-hyphens-that-must-never-be-split-at-a-hyphen"
        "-0123456789\r\n\tdef f(x):  return x  # code, tabs, CR kept"
    )
    api.queue(text_message(OWNER, 900, text, date=FEB_4))

    with bot_running(bot_settings(kb.root, api), engine):
        api.wait_for(lambda: api.sent_to(OWNER.id), what="the answer")

    written = (kb.raw / f"{NAME}.md").read_bytes().decode("utf-8")  # no newline translation
    assert written.endswith("\n\n" + text) or written.endswith("\n\n" + text + "\n")


def test_group_messages_are_filed_only_from_groups_the_author_named(
    kb: KnowledgeBase, api: FakeBotAPI, engine: WhisperEngine
) -> None:
    named, other = -1001111111111, -1002222222222
    voice = voice_message(OWNER, 900, api.add_file(SPEECH_OGG.read_bytes()), date=FEB_4)
    api.queue(in_group(voice, other, "Someone's group"))
    api.queue(in_group(text_message(OWNER, 901, "in the other group too", date=FEB_4), other))
    api.queue(in_group(text_message(STRANGER, 902, "hi bot", date=FEB_4), named))
    api.queue(in_group(text_message(OWNER, 903, "filed from my group", date=FEB_4), named))
    settings = load_settings(
        kb.root,
        TELEGRAM_BOT_TOKEN=api.token,
        TELEGRAM_ALLOWED_USERS=[OWNER.id],
        TELEGRAM_ALLOWED_GROUPS=[named],
        TELEGRAM_API_BASE_URL=api.url,
    )

    with bot_running(settings, engine):
        (filed,) = api.wait_for(lambda: api.sent_to(named), what="the answer in the group")

    assert filed.text == "Filed 20260204_102339_AlexeyDTC_msg903.md"
    assert [p.name for p in kb.raw.iterdir()] == ["20260204_102339_AlexeyDTC_msg903.md"]
    assert api.sent_to(other) == [] and api.sent_to(STRANGER.id) == []
    assert not api.calls_to("getFile")
    (told,) = api.sent_to(OWNER.id)  # once, privately, for both messages in that group
    assert told.text.startswith("A message you sent in the group “Someone's group” was not filed")


def test_a_message_the_disk_refused_is_tried_again_until_it_is_filed(
    kb: KnowledgeBase, api: FakeBotAPI, engine: WhisperEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(polling, "RETRY_DELAYS", (0.5,))
    blocker = jobs.SPEECH.folder(kb)
    blocker.parent.mkdir(parents=True, exist_ok=True)
    blocker.write_text("in the way")  # as a full disk would, the record cannot be written
    api.queue(voice_message(OWNER, 900, api.add_file(SPEECH_OGG.read_bytes()), date=FEB_4))

    with bot_running(bot_settings(kb.root, api), engine):
        (failure,) = api.wait_for(lambda: api.sent_to(OWNER.id), what="the failure")
        blocker.unlink()  # room again
        api.wait_for(lambda: edited(api), what="the transcript")

    assert failure.text.endswith("It is kept and tried again in 1 min.")
    assert (kb.raw / f"{NAME}_transcript.txt").is_file()
    assert UpdateJournal(kb).unhandled() == []
