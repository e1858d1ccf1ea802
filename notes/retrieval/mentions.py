"""Notes that name a place of the KB: "add this to the ideas for AI Shipping Labs".

Every document has names of two words or more: its title, each folder it sits in
(`ai-shipping-labs`), the index section that lists it. A note whose words hold one of those
names in a row (stemmed, stop words left out) mentions the documents of that name; routing
puts them forward (notes.retrieval.kbindex), the best-matching first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from notes.drafting.relevance import Candidate, stems

LONGEST = 6
"""Words of the longest name looked for."""


def names_of(candidate: Candidate, section: str = "") -> set[tuple[str, ...]]:
    """The names of a document, as stem sequences of two words or more."""
    folders = candidate.path.removeprefix("articles/").split("/")[:-1]
    texts = [candidate.title, *(re.sub(r"[_-]", " ", f) for f in folders)]
    texts += [part for part in section.split(" / ") if part]
    found = {tuple(stems(text)) for text in texts}
    return {name for name in found if 2 <= len(name) <= LONGEST}


class Mentions:
    """Which documents each name stands for, looked up by the word runs of a query."""

    def __init__(self, candidates: Sequence[Candidate], sections: Sequence[str] = ()) -> None:
        self.by_name: dict[tuple[str, ...], list[int]] = {}
        for position, candidate in enumerate(candidates):
            section = sections[position] if position < len(sections) else ""
            for name in names_of(candidate, section):
                self.by_name.setdefault(name, []).append(position)

    def mentioned(self, query: str) -> dict[int, int]:
        """Position -> words of the longest of its names the query holds in a row."""
        words = stems(query)
        runs = {
            tuple(words[start : start + size])
            for size in range(2, LONGEST + 1)
            for start in range(len(words) - size + 1)
        }
        found: dict[int, int] = {}
        for name in runs & self.by_name.keys():
            for position in self.by_name[name]:
                found[position] = max(found.get(position, 0), len(name))
        return found
