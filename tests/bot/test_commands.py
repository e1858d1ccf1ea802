"""The bot's commands, end to end: the real Application against the fake Bot API."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime

import pytest

from bot import passes, replies
from bot.commands import MENU
from notes import whenwords
from notes.kb import KnowledgeBase, lock, runlog
from tests.conftest import EXAMPLES, SPEECH_OGG
from tests.support.telegram_server import (
    FEB_4,
    OWNER,
    FakeBotAPI,
    HeldTranscriber,
    SentMessage,
    bot_running,
    bot_settings,
    text_message,
    voice_message,
)
from transcribe.engine import WhisperEngine


def in_words(iso: str) -> str:
    """As the bot shows a time: in the machine's zone (the test settings set none), in words."""
    return whenwords.iso_in_words(iso, datetime.now(UTC), whenwords.zone(None))


def day_words(day: date) -> str:
    return whenwords.day_in_words(day, datetime.now(whenwords.zone(None)).date())


pytestmark = pytest.mark.timeout(180)


def edited(api: FakeBotAPI, count: int) -> list[SentMessage]:
    done = [message for message in api.sent_to(OWNER.id) if len(message.texts) > 1]
    return done if len(done) >= count else []


def answers(api: FakeBotAPI, count: int) -> list[str]:
    texts = [message.html for message in api.sent_to(OWNER.id)]
    return texts if len(texts) >= count else []


def test_start_and_help_say_what_the_bot_does_and_the_menu_is_set(
    kb: KnowledgeBase, api: FakeBotAPI, engine: WhisperEngine
) -> None:
    api.queue(text_message(OWNER, 1, "/start"))
    api.queue(text_message(OWNER, 2, "/help"))
    api.queue(text_message(OWNER, 3, "/nonsense"))

    with bot_running(bot_settings(kb.root, api), engine):
        texts = api.wait_for(lambda: answers(api, 3), what="three answers")

    assert texts == [replies.HELP, replies.HELP, replies.UNSUPPORTED]
    assert [command["command"] for command in api.commands] == [c.command for c in MENU]
    assert {"status", "draft", "articles", "help"} <= {c["command"] for c in api.commands}


def test_status_is_answered_while_a_transcription_runs(
    kb: KnowledgeBase, api: FakeBotAPI, engine: WhisperEngine
) -> None:
    waiting = EXAMPLES / "inbox" / "used" / "20260204_102339_AlexeyDTC_msg900_transcript.txt"
    shutil.copy(waiting, kb.raw / waiting.name)
    runlog.append(
        kb,
        runlog.RunRecord(
            time="2026-02-08T11:00:00+00:00", created=["articles/ai-engineer-my-vision.md"]
        ),
    )
    held = HeldTranscriber(engine)
    for message_id in (901, 902):
        api.queue(
            voice_message(OWNER, message_id, api.add_file(SPEECH_OGG.read_bytes()), date=FEB_4)
        )

    with bot_running(bot_settings(kb.root, api), held):
        api.wait_for(lambda: held.started.is_set() and answers(api, 2), what="acks")
        api.queue(text_message(OWNER, 903, "/status"))
        during = api.wait_for(lambda: answers(api, 3), what="status")[2]
        held.go.set()
        api.wait_for(
            lambda: all(len(m.texts) > 1 for m in api.sent_to(OWNER.id)[:2]), what="transcripts"
        )
        api.queue(text_message(OWNER, 904, "/status"))
        after = api.wait_for(lambda: answers(api, 4), what="status")[3]

    assert during == (
        "Inbox: 1 note waiting in <code>inbox/raw/</code>.\n"
        "Transcription: 1 note in progress, 1 queued.\n"
        f"Last drafting run: last pass {in_words('2026-02-08T11:00:00+00:00')}; 1 created"
    )
    assert after.startswith(
        "Inbox: 3 notes waiting in <code>inbox/raw/</code>.\nTranscription: idle.\n"
    )


def test_articles_lists_the_ten_most_recently_updated(
    kb: KnowledgeBase, api: FakeBotAPI, engine: WhisperEngine
) -> None:
    for day in range(1, 13):
        folder = kb.articles / ("ai" if day % 2 else "")
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"note-{day:02d}.md").write_text(
            f'---\ntitle: "Day {day} & more"\ncreated: 2026-01-01\nupdated: 2026-03-{day:02d}\n'
            f"tags: []\nstatus: draft\n---\n\n# Day {day}\n"
        )
    (kb.articles / "_index.md").write_text("---\ntitle: Index\nupdated: 2026-12-31\n---\n")
    api.queue(text_message(OWNER, 1, "/articles"))

    with bot_running(bot_settings(kb.root, api), engine):
        (text,) = api.wait_for(lambda: answers(api, 1), what="the list")

    lines = text.splitlines()
    assert lines[0] == "Recently updated articles:"
    assert lines[1:3] == [
        f"{day_words(date(2026, 3, 12))} — <b>Day 12 &amp; more</b>",
        "<code>articles/note-12.md</code>",
    ]
    assert lines[3:5] == [
        f"{day_words(date(2026, 3, 11))} — <b>Day 11 &amp; more</b>",
        "<code>articles/ai/note-11.md</code>",
    ]
    assert len(lines) == 1 + 2 * 10
    assert "Day 2 " not in text and "Index" not in text


def test_draft_runs_a_pass_and_edits_its_answer_into_the_result(
    kb: KnowledgeBase, api: FakeBotAPI, engine: WhisperEngine
) -> None:
    api.queue(text_message(OWNER, 1, "/draft"))
    settings = bot_settings(kb.root, api)

    with lock.hold(kb), bot_running(settings, engine):
        (busy,) = api.wait_for(lambda: edited(api, 1), what="the busy answer")
    with bot_running(settings, engine):
        api.queue(text_message(OWNER, 2, "/draft"))
        done = api.wait_for(lambda: edited(api, 2), what="the result")[1]

    assert busy.texts == [replies.DRAFT_STARTED, passes.BUSY]
    assert done.texts == [
        replies.DRAFT_STARTED,
        "Drafting pass: 0 created, 0 updated, 0 set aside.",
    ]


def test_status_shows_the_glossary_proposals_waiting_for_him(
    kb: KnowledgeBase, api: FakeBotAPI, engine: WhisperEngine
) -> None:
    from notes.kb import glossary

    glossary.propose(kb, [glossary.Proposal("Mladen", "Ladden"), glossary.Proposal("R&D", "RnD")])
    api.queue(text_message(OWNER, 1, "/status"))
    with bot_running(bot_settings(kb.root, api), engine):
        (text,) = api.wait_for(lambda: answers(api, 1), what="status")
    assert text.endswith(
        "\nGlossary: 2 proposed (Mladen, R&amp;D); accept with voicenotes glossary accept TERM."
    )
