"""The word index's ranking: each ranking's head in turn, then the rankings fused."""

from __future__ import annotations

from notes.markdown.summary import ArticleSummary
from notes.retrieval.kbindex import HEAD, KBIndex
from notes.retrieval.relevance import Candidate, Index

TOPICS = {
    "kayak": "kayak paddle river rapids",
    "sourdough": "sourdough starter flour oven",
    "chess": "chess opening gambit endgame",
    "violin": "violin bow strings rosin",
}


def _doc(path: str, text: str) -> Candidate:
    return Candidate(ArticleSummary(path, path.rsplit("/", 1)[-1]), text)


def _documents() -> list[Candidate]:
    found = []
    for topic, words in TOPICS.items():
        for n in range(6):
            found.append(_doc(f"articles/{topic}-{n}.md", f"{words} {words} notes {n}"))
    log = [f"This week: {words.split()[n]} and more." for n, words in enumerate(TOPICS.values())]
    filler = [f"Monday {n}: errands, calls and email." for n in range(30)]
    found.append(_doc("articles/weekly-log.md", "\n\n".join(filler + log)))
    return found


def test_an_article_every_note_places_fairly_high_comes_before_the_tail() -> None:
    documents = _documents()
    notes = [f"today {words}" for words in TOPICS.values()]
    weekly = len(documents) - 1
    fused = KBIndex(documents).ranking(notes).index(weekly)
    interleaved = Index(documents).ranking(notes).index(weekly)
    assert fused < interleaved
    assert fused <= HEAD * (len(notes) * 2 + 1)


def test_each_notes_best_article_stays_at_the_top() -> None:
    documents = _documents()
    notes = [f"today {words}" for words in TOPICS.values()]
    top = {documents[i].path.split("-")[0] for i in KBIndex(documents).ranking(notes)[:8]}
    assert top == {f"articles/{topic}" for topic in TOPICS}
