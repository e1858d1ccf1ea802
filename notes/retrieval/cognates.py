"""His Russian loanwords for the English terms they come from: "докер" is docker.

Much of what he says in Russian is an English term in Cyrillic letters ("воркшоп",
"эксперимент", "тестирование"), and such a word may be new to the learned term list
(notes.retrieval.lexicon). Spelled out in Latin letters and reduced to a key (the first
consonants, each run of vowels as one `V`, the letters the two spellings disagree on made
one), a Cyrillic stem stands for the English words of the KB with the same key: "докер" and
"docker" are both `dVkVr`, "эксперимент" and "experiment" `VkspVrVmVnt`. A key that begins
the other and covers most of it also counts (a Russian ending, a stem Snowball cut short);
keys of fewer than MIN_CONSONANTS consonants never do, so short native words do not match
by chance.
Pure text.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable

from notes.retrieval.relevance import stems

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

_VOWELS = re.compile(r"[aeiou]+")
_DOUBLES = re.compile(r"(.)\1+")
_IS_CYRILLIC = re.compile(r"[а-яё]")
_VERB_ENDING = re.compile(r"(?<=..)(?:ирова|ова)н?$")
"""What Russian adds to make a verb of an English word: "тестирова" is "тест"."""

COVER = 0.8
"""The share of a Cyrillic stem's consonants an English key must cover: "print" does not
stand for "принцип" though its key begins it."""


def key(stem: str) -> str:
    """The letters two spellings of one word share: consonants, and `V` for each run of vowels."""
    if _IS_CYRILLIC.match(stem):
        stem = _VERB_ENDING.sub("", stem)
        latin = "".join(_CYRILLIC.get(letter, letter) for letter in stem)
    else:
        latin = stem
        for spelling, sound in _LATIN:
            latin = latin.replace(spelling, sound)
    return _DOUBLES.sub(r"\1", _VOWELS.sub("V", latin))


def _consonants(found: str) -> int:
    return len(found) - found.count("V")


def _covers(one: str, other: str) -> bool:
    """The shorter key has COVER of the longer one's consonants."""
    counts = sorted((_consonants(one), _consonants(other)))
    return counts[0] >= COVER * counts[1]


class Cognates:
    """The English words of a vocabulary, looked up by the keys of Cyrillic stems."""

    def __init__(self, words: Iterable[str]) -> None:
        """`words`: English words as the articles spell them (each is searched by its stem)."""
        self.by_key: dict[str, set[str]] = {}
        for word in words:
            if word.isascii() and word.isalpha():
                found = key(word)
                if _consonants(found) >= MIN_CONSONANTS:
                    self.by_key.setdefault(found, set()).update(stems(word))
        self.keys = sorted(self.by_key)

    def of(self, stem: str) -> list[str]:
        """The stems of the English words whose key is the key of Cyrillic `stem`, or either
        begins the other and covers COVER of it (a Russian ending, a stem cut short)."""
        if not _IS_CYRILLIC.match(stem):
            return []
        found = key(stem)
        matches = [k for k in self._near(found) if _covers(k, found)]
        return sorted({english for k in matches for english in self.by_key[k]})

    def _near(self, found: str) -> list[str]:
        """Keys that begin `found`, and keys that `found` begins."""
        shorter = [found[:end] for end in range(1, len(found) + 1) if found[:end] in self.by_key]
        start = bisect.bisect_left(self.keys, found)
        longer = []
        for k in self.keys[start:]:
            if not k.startswith(found):
                break
            longer.append(k)
        return shorter + longer
