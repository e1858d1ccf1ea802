"""An article in one line: one type for the index, the routing prompt and the bot."""

from __future__ import annotations

from datetime import date, datetime

from notes.markdown.summary import ArticleSummary, from_front_matter, summarize

TEXT = (
    '---\ntitle: "RAG"\nupdated: 2026-03-01\ntags: [ai, rag]\nstatus: draft\n---\n'
    "\n# RAG\n\nOne. Two.\n"
)


def test_the_full_summary_and_the_front_matter_one_agree_where_both_look() -> None:
    full = summarize("articles/rag.md", TEXT)
    quick = from_front_matter(
        "articles/rag.md",
        {"title": "RAG", "updated": date(2026, 3, 1), "tags": ["ai", "rag"], "status": "draft"},
    )
    assert full == ArticleSummary(
        "articles/rag.md", "RAG", "One.", ("ai", "rag"), "2026-03-01", "draft"
    )
    assert quick == ArticleSummary(
        "articles/rag.md", "RAG", "", ("ai", "rag"), "2026-03-01", "draft"
    )


def test_updated_is_read_leniently() -> None:
    assert ArticleSummary("a", "A", updated="2026-03-01").updated_date == date(2026, 3, 1)
    assert ArticleSummary("a", "A", updated="someday").updated_date is None
    moment = from_front_matter("articles/a.md", {"updated": datetime(2026, 3, 1, 10, 0)})
    assert moment.updated_date == date(2026, 3, 1) and moment.title == "a"
