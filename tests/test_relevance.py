"""Choosing the articles the routing prompt shows."""

from __future__ import annotations

from datetime import date, timedelta

from notes.drafting.relevance import DEFAULT_LIMIT, DEFAULT_RECENT, score, select, stems
from notes.summary import ArticleSummary

QUERY = (
    "Про RAG и evaluation: как строить pipeline для ingestion в knowledge base, "
    "и как делать evaluation для RAG-агентов."
)


def filler(number: int, updated: date) -> ArticleSummary:
    return ArticleSummary(
        path=f"articles/misc/topic-{number}.md",
        title=f"Gardening note {number}",
        description=f"Tomatoes, soil and watering schedule number {number}.",
        tags=("garden",),
        updated=updated.isoformat(),
    )


RAG = ArticleSummary(
    path="articles/ml/rag-evaluation.md",
    title="Evaluating RAG pipelines",
    description="How I evaluate retrieval and ingestion for a knowledge base.",
    tags=("rag", "evals"),
    updated="2025-01-01",
)


def test_stems_cut_words_and_drop_stop_words() -> None:
    assert stems("The Engineering engineers и инженеры это RAG, AI и ML") == [
        "engin",
        "engin",
        "инжен",
        "rag",
        "ai",
        "ml",
    ]


def test_a_small_kb_is_shown_whole() -> None:
    articles = [filler(n, date(2026, 1, 1)) for n in range(DEFAULT_LIMIT + DEFAULT_RECENT)]
    assert select(articles, QUERY) == articles


def test_a_large_kb_shows_a_bounded_set_with_the_relevant_article_first() -> None:
    old = date(2024, 1, 1)
    articles = [filler(n, old) for n in range(1000)] + [RAG]
    chosen = select(articles, QUERY)
    assert chosen[0] == RAG
    assert len(chosen) <= DEFAULT_LIMIT + DEFAULT_RECENT


def test_the_most_recent_articles_are_shown_even_without_shared_words() -> None:
    base = date(2024, 1, 1)
    articles = [filler(n, base + timedelta(days=n)) for n in range(200)] + [RAG]
    chosen = select(articles, QUERY, limit=3, recent=2)
    assert chosen == [RAG, articles[199], articles[198]]


def test_rare_shared_words_weigh_more_than_common_ones() -> None:
    common = [
        ArticleSummary(f"articles/ai-{n}.md", f"AI note {n}", "about ai", (), "2026-01-01")
        for n in range(20)
    ]
    rare = ArticleSummary("articles/agents.md", "AI agents", "function calling for agents", (), "")
    scores = score([*common, rare], "AI agents and function calling")
    assert scores[-1] > max(scores[:-1]) > 0


def test_an_article_without_a_valid_date_sorts_after_dated_ones() -> None:
    undated = ArticleSummary("articles/a.md", "Gardening", "x", (), "someday")
    dated = [filler(n, date(2026, 1, 1)) for n in range(30)]
    chosen = select([undated, *dated], "nothing in common", limit=0, recent=3)
    assert undated not in chosen
    assert len(chosen) == 3
