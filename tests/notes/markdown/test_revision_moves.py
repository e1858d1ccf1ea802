"""Moving a passage to another article (notes.markdown.moves): its footnotes go with it."""

from __future__ import annotations

import pytest

from notes.markdown import citations
from notes.markdown.edits import Edit, EditRejected
from notes.markdown.moves import move_between

SOURCE = """\
---
title: "Research"
---

# Research

Market notes[^1].

## My Vision

I want a course for engineers[^2], built on projects[^1].

## Sources

[^1]: [a.md](../../inbox/used/a.md)
[^2]: [b.md](../../inbox/used/b.md)
"""
VISION = "## My Vision\n\nI want a course for engineers[^2], built on projects[^1].\n\n"
EXISTING = """\
---
title: "Vision"
---

# Vision

Where it goes[^1].

## Sources

[^1]: [c.md](../inbox/used/c.md)
"""


def test_a_move_to_an_existing_article_carries_its_footnotes_renumbered() -> None:
    edit = Edit("move_after", VISION, article="articles/vision.md")
    moved = move_between(
        SOURCE, "articles/research/market.md", [edit], {"articles/vision.md": EXISTING}
    )
    assert moved.source == SOURCE.replace(VISION, "").replace(
        "[^2]: [b.md](../../inbox/used/b.md)\n", ""
    )
    assert moved.destinations["articles/vision.md"] == (
        EXISTING.replace(
            "Where it goes[^1].\n",
            "Where it goes[^1].\n\n## My Vision\n\n"
            "I want a course for engineers[^2], built on projects[^3].\n",
        )
        + "[^2]: [b.md](../inbox/used/b.md)\n[^3]: [a.md](../inbox/used/a.md)\n"
    )
    for text in (moved.source, *moved.destinations.values()):
        assert citations.problems(text) == []


def test_a_move_to_a_new_article_starts_its_sources() -> None:
    start = '---\ntitle: "My Vision"\n---\n\n# My Vision\n'
    edit = Edit("move_before", VISION, article="articles/research/vision.md")
    moved = move_between(
        SOURCE, "articles/research/market.md", [edit], {"articles/research/vision.md": start}
    )
    new = moved.destinations["articles/research/vision.md"]
    assert new == start + (
        "\n" + VISION + "## Sources\n\n"
        "[^1]: [b.md](../../inbox/used/b.md)\n[^2]: [a.md](../../inbox/used/a.md)\n"
    ).replace("engineers[^2], built on projects[^1]", "engineers[^1], built on projects[^2]")
    assert citations.problems(new) == []


def test_a_target_in_the_destination_must_match_once() -> None:
    edit = Edit("move_after", VISION, target="# Nowhere", article="articles/vision.md")
    with pytest.raises(EditRejected) as rejected:
        move_between(SOURCE, "articles/research/market.md", [edit], {"articles/vision.md": ""})
    assert rejected.value.problems == [
        "edit 1 (move_after): the target matches 0 places in articles/vision.md: "
        "copy whole lines that occur there once"
    ]
    placed = Edit("move_before", VISION, target="## Sources", article="articles/vision.md")
    moved = move_between(SOURCE, "articles/x.md", [placed], {"articles/vision.md": EXISTING})
    assert "Where it goes[^1].\n\n## My Vision\n" in moved.destinations["articles/vision.md"]
