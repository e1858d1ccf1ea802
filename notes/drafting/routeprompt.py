"""The route call within a size budget: the notes, then as many articles as fit.

The notes of the batch are shown whole (clipped to NOTE_LIMIT characters each: routing needs
the gist, the writer gets the full text). The best-ranked articles and the newest are shown in
detail; the rest of the ranking follows by path and title while the prompt stays within
`budget` characters. At the author's KB size (150 articles) that is every article.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from notes.drafting import messages
from notes.drafting.messages import Source
from notes.llm.client import Message
from notes.llm.prompts import Prompt
from notes.retrieval import relevance
from notes.retrieval.relevance import Candidate, Index, Shortlist

BUDGET = 32_000
"""Characters of the whole route prompt (system and user message) aimed at."""

NOTE_LIMIT = 2_500
"""Characters of one note shown to the router."""

_LISTING_HEAD = "Other existing articles (path and title):\n\n\n\n"


def build(
    prompt: Prompt,
    language: str,
    sources: Sequence[Source],
    articles: Sequence[Candidate],
    *,
    budget: int = BUDGET,
    index: Index | None = None,
) -> tuple[list[Message], Shortlist]:
    """The route messages for `sources` and the articles they show.

    Only the detailed articles can push the prompt past `budget` (a batch of long notes);
    the title-only listing never does. `index` may be passed to reuse one across batches.
    """
    shown = [clip(source) for source in sources]
    fixed = sum(len(m.content) for m in messages.route_messages(prompt, language, shown, []))
    shortlist = relevance.shortlist(
        articles,
        [source.text for source in sources],
        room=budget - fixed - len(_LISTING_HEAD),
        size=_size,
        index=index,
    )
    detailed, listed = shortlist.summaries
    chat = messages.route_messages(prompt, language, shown, detailed, listed)
    return chat, shortlist


def clip(source: Source) -> Source:
    text = source.text.strip()
    if len(text) <= NOTE_LIMIT:
        return source
    return replace(source, text=text[: NOTE_LIMIT - 1].rstrip() + "…")


def _size(article: Candidate, detailed: bool) -> int:
    summary = article.summary
    block = messages.article_block(summary) if detailed else messages.article_line(summary)
    return len(block) + 1
