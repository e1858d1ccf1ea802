"""Revising an article by exact edits anchored to its own lines: pure text, no I/O.

An edit names one or more whole lines of the article as it was before any edit (its
`anchor`, copied exactly) and says what happens to them: `replace` them with `text`,
`delete` them, insert `text` after or before them, or move them after or before the lines
of `target`. The code applies the edits, never the model; an answer whose edits cannot all
be applied is rejected whole (EditRejected, one line per problem) and nothing changes.

Guarantees of `apply_edits`:
- every line outside the spans the edits name stays byte for byte, in order;
- `text` is inserted exactly as given (a final newline is added when it has none);
- the front matter is never touched, except an `updated:` line replaced by another;
- footnotes keep their labels; a definition whose last reference an edit removed goes
  with it; new text cites new sources as `[^S1]`.., which take the next free numbers, their
  definitions added after the last existing one (as notes.markdown.merge adds them).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from notes.markdown import citations, frontmatter
from notes.markdown.refused import Refused
from notes.markdown.splice import Placed, Span, SpliceError, splice

OPS = ("replace", "delete", "insert_after", "insert_before", "move_after", "move_before")
_TEXT_OPS = ("replace", "insert_after", "insert_before")
_AFTER = ("insert_after", "move_after")


class EditRejected(Refused):
    """The edits cannot be applied as asked; `problems` says why, one line each."""


@dataclass(frozen=True)
class Edit:
    """One change, anchored to whole lines of the article as it was before any edit."""

    op: str
    anchor: str
    text: str = ""
    """New Markdown: for replace and inserts; ignored otherwise."""

    target: str = ""
    """Whole lines the moved text goes after or before: for moves only."""

    article: str = ""
    """For a move to another article: its path; empty for a move within the article."""


def split_lines(text: str) -> list[str]:
    """The lines of `text` with their ends; joined, they give `text` back exactly.

    Only a newline ends a line (a U+2028 or form feed inside a line is text, as in git)."""
    pieces = text.split("\n")
    lines = [piece + "\n" for piece in pieces[:-1]]
    return [*lines, pieces[-1]] if pieces[-1] else lines


def anchor_lines(anchor: str) -> list[str]:
    """The lines an anchor names, without line ends (one final newline is allowed)."""
    stripped = anchor.removesuffix("\n").removesuffix("\r")
    return [line.removesuffix("\r") for line in stripped.split("\n")]


def find_anchor(lines: Sequence[str], anchor: str) -> list[int]:
    """Each 0-based line where the whole lines of `anchor` stand in `lines`, in order."""
    wanted = anchor_lines(anchor)
    bare = [line.rstrip("\r\n") for line in lines]
    size = len(wanted)
    first = wanted[0]
    return [
        start
        for start in range(len(bare) - size + 1)
        if bare[start] == first and bare[start : start + size] == wanted
    ]


def text_lines(text: str) -> tuple[str, ...]:
    """`text` as lines to insert, each ending in a newline."""
    if not text:
        return ()
    return tuple(split_lines(text if text.endswith("\n") else text + "\n"))


def apply_edits(
    article: str,
    edits: Sequence[Edit],
    known_sources: Collection[str] = (),
    *,
    allow_front_matter: bool = False,
) -> str:
    """`article` with `edits` applied, or EditRejected listing every problem.

    `known_sources` are the ids (`S1`..) new text may cite; given as a mapping, its values
    are the definitions' text (`[name](../inbox/used/name)`), which a cited new source
    needs. `allow_front_matter` lets edits change the front matter: only for replaying a
    change the author made himself (the oracle), never for a model's answer.
    """
    lines = split_lines(article)
    placed, problems = locate(lines, edits)
    if not allow_front_matter:
        problems += _front_matter_problems(article, lines, placed)
    problems += _overlap_problems(placed)
    cited, unknown = _new_sources(article, edits, known_sources)
    problems += unknown
    if problems:
        raise EditRejected(problems)
    definitions = dict(known_sources) if isinstance(known_sources, Mapping) else {}
    missing = sorted(cited - set(definitions))
    if missing:
        raise ValueError(f"no definition given for the new source [^{missing[0]}]")
    try:
        return splice(article, lines, placed, {s: definitions[s] for s in cited})
    except SpliceError as error:
        raise EditRejected([str(error)]) from None


def locate(lines: Sequence[str], edits: Sequence[Edit]) -> tuple[list[Placed], list[str]]:
    """Each edit placed in `lines`, and the problems of those that cannot be."""
    placed: list[Placed] = []
    problems: list[str] = []
    for number, edit in enumerate(edits, start=1):
        where = f"edit {number} ({edit.op})"
        if edit.op not in OPS:
            problems.append(f"edit {number}: unknown op {edit.op!r} (one of {', '.join(OPS)})")
            continue
        span = _span(lines, edit.anchor, f"{where}: the anchor", problems)
        if edit.op in _TEXT_OPS and edit.op != "replace" and not edit.text:
            problems.append(f"{where}: the text to insert is empty")
            continue
        if span is None:
            continue
        if edit.article:
            if not edit.op.startswith("move"):
                problems.append(f"{where}: only a move goes to another article")
                continue
            placed.append(Placed(number, "delete", span, None))  # taken out; goes elsewhere
        elif edit.op.startswith("move"):
            target = _span(lines, edit.target, f"{where}: the target", problems)
            if target is None:
                continue
            at = target.end if edit.op in _AFTER else target.start
            if span.holds(at) or target.shares(span):
                problems.append(f"{where}: the target lies inside the lines it moves")
                continue
            moved = tuple(lines[span.start : span.end])
            placed.append(Placed(number, edit.op, span, at, moved, moved=True))
        elif edit.op == "delete":
            placed.append(Placed(number, edit.op, span, None))
        elif edit.op == "replace":
            placed.append(Placed(number, edit.op, span, span.start, text_lines(edit.text)))
        else:
            at = span.end if edit.op in _AFTER else span.start
            placed.append(Placed(number, edit.op, None, at, text_lines(edit.text)))
    return placed, problems


def _span(lines: Sequence[str], anchor: str, what: str, problems: list[str]) -> Span | None:
    if not anchor.strip():
        problems.append(f"{what} is empty: copy one or more whole lines of the article")
        return None
    found = find_anchor(lines, anchor)
    size = len(anchor_lines(anchor))
    if len(found) == 1:
        return Span(found[0], found[0] + size)
    start = _shown(anchor)
    if not found:
        inside = any(anchor_lines(anchor)[0] in line for line in lines)
        hint = " (it is part of a line: copy whole lines)" if inside else ""
        problems.append(f"{what} {start} matches no whole lines of the article{hint}")
    else:
        at = ", ".join(str(n + 1) for n in found[:5])
        problems.append(
            f"{what} {start} matches {len(found)} places (lines {at}): "
            "add neighbouring lines to make it unique"
        )
    return None


def _shown(anchor: str) -> str:
    first = anchor_lines(anchor)[0]
    return repr(first if len(first) <= 60 else first[:60] + "…")


def front_matter_lines(article: str) -> int:
    """How many lines the front matter takes, fences included (0 when there is none)."""
    try:
        yaml_text, _ = frontmatter.split(article)
    except frontmatter.FrontMatterError:
        return 0
    return yaml_text.count("\n") + 2


def _front_matter_problems(
    article: str, lines: Sequence[str], placed: Sequence[Placed]
) -> list[str]:
    fence = front_matter_lines(article)
    problems = []
    for item in placed:
        touches = item.removed is not None and item.removed.start < fence
        touches = touches or (item.at is not None and item.at < fence)
        if touches and not _only_updated(item, lines, fence):
            problems.append(
                f"edit {item.number} ({item.op}) changes the front matter: "
                "only the `updated:` line may be replaced"
            )
    return problems


def _only_updated(item: Placed, lines: Sequence[str], fence: int) -> bool:
    """A replace of the `updated:` line by another `updated:` line, inside the front matter."""
    if item.op != "replace" or item.removed is None:
        return False
    inside = item.removed.start > 0 and item.removed.end < fence
    old = lines[item.removed.start : item.removed.end]
    return (
        inside
        and len(old) == 1
        and len(item.lines) == 1
        and old[0].startswith("updated:")
        and item.lines[0].startswith("updated:")
    )


def _overlap_problems(placed: Sequence[Placed]) -> list[str]:
    """Two edits taking out a common line, or lines put strictly inside lines taken out."""
    problems = []
    for index, one in enumerate(placed):
        for two in placed[index + 1 :]:
            if _clash(one, two) or _clash(two, one):
                problems.append(
                    f"edits {one.number} and {two.number} overlap: "
                    "each line may be changed by one edit only"
                )
    return problems


def _clash(one: Placed, two: Placed) -> bool:
    if one.removed is None:
        return False
    if two.removed is not None and one.removed.shares(two.removed):
        return True
    return two.at is not None and one.removed.holds(two.at)


def _new_sources(
    article: str, edits: Sequence[Edit], known_sources: Collection[str]
) -> tuple[set[str], list[str]]:
    """(new sources cited, problems): new text may cite the article's own footnotes, the
    known sources and footnotes that new text defines, nothing else."""
    found = citations.scan(article)
    existing = {ref.label for ref in found.references} | set(found.defined_labels())
    texts = {number: edit.text for number, edit in enumerate(edits, start=1)}
    texts = {n: t for n, t in texts.items() if edits[n - 1].op in _TEXT_OPS}
    scanned = {number: citations.scan(text) for number, text in texts.items()}
    defined = {label for scan in scanned.values() for label in scan.defined_labels()}
    known = set(known_sources) - existing
    cited: set[str] = set()
    problems = []
    for number, scan in scanned.items():
        for label in scan.first_use_order():
            if label in known:
                cited.add(label)
            elif label not in existing and label not in defined:
                problems.append(
                    f"edit {number} ({edits[number - 1].op}) cites unknown source [^{label}]"
                )
    return cited, problems
