"""Putting located edits together with the article's footnotes: pure text.

The half of notes.markdown.edits that writes: lines out, lines in, and the footnotes that
follow from them. Every line of the article that no edit names is kept byte for byte.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from notes.markdown import citations, frontmatter, merge


class SpliceError(ValueError):
    """New text whose footnotes cannot be numbered; the message is one line."""


@dataclass(frozen=True)
class Span:
    """Lines `start`..`end` (0-based, end excluded) of the article before any edit."""

    start: int
    end: int

    def shares(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def holds(self, line: int) -> bool:
        """Whether `line` (a place between lines) falls strictly inside the span."""
        return self.start < line < self.end


@dataclass(frozen=True)
class Placed:
    """An edit located: the lines it takes out and where its lines go."""

    number: int
    """The edit's number in the answer, from 1."""

    op: str
    removed: Span | None
    """Lines taken out (replace, delete, the moved lines of a move)."""

    at: int | None
    """The line of the article before the edits that the lines go before."""

    lines: tuple[str, ...] = ()
    """The lines put at `at`, with their line ends."""

    moved: bool = False
    """The lines are the article's own, moved; else new text."""

    @property
    def rank(self) -> int:
        """Order among lines put at one place: after its anchor, before one, in its stead."""
        return 0 if self.op.endswith("_after") else 1 if self.op.endswith("_before") else 2


def splice(
    article: str,
    lines: Sequence[str],
    placed: Sequence[Placed],
    definitions: Mapping[str, str],
) -> str:
    """The article with `placed` applied and its footnotes brought in line.

    New sources (keys of `definitions`) cited in new lines take the next free numbers in
    the order they appear; their definitions are added after the last existing one. A
    definition of the article's own whose label is no longer referenced anywhere, though it
    was before, is removed (with the blank line that set it apart), unless an edit wrote it.
    """
    ordered = sorted(
        (item for item in placed if item.at is not None), key=lambda p: (p.at, p.rank, p.number)
    )
    new_blocks = [list(item.lines) for item in ordered if not item.moved]
    numbers = merge._new_numbers(article, new_blocks, set(definitions))
    removed = {n for item in placed if item.removed for n in range(*_bounds(item.removed))}
    result: list[tuple[str, bool]] = []
    pending = iter(ordered)
    upcoming = next(pending, None)
    for index in range(len(lines) + 1):
        while upcoming is not None and upcoming.at == index:
            result += _block(upcoming, numbers)
            upcoming = next(pending, None)
        if index < len(lines) and index not in removed:
            result.append((lines[index], True))
    text = _prune(article, result)
    added = [(numbers[s], definitions[s]) for s in sorted(numbers, key=lambda s: int(numbers[s]))]
    return _with_definitions(text, added)


def _bounds(span: Span) -> tuple[int, int]:
    return span.start, span.end


def _block(item: Placed, numbers: Mapping[str, str]) -> list[tuple[str, bool]]:
    if item.moved:
        return [(line, True) for line in item.lines]
    try:
        text = citations.relabel("".join(item.lines), numbers)
    except citations.CitationError as error:
        raise SpliceError(f"edit {item.number}: {error}") from None
    return [(line + "\n", False) for line in text.removesuffix("\n").split("\n")]


def _prune(article: str, result: Sequence[tuple[str, bool]]) -> str:
    """The joined lines without the article's own definitions whose last reference went."""
    text = "".join(line for line, _ in result)
    before = {ref.label for ref in citations.scan(article).references}
    after = citations.scan(text)
    gone = before - {ref.label for ref in after.references}
    drop: set[int] = set()
    for definition in after.definitions:
        rows = range(definition.line - 1, definition.end_line)
        if definition.label in gone and all(result[row][1] for row in rows):
            drop.update(rows)
            if _blank(result, rows.start - 1) and (
                rows.stop >= len(result) or _blank(result, rows.stop)
            ):
                drop.add(rows.start - 1)
    if not drop:
        return text
    return "".join(line for row, (line, _) in enumerate(result) if row not in drop)


def _blank(result: Sequence[tuple[str, bool]], row: int) -> bool:
    return 0 <= row < len(result) and not result[row][0].strip()


def _with_definitions(text: str, added: list[tuple[str, str]]) -> str:
    """`text` with new definitions after the last existing one (in the body, past the
    front matter), as the merge of new material adds them."""
    if not added:
        return text
    try:
        _, body = frontmatter.split(text)
    except frontmatter.FrontMatterError:
        body = text
    head = text[: len(text) - len(body)]
    return head + merge._add_definitions(body, added)
