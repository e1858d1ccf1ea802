"""Ranking documents by their best passage: a paragraph, or a note they cite.

A long document that collects many small topics (his weekly log, his resources list) scores
poorly as a whole against a short note (BM25 discounts its length), though one of its items
is just like the note. Scored passage by passage (BM25 over all passages, each with its
document's title words), a document counts by its best one.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

from notes.drafting.relevance import Candidate, Expand, stems

_K1 = 1.2
_B = 0.75
_BLOCKS = re.compile(r"\n\s*\n")
MIN_TERMS = 3
"""Passages of fewer stems (a heading, a lone link) are joined to the next."""


class Passages:
    """BM25 over the passages of `documents`; a document scores as its best passage."""

    def __init__(self, documents: Sequence[Candidate], expand: Expand | None = None) -> None:
        self.expand = expand
        self.owner: list[int] = []
        self.terms: list[Counter[str]] = []
        for number, document in enumerate(documents):
            for passage in split(document.text):
                self.owner.append(number)
                self.terms.append(_terms(passage))
        self.size = len(documents)
        lengths = [sum(t.values()) for t in self.terms]
        average = sum(lengths) / len(lengths) if lengths else 1.0
        self.norms = [_K1 * (1 - _B + _B * n / (average or 1)) for n in lengths]
        self._postings: dict[str, tuple[float, list[tuple[int, float]]]] = {}

    def scores(self, query: str) -> list[float]:
        """Each document's best passage score for `query`, in document order."""
        found = stems(query)
        weighted = self.expand(found) if self.expand else dict.fromkeys(found, 1.0)
        passage = [0.0] * len(self.terms)
        for term, boost in weighted.items():
            idf, postings = self._posting(term)
            for number, weight in postings:
                passage[number] += boost * idf * weight
        best = [0.0] * self.size
        for number, score in enumerate(passage):
            owner = self.owner[number]
            best[owner] = max(best[owner], score)
        return best

    def _posting(self, term: str) -> tuple[float, list[tuple[int, float]]]:
        if term not in self._postings:
            postings = []
            for number, counts in enumerate(self.terms):
                count = counts.get(term)
                if count:
                    postings.append((number, count * (_K1 + 1) / (count + self.norms[number])))
            found, total = len(postings), len(self.terms)
            idf = math.log(1 + (total - found + 0.5) / (found + 0.5))
            self._postings[term] = (idf, postings)
        return self._postings[term]


def split(text: str) -> list[str]:
    """The passages of a searchable text: its blocks, a short one joined to the next."""
    found: list[str] = []
    pending = ""
    for block in _BLOCKS.split(text):
        pending = f"{pending}\n{block}" if pending else block
        if len(_terms(pending)) >= MIN_TERMS:
            found.append(pending)
            pending = ""
    if pending:
        found.append(pending)
    return found


@lru_cache(maxsize=100_000)
def _terms(passage: str) -> Counter[str]:
    return Counter(stems(passage))
