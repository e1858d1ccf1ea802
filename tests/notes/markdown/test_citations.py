from __future__ import annotations

import pytest

from notes.markdown import citations, links, parser
from notes.markdown.citations import CitationError, Definition, Problem, Reference
from notes.markdown.links import MARKDOWN, Link
from tests.support.kbfiles import EXAMPLE_ARTICLE

EXAMPLE = EXAMPLE_ARTICLE.read_text(encoding="utf-8")

MIXED = """\
---
title: "Mixed [^fm]"
---

Intro[^b] and `[^a]` in code, then [^a] and [^b] again.
Escaped \\[^a] is text, and so is [a link](../x/[^a].txt).

| claim | more |
| --- | --- |
| x [^a] \\| y [^c] | `[^a]` [^a] |

> quoted [^c]
> - listed [^d]

1. first[^e]
   continued [^a]

![alt [^a] text](img.png) and ![](empty.png)

```
[^a] fenced
```

<div>
[^a] in an HTML block
</div>

    [^a] indented code

[^a]: def a [see](../inbox/used/a.txt)
[^b]: def b
[^c]: def c
[^d]: def d
[^e]: def e
    continued [link](<../inbox/used/e e.txt>)
[^f]: never used
"""


def test_example_defines_three_and_references_none() -> None:
    found = citations.scan(EXAMPLE)
    assert found.references == ()
    assert [(d.label, d.line, d.end_line, d.top_level) for d in found.definitions] == [
        ("1", 92, 92, True),
        ("2", 93, 93, True),
        ("3", 94, 94, True),
    ]
    assert found.definitions[2].links == (
        "../inbox/used/20260204_102429_AlexeyDTC_msg902_transcript.txt",
    )
    assert citations.problems(EXAMPLE) == [
        Problem(92, "footnote [^1] is defined but never used"),
        Problem(93, "footnote [^2] is defined but never used"),
        Problem(94, "footnote [^3] is defined but never used"),
    ]


def test_references_in_document_order_with_lines() -> None:
    found = citations.scan(MIXED)
    assert found.references == (
        Reference("b", 5),
        Reference("a", 5),
        Reference("b", 5),
        Reference("a", 10),
        Reference("c", 10),
        Reference("a", 10),
        Reference("c", 12),
        Reference("d", 13),
        Reference("e", 15),
        Reference("a", 16),
        Reference("a", 18),
        Reference("a", 25, in_html=True),
    )
    assert found.first_use_order() == ["b", "a", "c", "d", "e"]


def test_code_escapes_and_destinations_are_not_references() -> None:
    found = citations.scan(MIXED)
    lines = {ref.line for ref in found.references}
    assert not lines & {6, 21, 28}  # escaped/link line, fence, indented code
    assert "fm" not in {ref.label for ref in found.references}  # front matter


FIGURE = """Text[^1].

<figure>
  <img src="x.jpg" alt="[^2] in an attribute counts too">
  <figcaption>A caption[^7] and [^8]</figcaption>
  <!-- [^3] in a comment does not -->
</figure>

[^1]: one
[^7]: seven
"""


def test_markers_inside_html_blocks_are_references_comments_aside() -> None:
    found = citations.scan(FIGURE)
    assert found.references == (
        Reference("1", 1),
        Reference("2", 4, in_html=True),
        Reference("7", 5, in_html=True),
        Reference("8", 5, in_html=True),
    )
    assert citations.problems(FIGURE) == []  # [^7] is used; [^2] and [^8] may be text
    shown = citations.relabel(FIGURE, {"1": "E1", "7": "E2", "3": "E3"})
    assert "<figcaption>A caption[^E2] and [^8]</figcaption>" in shown
    assert "<!-- [^3] in a comment does not -->" in shown
    assert citations.relabel(shown, {"E1": "1", "E2": "7"}) == FIGURE


def test_definitions_with_lines_and_links() -> None:
    found = citations.scan(MIXED)
    assert [(d.label, d.line, d.end_line) for d in found.definitions] == [
        ("a", 30, 30),
        ("b", 31, 31),
        ("c", 32, 32),
        ("d", 33, 33),
        ("e", 34, 35),
        ("f", 36, 36),
    ]
    assert found.definitions[4].links == ("../inbox/used/e%20e.txt",)
    found_links = links.scan(parser.parse(MIXED))
    assert Link("../inbox/used/a.txt", 30, MARKDOWN, "a") in found_links
    assert Link("../x/%5B%5Ea%5D.txt", 6, MARKDOWN, None) in found_links


def test_problems_of_each_kind() -> None:
    text = (
        "One[^1], two[^2], again[^1].\n\nThree[^x].\n\n[^1]: a\n[^2]: b\n[^1]: a again\n[^9]: c\n"
    )
    assert citations.problems(text) == [
        Problem(3, "footnote [^x] is used but not defined"),
        Problem(7, "footnote [^1] is defined twice (first on line 5)"),
        Problem(8, "footnote [^9] is defined but never used"),
    ]
    assert citations.problems(MIXED) == [Problem(36, "footnote [^f] is defined but never used")]


def test_footnotes_in_nested_blocks_are_definitions_too() -> None:
    text = "Ref[^q] and[^l].\n\n> [^q]: quoted definition\n\n- [^l]: listed definition\n"
    found = citations.scan(text)
    assert [(d.label, d.line, d.top_level) for d in found.definitions] == [
        ("q", 3, False),
        ("l", 5, False),
    ]
    assert citations.problems(text) == []


def test_numbering_by_first_use_then_unused_definitions() -> None:
    assert citations.numbering(MIXED) == {
        "b": "1",
        "a": "2",
        "c": "3",
        "d": "4",
        "e": "5",
        "f": "6",
    }
    assert citations.numbering(EXAMPLE) == {"1": "1", "2": "2", "3": "3"}


def test_relabel_touches_only_footnote_labels() -> None:
    result = citations.relabel(MIXED, citations.numbering(MIXED))
    expected = (
        MIXED.replace(
            "Intro[^b] and `[^a]` in code, then [^a] and [^b] again.",
            "Intro[^1] and `[^a]` in code, then [^2] and [^1] again.",
        )
        .replace("| x [^a] \\| y [^c] | `[^a]` [^a] |", "| x [^2] \\| y [^3] | `[^a]` [^2] |")
        .replace("quoted [^c]", "quoted [^3]")
        .replace("listed [^d]", "listed [^4]")
        .replace("first[^e]", "first[^5]")
        .replace("continued [^a]", "continued [^2]")
        .replace("![alt [^a] text]", "![alt [^2] text]")
        .replace("[^a] in an HTML block", "[^2] in an HTML block")
        .replace("[^a]: def a", "[^2]: def a")
        .replace("[^b]: def b", "[^1]: def b")
        .replace("[^c]: def c", "[^3]: def c")
        .replace("[^d]: def d", "[^4]: def d")
        .replace("[^e]: def e", "[^5]: def e")
        .replace("[^f]: never", "[^6]: never")
    )
    assert result == expected
    assert citations.problems(result) == [Problem(36, "footnote [^6] is defined but never used")]


def test_relabel_to_model_ids_and_back_is_lossless() -> None:
    to_model = {"1": "E1", "2": "E2", "3": "E3"}
    text = "A[^1], b[^2][^3], `[^1]` and a[^1].\n\n[^1]: x\n[^2]: y\n[^3]: z\n"
    shown = citations.relabel(text, to_model)
    assert shown == "A[^E1], b[^E2][^E3], `[^1]` and a[^E1].\n\n[^E1]: x\n[^E2]: y\n[^E3]: z\n"
    assert citations.relabel(shown, {v: k for k, v in to_model.items()}) == text


def test_relabel_mixed_old_and_new_sources() -> None:
    body = "New first[^S1].\n\nOld text[^E1] and new[^S2][^E1].\n"
    found = citations.scan(body)
    assert found.first_use_order() == ["S1", "E1", "S2"]
    assert citations.relabel(body, citations.numbering(found)) == (
        "New first[^1].\n\nOld text[^2] and new[^3][^2].\n"
    )


def test_relabel_keeps_crlf_line_ends() -> None:
    text = "Line one[^b].\r\nLine two[^a].\r\n\r\n[^a]: x\r\n[^b]: y\r\n"
    assert (
        citations.relabel(text, citations.numbering(text))
        == "Line one[^1].\r\nLine two[^2].\r\n\r\n[^2]: x\r\n[^1]: y\r\n"
    )


@pytest.mark.parametrize(
    ("text", "mapping", "expected"),
    [
        pytest.param(
            "A[^1] b[^2] c[^note].\n\n[^1]: one\n[^2]: two\n[^note]: n\n",
            {"1": "2", "2": "1"},
            "A[^2] b[^1] c[^note].\n\n[^2]: one\n[^1]: two\n[^note]: n\n",
            id="swaps-at-once-and-leaves-unmapped-labels",
        ),
        pytest.param(
            "| a \\| b [^x] | [^x] \\| [^y] |\n| --- | --- |\n| `[^x]` \\| c | d[^y] |\n",
            {"x": "1", "y": "2"},
            "| a \\| b [^1] | [^1] \\| [^2] |\n| --- | --- |\n| `[^x]` \\| c | d[^2] |\n",
            id="in-table-cells-after-escaped-pipes",
        ),
        pytest.param(
            "- item\n\t\tmore [^a]\n> quote [^a]\nlazy [^a]\n\n[^a]: d\n",
            {"a": "1"},
            "- item\n\t\tmore [^1]\n> quote [^1]\nlazy [^1]\n\n[^1]: d\n",
            id="with-tabs-and-lazy-continuations",
        ),
    ],
)
def test_relabel_maps_each_label(text: str, mapping: dict[str, str], expected: str) -> None:
    assert citations.relabel(text, mapping) == expected


def test_relabel_refuses_merges_and_bad_labels() -> None:
    text = "A[^1] b[^2].\n\n[^1]: x\n[^2]: y\n"
    with pytest.raises(CitationError, match="merge"):
        citations.relabel(text, {"1": "2"})
    for bad in ["", "two words", "a]b"]:
        with pytest.raises(CitationError, match="not a footnote label"):
            citations.relabel(text, {"1": bad})


def test_is_label() -> None:
    assert citations.is_label("S1") and citations.is_label("note-2")
    assert not citations.is_label("") and not citations.is_label("a b")


def test_definition_end_line_skips_trailing_blank_lines() -> None:
    found = citations.scan("x[^1]\n\n[^1]: a\n    b\n\n\nAfter.\n")
    assert found.definitions == (Definition("1", 3, 4, (), True),)


def test_relabel_reaches_a_footnote_in_a_figure_caption_but_not_in_a_comment() -> None:
    text = (
        'One[^1] and two[^2].\n\n<figure>\n  <img src="a.jpg" alt="a">\n'
        "  <figcaption>Cap[^2]</figcaption>\n  <!-- see [^1] -->\n</figure>\n\n"
        "[^1]: one\n[^2]: two\n"
    )
    assert citations.relabel(text, {"1": "2", "2": "1"}) == (
        'One[^2] and two[^1].\n\n<figure>\n  <img src="a.jpg" alt="a">\n'
        "  <figcaption>Cap[^1]</figcaption>\n  <!-- see [^1] -->\n</figure>\n\n"
        "[^2]: one\n[^1]: two\n"
    )
