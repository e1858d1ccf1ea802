"""Simulated updates of real articles, and the check that they only added lines.

`simulate` gives an article one insertion citing a new note (and an old citation, when the
article has one), the way a drafting pass would, through `ArticleDoc.view` and
`compose.updated_article`. `unexpected_changes` compares the result with the original line by
line: a line diff may show only added lines (plus the `updated:` line of the front matter),
and the added lines must be the insertion and the new definition, nothing else.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from notes.drafting import compose
from notes.drafting.answers import Insertion, UpdateAnswer
from notes.drafting.messages import Source
from notes.markdown import articles, citations, merge
from notes.markdown.document import ArticleDoc

AUTHOR_KB = Path(__file__).resolve().parents[1] / "data" / "author_kb"
"""A slice of the author's real KB (see tests/data/README.md)."""
UPDATES_KB = Path(__file__).resolve().parents[1] / "data" / "author_kb_updates"
"""More of his articles, hard to update, at their paths in his KB (see tests/data/README.md)."""
NOTE = "20260601_090000_tester_msg9001_transcript.txt"
TODAY = date(2026, 6, 1)
MODES = ("section", "new-section")


@dataclass(frozen=True)
class Outcome:
    """One simulated update: `after` is None when it was refused (`problems` says why)."""

    before: str
    after: str | None
    problems: list[str]


def simulate(path: str, text: str, mode: str) -> Outcome:
    """Update the article `text` at KB path `path` with one insertion.

    `mode` is `section` (into the last section the prompt offers) or `new-section`.
    """
    doc = ArticleDoc(path, text)
    try:
        shown = doc.view
    except ValueError as error:
        return Outcome(text, None, [f"view: {error}"])
    old = sorted(shown.labels.values(), key=lambda label: int(label[1:]))
    cite_old = f" As noted before[^{old[0]}]." if old else ""
    markdown = f"A new point from the note[^S1].{cite_old}\n\n- a listed detail[^S1]"
    if mode == "section" and shown.sections:
        insertion = Insertion(section=shown.sections[-1], heading=None, markdown=markdown)
    else:
        insertion = Insertion(section=None, heading="From The Latest Note", markdown=markdown)
    answer = UpdateAnswer(tags=["new-tag"], description="d", insertions=[insertion], figures=[])
    try:
        after = compose.updated_article(doc, answer, [Source("S1", NOTE)], today=TODAY)
    except ValueError as error:
        return Outcome(text, None, [f"update: {error}"])
    back = {e: label for label, e in shown.labels.items()}
    expected = _expected_lines(path, text, insertion, back)
    return Outcome(text, after, unexpected_changes(text, after, expected))


def real_articles(roots: tuple[Path, ...] = (AUTHOR_KB, UPDATES_KB)) -> dict[str, Path]:
    """KB path (`articles/...`) -> file, for the files under `roots`/articles with front
    matter: the articles (a hand-written `_index.md` has none and is never updated)."""
    found = {
        file.relative_to(root).as_posix(): file
        for root in roots
        for file in (root / "articles").glob("**/*.md")
        if file.read_bytes().startswith(b"---\n")
    }
    return dict(sorted(found.items()))


def next_free_number(text: str) -> int:
    """The first footnote number above every numeric label in `text`."""
    numbers = [int(label) for label in citations.MARKER.findall(text) if label.isdigit()]
    return max(numbers, default=0) + 1


def unexpected_changes(
    before: str, after: str, expected: set[str], *, today: date = TODAY
) -> list[str]:
    """What the update did besides adding `expected` lines (and blank lines, and changing
    `updated:` to `today`). Every line of `before` must still be in `after`, in order, byte
    for byte."""
    old, new = _lines(before), _lines(after)
    problems: list[str] = []
    added: list[str] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        removed, inserted = _without_updated(old[i1:i2], new[j1:j2], today)
        if removed:
            problems.append(f"line {i1 + 1} changed or removed: {removed[0].rstrip()!r}")
        added += inserted
    filled = [line.rstrip("\r\n") for line in added if line.strip()]
    for line in filled:
        if line not in expected:
            problems.append(f"unexpected added line: {line!r}")
    for line in sorted(expected - set(filled)):
        problems.append(f"missing added line: {line!r}")
    return problems


def _expected_lines(path: str, text: str, insertion: Insertion, back: dict[str, str]) -> set[str]:
    number = str(next_free_number(text))
    mapping = {"S1": number, **back}
    lines = {
        citations.MARKER.sub(lambda m: f"[^{mapping.get(m.group(1), m.group(1))}]", line)
        for line in insertion.markdown.splitlines()
        if line.strip()
    }
    if insertion.section is None:
        lines.add(f"## {insertion.heading}")
    # The rule spelled out here too, so the harness can also measure code from before it.
    has_sources = any(h.level == 2 and h.text.casefold() == "sources" for h in merge.headings(text))
    if not has_sources and not any(d.top_level for d in citations.scan(text).definitions):
        lines.add(articles.SOURCES_HEADING)
    lines.add(f"[^{number}]: {compose.definition(path, NOTE)}")
    return lines


def _lines(text: str) -> list[str]:
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += "\n"  # a final newline added to the last line is an addition
    return lines


def _without_updated(old: list[str], new: list[str], day: date) -> tuple[list[str], list[str]]:
    """The lines removed and added, less one `updated:` line changed to `day`."""
    today = f"updated: {day.isoformat()}\n"
    stale = [line for line in old if line.startswith("updated: ")]
    if len(stale) == 1 and today in new:
        old = [line for line in old if line is not stale[0]]
        new = [line for i, line in enumerate(new) if i != new.index(today)]
    return old, new
