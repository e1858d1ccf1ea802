"""Notes that name a place of the KB: "add this to the ideas for AI Shipping Labs".

Every document has names of two words or more: its title, each folder it sits in
(`ai-shipping-labs`), the index section that lists it. A note whose words hold all the words
of one of those names close together (stemmed, stop words left out, in any order, a Russian
word counting as its English terms: "шаблон для планов" names "Plan Template") mentions the
documents of that name; routing puts them forward (notes.retrieval.kbindex).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from notes.retrieval.relevance import Candidate, stems

LONGEST = 6
"""Words of the longest name looked for."""

SLACK = 2
"""Other words a name's words may have between them in a note."""

Translate = Callable[[str], Iterable[str]]
"""A stem -> the stems it also stands for (its terms in the other language)."""


def names_of(candidate: Candidate, section: str = "") -> set[frozenset[str]]:
    """The names of a document, as sets of two stems or more."""
    folders = candidate.path.removeprefix("articles/").split("/")[:-1]
    texts = [candidate.title, *(re.sub(r"[_-]", " ", f) for f in folders)]
    texts += [part for part in section.split(" / ") if part]
    found = {frozenset(stems(text)) for text in texts}
    return {name for name in found if 2 <= len(name) <= LONGEST}


class Mentions:
    """Which documents each name stands for, looked up by the words of a query."""

    def __init__(self, candidates: Sequence[Candidate], sections: Sequence[str] = ()) -> None:
        self.by_name: dict[frozenset[str], list[int]] = {}
        self.by_word: dict[str, set[frozenset[str]]] = {}
        for position, candidate in enumerate(candidates):
            section = sections[position] if position < len(sections) else ""
            for name in names_of(candidate, section):
                self.by_name.setdefault(name, []).append(position)
                for word in name:
                    self.by_word.setdefault(word, set()).add(name)

    def mentioned(self, query: str, translate: Translate | None = None) -> dict[int, int]:
        """Position -> words of the longest of its names the query holds close together."""
        where: dict[str, list[int]] = {}
        for place, word in enumerate(stems(query)):
            for form in {word, *(translate(word) if translate else ())}:
                if form in self.by_word:
                    where.setdefault(form, []).append(place)
        names = {name for word in where for name in self.by_word[word] if name <= where.keys()}
        found: dict[int, int] = {}
        for name in names:
            if _close(name, where):
                for position in self.by_name[name]:
                    found[position] = max(found.get(position, 0), len(name))
        return found


def _close(name: frozenset[str], where: dict[str, list[int]]) -> bool:
    """Whether every word of `name` occurs within a span of len(name) + SLACK places."""
    span = len(name) + SLACK
    places = sorted((place, word) for word in name for place in where[word])
    for start, _ in places:
        seen = {word for place, word in places if start <= place < start + span}
        if seen == name:
            return True
    return False
