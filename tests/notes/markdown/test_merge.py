"""Merging insertions into an article without rewriting its text."""

from __future__ import annotations

import difflib

import pytest

from notes.drafting.answers import Insertion
from notes.markdown import citations, frontmatter
from notes.markdown.merge import Merged, MergeError, headings, merge, survival_problems, view
from tests.conftest import EXAMPLES
from tests.support.updates import MODES, real_articles, simulate

REAL = real_articles()

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


def merged_into(body: str, *insertions: Insertion) -> Merged:
    """`body` merged with `insertions`, its labels as its view shows them, the sources NEW."""
    return merge(body, insertions, view(body).labels, NEW)


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
    merged = merged_into(
        BODY,
        Insertion(section="Context", heading=None, markdown="New context[^S1], see[^E2]."),
        Insertion(section=None, heading="Later", markdown="Later text[^S2] and[^S1]."),
    )
    assert (
        merged.body
        == """
# Roles

Intro by the author[^a].

## Context

First claim[^b]. Second claim[^a].

New context[^1], see[^b].

### Detail

A detail without citations.

## Skills

Skills text[^b].

## Later

Later text[^2] and[^1].

## Sources

[^a]: [A_transcript.txt](../inbox/used/A_transcript.txt)
[^b]: [B_transcript.txt](../inbox/used/B_transcript.txt)
[^1]: [C_transcript.txt](../inbox/used/C_transcript.txt)
[^2]: [D_transcript.txt](../inbox/used/D_transcript.txt)
"""
    )
    assert merged.numbers == {"S1": "1", "S2": "2"}
    assert survival_problems(BODY, merged) == []


NUMBERED = BODY.replace("[^a]", "[^1]").replace("[^b]", "[^2]")


def test_new_citations_take_the_next_free_numbers_and_old_ones_keep_theirs() -> None:
    merged = merged_into(
        NUMBERED,
        Insertion(section="Skills", heading=None, markdown="Later[^S2]."),
        Insertion(section="Roles", heading=None, markdown="Opening[^S1][^E2]."),
    )
    assert merged.numbers == {"S1": "3", "S2": "4"}
    assert "Intro by the author[^1].\n\nOpening[^3][^2].\n\n## Context" in merged.body
    assert "Skills text[^2].\n\nLater[^4].\n\n## Sources" in merged.body
    assert added_lines(NUMBERED, merged.body) == [
        "Opening[^3][^2].\n",
        "Later[^4].\n",
        "[^3]: [C_transcript.txt](../inbox/used/C_transcript.txt)\n",
        "[^4]: [D_transcript.txt](../inbox/used/D_transcript.txt)\n",
    ]
    assert survival_problems(NUMBERED, merged) == []


def added_lines(before: str, after: str) -> list[str]:
    """The filled lines a diff shows as added; fails if it shows any line removed."""
    diff = list(difflib.ndiff(before.splitlines(keepends=True), after.splitlines(keepends=True)))
    assert not [line for line in diff if line.startswith("- ")], diff
    return [line[2:] for line in diff if line.startswith("+ ") and line[2:].strip()]


def test_the_next_free_number_counts_every_label_in_the_text() -> None:
    body = (
        "# T\n\nText[^2].\n\n<figure>\n  <figcaption>A caption[^7]</figcaption>\n</figure>\n\n"
        "`[^12]` in code\n\n## Sources\n\n[^2]: [A](a)\n[^7]: [B](b)\n[^9]: [C](c)\n"
    )
    merged = merge(body, [Insertion(section="T", heading=None, markdown="New[^S1].")], {}, NEW)
    assert merged.numbers == {"S1": "13"}
    assert merged.body.endswith(
        "[^9]: [C](c)\n[^13]: [C_transcript.txt](../inbox/used/C_transcript.txt)\n"
    )


FIGURE = """
# Pipeline

The course ad[^2] is shown below.

<figure>
  <img src="../assets/images/x/ad.jpg" alt="An ad">
  <figcaption>The ad, as Paul placed it[^9]</figcaption>
  <!-- my note: [^4] is not a citation here -->
</figure>

## Sources

[^2]: [A_transcript.txt](../inbox/used/A_transcript.txt)
[^9]: [B_transcript.txt](../inbox/used/B_transcript.txt)
"""


def test_a_footnote_in_a_figure_caption_keeps_its_label_and_the_view_shows_it() -> None:
    shown = view(FIGURE)
    assert shown.labels == {"2": "E1", "9": "E2"}
    assert "<figcaption>The ad, as Paul placed it[^E2]</figcaption>" in shown.text
    assert "[^4] is not a citation here" in shown.text
    merged = merged_into(
        FIGURE, Insertion(section="Pipeline", heading=None, markdown="More on it[^S1][^E2].")
    )
    assert "<figcaption>The ad, as Paul placed it[^9]</figcaption>" in merged.body
    assert "More on it[^10][^9]." in merged.body
    assert added_lines(FIGURE, merged.body) == [
        "More on it[^10][^9].\n",
        "[^10]: [C_transcript.txt](../inbox/used/C_transcript.txt)\n",
    ]
    assert survival_problems(FIGURE, merged) == []


HEADLESS = """
# Tool

Intro[^1].

## Notes

- a point

[^1]: [A.md](../inbox/used/A.md)

[^2]: [B.md](../inbox/used/B.md)
"""


def test_definitions_without_a_heading_take_the_new_ones_in_their_own_style() -> None:
    merged = merged_into(
        HEADLESS,
        Insertion(section="Notes", heading=None, markdown="- another[^S1]"),
        Insertion(section=None, heading="News", markdown="News[^S2]."),
    )
    assert merged.body == (
        "\n# Tool\n\nIntro[^1].\n\n## Notes\n\n- a point\n\n- another[^3]\n\n"
        "## News\n\nNews[^4].\n\n"
        "[^1]: [A.md](../inbox/used/A.md)\n\n[^2]: [B.md](../inbox/used/B.md)\n"
        "\n[^3]: [C_transcript.txt](../inbox/used/C_transcript.txt)\n"
        "\n[^4]: [D_transcript.txt](../inbox/used/D_transcript.txt)\n"
    )
    assert "## Sources" not in merged.body
    assert survival_problems(HEADLESS, merged) == []


def test_blank_lines_between_definitions_under_sources_stay_and_are_followed() -> None:
    spaced = NUMBERED.replace("transcript.txt)\n[^2]", "transcript.txt)\n\n[^2]")
    merged = merge(spaced, [Insertion(section="Skills", heading=None, markdown="x[^S1]")], {}, NEW)
    assert merged.body.endswith(
        "[^1]: [A_transcript.txt](../inbox/used/A_transcript.txt)\n\n"
        "[^2]: [B_transcript.txt](../inbox/used/B_transcript.txt)\n\n"
        "[^3]: [C_transcript.txt](../inbox/used/C_transcript.txt)\n"
    )
    assert survival_problems(spaced, merged) == []


def test_the_view_hides_definitions_without_a_heading_too() -> None:
    shown = view(HEADLESS)
    assert "../inbox" not in shown.text
    assert shown.text.endswith("[^E1]: A.md\n[^E2]: B.md\n")


def test_a_lowercase_sources_heading_is_the_sources_section() -> None:
    body = BODY.replace("## Sources", "## sources")
    shown = view(body)
    assert "## sources" not in shown.text
    assert shown.sections == ["Context", "Detail", "Skills"]
    merged = merged_into(body, Insertion(section=None, heading="Later", markdown="x[^S1]"))
    assert "x[^1]\n\n## sources\n" in merged.body
    assert merged.body.count("ources") == 1
    assert merged.body.endswith("[^1]: [C_transcript.txt](../inbox/used/C_transcript.txt)\n")


def test_the_example_article_keeps_its_unused_citations() -> None:
    document = (EXAMPLES / "articles/ai-engineer-my-vision.md").read_text(encoding="utf-8")
    _, rest = frontmatter.split(document)
    merged = merged_into(
        rest, Insertion(section="Key Differentiators", heading=None, markdown="- Evals[^S1]")
    )
    assert survival_problems(rest, merged) == []
    found = citations.scan(merged.body)
    assert [ref.label for ref in found.references] == ["4"]
    assert [d.label for d in found.definitions] == ["1", "2", "3", "4"]
    assert added_lines(rest, merged.body) == [
        "- Evals[^4]\n",
        "[^4]: [C_transcript.txt](../inbox/used/C_transcript.txt)\n",
    ]


def test_an_article_without_sources_gets_a_sources_section() -> None:
    body = "\n# Plain\n\nHand-written text with no citations.\n"
    merged = merged_into(body, Insertion(section=None, heading="## News", markdown="News[^S1]."))
    assert merged.body == (
        "\n# Plain\n\nHand-written text with no citations.\n\n## News\n\nNews[^1].\n\n"
        "## Sources\n\n[^1]: [C_transcript.txt](../inbox/used/C_transcript.txt)\n"
    )


@pytest.mark.parametrize("path", REAL, ids=str)
@pytest.mark.parametrize("mode", MODES)
def test_real_articles_only_gain_the_insertion_and_its_definition(path: str, mode: str) -> None:
    text = REAL[path].read_text(encoding="utf-8")
    outcome = simulate(path, text, mode)
    assert outcome.after is not None, outcome.problems
    assert outcome.problems == []


def test_an_open_code_fence_swallowing_old_citations_is_caught() -> None:
    merged = merged_into(
        BODY, Insertion(section="Context", heading=None, markdown="```python\nprint(1)  # [^S1]")
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
