from __future__ import annotations

from notes.markdown import parser


def test_lines_split_like_markdown_it() -> None:
    lines = parser.Lines("a\r\nb\rc\n\nd")
    assert [lines.line(n) for n in range(len(lines))] == ["a", "b", "c", "", "d"]
    assert lines.starts[1] == 3 and lines.ends[0] == 1


def test_front_matter_is_one_token_with_file_lines() -> None:
    tokens = parser.parse("---\ntitle: x\n---\n\n# T\n")
    assert tokens[0].type == "front_matter"
    heading = next(t for t in tokens if t.type == "heading_open")
    assert heading.map == [4, 5]


def test_positions_lead_back_to_the_source() -> None:
    text = (
        "> Quote with [a link](x.md) and[^n].\n> Second ![alt [^m]](i.png) line[^n].\n\n"
        "| h |\n| - |\n| `c` [^n] |\n\n[^n]: d\n[^m]: e\n"
    )
    tokens = parser.parse(text)
    locator = parser.Locator(text, tokens)
    found = []
    for inline, child in parser.walk_inline(tokens):
        if parser.POS in child.meta:
            offset = locator.offset(inline, child.meta[parser.POS])
            assert offset is not None
            found.append(
                (
                    child.type,
                    parser.line_of(inline, child.meta[parser.POS]),
                    text[offset : offset + 4],
                )
            )
    assert found == [
        ("link_open", 0, "[a l"),
        ("footnote_ref", 0, "[^n]"),
        ("image", 1, "![al"),
        ("footnote_ref", 1, "[^m]"),
        ("footnote_ref", 1, "[^n]"),
        ("footnote_ref", 5, "[^n]"),
    ]


def test_undefined_references_are_still_tokens() -> None:
    tokens = parser.parse("Cites [^nowhere].\n")
    refs = [c for _, c in parser.walk_inline(tokens) if c.type == "footnote_ref"]
    assert [r.meta["label"] for r in refs] == ["nowhere"]


def test_plain_text_drops_markup_and_markers() -> None:
    tokens = parser.parse("Some *emphasis*, `code`,\na [link](x) and<br> a note[^1].\n")
    assert parser.plain_text(tokens[1]) == "Some emphasis, code, a link and a note."
