"""A message sent now is handled before a backlog: the real bot against the fake Bot API."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from telegram import Update

from bot.livefirst import LiveFirstQueue
from notes.kb import KnowledgeBase
from tests.support.telegram_server import (
    FEB_4,
    OWNER,
    FakeBotAPI,
    bot_running,
    bot_settings,
    text_message,
)
from transcribe.engine import WhisperEngine

pytestmark = pytest.mark.timeout(180)
BACKLOG = 30


def test_a_message_sent_now_is_answered_before_a_backlog(
    kb: KnowledgeBase, engine: WhisperEngine
) -> None:
    with FakeBotAPI() as api:
        for n in range(BACKLOG):  # sent while the bot was down
            api.queue(text_message(OWNER, 1000 + n, f"old note {n}", date=FEB_4))
        api.hold("sendMessage")  # the first answer hangs: the rest waits in the queue

        with bot_running(bot_settings(kb.root, api), engine):
            api.wait_for(lambda: api.waiting("sendMessage"), what="the first answer")
            api.wait_for(lambda: api.confirmed_offset > BACKLOG, what="the backlog kept")
            api.queue(text_message(OWNER, 2000, "a new thought"))
            api.wait_for(lambda: api.confirmed_offset > BACKLOG + 1, what="the new one kept")
            api.release("sendMessage")
            api.wait_for(lambda: len(api.sent_to(OWNER.id)) > BACKLOG, what="every answer")

    order = [message.reply_to for message in api.sent_to(OWNER.id)]
    assert order[:2] == [1000, 2000], order  # after the answer in flight, the new message
    assert order[2:] == list(range(1001, 1000 + BACKLOG))  # the backlog keeps its order


def update(update_id: int, sent: int) -> Update:
    message = text_message(OWNER, update_id, "x", date=sent)
    return Update.de_json({"update_id": update_id, "message": message}, None)


def test_the_queue_takes_live_updates_first_and_keeps_each_lanes_order() -> None:
    now = datetime(2026, 3, 1, 12, 0, tzinfo=UTC).timestamp()
    replayed = {3}

    async def drain() -> list[object]:
        queue = LiveFirstQueue(
            lambda u: isinstance(u, Update) and u.update_id in replayed, lambda: now
        )
        old, fresh = int(now) - 3600, int(now) - 5
        for item in (
            update(1, old),
            update(2, fresh),
            update(3, fresh),
            "stop",
            update(4, fresh),
            update(5, old),
        ):
            queue.put_nowait(item)
        return [getattr(queue.get_nowait(), "update_id", "stop") for _ in range(6)]

    assert asyncio.run(drain()) == [2, "stop", 4, 1, 3, 5]
