"""Footnote citations in Markdown, read with markdown-it: find, check, relabel.

What the parser sees as a footnote counts, and so does a `[^7]` inside an HTML block (a figure
caption, say), which the parser leaves as raw HTML but which the author means as a citation
and which readers render as one. A `[^1]` inside a code span, a code block, an HTML comment
or a link destination is text, not a citation. Line numbers are 1-based lines of the text
given (a whole article file, front matter included, or a body alone).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from markdown_it.token import Token

from notes.markdown import parser

MARKER = re.compile(r"\[\^([^\]\s]+)\]")
"""A footnote marker `[^label]`, the label in group 1; a definition's `[^label]` matches too.

The one spelling of a footnote label in the project: every module that looks for markers in
raw text (inside HTML, in a whole body, in a line) uses this pattern or `REFERENCE`.
"""

REFERENCE = re.compile(MARKER.pattern + r"(?!:)")
"""A footnote reference `[^label]` in raw text, not a definition's `[^label]:`."""

DEFINITION_LINE = re.compile("^" + MARKER.pattern + r":[ \t]*(.*)$")
"""A line that starts a footnote definition, `[^label]: text`: the label in group 1, the
text in group 2 (add re.MULTILINE to find them in a whole text)."""

_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)


class CitationError(ValueError):
    """A relabeling that cannot be done safely; the message is one line."""


@dataclass(frozen=True)
class Reference:
    """A footnote reference `[^label]` in running text."""

    label: str
    line: int
    in_html: bool = False
    """Inside an HTML block, where the Markdown parser does not see it."""


@dataclass(frozen=True)
class Definition:
    """A footnote definition `[^label]: ...` spanning lines `line`..`end_line`."""

    label: str
    line: int
    end_line: int
    links: tuple[str, ...]
    """Link targets inside the definition, as markdown-it normalized them."""

    top_level: bool
    """Not nested in a list, quote or another footnote."""


@dataclass(frozen=True)
class Problem:
    line: int
    message: str


@dataclass(frozen=True)
class Citations:
    """Everything citation-related in one document, in document order."""

    references: tuple[Reference, ...]
    definitions: tuple[Definition, ...]

    def first_use_order(self) -> list[str]:
        """Labels referenced, each once, in the order they are first referenced."""
        return list(dict.fromkeys(ref.label for ref in self.references))

    def defined_labels(self) -> list[str]:
        """Labels defined, each once, in the order of their first definition."""
        return list(dict.fromkeys(d.label for d in self.definitions))


def scan(text: str, tokens: Sequence[Token] | None = None) -> Citations:
    """References and definitions of a Markdown document (`tokens`: already parsed).

    Every link of a document, with the footnote holding it, is `notes.markdown.links.scan`.
    """
    tokens = parser.parse(text) if tokens is None else tokens
    lines = parser.Lines(text)
    return Citations(
        references=tuple(_references(tokens, lines)),
        definitions=tuple(_definitions(tokens, lines)),
    )


def problems(document: str | Citations) -> list[Problem]:
    """Undefined references, unused definitions and duplicate definitions, by line.

    A marker inside HTML uses its definition, but one with no definition is not reported:
    inside HTML, `[^x]` may be plain text."""
    found = scan(document) if isinstance(document, str) else document
    defined: dict[str, Definition] = {}
    result: list[Problem] = []
    for definition in found.definitions:
        first = defined.setdefault(definition.label, definition)
        if first is not definition:
            result.append(
                Problem(
                    definition.line,
                    f"footnote [^{definition.label}] is defined twice (first on line {first.line})",
                )
            )
    reported: set[str] = set()
    for ref in found.references:
        if ref.in_html:
            continue  # it uses a definition if there is one; else it may be just text
        if ref.label not in defined and ref.label not in reported:
            reported.add(ref.label)
            result.append(Problem(ref.line, f"footnote [^{ref.label}] is used but not defined"))
    used = {ref.label for ref in found.references}
    for label, definition in defined.items():
        if label not in used:
            result.append(
                Problem(definition.line, f"footnote [^{label}] is defined but never used")
            )
    return sorted(result, key=lambda problem: problem.line)


def numbering(document: str | Citations) -> dict[str, str]:
    """Old label -> "1".."N": referenced labels in order of first use, then labels only
    defined, in the order they are defined (so no citation is dropped)."""
    found = scan(document) if isinstance(document, str) else document
    order = found.first_use_order()
    order += [label for label in found.defined_labels() if label not in set(order)]
    return {label: str(number) for number, label in enumerate(order, start=1)}


def relabel(text: str, mapping: Mapping[str, str]) -> str:
    """Rewrite footnote labels per `mapping` (old -> new), in references and definitions.

    Only the label inside each footnote marker changes; every other byte stays. Labels not in
    `mapping` stay as they are. All markers change at once, so {"1": "2", "2": "1"} swaps.
    Raises CitationError if a new label is not a valid footnote label, if two labels would
    become one, or if a marker cannot be placed in the source.
    """
    for new in mapping.values():
        if not is_label(new):
            raise CitationError(f"not a footnote label: {new!r}")
    markers = _markers(text)
    _refuse_merges({label for _, label in markers}, mapping)
    pieces: list[str] = []
    done = 0
    for offset, label in sorted(markers):
        if label not in mapping:
            continue
        start = offset + 2  # after "[^"
        pieces += [text[done:start], mapping[label]]
        done = start + len(label)
    pieces.append(text[done:])
    return "".join(pieces)


def is_label(label: str) -> bool:
    """Whether `label` can stand in `[^label]`: not empty, no blanks, no brackets."""
    return bool(label) and not any(c.isspace() or c in "[]" for c in label)


def _refuse_merges(labels: set[str], mapping: Mapping[str, str]) -> None:
    targets = Counter(mapping.get(label, label) for label in labels)
    merged = sorted(label for label, count in targets.items() if count > 1)
    if merged:
        raise CitationError(f"relabeling would merge footnotes into [^{merged[0]}]")


def _references(tokens: Sequence[Token], lines: parser.Lines) -> list[Reference]:
    found = [
        Reference(child.meta["label"], parser.line_of(inline, child.meta[parser.POS]) + 1)
        for inline, child in parser.walk_inline(tokens)
        if child.type == "footnote_ref"
    ]
    found += [
        Reference(label, lines.text.count("\n", 0, offset) + 1, in_html=True)
        for offset, label in _html_markers(tokens, lines)
    ]
    return sorted(found, key=lambda ref: ref.line)


def _html_markers(tokens: Sequence[Token], lines: parser.Lines) -> list[tuple[int, str]]:
    """(offset of `[^`, label) of each footnote marker inside an HTML block, comments aside."""
    markers: list[tuple[int, str]] = []
    for token in tokens:
        if token.type != "html_block" or token.map is None:
            continue
        start = lines.starts[token.map[0]]
        end = lines.ends[min(token.map[1], len(lines)) - 1]
        source = _COMMENT.sub(lambda m: " " * len(m.group()), lines.text[start:end])
        markers += [(start + m.start(), m.group(1)) for m in REFERENCE.finditer(source)]
    return markers


def _definitions(tokens: Sequence[Token], lines: parser.Lines) -> list[Definition]:
    result: list[Definition] = []
    for index, token in enumerate(tokens):
        if token.type != "footnote_reference_open" or token.map is None:
            continue
        start, stop = token.map
        last = max(start, _last_filled(lines, start, stop))
        result.append(
            Definition(
                label=token.meta["label"],
                line=start + 1,
                end_line=last + 1,
                links=tuple(_links_inside(tokens, index)),
                top_level=token.level == 0,
            )
        )
    return result


def _last_filled(lines: parser.Lines, start: int, stop: int) -> int:
    for number in range(min(stop, len(lines)) - 1, start - 1, -1):
        if lines.line(number).strip():
            return number
    return start


def _links_inside(tokens: Sequence[Token], index: int) -> list[str]:
    depth = 0
    targets: list[str] = []
    for token in tokens[index:]:
        depth += {"footnote_reference_open": 1, "footnote_reference_close": -1}.get(token.type, 0)
        if depth == 0:
            break
        if token.type == "inline":
            targets += [
                str(child.attrGet("href") or "")
                for _, child in parser.walk_inline([token])
                if child.type == "link_open"
            ]
    return targets


def _markers(text: str) -> list[tuple[int, str]]:
    """(offset of `[^`, label) for every reference and definition marker in `text`."""
    tokens = parser.parse(text)
    locator = parser.Locator(text, tokens)
    markers: list[tuple[int, str]] = []
    for inline, child in parser.walk_inline(tokens):
        if child.type == "footnote_ref":
            label = child.meta["label"]
            offset = locator.offset(inline, child.meta[parser.POS])
            line = parser.line_of(inline, child.meta[parser.POS]) + 1
            markers.append((_checked(text, offset, f"[^{label}]", line), label))
    markers += _html_markers(tokens, locator.lines)
    for token in tokens:
        if token.type == "footnote_reference_open" and token.map is not None:
            label = token.meta["label"]
            row = token.map[0]
            found = locator.lines.text.find(
                f"[^{label}]:", locator.lines.starts[row], locator.lines.ends[row]
            )
            markers.append((_checked(text, found, f"[^{label}]:", row + 1), label))
    return markers


def _checked(text: str, offset: int | None, marker: str, line: int) -> int:
    if offset is None or offset < 0 or not text.startswith(marker, offset):
        raise CitationError(f"line {line}: cannot place footnote {marker.rstrip(':')} in the text")
    return offset
