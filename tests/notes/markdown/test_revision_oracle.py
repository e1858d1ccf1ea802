"""The oracle: edits derived from the author's own revisions reproduce them byte for byte."""

from __future__ import annotations

import pytest

from notes.markdown.edits import Edit, EditRejected, apply_edits, find_anchor, split_lines
from notes.markdown.oracle import oracle_edits
from tests.support.revisions import case_names, require_cases

CASES = case_names()


def test_all_34_cases_are_there() -> None:
    require_cases()
    assert len(CASES) == 34


@pytest.mark.parametrize("case", CASES or ["(none)"])
def test_the_oracle_reproduces_the_authors_revision(case: str) -> None:
    folder = require_cases() / case
    before = (folder / "before.md").read_text(encoding="utf-8")
    after = (folder / "after.md").read_text(encoding="utf-8")
    edits = oracle_edits(before, after)
    assert apply_edits(before, edits, allow_front_matter=True) == after
    lines = split_lines(before)
    assert all(len(find_anchor(lines, edit.anchor)) == 1 for edit in edits)


def test_anchors_are_widened_until_unique_and_hunks_become_edits() -> None:
    before = "# T\n\nA\n\nB\n\nA\n\nC\n"
    after = "# T\n\nA\n\nB\n\nA2\n\nC\nD\n"
    edits = oracle_edits(before, after)
    assert edits == [
        Edit("replace", "B\n\nA\n\n", "B\n\nA2\n\n"),
        Edit("insert_after", "C\n", "D\n"),
    ]
    assert apply_edits(before, edits) == after


def test_a_definition_the_author_kept_is_kept() -> None:
    before = "# T\n\nA[^1].\n\nB[^2].\n\n[^1]: one\n[^2]: two\n"
    after = "# T\n\nB[^2].\n\n[^1]: one\n[^2]: two\n"
    edits = oracle_edits(before, after)
    assert apply_edits(before, edits) == after
    pruned = [edit for edit in edits if edit.op != "replace" or edit.anchor != edit.text]
    assert apply_edits(before, pruned) == "# T\n\nB[^2].\n\n[^2]: two\n"


def test_a_front_matter_change_replays_only_when_allowed() -> None:
    before = "---\ntitle: A\nupdated: 2026-01-01\n---\n\n# A\n"
    after = "---\ntitle: B\nupdated: 2026-01-01\n---\n\n# B\n"
    edits = oracle_edits(before, after)
    with pytest.raises(EditRejected):
        apply_edits(before, edits)
    assert apply_edits(before, edits, allow_front_matter=True) == after
