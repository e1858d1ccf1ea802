"""His Russian loanwords for the English terms they come from: "докер" is docker.

Much of what he says in Russian is an English term in Cyrillic letters ("воркшоп",
"эксперимент", "тестирование"), and such a word may be new to the learned term list
(notes.retrieval.lexicon). Spelled out in Latin letters and reduced to a key (the first
letter's kind and the consonants, the letters the two spellings disagree on made one), a
Cyrillic stem matches the English stems of the KB whose key begins its own: "докер" and
"docker" are both `dkr`; "экспериментирова" begins with the key of "experi". Only keys of
MIN_CONSONANTS or more that cover most of the Cyrillic one count, so native words do not
match by chance. Pure text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

WEIGHT = 0.5
"""How much a cognate counts against the Russian word it stands for (the learned terms: 0.6)."""

MIN_CONSONANTS = 3
"""Consonants an English key must have to be matched."""

_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "Z",
    "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts",
    "ч": "C", "ш": "S", "щ": "S", "ъ": "", "ы": "i", "ь": "", "э": "e", "ю": "u", "я": "a",
}  # fmt: skip
"""Letters as his loanwords spell the English ones (Z, C, S: zh, ch, sh)."""

_LATIN = (
    ("sh", "S"), ("ch", "C"), ("th", "t"), ("ph", "f"), ("ck", "k"), ("qu", "kv"),
    ("w", "v"), ("c", "k"), ("q", "k"), ("x", "ks"), ("j", "dZ"), ("y", "i"),
)  # fmt: skip
"""English spellings made to read as his Cyrillic ones do."""

_VOWELS = re.compile(r"[aeiou]")
_DOUBLES = re.compile(r"(.)\1+")
_IS_CYRILLIC = re.compile(r"[а-яё]")
_VERB_ENDING = re.compile(r"(?<=..)(?:ирова|ова)н?$")
"""What Russian adds to make a verb of an English word: "тестирова" is "тест"."""

COVER = 0.5
"""The share of a Cyrillic stem's consonants an English key must cover: "period" does not
stand for "представля" though its key begins it."""


def key(stem: str) -> str:
    """The letters two spellings of one word share: a first vowel as `a`, then consonants."""
    if _IS_CYRILLIC.match(stem):
        stem = _VERB_ENDING.sub("", stem)
        latin = "".join(_CYRILLIC.get(letter, letter) for letter in stem)
    else:
        latin = stem
        for spelling, sound in _LATIN:
            latin = latin.replace(spelling, sound)
    head = "a" if latin[:1] in "aeiou" and latin else ""
    return head + _DOUBLES.sub(r"\1", _VOWELS.sub("", latin[1:] if head else latin))


def _consonants(found: str) -> int:
    return len(found) - found.startswith("a")


class Cognates:
    """The English stems of a vocabulary, looked up by the keys of Cyrillic stems."""

    def __init__(self, vocabulary: Iterable[str]) -> None:
        self.by_key: dict[str, list[str]] = {}
        for stem in vocabulary:
            if stem.isascii() and stem.isalpha():
                found = key(stem)
                if _consonants(found) >= MIN_CONSONANTS:
                    self.by_key.setdefault(found, []).append(stem)

    def of(self, stem: str) -> list[str]:
        """The English stems whose key begins the key of Cyrillic `stem` (none for others)."""
        if not _IS_CYRILLIC.match(stem):
            return []
        found = key(stem)
        least = COVER * _consonants(found)
        matches = (
            english
            for end in range(len(found), 0, -1)
            if _consonants(found[:end]) >= least
            for english in self.by_key.get(found[:end], ())
        )
        return list(dict.fromkeys(matches))
