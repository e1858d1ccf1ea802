"""One update, one answer, saying what it means: the real bot against the fake Bot API.

An update delivered twice in one batch is answered once; /status counts a text note once;
a message the disk refused is told about in a reply to that message.
"""

from __future__ import annotations

import pytest

from bot import jobs
from notes.kb import KnowledgeBase
from tests.conftest import SPEECH_OGG
from tests.support.telegram_server import (
    FEB_4,
    OWNER,
    FakeBotAPI,
    SentMessage,
    bot_running,
    bot_settings,
    text_message,
    voice_message,
)
from transcribe.engine import WhisperEngine

pytestmark = pytest.mark.timeout(180)


def answers(api: FakeBotAPI, count: int) -> list[SentMessage]:
    sent = api.sent_to(OWNER.id)
    return sent if len(sent) >= count else []


def test_an_update_delivered_twice_in_one_batch_is_answered_once(
    kb: KnowledgeBase, api: FakeBotAPI, engine: WhisperEngine
) -> None:
    update = {"update_id": 7, "message": text_message(OWNER, 901, "evals first")}
    api.queue_update(update)
    api.queue_update(update)
    api.queue(text_message(OWNER, 902, "/status"))  # answered after 901's answers, if two

    with bot_running(bot_settings(kb.root, api), engine):
        api.wait_for(lambda: any("Inbox:" in m.text for m in api.sent_to(OWNER.id)))

    replies = [m.text for m in api.sent_to(OWNER.id) if m.reply_to == 901]
    assert len(replies) == 1 and replies[0].startswith("Filed "), replies


def test_status_counts_a_text_note_once(
    kb: KnowledgeBase, api: FakeBotAPI, engine: WhisperEngine
) -> None:
    api.queue(text_message(OWNER, 901, "evals first"))  # sent now, like the /status after it
    api.queue(text_message(OWNER, 902, "/status"))

    with bot_running(bot_settings(kb.root, api), engine):
        status = api.wait_for(lambda: answers(api, 2), what="/status")[1]

    assert status.text.startswith("Inbox: 1 note waiting in inbox/raw/.\n"), status.text
    assert "Materials:" not in status.text, status.text


def test_the_notice_of_a_full_disk_replies_to_the_message_it_means(
    kb: KnowledgeBase, api: FakeBotAPI, engine: WhisperEngine
) -> None:
    blocker = jobs.SPEECH.folder(kb)
    blocker.parent.mkdir(parents=True, exist_ok=True)
    blocker.write_text("in the way")  # as a full disk would, the record cannot be written
    api.queue(voice_message(OWNER, 900, api.add_file(SPEECH_OGG.read_bytes()), date=FEB_4))

    with bot_running(bot_settings(kb.root, api), engine):
        (notice,) = api.wait_for(lambda: answers(api, 1), what="the notice")

    assert notice.text.startswith("Could not file this message: "), notice.text
    assert notice.reply_to == 900
