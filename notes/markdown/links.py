"""Every link of a Markdown document, HTML included, and every footnote marker and definition.

Markdown links and images come from markdown-it (inline and reference style, autolinks);
HTML blocks and inline HTML are read with the standard library's HTML parser for the
attributes that point at files: `href` of `<a>` and `<link>`, `src` of `<img>`, `<video>`,
`<audio>`, `<source>`, `<iframe>`, `<embed>`. HTML comments are not read. Footnote markers
are those markdown-it sees plus `[^label]` written inside HTML (a figure caption). Line numbers
are 1-based lines of the text given. Functions take the document's tokens (one parse serves
them all).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from markdown_it.token import Token

from notes.markdown import parser
from notes.markdown.citations import MARKER

MARKDOWN = "markdown link"
IMAGE = "image"
HTML = "HTML"
_LINKING = {
    "a": "href",
    "link": "href",
    "img": "src",
    "video": "src",
    "audio": "src",
    "source": "src",
    "iframe": "src",
    "embed": "src",
}
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


@dataclass(frozen=True)
class Link:
    """A link target as written (markdown-it normalizes Markdown ones), where, and how."""

    target: str
    line: int
    kind: str
    """markdown link, image, or HTML (`<img src>`, `<a href>`...)."""

    footnote: str | None = None
    """The label of the footnote definition holding the link, if one does."""


@dataclass(frozen=True)
class Marker:
    """A footnote marker `[^label]` (or a definition `[^label]:`) and its line."""

    label: str
    line: int
    in_html: bool = False
    """Written inside HTML (a figure caption, say), where Markdown does not see it."""


def markers(tokens: list[Token]) -> list[Marker]:
    """Every footnote reference in document order: Markdown ones, then those inside HTML."""
    found = [
        Marker(child.meta["label"], parser.line_of(inline, child.meta[parser.POS]) + 1)
        for inline, child in parser.walk_inline(tokens)
        if child.type == "footnote_ref"
    ]
    return found + html_markers(tokens)


def definitions(tokens: list[Token]) -> list[Marker]:
    """Every footnote definition `[^label]: ...`, in document order."""
    return [
        Marker(token.meta["label"], token.map[0] + 1)
        for token in tokens
        if token.type == "footnote_reference_open" and token.map is not None
    ]


def scan(tokens: list[Token]) -> list[Link]:
    """Every link of a parsed document (`parser.parse(text)`), in document order."""
    found: list[Link] = []
    holders: list[str] = []
    for token in tokens:
        if token.type == "footnote_reference_open":
            holders.append(token.meta["label"])
        elif token.type == "footnote_reference_close":
            holders.pop()
        elif token.type == "html_block" and token.map is not None:
            found += _html_links(token.content, token.map[0] + 1)
        elif token.type == "inline":
            found += _inline_links(token, holders[-1] if holders else None)
    return found


def html_markers(tokens: list[Token]) -> list[Marker]:
    """Footnote markers inside HTML blocks and inline HTML (comments left out)."""
    found: list[Marker] = []
    for token in tokens:
        if token.type == "html_block" and token.map is not None:
            found += _markers(token.content, token.map[0] + 1)
        elif token.type == "inline":
            for _, child, line in _inline_html(token):
                found += _markers(child.content, line)
    return found


def _inline_links(inline: Token, footnote: str | None) -> list[Link]:
    found: list[Link] = []
    for _, child in parser.walk_inline([inline]):
        if child.type in ("link_open", "image"):
            pos = child.meta.get(parser.POS, 0) if child.meta else 0
            line = parser.line_of(inline, pos) + 1
            attr = "href" if child.type == "link_open" else "src"
            kind = MARKDOWN if child.type == "link_open" else IMAGE
            found.append(Link(str(child.attrGet(attr) or ""), line, kind, footnote))
    for _, child, line in _inline_html(inline):
        found += _html_links(child.content, line)
    return found


def _inline_html(inline: Token) -> list[tuple[Token, Token, int]]:
    """(inline, html_inline child, its 1-based line): found by searching the content."""
    result: list[tuple[Token, Token, int]] = []
    start = 0
    for child in inline.children or []:
        if child.type != "html_inline":
            continue
        where = inline.content.find(child.content, start)
        offset = max(where, 0)
        start = offset + len(child.content) if where >= 0 else start
        result.append((inline, child, parser.line_of(inline, offset) + 1))
    return result


def _markers(html: str, first_line: int) -> list[Marker]:
    html = _COMMENT.sub(lambda match: "\n" * match.group().count("\n"), html)
    return [
        Marker(match.group(1), first_line + html.count("\n", 0, match.start()), in_html=True)
        for match in MARKER.finditer(html)
    ]


def _html_links(html: str, first_line: int) -> list[Link]:
    reader = _AttributeReader()
    reader.feed(html)
    reader.close()
    return [Link(value, first_line + row - 1, HTML) for row, value in reader.found]


class _AttributeReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = _LINKING.get(tag)
        for name, value in attrs:
            if name == wanted and value is not None:
                self.found.append((self.getpos()[0], value))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
