"""The most recently updated articles, read from their front matter alone."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from notes.kb import KnowledgeBase
from notes.markdown import articles


@dataclass(frozen=True)
class ArticleEntry:
    path: Path
    """Relative to the knowledge base root, e.g. `articles/ai/rag.md`."""
    title: str
    updated: dt.date | None
    status: str


def recent_articles(kb: KnowledgeBase, limit: int = 10) -> list[ArticleEntry]:
    """Up to `limit` articles, newest `updated` first; undated ones come last.

    Only the front matter is read, leniently: an article with odd front matter is still
    listed (its file name standing in for a missing title); one with none is left out.
    """
    entries = [entry for path in articles.iter_articles(kb) if (entry := _entry(kb, path))]
    entries.sort(key=lambda entry: (entry.updated or dt.date.min, str(entry.path)), reverse=True)
    return entries[:limit]


def _entry(kb: KnowledgeBase, path: Path) -> ArticleEntry | None:
    try:
        data, _ = articles.read_front_matter(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, articles.ArticleFormatError):
        return None
    title = data.get("title")
    return ArticleEntry(
        path.relative_to(kb.root),
        title.strip() if isinstance(title, str) and title.strip() else path.stem,
        _date(data.get("updated")),
        str(data.get("status") or ""),
    )


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None
