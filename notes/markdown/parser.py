"""The one Markdown parser: CommonMark with tables, strikethrough, footnotes and front matter.

markdown-it gives block tokens a line range but inline tokens no position at all. To rewrite a
footnote marker in place, the footnote-reference, link and image rules are wrapped so that each
token they make records, in `meta["pos"]`, the offset where it starts inside the `content` of
the inline token that holds it. `Locator` then maps such an offset back to the source text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.image import image
from markdown_it.rules_inline.link import link
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.footnote.index import footnote_ref
from mdit_py_plugins.front_matter import front_matter_plugin

POS = "pos"
"""`Token.meta` key: offset of the token's first character in its inline token's content."""

_NEWLINE = re.compile(r"\r\n?|\n")  # the line breaks markdown-it normalizes, so lines agree


def parse(text: str) -> list[Token]:
    """Block tokens of `text`, footnote definitions left in place (not moved to the end).

    Every `[^label]` the parser sees as a reference becomes a `footnote_ref` token, defined or
    not, so undefined references can be reported.
    """
    return _parser().parse(text, {})


def walk_inline(tokens: Sequence[Token]) -> Iterator[tuple[Token, Token]]:
    """(inline token, child) for every inline child, image alt text included, in order."""
    for token in tokens:
        if token.type == "inline" and token.children:
            for child in _descendants(token.children):
                yield token, child


def _descendants(children: Sequence[Token]) -> Iterator[Token]:
    for child in children:
        yield child
        if child.children:
            yield from _descendants(child.children)


def line_of(inline: Token, pos: int) -> int:
    """0-based source line of offset `pos` in the content of `inline`."""
    first = inline.map[0] if inline.map else 0
    return first + inline.content.count("\n", 0, pos)


def plain_text(inline: Token) -> str:
    """The readable text of an inline token: no markup, footnote markers or HTML tags."""
    parts: list[str] = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return " ".join("".join(parts).split())


class Lines:
    """A text cut into lines exactly where markdown-it cuts it (`\\n`, `\\r\\n` or `\\r`)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [match.end() for match in _NEWLINE.finditer(text)]
        self.ends = [match.start() for match in _NEWLINE.finditer(text)] + [len(text)]

    def __len__(self) -> int:
        return len(self.starts)

    def line(self, number: int) -> str:
        """Line `number` (0-based) without its line break."""
        return self.text[self.starts[number] : self.ends[number]]


class Locator:
    """Maps offsets inside inline tokens' content back to offsets in the source text.

    Each content line of an inline token is a piece of one source line, less the container
    prefix (indentation, `>` markers, list markers, a footnote label). It is found in its source
    line left to right, after the pieces found before it on that line (table cells).
    """

    def __init__(self, text: str, tokens: Sequence[Token]) -> None:
        self.lines = Lines(text)
        self._starts: dict[int, list[tuple[int, bool] | None]] = {}
        cursors: dict[int, int] = {}
        for token in tokens:
            if token.type == "inline" and token.map is not None:
                self._starts[id(token)] = self._place(token, token.map[0], cursors)

    def _place(
        self, token: Token, first: int, cursors: dict[int, int]
    ) -> list[tuple[int, bool] | None]:
        found: list[tuple[int, bool] | None] = []
        for number, piece in enumerate(token.content.split("\n")):
            row = first + number
            stripped = piece.lstrip(" \t")
            if row >= len(self.lines) or not stripped:
                found.append(None)
                continue
            cursor = cursors.get(row, self.lines.starts[row])
            end = self.lines.ends[row]
            start = self.lines.text.find(stripped, cursor, end)
            escaped = False
            if start == -1 and "|" in stripped:  # a table cell whose `\|` lost its backslash
                start = self.lines.text.find(stripped.replace("|", "\\|"), cursor, end)
                escaped = start != -1
            if start == -1:
                found.append(None)
                continue
            width = len(stripped) + (stripped.count("|") if escaped else 0)
            cursors[row] = start + width
            found.append((start, escaped))
        return found

    def offset(self, inline: Token, pos: int) -> int | None:
        """Offset in the source of content offset `pos` of `inline`, or None if not found."""
        starts = self._starts.get(id(inline))
        if starts is None:
            return None
        content = inline.content
        number = content.count("\n", 0, pos)
        line_start = content.rfind("\n", 0, pos) + 1
        piece = content[line_start:].split("\n", 1)[0]
        lead = len(piece) - len(piece.lstrip(" \t"))
        column = pos - line_start - lead
        place = starts[number] if number < len(starts) else None
        if place is None or column < 0:
            return None
        start, escaped = place
        if escaped:
            column += piece[lead : lead + column].count("|")
        return start + column


@cache
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    md.use(front_matter_plugin)
    md.use(footnote_plugin, inline=False, move_to_end=False, always_match_refs=True)
    md.inline.ruler.at("footnote_ref", _located_footnote_ref)
    md.inline.ruler.at("link", _located_link)
    md.inline.ruler.at("image", _located_image)
    return md


def _located_footnote_ref(state: StateInline, silent: bool) -> bool:
    start = state.pos
    if not footnote_ref(state, silent, always_match=True):
        return False
    if not silent:
        state.tokens[-1].meta[POS] = start
    return True


def _located_link(state: StateInline, silent: bool) -> bool:
    start, count = state.pos, len(state.tokens)
    if not link(state, silent):
        return False
    if not silent:
        opened = next(t for t in state.tokens[count:] if t.type == "link_open")
        opened.meta[POS] = start
    return True


def _located_image(state: StateInline, silent: bool) -> bool:
    start = state.pos
    if not image(state, silent):
        return False
    if not silent:
        token = state.tokens[-1]
        token.meta[POS] = start
        # The alt text was parsed as a separate string that begins after `![`.
        for child in _descendants(token.children or []):
            if POS in child.meta:
                child.meta[POS] += start + 2
    return True
