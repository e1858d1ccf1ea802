"""The route prompt within its size budget."""

from __future__ import annotations

from notes.drafting import routeprompt
from notes.drafting.messages import Source
from notes.llm import prompts
from notes.retrieval.relevance import Candidate
from tests.support.candidates import candidate

PROMPT = prompts.load("route")


def article(number: int) -> Candidate:
    return candidate(
        path=f"articles/topics/topic-{number}.md",
        title=f"Topic number {number} about things",
        description="One line " * 10,
        tags=("topic",),
        updated="2026-01-01",
        text=f"Заметка про проект{number}",
    )


def chars(chat: list[object]) -> int:
    return sum(len(getattr(message, "content", "")) for message in chat)


def test_a_large_kb_fills_the_budget_and_no_more() -> None:
    articles = [article(n) for n in range(1000)]
    sources = [Source("S1", "n_transcript.txt", "2026-01-01T00:00:00+00:00", "Заметка про проект7")]
    chat, shortlist = routeprompt.build(PROMPT, "English", sources, articles, budget=20_000)
    assert 19_000 < chars(chat) <= 20_000
    assert shortlist.detailed[0].path == "articles/topics/topic-7.md"
    assert "Other existing articles (path and title):" in chat[1].content
    lines = [line for line in chat[1].content.splitlines() if line.startswith("- articles/")]
    assert len(lines) == len(shortlist.listed) > 100
    assert f"- {shortlist.listed[0].path}: {shortlist.listed[0].title}" in lines


def test_a_small_kb_is_listed_whole_within_the_default_budget() -> None:
    articles = [article(n) for n in range(150)]
    sources = [Source("S1", "n_transcript.txt", "2026-01-01T00:00:00+00:00", "что-то")]
    chat, shortlist = routeprompt.build(PROMPT, "English", sources, articles)
    assert len(shortlist.shown) == 150
    assert chars(chat) <= routeprompt.BUDGET


def test_long_notes_are_clipped_for_routing_only() -> None:
    long = Source("S1", "n_transcript.txt", "2026-01-01T00:00:00+00:00", "слово " * 2000)
    chat, _ = routeprompt.build(PROMPT, "English", [long], [])
    shown = chat[1].content.split('<source id="S1"', 1)[1]
    assert len(shown) < routeprompt.NOTE_LIMIT + 200
    assert "…</source>" in shown
    assert routeprompt.clip(long).text != long.text and len(long.text) > routeprompt.NOTE_LIMIT
