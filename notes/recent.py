"""The most recently updated articles, read from their front matter alone."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from notes import headers
from notes.kb import KnowledgeBase


@dataclass(frozen=True)
class ArticleEntry:
    path: Path
    """Relative to the knowledge base root, e.g. `articles/ai/rag.md`."""
    title: str
    updated: dt.date | None
    status: str


def recent_articles(kb: KnowledgeBase, limit: int = 10) -> list[ArticleEntry]:
    """Up to `limit` articles, newest `updated` first; undated ones come last."""
    entries = [entry for path in _article_files(kb) if (entry := _entry(kb, path))]
    entries.sort(key=lambda entry: (entry.updated or dt.date.min, str(entry.path)), reverse=True)
    return entries[:limit]


def _article_files(kb: KnowledgeBase) -> list[Path]:
    if not kb.articles.is_dir():
        return []
    return [
        path
        for path in kb.articles.rglob("*.md")
        if path.is_file() and not path.name.startswith(("_", "."))
    ]


def _entry(kb: KnowledgeBase, path: Path) -> ArticleEntry | None:
    """An entry from the front matter; a file without readable front matter is left out."""
    try:
        yaml_text, _ = headers.split(path.read_text(encoding="utf-8"))
        data = headers.load(yaml_text)
    except (OSError, UnicodeDecodeError, headers.FrontMatterError):
        return None
    title = str(data.get("title") or path.stem)
    return ArticleEntry(path.relative_to(kb.root), title, _date(data.get("updated")),
                        str(data.get("status") or ""))


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None
