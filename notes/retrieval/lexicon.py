"""His Russian words for the English of his articles: a term list learned from the KB.

Every paragraph of an article that cites a note is a translation pair in the loose sense:
the note says it in his Russian, the paragraph in English. Over all such pairs, a Russian
stem and an English stem that keep turning up together (Dice coefficient over the pairs
holding either) are taken as one term: `рассылк` -> `newslett`. A small seed list covers
the words of his KB too common or too new to be learned. Expanding a query adds each
Russian stem's English terms at a lower weight, so a note that says "идеи для AI Shipping
Labs" reaches an article that says "ideas" though no note of it said "идеи" yet.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from notes.retrieval.relevance import stems

TRANSLATIONS = 3
"""English terms kept per Russian stem."""

MIN_PAIRS = 2
"""Pairs a Russian and an English stem must share to be taken as one term."""

MIN_DICE = 0.12
WEIGHT = 0.6
"""How much an English term counts against the Russian word it stands for."""

_KEPT_STEMS = 32
"""Rarest stems of each side of a pair looked at (bounds the learning's cost)."""

_CYRILLIC = re.compile(r"[а-яё]")
_DEFINITION = re.compile(r"^\[\^([^\]\s]+)\]:[ \t]*(.*)$", re.MULTILINE)
_REFERENCE = re.compile(r"\[\^([^\]\s]+)\](?!:)")
_NOTE_LINK = re.compile(r"inbox/[^)>\s\"]*?([^/)>\s\"]+)(?=[)>\"\s]|$)")

SEED: dict[str, tuple[str, ...]] = {
    "идея": ("idea",),
    "идеи": ("idea",),
    "рассылка": ("newsletter",),
    "рассылку": ("newsletter",),
    "пятница": ("friday",),
    "пятницу": ("friday",),
    "реклама": ("advert", "ad", "promot"),
    "рекламу": ("advert", "ad", "promot"),
    "курс": ("course",),
    "статья": ("article",),
    "папка": ("folder",),
    "шаблон": ("templat",),
    "вебинар": ("webinar",),
    "сообщество": ("communiti",),
    "собеседование": ("interview",),
    "интервью": ("interview",),
    "бесплатный": ("free",),
    "платный": ("paid",),
    "план": ("plan",),
    "проект": ("project",),
    "платформа": ("platform",),
    "агент": ("agent",),
    "подкаст": ("podcast",),
    "книга": ("book",),
    "видео": ("video",),
    "сайт": ("websit", "site"),
    "ссылка": ("link",),
    "маркетинг": ("market",),
    "контент": ("content",),
}
"""Russian word -> English stems: the terms of his KB that must match from the first note."""


@dataclass(frozen=True)
class Lexicon:
    """Russian stem -> English stems with their weights, best first."""

    terms: Mapping[str, tuple[tuple[str, float], ...]] = field(default_factory=dict)

    def expand(self, query_stems: Iterable[str]) -> dict[str, float]:
        """The query's stems (weight 1), the English terms of its Russian ones and the
        Russian terms of its English ones."""
        weights = dict.fromkeys(query_stems, 1.0)
        for stem in list(weights):
            for other, weight in self.translations(stem):
                weights[other] = max(weights.get(other, 0.0), weight)
        return weights

    def translations(self, stem: str) -> tuple[tuple[str, float], ...]:
        """The terms of the other language a stem stands for, with their weights."""
        return self.terms.get(stem) or self._reverse.get(stem, ())

    @cached_property
    def _reverse(self) -> dict[str, tuple[tuple[str, float], ...]]:
        found: dict[str, list[tuple[str, float]]] = {}
        for russian, targets in self.terms.items():
            for english, weight in targets:
                found.setdefault(english, []).append((russian, weight))
        return {e: tuple(sorted(r, key=lambda x: -x[1])[:TRANSLATIONS]) for e, r in found.items()}

    def __len__(self) -> int:
        return len(self.terms)


def seeded() -> Lexicon:
    """The seed list alone."""
    return learn(())


def learn(pairs: Iterable[tuple[str, str]]) -> Lexicon:
    """The term list of `pairs` (a note's text, the article paragraph citing it), seed included."""
    russian: Counter[str] = Counter()
    english: Counter[str] = Counter()
    together: Counter[tuple[str, str]] = Counter()
    sides = [(_side(note, True), _side(paragraph, False)) for note, paragraph in pairs]
    for ru, en in sides:
        russian.update(ru)
        english.update(en)
    total = len(sides)
    for ru, en in sides:
        kept_ru = _rarest(ru, russian, total)
        kept_en = _rarest(en, english, total)
        together.update((r, e) for r in kept_ru for e in kept_en)
    best: dict[str, list[tuple[float, str]]] = {}
    for (r, e), count in together.items():
        if count < MIN_PAIRS:
            continue
        dice = 2 * count / (russian[r] + english[e])
        if dice >= MIN_DICE:
            best.setdefault(r, []).append((dice, e))
    terms: dict[str, tuple[tuple[str, float], ...]] = {}
    for r, found in best.items():
        found.sort(reverse=True)
        terms[r] = tuple((e, WEIGHT * min(1.0, d * 2)) for d, e in found[:TRANSLATIONS])
    for word, targets in SEED.items():
        for stem in set(stems(word)):
            have = dict(terms.get(stem, ()))
            have.update(dict.fromkeys((t for word in targets for t in stems(word)), WEIGHT))
            terms[stem] = tuple(sorted(have.items(), key=lambda item: -item[1]))
    return Lexicon(terms)


@lru_cache(maxsize=8192)
def _side(text: str, cyrillic: bool) -> frozenset[str]:
    return frozenset(s for s in stems(text) if bool(_CYRILLIC.match(s)) == cyrillic)


def _rarest(side: frozenset[str], counts: Counter[str], total: int) -> list[str]:
    """The side's stems seen in 2+ pairs but not in most, rarest first, at most _KEPT_STEMS."""
    common = max(3, total // 5)
    kept = [s for s in side if 2 <= counts[s] <= common]
    kept.sort(key=lambda s: (counts[s], s))
    return kept[:_KEPT_STEMS]


def cited_paragraphs(text: str) -> Iterator[tuple[str, tuple[str, ...]]]:
    """Each paragraph of an article citing notes, with the names of the notes it cites."""
    definitions: dict[str, tuple[str, ...]] = {}
    for label, target in _DEFINITION.findall(text):
        names = tuple(_NOTE_LINK.findall(target))
        if names:
            definitions[label] = names
    for block in re.split(r"\n\s*\n", text):
        if _DEFINITION.match(block.strip()):
            continue
        cited = [n for label in _REFERENCE.findall(block) for n in definitions.get(label, ())]
        if cited:
            yield block, tuple(dict.fromkeys(cited))


def pairs_of(
    articles: Iterable[str],
    note_text: Callable[[str], str | None],
    known: Callable[[str], bool] | None = None,
) -> Iterator[tuple[str, str]]:
    """(note text, paragraph) for every note a paragraph of `articles` cites (`known` only)."""
    for text in articles:
        for paragraph, names in cited_paragraphs(text):
            for name in names:
                if known is not None and not known(name):
                    continue
                note = note_text(name)
                if note:
                    yield note, paragraph
