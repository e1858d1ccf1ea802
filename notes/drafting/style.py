"""The author's style in drafting: the rules a prompt carries, and the gate on new text.

`style_rules(kb)` is the text that fills a prompt's `$style` slot: the KB's own
`articles/_meta/style.md` when it is there and readable (the author edits his rules where his
articles live), else the built-in condensed rules (prompts/style_v1.md, locked like every
released prompt).

`gate(text, tags)` checks one block the model wrote (a new article's body, an insertion, a
revision's text) with the author's checker, in memory, and returns the findings whose tag
gates. Only the model's new text is ever checked: the author's existing lines are never
passed in, so they are never checked or changed. `check_body` and `check_insertions` make the
StyleCheck of a whole answer; `enforce` turns its gated findings into Unpolished, which the
asker sends back like any rejected answer, and accepts anyway after the last try (notes are
never lost for style).
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from notes.drafting.answers import Insertion
from notes.errors import Rejected
from notes.kb import KnowledgeBase
from notes.llm import prompts
from notes.markdown import frontmatter
from notes.upkeep import stylecheck
from notes.upkeep.stylecheck import StyleFinding

BUILT_IN = "style_v1"
"""The built-in rules' prompt file."""

KB_STYLE = "articles/_meta/style.md"
"""The KB's own style document, relative to its root."""

KB_STYLE_LIMIT = 12_000
"""Most characters of the KB's style document a prompt carries (cut at a paragraph)."""

Built = TypeVar("Built")


def style_source(kb: KnowledgeBase) -> tuple[str, str]:
    """(where the rules come from, their text): `KB_STYLE` or `BUILT_IN`.

    A style document that cannot be read as UTF-8, or is empty, falls back to the built-in
    rules. Its front matter, if any, is left out; past KB_STYLE_LIMIT characters it is cut at
    the last paragraph that fits.
    """
    path = kb.root / KB_STYLE
    try:
        text = path.read_bytes().decode("utf-8").removeprefix("\ufeff")
    except (OSError, UnicodeDecodeError):
        text = ""
    if text.startswith("---\n"):
        with contextlib.suppress(frontmatter.FrontMatterError):
            text = frontmatter.split(text)[1]
    if text.strip():
        return KB_STYLE, _clip(text.strip(), KB_STYLE_LIMIT)
    return BUILT_IN, prompts.load_version(BUILT_IN).text.strip()


def _clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    head = text[:limit]
    cut = head.rfind("\n\n")
    return head[:cut].rstrip() if cut > 0 else head


def style_rules(kb: KnowledgeBase) -> str:
    """The style rules a write, update or revise prompt carries for the KB `kb`."""
    return style_source(kb)[1]


def gate(text: str, tags: frozenset[str]) -> list[StyleFinding]:
    """The findings in `text` (one block the model wrote) whose tag is in `tags`."""
    return stylecheck.gated(stylecheck.lint(text), tags) if tags else []


@dataclass(frozen=True)
class StyleCheck:
    """The author's checker over the text one answer adds to one article."""

    words: int = 0
    findings: int = 0
    """Every finding, gated or not (what the per-1,000-words figure counts)."""

    gated: tuple[str, ...] = field(default_factory=tuple)
    """The gated findings as the model is shown them: `line 3: [banned-word] 'delve' - ...`."""


def check_body(body: str, tags: frozenset[str]) -> StyleCheck:
    """A new article's body, as the model wrote it (lines count in the body)."""
    found = stylecheck.lint(body)
    shown = tuple(f.shown() for f in stylecheck.gated(found, tags))
    return StyleCheck(stylecheck.words(body), len(found), shown)


def check_insertions(insertions: Sequence[Insertion], tags: frozenset[str]) -> StyleCheck:
    """An update's insertions, each on its own (lines count in its markdown)."""
    words = findings = 0
    shown: list[str] = []
    for number, insertion in enumerate(insertions, start=1):
        parts = [(f"insertion {number}", insertion.markdown)]
        if insertion.heading:
            parts.insert(0, (f"insertion {number} heading", f"## {insertion.heading}"))
        for where, text in parts:
            found = stylecheck.lint(text)
            words += stylecheck.words(text)
            findings += len(found)
            shown += [f"{where}, {f.shown()}" for f in stylecheck.gated(found, tags)]
    return StyleCheck(words, findings, tuple(shown))


@dataclass
class StyleTally:
    """The author's checker over all the text one pass wrote, for its summary and run log."""

    words: int = 0
    findings: int = 0
    """Every finding, gated or not."""

    left: list[str] = field(default_factory=list)
    """Gated findings kept after the last try: `articles/x.md: line 3: [bold] ...`."""

    def add(self, path: str, check: StyleCheck) -> None:
        self.words += check.words
        self.findings += check.findings
        self.left += [f"{path}: {line}" for line in check.gated]

    def lines(self) -> list[str]:
        """The figure per 1,000 words written and the gated findings left, for people."""
        if not self.words:
            return []
        rate = stylecheck.per_thousand(self.findings, self.words)
        head = f"Style: {rate} findings per 1,000 words ({self.findings} in {self.words} words"
        left = [f"! style left: {finding}" for finding in self.left]
        tail = f" written), {len(left)} gated finding(s) left:" if left else " written)."
        return [head + tail, *left]

    def record(self) -> dict[str, Any]:
        """The run log's `style` (empty when the pass wrote no text)."""
        if not self.words:
            return {}
        rate = stylecheck.per_thousand(self.findings, self.words)
        return {
            "words": self.words,
            "findings": self.findings,
            "per_1000_words": rate,
            "left": list(self.left),
        }


class Unpolished(Rejected, Generic[Built]):
    """An answer usable in every way but style: sent back while tries remain, else kept.

    `built` is what the answer makes (written as it is after the last try).
    """

    def __init__(self, problems: list[str], built: Built) -> None:
        super().__init__(problems)
        self.built = built


def enforce(check: StyleCheck, built: Built) -> Built:
    """`built` when `check` has no gated finding; else raises Unpolished carrying it."""
    if check.gated:
        raise Unpolished(list(check.gated), built)
    return built
