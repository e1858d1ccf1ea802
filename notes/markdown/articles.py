"""The article file format (pure text; `notes.kb.articlefiles` finds the files on disk).

An article file is::

    ---
    title: "AI Engineer My Vision"
    created: 2026-02-08
    updated: 2026-02-08
    tags: [ai-engineering, roles, career]
    status: draft
    ---

    # AI Engineer My Vision

    BODY

    ## Sources

    [^1]: [NAME_transcript.txt](../inbox/used/NAME_transcript.txt)

More front matter keys may follow `status` (kept, in order), and anything the author puts
above `# Title` (an HTML comment, say) is kept as the article's `lead`. The Sources heading is
any level-2 heading reading "Sources" in any case (`is_sources_heading`, the one rule for the
whole tool). `render_article(parse_article(x))` gives back `x` byte for byte for files in this
format. Elsewhere the front matter, the blank line around `# Title`, the Sources heading, the
blank line after it and blank lines between definitions are normalized; the body and anything
after the definitions are always kept verbatim. That is why the tool renders new articles only:
an update edits the author's file as text (notes.markdown.merge, `with_updated`).
"""

from __future__ import annotations

import json
import posixpath
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePath
from typing import Any

import yaml
from markdown_it.token import Token

from notes.markdown import citations, frontmatter, parser
from notes.markdown.articlemeta import REQUIRED_KEYS, as_date, meta_problems

SOURCES = "Sources"
SOURCES_HEADING = f"## {SOURCES}"
"""The Sources heading as the tool writes it; `is_sources_heading` is how it is recognised."""
DRAFT = "draft"


class ArticleFormatError(ValueError):
    """A file that is not an article in the expected format; `line` is 1-based if known."""

    def __init__(self, reason: str, line: int | None = None) -> None:
        super().__init__(reason)
        self.line = line


@dataclass(frozen=True)
class ArticleMeta:
    """The front matter. `extra` holds keys the author added by hand, in file order."""

    title: str
    created: date
    updated: date
    tags: list[str] = field(default_factory=list)
    status: str = DRAFT
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> ArticleMeta:
        """Build from loaded YAML; raises ArticleFormatError naming the first problem."""
        problems = meta_problems(data)
        if problems:
            raise ArticleFormatError(f"front matter: {problems[0].message}")
        created, updated = as_date(data["created"]), as_date(data["updated"])
        assert created is not None and updated is not None  # meta_problems checked them
        return cls(
            title=data["title"],
            created=created,
            updated=updated,
            tags=list(data["tags"]),
            status=data["status"],
            extra={k: v for k, v in data.items() if k not in REQUIRED_KEYS},
        )


@dataclass(frozen=True)
class Article:
    """A parsed article.

    `body` is the text between `# Title` (and the blank line after it) and `## Sources`,
    exactly as the author left it, trailing blank lines included. `footnotes` maps each label
    of the Sources section to its definition text (`[NAME](link)`), in file order. `tail` is
    whatever follows the definitions, verbatim. `heading` is the H1 text when it differs
    from the title (None: the H1 is the title).
    """

    meta: ArticleMeta
    body: str
    footnotes: dict[str, str] = field(default_factory=dict)
    tail: str = ""
    heading: str | None = None
    lead: str = ""
    """What stands between the front matter and `# Title` (an HTML comment, say), verbatim
    from the line after the closing `---`; empty when that is only blank lines."""


# --- the format ---------------------------------------------------------------------------


def parse_article(text: str, tokens: Sequence[Token] | None = None) -> Article:
    """Parse an article file (`tokens`: its markdown-it tokens, if already parsed).

    Raises ArticleFormatError with a one-line reason.
    """
    tokens = parser.parse(text) if tokens is None else tokens
    data, rest_start = read_front_matter(text)
    meta = ArticleMeta.from_mapping(data)
    lines = parser.Lines(text)
    first = _title_line(tokens, lines, rest_start)
    if first is None:
        filled = _first_filled(lines, rest_start) or 0
        raise ArticleFormatError("no '# Title' line after the front matter", filled + 1)
    lead = text[lines.starts[rest_start] : lines.starts[first]]
    heading = lines.line(first)[2:]
    body_start = first + 1
    if body_start < len(lines) and not lines.line(body_start).strip():
        body_start += 1
    sources = _sources_line(tokens, after=first)
    body_end = lines.starts[sources[0]] if sources is not None else len(text)
    body = text[lines.starts[body_start] : body_end] if body_start < len(lines) else ""
    footnotes, tail = (
        ({}, "") if sources is None else _sources_section(text, tokens, lines, sources)
    )
    lead = lead if lead.strip() else ""
    return Article(meta, body, footnotes, tail, None if heading == meta.title else heading, lead)


def render_article(article: Article) -> str:
    """The file text of `article`; the exact inverse of parse_article for files in format."""
    meta = article.meta
    heading = meta.title if article.heading is None else article.heading
    has_sources = bool(article.footnotes or article.tail)
    body = _spaced(article.body) if has_sources else article.body
    lead = article.lead or "\n"
    parts = [f"---\n{render_front_matter(meta)}---\n{lead}# {heading}\n\n{body}"]
    if has_sources:
        parts.append(SOURCES_HEADING + "\n")
        if article.footnotes:
            definitions = (f"[^{label}]: {text}" for label, text in article.footnotes.items())
            parts.append("\n" + "\n".join(definitions) + "\n")
        parts.append(article.tail)
    return "".join(parts)


def render_front_matter(meta: ArticleMeta) -> str:
    """The YAML lines between the `---` fences, each ending with a newline."""
    pairs = [
        ("title", quoted(meta.title)),
        ("created", meta.created.isoformat()),
        ("updated", meta.updated.isoformat()),
        ("tags", frontmatter.scalar(list(meta.tags))),
        ("status", frontmatter.scalar(meta.status)),
        *((key, frontmatter.scalar(value)) for key, value in meta.extra.items()),
    ]
    return "".join(f"{key}: {value}\n" for key, value in pairs)


def quoted(text: str) -> str:
    """`text` as a YAML double-quoted scalar on one line."""
    return "".join(_escape(char) for char in json.dumps(text, ensure_ascii=False))


def read_front_matter(text: str) -> tuple[dict[str, Any], int]:
    """(front matter mapping, 0-based line where the rest begins). PyYAML via notes.headers."""
    try:
        yaml_text, _ = frontmatter.split(text)
    except frontmatter.FrontMatterError as error:
        raise ArticleFormatError(str(error), 1) from None
    try:
        data = frontmatter.load(yaml_text)
    except frontmatter.FrontMatterError as error:
        raise _yaml_error(error) from None
    return data, yaml_text.count("\n") + 2


def with_updated(text: str, day: date) -> str:
    """`text` with the value of its front matter's `updated` key set to `day`.

    Every other byte stays: the other keys, their order and values, comments, quoting.
    Raises ArticleFormatError when the front matter cannot be read or has no `updated` value.
    """
    try:
        yaml_text, _ = frontmatter.split(text)
        node = yaml.compose(yaml_text, Loader=yaml.SafeLoader)
    except frontmatter.FrontMatterError as error:
        raise ArticleFormatError(str(error), 1) from None
    except yaml.YAMLError:
        raise ArticleFormatError("front matter is not valid YAML", 1) from None
    pairs = node.value if isinstance(node, yaml.MappingNode) else []
    for key, value in pairs:
        if key.value == "updated" and isinstance(value, yaml.ScalarNode):
            start, end = value.start_mark.index, value.end_mark.index
            if value.style in ("'", '"'):
                start, end = start + 1, end - 1
            offset = len(frontmatter.FENCE) + 1
            return text[: offset + start] + day.isoformat() + text[offset + end :]
    raise ArticleFormatError("front matter has no updated date")


def is_sources_heading(text: str, level: int) -> bool:
    """The one rule for the Sources heading: a level-2 heading reading "Sources", any case.

    `text` is the heading's plain text (markup and surrounding blanks ignored).
    """
    return level == 2 and text.strip().casefold() == SOURCES.casefold()


# --- links and names ----------------------------------------------------------------------


def relative_link(article_rel: str | PurePath, note_rel: str | PurePath) -> str:
    """Link from an article to a note, both relative to the KB root (POSIX style).

    `articles/x.md`, `inbox/used/N` -> `../inbox/used/N`; one more `../` per subfolder.
    """
    start = posixpath.dirname(PurePath(article_rel).as_posix())
    return posixpath.relpath(PurePath(note_rel).as_posix(), start or ".")


def source_link(note_name: str, link: str) -> str:
    """The Markdown link of a Sources line, `[NAME](link)`, escaped where Markdown needs it."""
    name = note_name.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
    if any(char.isspace() or char in "()<>" for char in link):
        link = "<" + link.replace("<", "%3C").replace(">", "%3E") + ">"
    return f"[{name}]({link})"


# --- inside -------------------------------------------------------------------------------


def _escape(char: str) -> str:
    # YAML reads U+0085, U+2028 and U+2029 as line breaks and refuses C1 controls unescaped.
    if char in "\x85\u2028\u2029" or "\x7f" <= char <= "\x9f":
        return f"\\u{ord(char):04x}"
    return char


def _yaml_error(error: frontmatter.FrontMatterError) -> ArticleFormatError:
    cause = error.__context__
    if isinstance(cause, yaml.MarkedYAMLError) and cause.problem_mark is not None:
        problem = cause.problem or cause.context or "syntax error"
        return ArticleFormatError(
            f"front matter is not valid YAML: {problem}", cause.problem_mark.line + 2
        )
    return ArticleFormatError(" ".join(str(error).split()), 1)


def _spaced(body: str) -> str:
    """The body, ending in a blank line when anything follows it."""
    if not body or body.endswith("\n\n"):
        return body
    return body + ("\n" if body.endswith("\n") else "\n\n")


def _first_filled(lines: parser.Lines, start: int) -> int | None:
    for number in range(start, len(lines)):
        if lines.line(number).strip():
            return number
    return None


def _title_line(tokens: Sequence[Token], lines: parser.Lines, start: int) -> int | None:
    """0-based line of `# Title`: the first filled line, or else the first top-level `# ` H1
    after what the author put above it (comments, notes)."""
    first = _first_filled(lines, start)
    if first is None or lines.line(first).startswith("# "):
        return first
    for token in tokens:
        if (
            token.type == "heading_open"
            and token.tag == "h1"
            and token.level == 0
            and token.map is not None
            and token.map[0] >= start
            and lines.line(token.map[0]).startswith("# ")
        ):
            return token.map[0]
    return None


def _sources_line(tokens: Sequence[Token], after: int) -> tuple[int, int] | None:
    """0-based first line and end (exclusive) of the last top-level Sources heading below line
    `after` (see is_sources_heading), if any."""
    found = None
    for index, token in enumerate(tokens):
        if (
            token.type == "heading_open"
            and token.level == 0
            and token.map is not None
            and token.map[0] > after
            and is_sources_heading(parser.plain_text(tokens[index + 1]), int(token.tag[1:]))
        ):
            found = (token.map[0], token.map[1])
    return found


def _sources_section(
    text: str, tokens: Sequence[Token], lines: parser.Lines, heading: tuple[int, int]
) -> tuple[dict[str, str], str]:
    """(footnotes, tail) of the Sources section whose heading spans lines `heading`."""
    definitions = {
        d.line - 1: d
        for d in citations.scan(text, tokens).definitions
        if d.top_level and d.line > heading[1]
    }
    footnotes: dict[str, str] = {}
    row = resume = heading[1]
    while row < len(lines):
        if not lines.line(row).strip():
            row += 1
            continue
        found = definitions.get(row)
        if found is None or found.label in footnotes or not _starts_at_margin(lines, found):
            break
        footnotes[found.label] = _definition_text(lines, found)
        row = resume = found.end_line
    if not footnotes:
        resume = heading[1]
    tail = text[lines.starts[resume] :] if resume < len(lines) else ""
    return footnotes, tail


def _starts_at_margin(lines: parser.Lines, definition: citations.Definition) -> bool:
    return lines.line(definition.line - 1).startswith(f"[^{definition.label}]:")


def _definition_text(lines: parser.Lines, definition: citations.Definition) -> str:
    first = lines.line(definition.line - 1)[len(definition.label) + 4 :]
    rest = [lines.line(number) for number in range(definition.line, definition.end_line)]
    return "\n".join([first.removeprefix(" "), *rest])
