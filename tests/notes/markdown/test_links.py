from __future__ import annotations

from notes.markdown import links, parser
from notes.markdown.links import Link, Marker

DOCUMENT = """\
# Title

A [link](a.md), an ![image](img/b.png), a [reference][r] and <https://example.com>.
Inline <img src="c.jpg" alt="x"> and <a href="d.md">d</a>.

<figure>
  <img src="../e.jpg">
  <figcaption>A caption citing[^7]</figcaption>
  <!-- <img src="commented.jpg"> [^8] -->
  <video src="f.mp4" controls></video>
</figure>

Cited[^1].

[r]: ref.md
[^1]: [note](../inbox/used/n.md)
[^7]: [other](../inbox/used/o.md)
"""


def test_every_link_kind_with_its_line() -> None:
    found = links.scan(parser.parse(DOCUMENT))
    assert found == [
        Link("a.md", 3, links.MARKDOWN),
        Link("img/b.png", 3, links.IMAGE),
        Link("ref.md", 3, links.MARKDOWN),
        Link("https://example.com", 3, links.MARKDOWN),
        Link("c.jpg", 4, links.HTML),
        Link("d.md", 4, links.HTML),
        Link("../e.jpg", 7, links.HTML),
        Link("f.mp4", 10, links.HTML),
        Link("../inbox/used/n.md", 16, links.MARKDOWN, footnote="1"),
        Link("../inbox/used/o.md", 17, links.MARKDOWN, footnote="7"),
    ]


def test_footnote_markers_in_markdown_and_in_html_but_not_in_comments() -> None:
    tokens = parser.parse(DOCUMENT)
    assert links.markers(tokens) == [Marker("1", 13), Marker("7", 8, in_html=True)]
    assert links.definitions(tokens) == [Marker("1", 16), Marker("7", 17)]


def test_markers_in_code_are_not_markers() -> None:
    tokens = parser.parse("Text `[^1]` and\n\n    [^2] in code\n\n<span>[^3]</span>\n")
    assert links.markers(tokens) == [Marker("3", 5)]  # between inline tags: Markdown
