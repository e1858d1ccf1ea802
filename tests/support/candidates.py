"""Routing candidates (an article's summary and text) for the routing and relevance tests."""

from __future__ import annotations

from notes.markdown.summary import ArticleSummary
from notes.retrieval.relevance import Candidate


def candidate(
    path: str,
    title: str,
    description: str = "",
    tags: tuple[str, ...] = (),
    updated: str = "",
    text: str = "",
) -> Candidate:
    """A candidate article as the route prompt sees it."""
    return Candidate(ArticleSummary(path, title, description, tags, updated), text)
