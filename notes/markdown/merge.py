"""Putting new material into an existing article without rewriting a byte of it.

The model sees the article with its citations relabelled `[^E1]`.. (markers inside HTML
included) and answers with insertions citing new sources as `[^S1]`.. and old ones as
`[^E2]`... Only the insertions are relabelled back: `E` ids to the author's own labels, `S`
ids to the next free footnote numbers. Each insertion goes after the end of an existing
section's own text, or as a new section at the end, before the footnote definitions (the
`## Sources` section, or the author's block of definitions when it has no heading); in a
document whose dated sections run newest-first (his weekly log), a new section goes at the
top instead, before the first dated heading (notes.markdown.dated). The new
definitions follow the last existing one. The old text is never rewritten: a line diff of a
merge shows added lines only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Protocol
from urllib.parse import unquote

from notes.markdown import articles, citations, dated, parser
from notes.markdown.refused import Refused


class Insertion(Protocol):
    """One piece of new text as the model proposes it (the drafting answers' `Insertion` is one).

    `section` names the existing section it ends (None: a new section under `heading`).
    """

    @property
    def section(self) -> str | None: ...

    @property
    def heading(self) -> str | None: ...

    @property
    def markdown(self) -> str: ...


class MergeError(Refused):
    """The insertions cannot be merged; `problems` says why, one line each."""


@dataclass(frozen=True)
class Heading:
    text: str
    level: int
    line: int
    """0-based line of the heading in the body."""


@dataclass(frozen=True)
class View:
    """The article as the update prompt shows it."""

    text: str
    """The body with citations as `[^E1]`.. and the Sources section as note names only."""

    labels: dict[str, str]
    """Old label -> `E` label."""

    sections: list[str]
    """Headings an insertion may name."""


@dataclass(frozen=True)
class Merged:
    body: str
    numbers: dict[str, str]
    """Each new source id (`S1`..) cited -> its footnote number."""


def headings(body: str) -> list[Heading]:
    """Top-level headings (not in quotes, lists or code), in order."""
    tokens = parser.parse(body)
    found = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.level == 0 and token.map is not None:
            text = parser.plain_text(tokens[index + 1])
            found.append(Heading(text, int(token.tag[1:]), token.map[0]))
    return found


def view(body: str) -> View:
    """What the model sees of an article it is to add to.

    The body with every citation relabelled `[^E1]`.. in order of first use, without its
    footnote definitions, which are listed after it by note name only (no paths).
    """
    found = citations.scan(body)
    labels = {old: f"E{number}" for old, number in citations.numbering(found).items()}
    relabelled = citations.relabel(body, labels)
    lines = parser.Lines(relabelled)
    all_headings = headings(relabelled)
    sources = _sources_heading(all_headings)
    hidden = _definition_lines(citations.scan(relabelled))
    if sources is not None:
        hidden |= set(range(sources.line, _section_end(all_headings, sources, len(lines))))
    kept = [lines.line(n) for n in range(len(lines)) if n not in hidden]
    names = {labels[d.label]: _note_name(d.links) for d in found.definitions}
    listing = [f"[^{e}]: {names[e]}" for e in sorted(names, key=lambda e: int(e[1:]))]
    text = "\n".join(kept).rstrip("\n") + "\n"
    if listing:
        text += "\n## Sources (existing citations)\n\n" + "\n".join(listing) + "\n"
    sections = [h.text for h in all_headings if h is not sources and h.level > 1]
    return View(text, labels, sections)


def merge(
    body: str,
    insertions: Sequence[Insertion],
    labels: Mapping[str, str],
    definitions: Mapping[str, str],
) -> Merged:
    """`body` with `insertions` and the definitions of the new sources they cite added.

    `labels` is `View.labels` (old label -> E label); `definitions` maps each new source id
    (`S1`..) to its definition text, e.g. `[NAME](../inbox/used/NAME)`. Every line of `body`
    stays as it is, in order; new sources take the numbers after the highest one in `body`,
    in the order they first appear in the merged text.
    """
    back = {e: old for old, e in labels.items()}
    problems = _insertion_problems(insertions, set(back), set(definitions))
    if problems:
        raise MergeError(problems)
    lines = _lines(body)
    placed = sorted(_placements(body, lines, insertions), key=lambda item: (item[0], item[1]))
    numbers = _new_numbers(body, [block for _, _, block in placed], set(definitions))
    mapping = {**back, **numbers}
    for at, _, block in reversed(placed):
        try:
            relabelled = citations.relabel("".join(block), mapping)
        except citations.CitationError as error:
            raise MergeError([f"an insertion's footnotes cannot be relabelled: {error}"]) from None
        lines[at:at] = relabelled.splitlines(keepends=True)
    added = [(numbers[s], definitions[s]) for s in sorted(numbers, key=lambda s: int(numbers[s]))]
    return Merged(_add_definitions("".join(lines), added), numbers)


def survival_problems(original: str, merged: Merged) -> list[str]:
    """Why the old text or an old citation did not come through the merge, if it did not."""
    problems = []
    if not _is_subsequence(_lines(original), _lines(merged.body)):
        problems.append("the existing text of the article did not survive unchanged")
    before, after = citations.scan(original), citations.scan(merged.body)
    count_after = Counter((ref.label, ref.in_html) for ref in after.references)
    links_after = {d.label: d.links for d in after.definitions}
    for definition in before.definitions:
        if links_after.get(definition.label) != definition.links:
            problems.append(f"the existing citation [^{definition.label}] was lost")
    for (label, in_html), count in Counter(
        (ref.label, ref.in_html) for ref in before.references
    ).items():
        if count_after[label, in_html] < count:
            problems.append(
                f"a reference to the existing citation [^{label}] was lost "
                "(an insertion may have left a code block or HTML open)"
            )
    return list(dict.fromkeys(problems))


def _insertion_problems(insertions: Sequence[Insertion], old: set[str], new: set[str]) -> list[str]:
    problems = []
    if not insertions:
        problems.append("there are no insertions: add the new material from the sources")
    for number, insertion in enumerate(insertions, start=1):
        where = f"insertion {number}"
        if not insertion.markdown.strip():
            problems.append(f"{where} is empty")
        if insertion.section is None and not (insertion.heading or "").strip(" #"):
            problems.append(f"{where} is a new section without a heading")
        inner = headings(insertion.markdown)
        if articles.is_sources_heading((insertion.heading or "").strip(" #"), 2) or any(
            articles.is_sources_heading(h.text, h.level) for h in inner
        ):
            problems.append(f"{where}: the Sources section is written by the program")
        found = citations.scan(insertion.markdown)
        if found.definitions:
            problems.append(f"{where} defines footnotes: cite sources as [^S1] only")
        for label in dict.fromkeys(ref.label for ref in found.references):
            if label not in old and label not in new:
                problems.append(f"{where} cites unknown source [^{label}]")
    return problems


def _placements(
    body: str, lines: list[str], insertions: Sequence[Insertion]
) -> list[tuple[int, int, list[str]]]:
    """(line to insert before, insertion number, lines to insert) for each insertion."""
    all_headings = headings(body)
    sources = _sources_heading(all_headings)
    limit = _notes_start(body, lines, sources)
    top = dated.newest_first_top([(h.text, h.line) for h in all_headings if h.line < limit])
    problems: list[str] = []
    placed: list[tuple[int, int, list[str]]] = []
    for number, insertion in enumerate(insertions, start=1):
        block = insertion.markdown.strip("\n").splitlines()
        if insertion.section is None:
            heading = "## " + (insertion.heading or "").strip().lstrip("#").strip()
            at = limit if top is None else top
            block = [heading, "", *block]
        else:
            target = _find(all_headings, insertion.section, sources)
            if target is None:
                known = ", ".join(repr(h.text) for h in all_headings if h is not sources)
                problems.append(
                    f"insertion {number}: there is no section {insertion.section!r} "
                    f"(sections: {known or 'none'}); use null for a new section"
                )
                continue
            at = _own_text_end(all_headings, target, len(lines))
            if target.line < limit:
                at = min(at, limit)
        at = _after_last_text(lines, at)
        after = [""] if at < len(lines) and lines[at].strip() else []
        placed.append((at, number, [line + "\n" for line in ["", *block, *after]]))
    if problems:
        raise MergeError(problems)
    return placed


def _new_numbers(body: str, blocks: Sequence[list[str]], ids: set[str]) -> dict[str, str]:
    """New source id -> the next free footnote number, in order of first appearance."""
    taken = {label for label in citations.MARKER.findall(body)}
    number = max((int(label) for label in taken if label.isdigit()), default=0)
    numbers: dict[str, str] = {}
    for block in blocks:
        for ref in citations.scan("".join(block)).references:
            if ref.label in ids and ref.label not in numbers:
                number += 1
                numbers[ref.label] = str(number)
    return numbers


def _find(all_headings: list[Heading], name: str, sources: Heading | None) -> Heading | None:
    wanted = name.strip().lstrip("#").strip()
    candidates = [h for h in all_headings if h is not sources]
    exact = [h for h in candidates if h.text == wanted]
    loose = [h for h in candidates if h.text.casefold() == wanted.casefold()]
    matches = exact or loose
    return matches[0] if matches else None


def _own_text_end(all_headings: list[Heading], heading: Heading, total: int) -> int:
    """The line of the next heading of any level: the section's own text ends there."""
    later = [h.line for h in all_headings if h.line > heading.line]
    return later[0] if later else total


def _section_end(all_headings: list[Heading], heading: Heading, total: int) -> int:
    later = [h.line for h in all_headings if h.line > heading.line and h.level <= heading.level]
    return later[0] if later else total


def _after_last_text(lines: list[str], at: int) -> int:
    while at > 0 and not lines[at - 1].strip():
        at -= 1
    return at


def _sources_heading(all_headings: list[Heading]) -> Heading | None:
    matches = [h for h in all_headings if articles.is_sources_heading(h.text, h.level)]
    return matches[-1] if matches else None


def _notes_start(body: str, lines: list[str], sources: Heading | None) -> int:
    """Where the footnote definitions begin: new sections go before this line.

    The Sources heading; without one, the first line of the definitions (and blank lines)
    that end the body; without those, the end.
    """
    if sources is not None:
        return sources.line
    covered = _definition_lines(citations.scan(body))
    start = len(lines)
    while start > 0 and (start - 1 in covered or not lines[start - 1].strip()):
        start -= 1
    return next((n for n in range(start, len(lines)) if n in covered), len(lines))


def _definition_lines(found: citations.Citations) -> set[int]:
    """0-based lines of the top-level footnote definitions."""
    return {n for d in found.definitions if d.top_level for n in range(d.line - 1, d.end_line)}


def _add_definitions(body: str, definitions: list[tuple[str, str]]) -> str:
    """New definitions after the last existing one: in the Sources section when there is
    one, else in the author's block of definitions; a new Sources section when neither is.
    Blank lines between them when the author's last two have one between them."""
    if not definitions:
        return body
    lines = _lines(body)
    all_headings = headings(body)
    sources = _sources_heading(all_headings)
    block = [d for d in citations.scan(body).definitions if d.top_level]
    if sources is not None:
        end = _section_end(all_headings, sources, len(lines))
        block = [d for d in block if sources.line < d.line - 1 < end]
    added = [f"[^{label}]: {text}\n" for label, text in definitions]
    if block:
        at = block[-1].end_line
        if len(block) > 1 and block[-2].end_line < block[-1].line - 1:
            added = [line for definition in added for line in ("\n", definition)]
    elif sources is not None:
        at = _after_last_text(lines, _section_end(all_headings, sources, len(lines)))
        added = ["\n", *added]
    else:
        at = len(lines)
        heading = [f"{articles.SOURCES_HEADING}\n", "\n"]
        added = ["\n", *heading, *added] if lines and lines[-1].strip() else [*heading, *added]
    lines[at:at] = added
    return "".join(lines)


def _lines(text: str) -> list[str]:
    """The lines of `text` with their ends, the last one given a newline if it has none."""
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += "\n"
    return lines


def _note_name(links: Sequence[str]) -> str:
    return PurePosixPath(unquote(links[0])).name if links else "(no link)"


def _is_subsequence(needle: list[str], haystack: list[str]) -> bool:
    remaining = iter(haystack)
    return all(any(line == candidate for candidate in remaining) for line in needle)
