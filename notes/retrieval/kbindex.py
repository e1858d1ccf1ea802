"""The word index with what it knows of the author's KB: his term list and his names.

Ranks as notes.retrieval.relevance.Index does (BM25, the batch's ranking interleaved with each
note's, Russian words also searched through their English terms, learned and cognate:
notes.retrieval.cognates), with more rankings in the
interleave: each note's by best passage (notes.retrieval.passages), and the documents the
notes name (a folder, a title, an index section: notes.retrieval.mentions), the longest
name first, then the best-scored; and for a note that is a bare link, the documents that
collect his bare links (notes.retrieval.linkhomes). The head of each ranking is taken in
turn, the rest by the rankings' fused reciprocal rank.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache

from notes.retrieval import cognates, hybrid, linkhomes
from notes.retrieval.mentions import Mentions
from notes.retrieval.passages import Passages
from notes.retrieval.relevance import Candidate, Expand, Index, head_text

HEAD = 3
"""Places of each ranking taken in turn before the fusion: a note on a side topic keeps its
article near the top, whatever the other notes of the batch are about. Below them, an article
that several rankings place fairly high (a weekly log that four notes of the batch belong to)
comes before one that a single ranking places a little higher."""

_LATIN_WORD = re.compile(r"[a-zA-Z]{3,}")


def english_words(articles: Sequence[Candidate]) -> set[str]:
    """The Latin-letter words of the articles' heads and texts, lower case, once each."""
    found: set[str] = set()
    for article in articles:
        found.update(_words(head_text(article)), _words(article.text))
    return found


@lru_cache(maxsize=20_000)
def _words(text: str) -> frozenset[str]:
    return frozenset(word.lower() for word in _LATIN_WORD.findall(text))


class KBIndex(Index):
    """An Index whose ranking also brings forward the documents the notes name."""

    def __init__(
        self,
        articles: Sequence[Candidate],
        expand: Expand | None = None,
        sections: Mapping[str, str] | None = None,
    ) -> None:
        """`sections`: KB path -> the index section listing it (notes.retrieval.structure)."""
        super().__init__(articles, expand)
        self.cognates = cognates.Cognates(english_words(self.articles))
        self.learned = expand
        self.expand = self._expanded
        self.passages = Passages(self.articles, self.rarity, self.weights)
        found = sections or {}
        self.mentions = Mentions(self.articles, [found.get(a.path, "") for a in self.articles])

    def named(self, queries: Sequence[str]) -> list[int]:
        """The documents the queries name: the longest name first, then the best-scored."""
        best: dict[int, tuple[int, float]] = {}
        for query in queries:
            found = self.mentions.mentioned(query, self._translate)
            scores = self.scores(query) if found else []
            for position, length in found.items():
                key = (length, scores[position])
                best[position] = max(best.get(position, key), key)
        return sorted(best, key=lambda p: (-best[p][0], -best[p][1], self.articles[p].path))

    def _expanded(self, query: list[str]) -> dict[str, float]:
        """The learned expansion of `query`, and the English stems its loanwords stand for."""
        weights = dict(self.learned(query)) if self.learned else dict.fromkeys(query, 1.0)
        for stem in query:
            for english in self.cognates.of(stem):
                weights[english] = max(weights.get(english, 0.0), cognates.WEIGHT)
        return weights

    def link_homes(self) -> list[int]:
        """The documents that collect bare links (linkhomes.COLLECTS), the most first."""
        weights = [linkhomes.link_weight(article.text) for article in self.articles]
        found = [p for p, weight in enumerate(weights) if weight >= linkhomes.COLLECTS]
        return sorted(found, key=lambda p: (-weights[p], self.articles[p].path))

    def _translate(self, stem: str) -> list[str]:
        return [term for term in self.expand([stem]) if term != stem] if self.expand else []

    def ranking(self, queries: Sequence[str]) -> list[int]:
        """Article positions, best first: the first HEAD of the batch's, each note's and the
        named ranking in turn, then the rest by their fused rank (notes.retrieval.hybrid)."""
        rankings = [self._order(self.scores("\n".join(queries)))]
        if len(queries) > 1:
            rankings += [self._order(self.scores(query)) for query in queries]
        rankings += [self._order(self.passages.scores(query)) for query in queries]
        named = self.named(queries)
        if named:
            rankings.append(named)
        if any(linkhomes.is_bare_link(query) for query in queries):
            rankings.append(self.link_homes())
        seen: dict[int, None] = {}
        for rank in range(HEAD):
            for order in rankings:
                if rank < len(order):
                    seen.setdefault(order[rank], None)
        for position in hybrid.fuse(*rankings):
            seen.setdefault(position, None)
        return list(seen)
