"""Anchored edits of an article (notes.markdown.edits): exact, minimal, or rejected whole."""

from __future__ import annotations

import difflib

import pytest

from notes.markdown import citations
from notes.markdown.edits import Edit, EditRejected, apply_edits
from tests.support.revising import MINSEARCH_HEAD

ARTICLE = (
    MINSEARCH_HEAD
    + """\
## Origin

The library came out of the first run of LLM Zoomcamp[^1].

I knew Elasticsearch well, so I started with it[^2].

## What It Is

Minsearch is a lightweight search library[^3].

It runs in a single process[^3].

## Sources

[^1]: [a.txt](../inbox/used/a.txt)
[^2]: [b.txt](../inbox/used/b.txt)
[^3]: [c.txt](../inbox/used/c.txt)
"""
)
NEW = {"S1": "[d.txt](../inbox/used/d.txt)", "S2": "[e.txt](../inbox/used/e.txt)"}


def changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    """(lines removed, lines added) of a line diff: every other line stayed byte for byte."""
    removed, added = [], []
    for line in difflib.ndiff(before.splitlines(True), after.splitlines(True)):
        if line.startswith("- "):
            removed.append(line[2:])
        elif line.startswith("+ "):
            added.append(line[2:])
    return removed, added


def problems_of(edits: list[Edit], sources: dict[str, str] | None = None) -> list[str]:
    with pytest.raises(EditRejected) as rejected:
        apply_edits(ARTICLE, edits, sources or {})
    return rejected.value.problems


def test_a_replace_changes_its_lines_and_no_other_byte() -> None:
    old = "The library came out of the first run of LLM Zoomcamp[^1].\n"
    new = "The library came out before the first run of LLM Zoomcamp[^1].\n"
    after = apply_edits(ARTICLE, [Edit("replace", old, new)])
    assert changed_lines(ARTICLE, after) == ([old], [new])
    assert after == ARTICLE.replace(old, new)


def test_anchors_refer_to_the_article_before_any_edit() -> None:
    edits = [
        Edit("replace", "## Origin", "## Where It Came From"),
        Edit("insert_after", "## Origin\n", "\nIt began as a workshop.\n"),
        Edit("delete", "It runs in a single process[^3].\n\n"),
    ]
    after = apply_edits(ARTICLE, edits)
    removed, added = changed_lines(ARTICLE, after)
    assert removed == ["## Origin\n", "It runs in a single process[^3].\n", "\n"]
    assert added == ["## Where It Came From\n", "\n", "It began as a workshop.\n"]
    assert "## Where It Came From\n\nIt began as a workshop.\n\nThe library" in after


def test_a_heading_moves_before_another_section_with_its_lines() -> None:
    section = "## What It Is\n\nMinsearch is a lightweight search library[^3].\n\n"
    section += "It runs in a single process[^3].\n\n"
    edits = [Edit("move_before", section, target="## Origin")]
    after = apply_edits(ARTICLE, edits)
    assert after == ARTICLE.replace(section, "").replace("## Origin\n", section + "## Origin\n")
    assert sorted(after.splitlines()) == sorted(ARTICLE.splitlines())
    assert (
        apply_edits(ARTICLE, [Edit("move_after", "## Origin\n", target="## What It Is")]).count(
            "## Origin"
        )
        == 1
    )


def test_every_problem_is_named_and_nothing_is_applied() -> None:
    problems = problems_of(
        [
            Edit("replace", "a lightweight search library", "x"),  # part of a line
            Edit("replace", "It is gone.", "x"),  # nowhere
            Edit("delete", ""),
            Edit("rewrite", "## Origin"),
            Edit("insert_after", "## Origin", ""),
        ]
    )
    assert problems == [
        "edit 1 (replace): the anchor 'a lightweight search library' matches no whole lines "
        "of the article (it is part of a line: copy whole lines)",
        "edit 2 (replace): the anchor 'It is gone.' matches no whole lines of the article",
        "edit 3 (delete): the anchor is empty: copy one or more whole lines of the article",
        "edit 4: unknown op 'rewrite' (one of replace, delete, insert_after, insert_before, "
        "move_after, move_before)",
        "edit 5 (insert_after): the text to insert is empty",
    ]


def test_an_anchor_must_match_exactly_once() -> None:
    problems = problems_of([Edit("replace", "", "x"), Edit("delete", "\n")])
    assert len(problems) == 2
    assert apply_edits(ARTICLE, [Edit("insert_after", "---\n\n# Minsearch\n\n", "x")])
    duplicated = ARTICLE.replace("## Sources", "## What It Is\n\n## Sources")
    with pytest.raises(EditRejected) as rejected:
        apply_edits(duplicated, [Edit("delete", "## What It Is")])
    assert rejected.value.problems == [
        "edit 1 (delete): the anchor '## What It Is' matches 2 places (lines 17, 23): "
        "add neighbouring lines to make it unique"
    ]


def test_the_front_matter_is_out_of_reach_but_for_updated() -> None:
    problems = problems_of(
        [
            Edit("replace", 'title: "Minsearch"', 'title: "Search"'),
            Edit("insert_before", '---\ntitle: "Minsearch"', "x"),
            Edit("insert_after", "status: draft", "x: y"),
        ]
    )
    assert problems == [
        f"edit {n} ({op}) changes the front matter: only the `updated:` line may be replaced"
        for n, op in [(1, "replace"), (2, "insert_before"), (3, "insert_after")]
    ]
    after = apply_edits(ARTICLE, [Edit("replace", "updated: 2026-05-20", "updated: 2026-06-01")])
    assert changed_lines(ARTICLE, after) == (["updated: 2026-05-20\n"], ["updated: 2026-06-01\n"])
    assert apply_edits(ARTICLE, [Edit("insert_after", "---\n\n# Minsearch", "Lead.")])


def test_overlapping_edits_are_rejected() -> None:
    both = "I knew Elasticsearch well, so I started with it[^2].\n\n## What It Is"
    assert problems_of(
        [
            Edit("delete", both),
            Edit("replace", "## What It Is", "## What"),
            Edit("insert_before", "I knew Elasticsearch well, so I started with it[^2].", "x"),
            Edit("insert_after", "I knew Elasticsearch well, so I started with it[^2].", "x"),
        ]
    ) == [  # edit 3 puts its line at the edge of edit 1's: that is fine
        "edits 1 and 2 overlap: each line may be changed by one edit only",
        "edits 1 and 4 overlap: each line may be changed by one edit only",
    ]


def test_new_sources_take_the_next_numbers_with_their_definitions() -> None:
    edits = [
        Edit("insert_after", "It runs in a single process[^3].", "\nUp to 10k docs[^S2][^3].\n"),
        Edit("replace", "## Origin", "## Origin\n\nIt began in 2024[^S1].\n"),
    ]
    after = apply_edits(ARTICLE, edits, NEW)
    assert "It began in 2024[^4]." in after and "Up to 10k docs[^5][^3]." in after
    assert after.endswith(
        "[^3]: [c.txt](../inbox/used/c.txt)\n"
        "[^4]: [d.txt](../inbox/used/d.txt)\n"
        "[^5]: [e.txt](../inbox/used/e.txt)\n"
    )
    assert citations.problems(after) == []
    removed, added = changed_lines(ARTICLE, after)
    assert removed == []
    assert len(added) == 6


def test_text_may_cite_only_known_sources_and_the_articles_own() -> None:
    edit = Edit("replace", "## Origin", "## Origin\n\nNew[^S3], old[^2], odd[^x].")
    assert problems_of([edit], NEW) == [
        "edit 1 (replace) cites unknown source [^S3]",
        "edit 1 (replace) cites unknown source [^x]",
    ]


def test_a_definition_goes_with_the_last_reference_to_it() -> None:
    one = "It runs in a single process[^3].\n\n"
    after = apply_edits(ARTICLE, [Edit("delete", one)])
    assert "[^3]: [c.txt]" in after
    two = "Minsearch is a lightweight search library[^3].\n\n"
    after = apply_edits(ARTICLE, [Edit("delete", one), Edit("delete", two)])
    removed, added = changed_lines(ARTICLE, after)
    definition = "[^3]: [c.txt](../inbox/used/c.txt)\n"
    assert removed == [two.splitlines(True)[0], "\n", one.splitlines(True)[0], "\n", definition]
    assert added == []
    assert citations.problems(after) == []


def test_a_definition_set_apart_goes_with_its_blank_line() -> None:
    spaced = ARTICLE.replace("[^2]: [b", "\n[^2]: [b").replace("[^3]: [c", "\n[^3]: [c")
    gone = "I knew Elasticsearch well, so I started with it[^2].\n"
    after = apply_edits(spaced, [Edit("replace", gone, "I knew Elasticsearch well.\n")])
    assert after.endswith(
        "## Sources\n\n[^1]: [a.txt](../inbox/used/a.txt)\n\n[^3]: [c.txt](../inbox/used/c.txt)\n"
    )


def test_a_move_to_another_article_takes_the_lines_out_here() -> None:
    section = "## What It Is\n\nMinsearch is a lightweight search library[^3].\n\n"
    section += "It runs in a single process[^3].\n\n"
    edit = Edit("move_after", section, article="articles/minsearch-basics.md")
    after = apply_edits(ARTICLE, [edit])
    assert after == ARTICLE.replace(section, "").replace("[^3]: [c.txt](../inbox/used/c.txt)\n", "")
    assert problems_of([Edit("replace", "## Origin", "x", article="articles/y.md")]) == [
        "edit 1 (replace): only a move goes to another article"
    ]


def test_only_a_newline_ends_a_line() -> None:
    article = "# T\n\nA\u2028still A\x0c.\n\nB\n"
    after = apply_edits(article, [Edit("replace", "B", "C")])
    assert after == "# T\n\nA\u2028still A\x0c.\n\nC\n"
    assert apply_edits(article, [Edit("delete", "A\u2028still A\x0c.\n\n")]) == "# T\n\nB\n"
