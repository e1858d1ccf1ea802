"""`/ask` and `/trace` in the bot, end to end: the real Application against the fake Bot API
and the local OpenAI-compatible server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from notes.drafting.answers import ASK
from notes.kb import KnowledgeBase
from notes.settings import load_settings
from tests.support.kbfiles import article_text
from tests.support.openai_server import TEST_KEY, OpenAIServer, answer
from tests.support.telegram_server import OWNER, FakeBotAPI, bot_running, text_message
from transcribe.engine import WhisperEngine

pytestmark = pytest.mark.timeout(180)

NOTE = "20260301_100000_tester_msg1_transcript.txt"


@pytest.fixture
def api() -> Iterator[FakeBotAPI]:
    with FakeBotAPI() as server:
        yield server


@pytest.fixture
def llm() -> Iterator[OpenAIServer]:
    with OpenAIServer() as server:
        yield server


def answers(api: FakeBotAPI, count: int) -> list[str]:
    texts = [message.html for message in api.sent_to(OWNER.id)]
    return texts if len(texts) >= count else []


def _kb_with_an_article(kb: KnowledgeBase) -> None:
    (kb.used / NOTE).write_text(
        "---\nsource: telegram_voice\ndate: 2026-03-01T10:00:00+00:00\n---\n\n"
        "Вебинар про агентов: записать демо и вопросы.\n",
        encoding="utf-8",
    )
    (kb.articles / "webinar.md").write_text(
        article_text(
            "Agents webinar", "The agents webinar: a demo and questions[^1].", {"1": NOTE}
        ),
        encoding="utf-8",
    )


def test_ask_and_trace_answer_in_the_chat(
    kb: KnowledgeBase, api: FakeBotAPI, llm: OpenAIServer, engine: WhisperEngine
) -> None:
    _kb_with_an_article(kb)
    llm.on(ASK, answer({"found": True, "answer": "Yes, in the agents webinar article[^A1]."}))
    settings = load_settings(
        kb.root,
        TELEGRAM_BOT_TOKEN=api.token,
        TELEGRAM_ALLOWED_USERS=[OWNER.id],
        TELEGRAM_API_BASE_URL=api.url,
        OPENAI_BASE_URL=llm.base_url,
        OPENAI_API_KEY=TEST_KEY,
    )
    api.queue(text_message(OWNER, 1, "/ask did I write about the agents webinar?"))
    api.queue(text_message(OWNER, 2, "/trace 2026-03-01"))
    api.queue(text_message(OWNER, 3, "/ask"))

    with bot_running(settings, engine):
        texts = api.wait_for(lambda: answers(api, 3), what="three answers")

    asked = next(t for t in texts if t.startswith("Yes"))
    assert "[^1]: [Agents webinar](articles/webinar.md)" in asked
    traced = next(t for t in texts if t.startswith(NOTE))
    assert traced.startswith(f"{NOTE} -&gt; articles/webinar.md:")
    assert any(t.startswith("Ask me something") for t in texts)
    assert len(llm.requests_for(ASK)) == 1
