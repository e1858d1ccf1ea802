"""The author's style checker (`stylint`), run in memory over Markdown text (pure).

The one module that imports stylint. Its rules are the author's own; this module only runs
them over a string (never a file, never a subprocess) and reports each finding with its line
in that string and its tag. Which tags gate a draft is a setting (`VOICENOTES_STYLE_GATE`):
a comma-separated list of stylint tags, `default` for DEFAULT_GATE, `all`, or `off`.
Words are counted as whitespace-separated tokens, as the author's baseline counts them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import stylint

TAGS = frozenset(tag.value for tag in stylint.Tag)
"""Every tag stylint can report."""

DEFAULT_GATE = frozenset(
    {
        "banned-word",
        "banned-phrase",
        "bold",
        "italic",
        "em-dash",
        "heading-question-word",
        "long-sentence",
        # stylint reports a long sentence with commas under these two, by its likely fix
        "long-clause-likely",
        "long-list-likely",
    }
)
"""The deterministic findings the author fixes most: they send a draft back by default."""

MESSAGE_LIMIT = 120
"""Longest finding message shown: stylint appends long editing advice to some."""

_FIXES = {
    "long-sentence": "split it into shorter sentences",
    "long-clause-likely": "split it into 2-3 shorter sentences",
    "long-list-likely": "make its items a bullet list",
}
"""The fix for each long-sentence tag, in place of stylint's paragraph of advice."""


@dataclass(frozen=True, order=True)
class StyleFinding:
    """One finding: `line` counts from 1 in the text checked (0: about the whole text)."""

    line: int
    tag: str
    message: str

    def shown(self) -> str:
        """`line 3: [banned-word] 'delve' - use 'look at' / 'dig into' / 'explore'`."""
        where = f"line {self.line}" if self.line else "text"
        return f"{where}: [{self.tag}] {self.message}"


class GateError(ValueError):
    """A gate setting names a tag stylint does not have; the message lists the known ones."""


def parse_gate(value: str) -> frozenset[str]:
    """The tags that gate, from the setting's text. Raises GateError for an unknown tag."""
    names = {item.strip().lower() for item in value.replace(";", ",").split(",") if item.strip()}
    if not names or names == {"default"}:
        return DEFAULT_GATE
    if names == {"off"}:
        return frozenset()
    if names == {"all"}:
        return TAGS
    unknown = sorted(names - TAGS)
    if unknown:
        raise GateError(
            f"unknown style tag(s) {', '.join(unknown)}; "
            f"use off, default, all or tags from: {', '.join(sorted(TAGS))}"
        )
    return frozenset(names)


class _InMemory:
    """What stylint's page check reads from: the text itself, standing in for a file."""

    def __init__(self, text: str) -> None:
        self._text = text

    def read_text(self, *args: object, **kwargs: object) -> str:
        return self._text

    def relative_to(self, root: object) -> _InMemory:
        return self

    def __str__(self) -> str:
        return "text"


def lint(text: str) -> list[StyleFinding]:
    """Every stylint finding in `text` (Markdown, front matter allowed), sorted by line."""
    found = stylint.check_page(_InMemory(""), _InMemory(text))
    return sorted(
        StyleFinding(finding.line or 0, tag, _short(tag, finding.message))
        for finding in found
        for tag in [str(finding.tag.value)]
    )


def gated(findings: Iterable[StyleFinding], gate: frozenset[str]) -> list[StyleFinding]:
    """The findings whose tag is in `gate`."""
    return [finding for finding in findings if finding.tag in gate]


def words(text: str) -> int:
    """Words of `text`, as the baseline counts them: whitespace-separated tokens."""
    return len(text.split())


def per_thousand(findings: int, word_count: int) -> float:
    """Findings per 1,000 words (0 for no words)."""
    return round(findings * 1000 / word_count, 1) if word_count else 0.0


def counts(findings: Iterable[StyleFinding]) -> Counter[str]:
    """How many findings of each tag."""
    return Counter(finding.tag for finding in findings)


def _short(tag: str, message: str) -> str:
    """The message's first sentence (its fix for a long sentence), cut to MESSAGE_LIMIT."""
    first = message.split(". ", 1)[0].split(", and the commas look", 1)[0].strip()
    if tag in _FIXES:
        first = f"{first}: {_FIXES[tag]}"
    return first if len(first) <= MESSAGE_LIMIT else first[: MESSAGE_LIMIT - 1].rstrip() + "…"
