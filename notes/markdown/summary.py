"""An article in one line: the one summary type, and the one place articles become summaries.

The index rows (notes.upkeep.index), the articles the routing prompt shows (notes.drafting) and the
bot's list of recent articles (notes.upkeep.recent) are all `ArticleSummary`. Reading is lenient:
an odd or half-written file still gets a summary, with its file name standing in for a
missing title.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import PurePosixPath
from typing import Any

from markdown_it.token import Token

from notes.markdown import frontmatter, parser

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s")


@dataclass(frozen=True)
class ArticleSummary:
    path: str
    """Relative to the KB root: `articles/x.md`."""

    title: str
    description: str = ""
    tags: tuple[str, ...] = ()
    updated: str = ""
    """The front matter's `updated` as text (`2026-02-08`); empty when there is none."""

    status: str = ""

    @property
    def updated_date(self) -> date | None:
        """`updated` as a date, if it is one."""
        try:
            return date.fromisoformat(self.updated[:10])
        except ValueError:
            return None


def summarize(
    path: str, text: str, stored: str = "", tokens: Sequence[Token] | None = None
) -> ArticleSummary:
    """The summary of the article at KB path `path` whose file text is `text`.

    The description is the author's own `description` front-matter key, else `stored` (the
    one drafting recorded, notes.kb.descriptions), else the body's first sentence. The title
    is the front matter's, else the first `# heading`, else the file name. `tokens` are the
    text's markdown-it tokens, if it was parsed already.
    """
    data = frontmatter.lenient(text)
    tokens = parser.parse(text) if tokens is None else tokens
    title = _text(data.get("title")) or _first_heading(tokens) or PurePosixPath(path).stem
    description = _text(data.get("description")) or _text(stored) or first_sentence(tokens)
    return ArticleSummary(
        path=path,
        title=title,
        description=description,
        tags=_tags(data.get("tags")),
        updated=_text(data.get("updated")),
        status=_text(data.get("status")),
    )


def from_front_matter(path: str, data: Mapping[str, Any]) -> ArticleSummary:
    """The summary from front matter alone (no body is read): for a quick listing."""
    title = data.get("title")
    updated = data.get("updated")
    return ArticleSummary(
        path=path,
        title=title.strip()
        if isinstance(title, str) and title.strip()
        else PurePosixPath(path).stem,
        tags=_tags(data.get("tags")),
        updated=updated.isoformat()[:10] if isinstance(updated, date) else _text(updated),
        status=str(data.get("status") or ""),
    )


def first_sentence(tokens: Sequence[Token]) -> str:
    """The first sentence of the first top-level paragraph, as plain text."""
    for index, token in enumerate(tokens):
        if token.type == "paragraph_open" and token.level == 0:
            text = parser.plain_text(tokens[index + 1])
            if text:
                return _SENTENCE_END.split(text, maxsplit=1)[0]
    return ""


def _first_heading(tokens: Sequence[Token]) -> str:
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h1":
            return parser.plain_text(tokens[index + 1])
    return ""


def _tags(value: object) -> tuple[str, ...]:
    return tuple(str(tag) for tag in value) if isinstance(value, list) else ()


def _text(value: object) -> str:
    if value is None or isinstance(value, dict | list):
        return ""
    return " ".join(str(value).split())
