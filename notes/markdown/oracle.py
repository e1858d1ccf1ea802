"""The edits that turn one version of an article into another: the oracle of revisions.

From the article before and after a revision, difflib's line hunks become anchored edits
(`replace`, `delete`, `insert_after`/`insert_before`) whose anchors are whole lines of the
article before, widened with neighbouring unchanged lines until each matches exactly once.
Applying them (`apply_edits(before, oracle_edits(before, after), allow_front_matter=True)`)
gives `after` byte for byte: it measures the applier, and is the perfect answer a model's
edits are scored against.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from notes.markdown import citations
from notes.markdown.edits import Edit, find_anchor, split_lines


@dataclass
class _Hunk:
    """Lines `start`..`end` of before become lines `new_start`..`new_end` of after."""

    start: int
    end: int
    new_start: int
    new_end: int


def oracle_edits(before: str, after: str) -> list[Edit]:
    """Anchored edits that make `after` of `before` (front matter changes included)."""
    old, new = split_lines(before), split_lines(after)
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    hunks = [
        _Hunk(i1, i2, j1, j2) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"
    ]
    hunks += _kept_definitions(before, after, matcher)
    hunks.sort(key=lambda h: (h.start, h.end))
    return _edits(old, new, _widened(old, hunks))


def _kept_definitions(
    before: str, after: str, matcher: difflib.SequenceMatcher[str]
) -> list[_Hunk]:
    """Unchanged lines rewritten as themselves: the definitions whose references the
    revision removed but which it kept (the applier would otherwise remove them)."""
    was_cited = {ref.label for ref in citations.scan(before).references}
    found = citations.scan(after)
    gone = was_cited - {ref.label for ref in found.references}
    kept: list[_Hunk] = []
    for definition in found.definitions:
        if definition.label not in gone:
            continue
        start, end = definition.line - 1, definition.end_line
        for _, i1, _, j1, j2 in (op for op in matcher.get_opcodes() if op[0] == "equal"):
            if j1 <= start and end <= j2:
                shift = i1 - j1
                kept.append(_Hunk(start + shift, end + shift, start, end))
    return kept


def _widened(old: Sequence[str], hunks: list[_Hunk]) -> list[_Hunk]:
    """Hunks whose anchors match once: grown over unchanged neighbours, merged if need be."""
    index = 0
    while index < len(hunks):
        hunk = hunks[index]
        low = hunks[index - 1].end if index else 0
        high = hunks[index + 1].start if index + 1 < len(hunks) else len(old)
        if _grow(old, hunk, low, high):
            index += 1
        elif index + 1 < len(hunks):
            hunks[index : index + 2] = [_joined(hunk, hunks[index + 1])]
        elif index:
            hunks[index - 1 : index + 1] = [_joined(hunks[index - 1], hunk)]
            index -= 1
        else:
            hunk.start, hunk.new_start = 0, hunk.new_start - hunk.start
            hunk.end, hunk.new_end = len(old), hunk.new_end + len(old) - hunk.end
            index += 1
    return hunks


def _grow(old: Sequence[str], hunk: _Hunk, low: int, high: int) -> bool:
    """Widen `hunk` within lines `low`..`high`, a line below, then one above, until its anchor
    is unique; False if it cannot be. An insertion widened becomes a replace."""
    step = 0
    while not _unique(old, hunk):
        down, up = hunk.start > low, hunk.end < high
        if not (down or up):
            return False
        if down and (step % 2 == 0 or not up):
            hunk.start, hunk.new_start = hunk.start - 1, hunk.new_start - 1
        else:
            hunk.end, hunk.new_end = hunk.end + 1, hunk.new_end + 1
        step += 1
    return True


def _unique(old: Sequence[str], hunk: _Hunk) -> bool:
    lines = _anchor_range(old, hunk)
    if lines is None:
        return False
    anchor = "".join(old[lines[0] : lines[1]])
    return bool(anchor.strip()) and len(find_anchor(old, anchor)) == 1


def _anchor_range(old: Sequence[str], hunk: _Hunk) -> tuple[int, int] | None:
    """The lines the edit's anchor takes: the hunk's, or for an insertion a neighbour."""
    if hunk.start < hunk.end:
        return hunk.start, hunk.end
    if hunk.start > 0:
        return hunk.start - 1, hunk.start
    return (0, 1) if old else None


def _joined(first: _Hunk, second: _Hunk) -> _Hunk:
    return _Hunk(first.start, second.end, first.new_start, second.new_end)


def _edits(old: Sequence[str], new: Sequence[str], hunks: Sequence[_Hunk]) -> list[Edit]:
    edits = []
    for hunk in hunks:
        text = "".join(new[hunk.new_start : hunk.new_end])
        if hunk.start < hunk.end:
            anchor = "".join(old[hunk.start : hunk.end])
            edits.append(Edit("replace", anchor, text) if text else Edit("delete", anchor))
        elif hunk.start > 0:
            edits.append(Edit("insert_after", old[hunk.start - 1], text))
        else:
            edits.append(Edit("insert_before", old[0], text))
    return edits
