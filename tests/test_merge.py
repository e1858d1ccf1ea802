"""Merging insertions into an article without rewriting its text."""

from __future__ import annotations

import re

import pytest

from notes.drafting.answers import Insertion
from notes.markdown import citations, frontmatter
from notes.markdown.merge import MergeError, headings, merge, survival_problems, view
from tests.conftest import EXAMPLES

BODY = """
# Roles

Intro by the author[^a].

## Context

First claim[^b]. Second claim[^a].

### Detail

A detail without citations.

## Skills

Skills text[^b].

## Sources

[^a]: [A_transcript.txt](../inbox/used/A_transcript.txt)
[^b]: [B_transcript.txt](../inbox/used/B_transcript.txt)
"""

NEW = {
    "S1": "[C_transcript.txt](../inbox/used/C_transcript.txt)",
    "S2": "[D_transcript.txt](../inbox/used/D_transcript.txt)",
}


def blank(text: str) -> str:
    return re.sub(r"\[\^[^\]\s]+\]", "[^]", text)


def test_view_relabels_citations_and_lists_notes_by_name_only() -> None:
    shown = view(BODY)
    assert shown.labels == {"a": "E1", "b": "E2"}
    assert "Intro by the author[^E1]." in shown.text
    assert "First claim[^E2]. Second claim[^E1]." in shown.text
    assert shown.text.endswith(
        "## Sources (existing citations)\n\n[^E1]: A_transcript.txt\n[^E2]: B_transcript.txt\n"
    )
    assert "../inbox" not in shown.text
    assert shown.sections == ["Context", "Detail", "Skills"]


def test_insertions_go_after_a_section_s_own_text_and_new_sections_before_sources() -> None:
    shown = view(BODY)
    merged = merge(
        BODY,
        [
            Insertion(section="Context", heading=None, markdown="New context[^S1], see[^E2]."),
            Insertion(section=None, heading="Later", markdown="Later text[^S2] and[^S1]."),
        ],
        shown.labels,
        NEW,
    )
    assert (
        merged.body
        == """
# Roles

Intro by the author[^1].

## Context

First claim[^2]. Second claim[^1].

New context[^3], see[^2].

### Detail

A detail without citations.

## Skills

Skills text[^2].

## Later

Later text[^4] and[^3].

## Sources

[^1]: [A_transcript.txt](../inbox/used/A_transcript.txt)
[^2]: [B_transcript.txt](../inbox/used/B_transcript.txt)
[^3]: [C_transcript.txt](../inbox/used/C_transcript.txt)
[^4]: [D_transcript.txt](../inbox/used/D_transcript.txt)
"""
    )
    assert merged.old == {"a": "1", "b": "2"}
    assert merged.numbers == {"a": "1", "b": "2", "S1": "3", "S2": "4"}
    assert survival_problems(BODY, merged) == []


def test_a_new_citation_used_before_an_old_one_renumbers_only_labels() -> None:
    shown = view(BODY)
    merged = merge(
        BODY,
        [Insertion(section="Roles", heading=None, markdown="Opening[^S1].")],
        shown.labels,
        NEW,
    )
    assert "Intro by the author[^1].\n\nOpening[^2].\n\n## Context" in merged.body
    assert "First claim[^3]. Second claim[^1]." in merged.body
    assert merged.old == {"a": "1", "b": "3"}
    without_insertion = merged.body.replace("\nOpening[^2].\n", "", 1)
    old_part, _, _ = BODY.partition("## Sources")
    new_part, _, sources = without_insertion.partition("## Sources")
    assert blank(new_part) == blank(old_part)
    assert sources.strip().splitlines() == [
        "[^1]: [A_transcript.txt](../inbox/used/A_transcript.txt)",
        "[^2]: [C_transcript.txt](../inbox/used/C_transcript.txt)",
        "[^3]: [B_transcript.txt](../inbox/used/B_transcript.txt)",
    ]
    assert "[^S2]" not in merged.body
    assert survival_problems(BODY, merged) == []


def test_the_example_article_keeps_its_unused_citations() -> None:
    document = (EXAMPLES / "articles/ai-engineer-my-vision.md").read_text(encoding="utf-8")
    _, rest = frontmatter.split(document)
    shown = view(rest)
    merged = merge(
        rest,
        [Insertion(section="Key Differentiators", heading=None, markdown="- Evals[^S1]")],
        shown.labels,
        NEW,
    )
    assert survival_problems(rest, merged) == []
    found = citations.scan(merged.body)
    assert [ref.label for ref in found.references] == ["1"]
    assert [d.label for d in found.definitions] == ["1", "2", "3", "4"]
    assert "msg1188" in merged.body.splitlines()[-3]
    assert merged.body.startswith(rest.partition("## Key Differentiators")[0])


def test_an_article_without_sources_gets_a_sources_section() -> None:
    body = "\n# Plain\n\nHand-written text with no citations.\n"
    merged = merge(
        body,
        [Insertion(section=None, heading="## News", markdown="News[^S1].")],
        view(body).labels,
        NEW,
    )
    assert merged.body == (
        "\n# Plain\n\nHand-written text with no citations.\n\n## News\n\nNews[^1].\n\n"
        "## Sources\n\n[^1]: [C_transcript.txt](../inbox/used/C_transcript.txt)\n"
    )


def test_an_open_code_fence_swallowing_old_citations_is_caught() -> None:
    shown = view(BODY)
    merged = merge(
        BODY,
        [Insertion(section="Context", heading=None, markdown="```python\nprint(1)  # [^S1]")],
        shown.labels,
        NEW,
    )
    problems = survival_problems(BODY, merged)
    assert any("reference to the existing citation [^b] was lost" in p for p in problems)


@pytest.mark.parametrize(
    ("insertion", "problem"),
    [
        (
            Insertion(section="Nowhere", heading=None, markdown="x[^S1]"),
            "insertion 1: there is no section 'Nowhere'",
        ),
        (
            Insertion(section="Sources", heading=None, markdown="x[^S1]"),
            "insertion 1: there is no section 'Sources'",
        ),
        (
            Insertion(section=None, heading="Sources", markdown="x[^S1]"),
            "the Sources section is written by the program",
        ),
        (
            Insertion(section=None, heading=None, markdown="x[^S1]"),
            "insertion 1 is a new section without a heading",
        ),
        (
            Insertion(section="Context", heading=None, markdown="x[^S9] y[^E7]"),
            "insertion 1 cites unknown source [^S9]",
        ),
        (
            Insertion(section="Context", heading=None, markdown="x[^S1]\n\n[^S1]: mine"),
            "insertion 1 defines footnotes",
        ),
        (Insertion(section="Context", heading=None, markdown="  "), "insertion 1 is empty"),
    ],
)
def test_unusable_insertions_are_refused_with_reasons(insertion: Insertion, problem: str) -> None:
    with pytest.raises(MergeError) as caught:
        merge(BODY, [insertion], view(BODY).labels, NEW)
    assert any(problem in found for found in caught.value.problems), caught.value.problems


def test_no_insertions_is_a_problem() -> None:
    with pytest.raises(MergeError, match="there are no insertions"):
        merge(BODY, [], view(BODY).labels, NEW)


def test_headings_are_top_level_only() -> None:
    text = "# T\n\n> ## Quoted\n\n```\n## code\n```\n\n## Real\n"
    assert [(h.text, h.level, h.line) for h in headings(text)] == [("T", 1, 0), ("Real", 2, 8)]
