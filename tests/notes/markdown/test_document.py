"""An article parsed once: what is read from it shares one parse and never changes its bytes."""

from __future__ import annotations

import pytest
from markdown_it.token import Token

from notes.markdown import articles, parser
from notes.markdown.document import ArticleDoc
from tests.conftest import EXAMPLES

EXAMPLE = (EXAMPLES / "articles/ai-engineer-my-vision.md").read_text(encoding="utf-8")


def test_every_reading_shares_one_parse_of_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: list[str] = []
    parse = parser.parse

    def counted(text: str) -> list[Token]:
        parsed.append(text)
        return parse(text)

    monkeypatch.setattr(parser, "parse", counted)
    doc = ArticleDoc("articles/ai-engineer-my-vision.md", EXAMPLE)
    assert doc.title == "AI Engineer My Vision"
    assert len(doc.citations.definitions) == 3
    assert "20260208_114623_AlexeyDTC_msg1188_transcript.txt" in doc.linked_names()
    assert doc.require() is doc.article
    assert parsed == [EXAMPLE]
    assert doc.text == EXAMPLE and EXAMPLE.endswith(doc.rest)


def test_a_file_not_in_the_format_is_kept_and_says_why() -> None:
    doc = ArticleDoc("articles/notes.md", "just text [^1]\n\n[^1]: [n](../inbox/used/n)\n")
    assert doc.article is None and doc.title == "notes.md"
    with pytest.raises(articles.ArticleFormatError, match="front matter"):
        doc.require()
    assert [d.label for d in doc.citations.definitions] == ["1"]
