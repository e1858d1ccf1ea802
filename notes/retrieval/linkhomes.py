"""Where his bare links go: a note that is little more than a link, and the documents that
collect such notes.

A note like "https://github.com/... resources" has almost no words to search by, and the
words of its address (github, com) are in half the KB. But his KB shows where such notes go:
a resources list cites dozens of them and little else, an ordinary article a few among many
other notes. So for a bare-link note, documents are ranked by how many bare links their text
holds, weighted by the share of their passages those links are: the list that collects links
comes first, an article that copied some of its paragraphs does not, and one with a link or
two among many passages is not ranked at all (a long tail of those would crowd out the
article the note's own words find). Pure text; each document's count is worked out once per
text.
"""

from __future__ import annotations

import re
from functools import lru_cache

from notes.retrieval.relevance import URL

_WORD = re.compile(r"[^\W\d_]{2,}")
_BLOCKS = re.compile(r"\n\s*\n")

MOST_WORDS = 20
"""Words besides its links that a bare-link note (or passage) may hold."""

COLLECTS = 1.0
"""The weight from which a document collects links: two bare links in four passages, three in
nine. An article with a link or two among many paragraphs is not where his links go."""


def is_bare_link(text: str) -> bool:
    """A link or a few, with at most MOST_WORDS other words ("resources", a line of comment)."""
    if not URL.search(text):
        return False
    return len(_WORD.findall(URL.sub(" ", text))) <= MOST_WORDS


@lru_cache(maxsize=20_000)
def link_weight(text: str) -> float:
    """Bare-link passages of a document's searchable text, times their share of its passages."""
    blocks = [block for block in _BLOCKS.split(text) if block.strip()]
    if not blocks:
        return 0.0
    links = sum(is_bare_link(block) for block in blocks)
    return links * links / len(blocks)
