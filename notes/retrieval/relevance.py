"""Which documents the routing prompt shows, ranked so the right one is shown as the KB grows.

Notes are Russian with English terms; articles are English. Titles alone do not connect the
two, so an article is searched through everything it holds: its title, tags, path, headings
and body, and the texts of the notes it already cites, which are in the notes' own language.
Words are stemmed with Snowball (Russian and English) and scored with BM25, once per note of
the batch and once for the batch as a whole; the rankings are interleaved so a note on a side
topic still brings its article forward. No embeddings endpoint is needed.

Which `_` documents are shown (the rule, from the author's KB): a `_` document the author
feeds with notes (it cites at least one note: a weekly log, a resources list, a template
that collects guidance) is routed to like an article. `_index.md` files and anything inside a
`_` folder (`_meta/...`) are the author's meta documents: never shown, never a target.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import Stemmer

from notes.markdown.citations import MARKER, REFERENCE
from notes.markdown.summary import ArticleSummary

DETAILED = 12
"""Articles shown with their description, best first."""

RECENT = 5
"""The most recently updated articles, also shown with their description (follow-ups)."""

HEAD_WEIGHT = 3
"""Title, tags, path and headings count this many times the body's words."""

URL_WEIGHT = 0.6
"""How much a word that is only in a note's web addresses counts: the address was named by
someone else ("planning-with-files"), the words around it by the author ("resources")."""

URL = re.compile(r"https?://\S+")

_K1 = 1.2
_B = 0.75
_WORD = re.compile(r"[^\W_]{2,}")
_LATIN = re.compile(r"[a-z]")
_STOP = frozenset(
    re.findall(
        r"\S+",
        """
        the and for with that this from what about are was were you your have has not but all
        how why can will into out our its it's also just like there their they them then than
        это как что так там вот все ещё еще или для при они она оно его её мне меня мой моя мое
        мои наш ваш тут быть есть нет тоже уже если когда чтобы который которые потому очень
        можно нужно просто вообще сейчас где кто надо будет было были был себя свой this
        to of in on is it at be as by or an we my me do so no if up и в на не но он мы да ну то
        же бы по за из от до ли а с к о у я ты вы
        """,
    )
)
_HEADING = re.compile(r"^#{1,6}\s+(.*)$", re.MULTILINE)
_DEFINITION = re.compile("^" + MARKER.pattern + r":[ \t]*(.*)$")
_LINK = re.compile(r"\]\(<?([^)>\s]+)>?\)|(?:src|href)=\"([^\"]+)\"")

META_NAME = "_index.md"


@dataclass(frozen=True)
class Candidate:
    """An article as routing ranks it: the summary the prompt shows, the text it is searched by."""

    summary: ArticleSummary
    text: str = ""
    """Headings, body and cited notes' texts: searched, never shown."""

    context: str = ""
    """What the author's indexes and folders say of it (notes.retrieval.structure): searched
    with its title, never shown."""

    @property
    def path(self) -> str:
        return self.summary.path

    @property
    def title(self) -> str:
        return self.summary.title

    @property
    def updated(self) -> str:
        return self.summary.updated


Expand = Callable[[list[str]], Mapping[str, float]]
"""A query's stems -> the terms searched for, each with its weight (1 for the query's own)."""


@dataclass(frozen=True)
class Shortlist:
    """What the routing prompt shows: some articles in detail, then more by title only."""

    detailed: list[Candidate]
    listed: list[Candidate]

    @property
    def shown(self) -> list[Candidate]:
        return self.detailed + self.listed

    @property
    def summaries(self) -> tuple[list[ArticleSummary], list[ArticleSummary]]:
        """The detailed and the listed articles, as the prompt shows them."""
        return [c.summary for c in self.detailed], [c.summary for c in self.listed]


# --- which documents ---------------------------------------------------------------------


def is_meta(path: str) -> bool:
    """An `_index.md`, or a document inside a `_` or hidden folder: never shown."""
    parts = path.split("/")
    return parts[-1] == META_NAME or any(part.startswith(("_", ".")) for part in parts[1:-1])


def is_fed(path: str, text: str, known: Callable[[str], bool] | None = None) -> bool:
    """A `_` document the author files notes into: not meta, and it cites at least one note.

    With `known`, only the notes it accepts count (a replay: the document as it was then).
    """
    if is_meta(path) or not path.rsplit("/", 1)[-1].startswith("_"):
        return False
    return any(known is None or known(name) for name in cited_notes(text))


def routable(
    path: str,
    text: str,
    known: Callable[[str], bool] | None = None,
    listed: Collection[str] = (),
) -> bool:
    """Whether `path` may be shown to the router and updated: articles and fed `_` documents.

    A `_` document in `listed` (one the author's `_index.md` lists, such as a plan template)
    is his to feed as well, even before it cites a note.
    """
    name = path.rsplit("/", 1)[-1]
    if is_meta(path) or name.startswith("."):
        return False
    if name.startswith("_"):
        return path in listed or is_fed(path, text, known)
    return True


# --- the text an article is searched by --------------------------------------------------


def cited_notes(text: str) -> list[str]:
    """Names of the notes the footnote definitions of `text` link to, in order, once each."""
    found: dict[str, None] = {}
    for definition in _definitions(text).values():
        for name in definition:
            found[name] = None
    return list(found)


def searchable(
    text: str,
    note_text: Callable[[str], str | None],
    known: Callable[[str], bool] | None = None,
) -> str:
    """Headings and paragraphs of an article, then the texts of the notes it cites.

    `note_text(name)` reads a cited note (None when it cannot). With `known`, only notes it
    accepts count, and a paragraph whose citations are all to other notes is left out: the
    article as it was before those notes came (a replay of the KB's history).
    """
    body = _without_front_matter(text)
    definitions = _definitions(body)
    keep = known or (lambda _name: True)
    kept_blocks = []
    for block in re.split(r"\n\s*\n", body):
        if _DEFINITION.match(block.strip().split("\n", 1)[0]):
            continue
        labels = REFERENCE.findall(block)
        notes = [name for label in labels for name in definitions.get(label, ())]
        if known is not None and notes and not any(keep(name) for name in notes):
            continue
        kept_blocks.append(block)
    cited = [name for name in cited_notes(body) if keep(name)]
    texts = [note_text(name) for name in cited]
    return "\n\n".join(kept_blocks + [t for t in texts if t])


def _without_front_matter(text: str) -> str:
    if text.startswith("---\n"):
        end = text.find("\n---\n", 3)
        if end != -1:
            return text[end + 5 :]
    return text


def _definitions(text: str) -> dict[str, tuple[str, ...]]:
    """Footnote label -> names of the notes its definition links to (`inbox/...` links)."""
    found: dict[str, tuple[str, ...]] = {}
    for line in text.splitlines():
        match = _DEFINITION.match(line)
        if not match:
            continue
        links = [a or b for a, b in _LINK.findall(match.group(2))]
        names = tuple(
            link.rsplit("/", 1)[-1] for link in links if "inbox/" in link and "://" not in link
        )
        if names:
            found[match.group(1)] = names
    return found


# --- scoring -----------------------------------------------------------------------------


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    stemmer = _ENGLISH if _LATIN.match(word) else _RUSSIAN
    return str(stemmer.stemWord(word))


_ENGLISH = Stemmer.Stemmer("english")
_RUSSIAN = Stemmer.Stemmer("russian")


def stems(text: str) -> list[str]:
    """Snowball stems of the words of 2+ letters, stop words and bare numbers dropped."""
    words = (word.lower() for word in _WORD.findall(text))
    return [_stem(word) for word in words if word not in _STOP and not word.isdigit()]


def head_text(article: Candidate) -> str:
    """Title, tags, path words, description and headings: the words that name the article."""
    path_words = article.path.removeprefix("articles/").removesuffix(".md")
    path_words = re.sub(r"[/_-]", " ", path_words)
    headings = " ".join(_HEADING.findall(article.text))
    summary = article.summary
    parts = (
        summary.title,
        " ".join(summary.tags),
        path_words,
        summary.description,
        headings,
        article.context,
    )
    return " ".join(parts)


class Index:
    """BM25 over the articles' searchable text; the head counts HEAD_WEIGHT times."""

    def __init__(self, articles: Sequence[Candidate], expand: Expand | None = None) -> None:
        """`expand` maps a query's stems to weighted search terms (notes.retrieval.lexicon)."""
        self.articles = list(articles)
        self.expand = expand
        self.documents = [document_terms(article) for article in self.articles]
        lengths = [_length(article) for article in self.articles]
        average = (sum(lengths) / len(lengths)) if lengths else 0.0
        self.norms = [_K1 * (1 - _B + _B * length / (average or 1)) for length in lengths]
        self._postings: dict[str, tuple[float, list[tuple[int, float]]]] = {}

    def scores(self, query: str) -> list[float]:
        """The BM25 score of every article for `query`, in article order."""
        result = [0.0] * len(self.articles)
        for term, boost in self.weights(query).items():
            idf, postings = self._posting(term)
            for number, weight in postings:
                result[number] += boost * idf * weight
        return result

    def weights(self, query: str) -> dict[str, float]:
        """The terms searched for `query`: its words expanded, then its addresses' words."""
        terms = stems(URL.sub(" ", query))
        weighted = dict(self.expand(terms)) if self.expand else dict.fromkeys(terms, 1.0)
        for term in stems(" ".join(URL.findall(query))):
            weighted.setdefault(term, URL_WEIGHT)
        return weighted

    def rarity(self, term: str) -> float:
        """The BM25 idf of a stemmed `term` among the articles."""
        return self._posting(term)[0]

    def _posting(self, term: str) -> tuple[float, list[tuple[int, float]]]:
        """The term's rarity and its weight in each article holding it, worked out once."""
        if term not in self._postings:
            postings = []
            for number, document in enumerate(self.documents):
                count = document.get(term)
                if count:
                    postings.append((number, count * (_K1 + 1) / (count + self.norms[number])))
            found, total = len(postings), len(self.documents)
            idf = math.log(1 + (total - found + 0.5) / (found + 0.5))
            self._postings[term] = (idf, postings)
        return self._postings[term]

    def ranking(self, queries: Sequence[str]) -> list[int]:
        """Article positions, best first: the whole-batch ranking interleaved with each note's."""
        rankings = [self._order(self.scores("\n".join(queries)))]
        if len(queries) > 1:
            rankings += [self._order(self.scores(query)) for query in queries]
        seen: dict[int, None] = {}
        for rank in range(len(self.articles)):
            for order in rankings:
                seen.setdefault(order[rank], None)
        return list(seen)

    def _order(self, scores: list[float]) -> list[int]:
        return sorted(
            range(len(self.articles)),
            key=lambda i: (-scores[i], _age_key(self.articles[i]), self.articles[i].path),
        )


@lru_cache(maxsize=8192)
def _length(article: Candidate) -> int:
    return sum(document_terms(article).values())


@lru_cache(maxsize=8192)
def document_terms(article: Candidate) -> Counter[str]:
    """Term counts of an article: its head HEAD_WEIGHT times, then its searchable text.

    Cached: the caller must not change the counts it gets.
    """
    terms = Counter(stems(head_text(article)))
    for term in terms:
        terms[term] *= HEAD_WEIGHT
    terms.update(stems(article.text))
    return terms


def shortlist(
    articles: Sequence[Candidate],
    queries: Sequence[str],
    *,
    room: int,
    size: Callable[[Candidate, bool], int],
    detailed: int = DETAILED,
    recent: int = RECENT,
    index: Index | None = None,
) -> Shortlist:
    """The articles to show for a batch whose notes' texts are `queries`.

    The `detailed` best and the `recent` newest others are shown in detail whatever the room;
    then the next best by title only while their lines fit in `room` characters, where
    `size(article, in_detail)` is what showing an article costs.
    """
    index = index or Index(articles)
    order = index.ranking(queries)
    newest = sorted(range(len(articles)), key=lambda i: (_age_key(articles[i]), articles[i].path))
    chosen = order[:detailed]
    chosen += [i for i in newest if i not in chosen][:recent]
    room -= sum(size(articles[i], True) for i in chosen)
    picked = set(chosen)
    listed = []
    for i in order:
        if i in picked:
            continue
        cost = size(articles[i], False)
        if cost > room:
            break
        room -= cost
        listed.append(i)
    return Shortlist([articles[i] for i in chosen], [articles[i] for i in listed])


def _age_key(article: Candidate) -> int:
    """Newest first; an article without a valid `updated` date sorts last."""
    try:
        return -date.fromisoformat(article.updated).toordinal()
    except ValueError:
        return 0
