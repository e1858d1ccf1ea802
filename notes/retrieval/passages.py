"""Ranking documents by their best passage: a paragraph, or a note they cite.

A long document that collects many small topics (his weekly log, his resources list) scores
poorly as a whole against a short note (BM25 discounts its length), though one of its items
is just like the note. Scored passage by passage (BM25 within each passage, with each term's
rarity among the documents), a document counts by its best one. A document's passages are
worked out once per text, so a replay or a watcher pays for a changed document only.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache

from notes.retrieval.relevance import Candidate, stems

_K1 = 1.2
_B = 0.75
_BLOCKS = re.compile(r"\n\s*\n")
MIN_TERMS = 3
"""Passages of fewer stems (a heading, a lone link) are joined to the next."""

Passage = tuple[Counter[str], int]
"""A passage's term counts and its length in terms."""


class Passages:
    """Each document's best passage score for a query."""

    def __init__(
        self,
        documents: Sequence[Candidate],
        rarity: Callable[[str], float],
        weigh: Callable[[str], Mapping[str, float]],
    ) -> None:
        """`rarity(term)`: the term's idf among the documents (relevance.Index.rarity);
        `weigh(query)`: the terms searched for a query (relevance.Index.weights)."""
        self.rarity = rarity
        self.weigh = weigh
        self.passages = [passages_of(document.text) for document in documents]
        self.vocabulary = [vocabulary_of(document.text) for document in documents]
        lengths = [length for found in self.passages for _, length in found]
        self.average = (sum(lengths) / len(lengths)) if lengths else 1.0

    def scores(self, query: str) -> list[float]:
        """Each document's best passage score for `query`, in document order."""
        weights = {term: boost * self.rarity(term) for term, boost in self.weigh(query).items()}
        wanted = frozenset(weights)
        best = [0.0] * len(self.passages)
        for number, passages in enumerate(self.passages):
            shared = wanted & self.vocabulary[number]
            if not shared:
                continue
            for counts, length in passages:
                norm = _K1 * (1 - _B + _B * length / self.average)
                score = 0.0
                for term in shared:
                    count = counts.get(term)
                    if count:
                        score += weights[term] * count * (_K1 + 1) / (count + norm)
                best[number] = max(best[number], score)
        return best


@lru_cache(maxsize=20_000)
def passages_of(text: str) -> tuple[Passage, ...]:
    """The passages of a searchable text: its blocks, a short one joined to the next."""
    found: list[Passage] = []
    pending: Counter[str] = Counter()
    for block in _BLOCKS.split(text):
        pending.update(stems(block))
        if len(pending) >= MIN_TERMS:
            found.append((pending, sum(pending.values())))
            pending = Counter()
    if pending:
        found.append((pending, sum(pending.values())))
    return tuple(found)


@lru_cache(maxsize=20_000)
def vocabulary_of(text: str) -> frozenset[str]:
    """Every term of a searchable text."""
    return frozenset(term for counts, _ in passages_of(text) for term in counts)
