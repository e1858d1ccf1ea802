"""Rankings by embeddings: alone, or fused with the word ranking (the hybrid one).

A VectorIndex is an index (notes.retrieval.kbindex) whose `ranking` follows `mode`:
"lexical" the words alone, "embeddings" the similarity of each document's vector to the
batch's (and each note's, interleaved as the word ranking interleaves), "hybrid" both fused
by reciprocal rank (notes.retrieval.hybrid). Vectors come from an embeddings.Store, so a
document whose text is unchanged is never embedded twice.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Literal

from notes.retrieval import hybrid
from notes.retrieval.embeddings import Embed, Store, query_vector
from notes.retrieval.kbindex import KBIndex
from notes.retrieval.relevance import Candidate, Expand

Mode = Literal["lexical", "embeddings", "hybrid"]
MODES: tuple[Mode, ...] = ("lexical", "embeddings", "hybrid")


class VectorIndex(KBIndex):
    """A KBIndex ranking by embeddings, or by both, as `mode` says."""

    def __init__(
        self,
        articles: Sequence[Candidate],
        expand: Expand | None,
        sections: Mapping[str, str] | None,
        *,
        mode: Mode,
        store: Store,
        embed: Embed,
        text_of: Callable[[Candidate], str],
    ) -> None:
        super().__init__(articles, expand, sections)
        self.mode = mode
        self.embed = embed
        found = store.vectors({a.path: text_of(a) for a in self.articles}, embed)
        self.vectors = [found[a.path] for a in self.articles]

    def ranking(self, queries: Sequence[str]) -> list[int]:
        words = super().ranking(queries)
        if self.mode == "lexical":
            return words
        whole = [hybrid.by_similarity(self._vector("\n".join(queries)), self.vectors)]
        if len(queries) > 1:
            whole += [hybrid.by_similarity(self._vector(q), self.vectors) for q in queries]
        similar = _interleave(whole, len(self.articles))
        return similar if self.mode == "embeddings" else hybrid.fuse(words, similar)

    def _vector(self, text: str) -> list[float]:
        return query_vector(text, self.embed)


def _interleave(rankings: Sequence[Sequence[int]], size: int) -> list[int]:
    seen: dict[int, None] = {}
    for rank in range(size):
        for order in rankings:
            if rank < len(order):
                seen.setdefault(order[rank], None)
    return list(seen)
