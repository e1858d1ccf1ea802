"""The closest articles and notes of the KB to a question, or none when nothing is close.

Articles are ranked as routing ranks them (notes.retrieval.relevance: BM25 over their text and
the notes they cite, with the author's indexes and the learned term list); notes are ranked
by their own text. A document is close when it holds most of the question's weight: the
share of the question's terms (idf-weighted, a Russian word counting through its English
term) it contains is at least CLOSE. Nothing close: nothing is found, and nothing is asked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from notes.retrieval.kbindex import KBIndex
from notes.retrieval.lexicon import Lexicon
from notes.retrieval.relevance import Candidate, Index, stems

CLOSE = 0.5
"""Share of the question's weight a document must hold to be close."""

_ASKING = frozenset(
    stems(
        "did already ever write wrote written note notes anything something somewhere know "
        "писал писала уже когда-нибудь заметки заметка где-то что-то знаю было ли мы я"
    )
)
"""Words of asking itself, not of the topic: they do not count towards closeness."""

ARTICLES = 3
NOTES = 6


@dataclass(frozen=True)
class Hit:
    """A document close to the question, and how much of the question it holds (0..1)."""

    candidate: Candidate
    share: float

    @property
    def path(self) -> str:
        return self.candidate.path


def closest(
    question: str,
    candidates: Sequence[Candidate],
    lexicon: Lexicon,
    *,
    limit: int,
    order: Sequence[int] | None = None,
    sections: Mapping[str, str] | None = None,
) -> list[Hit]:
    """The `limit` best of `candidates` that are close to `question`, best first.

    `order` is a ranking to follow instead of the word ranking (a hybrid one); closeness is
    still measured on the words, so an embeddings ranking cannot bring in a stranger.
    `sections` (KB path -> its `_index.md` section) lets a question name a place of the KB.
    """
    if not candidates:
        return []
    index = KBIndex(candidates, lexicon.expand, sections)
    ranking = list(order) if order is not None else index.ranking([question])
    hits: list[Hit] = []
    for position in ranking:
        share = coverage(index, position, question, lexicon)
        if share >= CLOSE:
            hits.append(Hit(candidates[position], share))
        if len(hits) >= limit:
            break
    return hits


def coverage(index: Index, position: int, question: str, lexicon: Lexicon) -> float:
    """The share of the question's idf weight that the document at `position` holds.

    A question term counts when the document holds it or one of its translations.
    """
    terms = index.documents[position]
    total = found = 0.0
    for stem in dict.fromkeys(s for s in stems(question) if s not in _ASKING):
        weight = index.rarity(stem)
        translations = [other for other, _ in lexicon.translations(stem)]
        if translations:
            weight = max([weight] + [index.rarity(t) for t in translations])
        total += weight
        if terms.get(stem) or any(terms.get(t) for t in translations):
            found += weight
    return found / total if total else 0.0
