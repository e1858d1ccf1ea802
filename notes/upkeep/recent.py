"""The most recently updated articles, read from their front matter alone."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from notes.kb import KnowledgeBase, articlefiles
from notes.markdown import articles
from notes.markdown.summary import ArticleSummary, from_front_matter


def recent_articles(kb: KnowledgeBase, limit: int = 10) -> list[ArticleSummary]:
    """Up to `limit` articles, newest `updated` first; undated ones come last.

    Only the front matter is read, leniently: an article with odd front matter is still
    listed (its file name standing in for a missing title); one with none is left out.
    """
    entries = [entry for path in articlefiles.iter_articles(kb) if (entry := _entry(kb, path))]
    entries.sort(key=lambda entry: (entry.updated_date or dt.date.min, entry.path), reverse=True)
    return entries[:limit]


def _entry(kb: KnowledgeBase, path: Path) -> ArticleSummary | None:
    try:
        data, _ = articles.read_front_matter(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, articles.ArticleFormatError):
        return None
    return from_front_matter(path.relative_to(kb.root).as_posix(), data)
