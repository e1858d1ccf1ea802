"""Fusing rankings: the word ranking and the embeddings ranking, by reciprocal rank.

Reciprocal rank fusion needs no calibration between BM25 scores and cosine similarities:
each ranking gives a document 1 / (K + its rank), and the sums order the fused ranking.
A document first in either ranking stays near the top of the fused one.
"""

from __future__ import annotations

from collections.abc import Sequence

from notes.retrieval.embeddings import similarity

K = 20
"""Damping of the fusion: lower lets the top of each ranking weigh more."""


def fuse(*rankings: Sequence[int], weights: Sequence[float] | None = None) -> list[int]:
    """Positions ordered by their fused reciprocal rank, best first; ties keep first order."""
    scores: dict[int, float] = {}
    first: dict[int, int] = {}
    for number, ranking in enumerate(rankings):
        weight = weights[number] if weights else 1.0
        for rank, position in enumerate(ranking):
            scores[position] = scores.get(position, 0.0) + weight / (K + rank + 1)
            first.setdefault(position, len(first))
    return sorted(scores, key=lambda p: (-scores[p], first[p]))


def by_similarity(query: Sequence[float], vectors: Sequence[Sequence[float]]) -> list[int]:
    """Positions of `vectors`, most similar to `query` first."""
    scores = [similarity(query, vector) for vector in vectors]
    return sorted(range(len(vectors)), key=lambda i: (-scores[i], i))
