"""Which existing articles the routing prompt shows, so its size stays bounded as the KB grows.

A small lexical scorer (word stems, weighted by rarity across the articles) over titles,
tags, descriptions and paths, plus the most recently updated articles. Notes are mostly
Russian with English terms and articles may be English, so the shared technical words carry
most of the signal; the recent articles cover a follow-up that shares no words.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from datetime import date

from notes.summary import ArticleSummary

DEFAULT_LIMIT = 15
DEFAULT_RECENT = 5
_STEM = 5
_WORD = re.compile(r"[^\W_]{2,}")
_STOP = frozenset(
    re.findall(
        r"\S+",
        """
        the and for with that this from what about are was were you your have has not but all
        how why can will into out our its это как что так там вот все еще или для при они она
        оно его её мне меня мой моя мое мои наш ваш тут быть есть нет to of in on is it at be as
        by or an we my me do so no if up и в на не но он мы да ну то же бы по за из от до ли
        """,
    )
)


def stems(text: str) -> list[str]:
    """Crude stems: lowercase words of 2+ letters cut to 5, stop words dropped."""
    words = (word.lower() for word in _WORD.findall(text))
    return [word[:_STEM] for word in words if word not in _STOP]


def select(
    articles: Sequence[ArticleSummary],
    query: str,
    *,
    limit: int = DEFAULT_LIMIT,
    recent: int = DEFAULT_RECENT,
) -> list[ArticleSummary]:
    """The `limit` articles that best match `query`, then up to `recent` most recent others."""
    if len(articles) <= limit + recent:
        return list(articles)
    scores = score(articles, query)
    by_score = sorted(
        range(len(articles)), key=lambda i: (-scores[i], _age_key(articles[i]), articles[i].path)
    )
    chosen = [i for i in by_score[:limit] if scores[i] > 0]
    newest = sorted(range(len(articles)), key=lambda i: (_age_key(articles[i]), articles[i].path))
    extra = [i for i in newest if i not in chosen][:recent]
    return [articles[i] for i in chosen + extra]


def score(articles: Sequence[ArticleSummary], query: str) -> list[float]:
    """For each article, the summed rarity of the query stems it shares."""
    documents = [Counter(_document_stems(article)) for article in articles]
    frequency: Counter[str] = Counter()
    for document in documents:
        frequency.update(document.keys())
    wanted = Counter(stems(query))
    total = len(documents)
    weights = {
        stem: math.log(1 + total / frequency[stem]) * (1 + math.log(count))
        for stem, count in wanted.items()
        if frequency[stem]
    }
    return [sum(weight for stem, weight in weights.items() if stem in doc) for doc in documents]


def _document_stems(article: ArticleSummary) -> list[str]:
    path_words = article.path.removeprefix("articles/").removesuffix(".md").replace("/", " ")
    text = " ".join((article.title, article.description, " ".join(article.tags), path_words))
    return stems(text)


def _age_key(article: ArticleSummary) -> int:
    """Newest first; an article without a valid `updated` date sorts last."""
    try:
        return -date.fromisoformat(article.updated).toordinal()
    except ValueError:
        return 0
