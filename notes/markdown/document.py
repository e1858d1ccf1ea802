"""One article file, parsed once: its text as the author left it and what is read from it.

A drafting pass makes one `ArticleDoc` per article and everything that reads or changes the
article works on it: the parsed front matter and body, the citations, the view the update
prompt shows. Nothing here writes or re-renders the text; a change makes new text, and
the old bytes stay exactly as they were (notes.markdown.merge says which may change).
"""

from __future__ import annotations

import posixpath
from functools import cached_property
from urllib.parse import unquote

from markdown_it.token import Token

from notes.markdown import articles, citations, frontmatter, merge, parser


class ArticleDoc:
    """The article at KB path `path` (`articles/x.md`) whose file text is `text`."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.text = text

    @cached_property
    def tokens(self) -> list[Token]:
        """The file's markdown-it tokens: the one parse every reading below shares."""
        return parser.parse(self.text)

    @cached_property
    def parsed(self) -> articles.Article | articles.ArticleFormatError:
        """The parsed article, or why the file is not in the article format."""
        try:
            return articles.parse_article(self.text, self.tokens)
        except articles.ArticleFormatError as error:
            return error

    @property
    def article(self) -> articles.Article | None:
        """The parsed article; None when the file is not in the article format."""
        parsed = self.parsed
        return parsed if isinstance(parsed, articles.Article) else None

    def require(self) -> articles.Article:
        """The parsed article. Raises ArticleFormatError when it is not in the format."""
        parsed = self.parsed
        if isinstance(parsed, articles.ArticleFormatError):
            raise parsed
        return parsed

    @property
    def title(self) -> str:
        article = self.article
        return article.meta.title if article else posixpath.basename(self.path)

    @cached_property
    def citations(self) -> citations.Citations:
        return citations.scan(self.text, self.tokens)

    @cached_property
    def rest(self) -> str:
        """Everything after the front matter, byte for byte. Raises FrontMatterError."""
        return frontmatter.split(self.text)[1]

    @cached_property
    def view(self) -> merge.View:
        """The article as the update prompt shows it. Raises FrontMatterError, CitationError."""
        return merge.view(self.rest)

    def linked_names(self) -> set[str]:
        """File names (the last part of each link) that the footnote definitions link to;
        which of them are notes is the KB's rule (`notes.kb.names.is_note_name`)."""
        return {
            posixpath.basename(unquote(link))
            for definition in self.citations.definitions
            for link in definition.links
        }
