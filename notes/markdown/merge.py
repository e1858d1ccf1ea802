"""Putting new material into an existing article without rewriting a byte of it.

The model sees the article with its citations relabelled `[^E1]`.. and answers with
insertions citing new sources as `[^S1]`.. (and old ones as `[^E2]`..). Each insertion goes
after the end of an existing section's own text, or as a new section at the end, before
`## Sources`. Then every footnote is renumbered `[^1]`.. in order of first use and the new
definitions join the Sources section. The only bytes of the old text that may change are
footnote labels.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote

from notes.drafting.answers import Insertion
from notes.markdown import citations, parser

SOURCES = "Sources"
_MARKER = re.compile(r"\[\^[^\]\s]+\]")
_SOURCE_LABEL = re.compile(r"S\d+(?:@[\d:]+-[\d:]+)?")
"""A new source's citation: `S1`, or a moment of it, `S1@12:30-13:10`."""


class MergeError(ValueError):
    """The insertions cannot be merged; `problems` says why, one line each."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = list(problems)


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
    """Every label of the merge (old labels and `S` ids) -> its final number."""

    old: dict[str, str]
    """Old label -> final number."""


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
    """What the model sees of an article it is to add to."""
    found = citations.scan(body)
    labels = {old: f"E{number}" for old, number in citations.numbering(found).items()}
    relabelled = citations.relabel(body, labels)
    lines = parser.Lines(relabelled)
    all_headings = headings(relabelled)
    sources = _sources_heading(all_headings)
    if sources is not None:
        end = _section_end(all_headings, sources, len(lines))
        kept = [lines.line(n) for n in range(len(lines)) if not sources.line <= n < end]
        relabelled = "\n".join(kept).rstrip("\n") + "\n"
    names = {labels[d.label]: _note_name(d.links) for d in found.definitions}
    listing = [f"[^{e}]: {names[e]}" for e in sorted(names, key=lambda e: int(e[1:]))]
    text = relabelled.rstrip("\n") + "\n"
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
    """`body` with `insertions`, every footnote renumbered and the Sources section rebuilt.

    `labels` is `View.labels` (old label -> E label); `definitions` maps each new source id
    (`S1`..) to its definition text, e.g. `[NAME](../inbox/used/NAME)`.
    """
    back = {e: old for old, e in labels.items()}
    problems = _insertion_problems(insertions, set(back), set(definitions))
    if problems:
        raise MergeError(problems)
    try:
        working = citations.relabel(body, labels)
    except citations.CitationError as error:
        raise MergeError([f"the article's footnotes cannot be relabelled: {error}"]) from None
    working = _insert(working, insertions)
    cited = _cited_sources(insertions)
    working = _add_definitions(working, [(s, definitions[s]) for s in definitions if s in cited])
    numbers = citations.numbering(working)
    result = _ordered_sources(citations.relabel(working, numbers))
    old = {label: numbers[e] for label, e in labels.items() if e in numbers}
    new = {label: numbers[label] for label in cited if label in numbers}
    return Merged(result, {**old, **new}, old)


def survival_problems(original: str, merged: Merged) -> list[str]:
    """Why the old text or an old citation did not come through the merge, if it did not."""
    problems = []
    if not _is_subsequence(_prose_lines(original), _prose_lines(merged.body)):
        problems.append("the existing text of the article did not survive unchanged")
    before, after = citations.scan(original), citations.scan(merged.body)
    count_before = Counter(ref.label for ref in before.references)
    count_after = Counter(ref.label for ref in after.references)
    links_after = {d.label: d.links for d in after.definitions}
    for definition in before.definitions:
        new = merged.old.get(definition.label)
        if new is None or links_after.get(new) != definition.links:
            problems.append(f"the existing citation [^{definition.label}] was lost")
    for label, count in count_before.items():
        new = merged.old.get(label)
        if new is None or count_after[new] < count:
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
        if (insertion.heading or "").strip(" #").casefold() == SOURCES.casefold():
            problems.append(f"{where}: the Sources section is written by the program")
        if any(h.text.casefold() == SOURCES.casefold() for h in headings(insertion.markdown)):
            problems.append(f"{where}: the Sources section is written by the program")
        found = citations.scan(insertion.markdown)
        if found.definitions:
            problems.append(f"{where} defines footnotes: cite sources as [^S1] only")
        for label in dict.fromkeys(ref.label for ref in found.references):
            if label not in old and label not in new:
                problems.append(f"{where} cites unknown source [^{label}]")
    return problems


def _insert(body: str, insertions: Sequence[Insertion]) -> str:
    lines = body.splitlines(keepends=True)
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += "\n"
    all_headings = headings(body)
    sources = _sources_heading(all_headings)
    problems: list[str] = []
    placed: list[tuple[int, int, list[str]]] = []
    for number, insertion in enumerate(insertions, start=1):
        block = insertion.markdown.strip("\n").splitlines()
        if insertion.section is None:
            heading = "## " + (insertion.heading or "").strip().lstrip("#").strip()
            at = sources.line if sources is not None else len(lines)
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
        at = _after_last_text(lines, at)
        placed.append((at, number, ["\n", *(line + "\n" for line in block)]))
    if problems:
        raise MergeError(problems)
    for at, _, block in sorted(placed, key=lambda item: (item[0], item[1]), reverse=True):
        lines[at:at] = block
    return "".join(lines)


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
    matches = [h for h in all_headings if h.level == 2 and h.text.casefold() == "sources"]
    return matches[-1] if matches else None


def _cited_sources(insertions: Sequence[Insertion]) -> set[str]:
    return {
        ref.label
        for insertion in insertions
        for ref in citations.scan(insertion.markdown).references
        if _SOURCE_LABEL.fullmatch(ref.label)
    }


def _add_definitions(body: str, definitions: list[tuple[str, str]]) -> str:
    """New definitions after the last definition of the Sources section (made if missing)."""
    if not definitions:
        return body
    added = [f"[^{label}]: {text}\n" for label, text in definitions]
    lines = body.splitlines(keepends=True)
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += "\n"
    all_headings = headings(body)
    sources = _sources_heading(all_headings)
    if sources is None:
        return "".join(lines).rstrip("\n") + f"\n\n## {SOURCES}\n\n" + "".join(added)
    end = _section_end(all_headings, sources, len(lines))
    in_section = [
        d
        for d in citations.scan(body).definitions
        if d.top_level and sources.line < d.line - 1 < end
    ]
    at = in_section[-1].end_line if in_section else _after_last_text(lines, end)
    if not in_section and at == sources.line + 1:
        added = ["\n", *added]
    lines[at:at] = added
    return "".join(lines)


def _ordered_sources(body: str) -> str:
    """Sort the Sources section's definitions by number, when it holds nothing else."""
    lines = body.splitlines(keepends=True)
    all_headings = headings(body)
    sources = _sources_heading(all_headings)
    if sources is None:
        return body
    end = _section_end(all_headings, sources, len(lines))
    blocks = [
        d
        for d in citations.scan(body).definitions
        if d.top_level and sources.line < d.line - 1 < end
    ]
    if not blocks or not all(label.isdigit() for label in (d.label for d in blocks)):
        return body
    first, last = blocks[0].line - 1, blocks[-1].end_line
    covered = {n for d in blocks for n in range(d.line - 1, d.end_line)}
    if any(lines[n].strip() and n not in covered for n in range(first, last)):
        return body  # the author keeps other text among the definitions: leave the order
    texts = {d.label: "".join(lines[d.line - 1 : d.end_line]) for d in blocks}
    if len(texts) != len(blocks):
        return body
    ordered = [texts[label] for label in sorted(texts, key=int)]
    if not ordered[-1].endswith("\n"):
        ordered[-1] += "\n"
    tail = "".join(lines[last:])
    return "".join(lines[:first]) + "".join(ordered) + tail


def _note_name(links: Sequence[str]) -> str:
    return PurePosixPath(unquote(links[0])).name if links else "(no link)"


def _prose_lines(text: str) -> list[str]:
    """Non-blank lines outside footnote definitions, footnote labels blanked: the text as it
    must survive a merge (definitions are reordered and checked by their links instead)."""
    lines = parser.Lines(text)
    skip = {
        n
        for d in citations.scan(text).definitions
        if d.top_level
        for n in range(d.line - 1, d.end_line)
    }
    return [
        _MARKER.sub("[^]", lines.line(n).rstrip())
        for n in range(len(lines))
        if n not in skip and lines.line(n).strip()
    ]


def _is_subsequence(needle: list[str], haystack: list[str]) -> bool:
    remaining = iter(haystack)
    return all(any(line == candidate for candidate in remaining) for line in needle)
