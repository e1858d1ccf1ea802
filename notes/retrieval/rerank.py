"""The hybrid order of a search: the word ranking fused with the embeddings ranking.

Only when VOICENOTES_EMBEDDING_MODEL is set; each document's vector comes from the cache in
`.voicenotes/embeddings/` and is asked for only when its text changed. A server that fails
(no embeddings endpoint, a timeout) leaves the word ranking alone, with a warning logged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

from notes.kb import KnowledgeBase
from notes.llm.client import LLMClient, LLMError
from notes.retrieval import embeddings, hybrid
from notes.retrieval.embeddings import document_text
from notes.retrieval.lexicon import Lexicon
from notes.retrieval.relevance import Candidate, Index
from notes.settings import Settings

log = logging.getLogger(__name__)


class Corpus(Protocol):
    """What a search runs over (notes.knowing.corpus.Corpus is one)."""

    articles: list[Candidate]
    notes: list[Candidate]
    lexicon: Lexicon


def hybrid_orders(
    kb: KnowledgeBase, settings: Settings, corpus: Corpus, question: str, client: LLMClient
) -> tuple[list[int] | None, list[int] | None]:
    """The fused orders of the corpus' articles and notes; None each without embeddings."""
    model = settings.embedding_model
    if not model:
        return None, None
    store = embeddings.Store(embeddings.cache_path(kb.state, model))

    def embed(texts: Sequence[str]) -> list[list[float]]:
        return client.embed(model, texts)

    try:
        query = embeddings.query_vector(question, embed)
        everything = corpus.articles + corpus.notes
        vectors = store.vectors({c.path: document_text(c) for c in everything}, embed)
    except LLMError as error:
        log.warning("embeddings not used: %s", error)
        return None, None
    try:
        store.save(keep=vectors)
    except OSError as error:
        log.warning("embeddings cache not saved: %s", error)
    return (
        fused(question, corpus.articles, corpus.lexicon, query, vectors),
        fused(question, corpus.notes, corpus.lexicon, query, vectors),
    )


def embedding_for(
    state: Path, model: str, client: Callable[[], LLMClient]
) -> tuple[embeddings.Store, embeddings.Embed]:
    """The vector cache of `model` in the KB's `.voicenotes/`, and the call embedding texts
    through the pass's client (made when first needed)."""

    def embed(texts: Sequence[str]) -> list[list[float]]:
        return client().embed(model, texts)

    return embeddings.Store(embeddings.cache_path(state, model)), embed


def fused(
    question: str,
    candidates: Sequence[Candidate],
    lexicon: Lexicon,
    query: Sequence[float],
    vectors: dict[str, list[float]],
) -> list[int]:
    """The word ranking and the similarity ranking of `candidates`, fused."""
    words = Index(candidates, lexicon.expand).ranking([question])
    similar = hybrid.by_similarity(query, [vectors[c.path] for c in candidates])
    return hybrid.fuse(words, similar)
