"""Moving passages from one article to another, footnotes and all: pure text.

An edit `move_after`/`move_before` whose `article` names another article takes its anchor's
lines out of this article and puts them into that one: after or before the lines of its
`target` there, or, with no target, at the end of its text (before its footnote
definitions). Each footnote the moved lines cite is carried along: its definition goes with
them, renumbered after the destination's own (as new sources are), its relative links
rewritten for the destination's folder. In the source article, a definition no longer cited
goes (notes.markdown.edits).
"""

from __future__ import annotations

import posixpath
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from notes.markdown import citations, merge
from notes.markdown.edits import Edit, EditRejected, apply_edits, find_anchor, split_lines
from notes.markdown.splice import Placed, SpliceError, splice


@dataclass(frozen=True)
class Moved:
    """The source article after its edits, and each destination after the moves into it."""

    source: str
    destinations: dict[str, str]


def move_between(
    source: str,
    source_path: str,
    edits: Sequence[Edit],
    destinations: Mapping[str, str],
    known_sources: Collection[str] = (),
) -> Moved:
    """Apply `edits` to `source` (at KB path `source_path`) and carry the moved passages
    into `destinations` (path -> current text; for a new article, the text it starts with,
    front matter and title made by the caller). Raises EditRejected."""
    after = apply_edits(source, edits, known_sources)
    lines = split_lines(source)
    found = citations.scan(source)
    result: dict[str, str] = {}
    problems: list[str] = []
    for path in dict.fromkeys(e.article for e in edits if e.article):
        if path not in destinations:
            problems.append(f"no text given for the destination {path}")
            continue
        moving = [(n, e) for n, e in enumerate(edits, start=1) if e.article == path]
        try:
            result[path] = _move_in(destinations[path], path, source_path, lines, found, moving)
        except EditRejected as rejected:
            problems += rejected.problems
    if problems:
        raise EditRejected(problems)
    return Moved(after, result)


def _move_in(
    text: str,
    path: str,
    source_path: str,
    source_lines: Sequence[str],
    found: citations.Citations,
    moving: Sequence[tuple[int, Edit]],
) -> str:
    lines = split_lines(text)
    taken = set(_labels(text))
    placed: list[Placed] = []
    definitions: dict[str, str] = {}
    problems: list[str] = []
    for number, edit in moving:
        block = "".join(source_lines[i] for i in _rows(source_lines, edit.anchor))
        at = _place(text, lines, edit, number, problems)
        if at is None:
            continue
        mapping: dict[str, str] = {}
        for label in citations.scan(block).first_use_order():
            temporary = _free(f"moved{len(definitions) + 1}", taken)
            taken.add(temporary)
            mapping[label] = temporary
            definitions[temporary] = _carried(found, source_lines, label, source_path, path)
        block = citations.relabel(block, mapping)
        trimmed = block.strip("\n") + "\n"  # its blank edges: set apart anew below
        spaced = _set_apart(lines, at, split_lines(trimmed))
        placed.append(Placed(number, edit.op, None, at, tuple(spaced)))
    if problems:
        raise EditRejected(problems)
    try:
        return splice(text, lines, placed, definitions)
    except SpliceError as error:
        raise EditRejected([str(error)]) from None


def _rows(lines: Sequence[str], anchor: str) -> range:
    """The rows of the source the anchor names (apply_edits has checked it matches once)."""
    start = find_anchor(lines, anchor)[0]
    return range(start, start + len(anchor.removesuffix("\n").split("\n")))


def _place(
    text: str, lines: Sequence[str], edit: Edit, number: int, problems: list[str]
) -> int | None:
    """Where the moved lines go in the destination: by the target, else at the end of its
    text, before its footnote definitions."""
    if not edit.target:
        sources = merge._sources_heading(merge.headings(text))
        return merge._after_last_text(list(lines), merge._notes_start(text, list(lines), sources))
    found = find_anchor(lines, edit.target)
    if len(found) != 1:
        problems.append(
            f"edit {number} ({edit.op}): the target matches {len(found)} places in "
            f"{edit.article}: copy whole lines that occur there once"
        )
        return None
    size = len(edit.target.removesuffix("\n").split("\n"))
    return found[0] + size if edit.op == "move_after" else found[0]


def _set_apart(lines: Sequence[str], at: int, block: list[str]) -> list[str]:
    """A blank line between the moved passage and the text around it, where none is."""
    before = ["\n"] if at > 0 and lines[at - 1].strip() and block[0].strip() else []
    after = ["\n"] if at < len(lines) and lines[at].strip() and block[-1].strip() else []
    return before + block + after


def _labels(text: str) -> list[str]:
    found = citations.scan(text)
    return [ref.label for ref in found.references] + found.defined_labels()


def _free(label: str, taken: set[str]) -> str:
    while label in taken:
        label += "x"
    return label


def _carried(
    found: citations.Citations,
    lines: Sequence[str],
    label: str,
    source_path: str,
    path: str,
) -> str:
    """The definition text of `label` in the source, its relative links made right for
    the article at `path`."""
    definition = next((d for d in found.definitions if d.label == label), None)
    if definition is None:
        return f"(the source of [^{label}] was not found)"
    text = "".join(lines[definition.line - 1 : definition.end_line]).strip()
    text = text.split(":", 1)[1].strip() if text.startswith(f"[^{label}]:") else text
    for link in definition.links:
        moved = _relinked(link, source_path, path)
        if moved != link:
            text = text.replace(f"]({link})", f"]({moved})")
    return text


def _relinked(link: str, source_path: str, path: str) -> str:
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or link.startswith(("/", "#")):
        return link
    here = posixpath.dirname(source_path)
    target = posixpath.normpath(posixpath.join(here, parts.path))
    moved = posixpath.relpath(target, posixpath.dirname(path) or ".")
    return moved + (f"#{parts.fragment}" if parts.fragment else "")
