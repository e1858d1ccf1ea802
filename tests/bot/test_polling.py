"""Polling that loses nothing: the real python-telegram-bot against the fake Bot API."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot import polling
from bot.polling import JournalBot, StartFailed
from bot.updatejournal import UpdateJournal
from notes import retries
from notes.kb import KnowledgeBase
from tests.support.openai_server import refused_url
from tests.support.telegram_server import OWNER, FakeBotAPI, text_message

pytestmark = pytest.mark.timeout(60)


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(polling, "FIRST_DELAY", 0.01)


def journal_bot(kb: KnowledgeBase, url: str, token: str) -> JournalBot:
    return JournalBot(UpdateJournal(kb), token=token, base_url=f"{url}/bot")


def test_updates_are_on_disk_before_telegram_is_told_they_arrived(
    kb: KnowledgeBase, api: FakeBotAPI
) -> None:
    first, second = (api.queue(text_message(OWNER, n, f"note {n}")) for n in (1, 2))

    async def poll_twice() -> tuple[int, int]:
        async with journal_bot(kb, api.url, api.token) as bot:
            got = await bot.get_updates(timeout=0)
            kept_before_confirming = UpdateJournal(kb).pending()
            await bot.get_updates(timeout=0)  # PTB's offset is ignored: the bot's own is sent
            return len(got), kept_before_confirming

    assert asyncio.run(poll_twice()) == (2, 2)
    assert api.confirmed_offset == second + 1 > first
    assert [u["message"]["text"] for u in UpdateJournal(kb).unhandled()] == ["note 1", "note 2"]


def test_updates_that_cannot_be_kept_are_not_confirmed_and_asked_for_again(
    kb: KnowledgeBase, api: FakeBotAPI, caplog: pytest.LogCaptureFixture
) -> None:
    api.queue(text_message(OWNER, 1, "note 1"))
    (kb.state / "updates").write_text("in the way")  # the disk refuses the journal

    async def poll() -> tuple[int, int]:
        async with journal_bot(kb, api.url, api.token) as bot:
            refused = await bot.get_updates(timeout=0)
            (kb.state / "updates").unlink()
            kept = await bot.get_updates(timeout=0)
            return len(refused), len(kept)

    assert asyncio.run(poll()) == (0, 1)
    assert [call.params.get("offset") for call in api.calls_to("getUpdates")] == [None, None]
    assert "cannot keep 1 update(s) (not a directory); Telegram holds them" in caplog.text


def test_an_unreachable_bot_api_is_retried_at_start_one_line_per_try(
    kb: KnowledgeBase, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)

    async def start() -> None:
        async with journal_bot(kb, refused_url(), "123456789:AAF-never-reaches-a-server-0123456"):
            pass

    async def three_tries() -> None:
        task = asyncio.create_task(start())
        while len(caplog.records) < 3:
            await asyncio.sleep(0.01)
        task.cancel()

    asyncio.run(three_tries())
    lines = [record.getMessage() for record in caplog.records]
    assert all(line.startswith("Bot API unreachable (") for line in lines[:3])
    assert "trying again in" in lines[0]
    assert all(record.exc_info is None for record in caplog.records)


def test_a_rejected_token_ends_the_start_in_one_line_without_the_token(
    kb: KnowledgeBase, api: FakeBotAPI
) -> None:
    revoked = "987654321:AAF-revoked-token-for-tests-0123456789ab"

    async def start() -> None:
        async with journal_bot(kb, api.url, revoked):
            pass

    with pytest.raises(StartFailed) as failed:
        asyncio.run(start())
    assert "rejected TELEGRAM_BOT_TOKEN" in str(failed.value)
    assert revoked.split(":")[1] not in str(failed.value)
    assert failed.value.__cause__ is None and failed.value.__suppress_context__


def test_reconnecting_waits_double_from_a_second_to_a_minute_until_a_success(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(polling, "FIRST_DELAY", 1.0)  # as shipped (the tests shorten it)
    monkeypatch.setattr(polling, "MAX_DELAY", 60.0)
    backoff = polling.Backoff()
    waits: list[float] = []
    for _ in range(8):
        waits.append(backoff.delay)
        backoff.failures += 1
    assert waits == [1, 2, 4, 8, 16, 32, 60, 60]
    backoff.reset()
    assert backoff.delay == 1


def test_an_update_the_disk_refused_is_retried_on_the_one_schedule() -> None:
    assert polling.RETRY_DELAYS == retries.RETRY_SECONDS == (60.0, 120.0, 300.0, 900.0, 3600.0)
