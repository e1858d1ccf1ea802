"""His voice from his own words: passages of his finished posts for the write prompt.

`VOICENOTES_STYLE_EXAMPLES` names a folder of his finished posts (Markdown, any depth). For a
new article, the posts closest to the notes' topic are found with the router's ranking (BM25
over stemmed words, notes.retrieval.relevance), and from each of the best two the section
closest to the topic is taken, cut at a paragraph boundary, at most LIMIT characters in all.
They go before the notes in the user message as `<voice_example>` blocks, which the prompt
frames as examples of voice, never of content. A post that cannot be read is skipped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from notes.drafting.messages import Source
from notes.llm.client import Message
from notes.markdown.summary import ArticleSummary
from notes.retrieval import relevance

LIMIT = 4_000
"""Most characters of passages one prompt carries, all passages together."""

POSTS = 2
"""Passages per prompt: one from each of the closest posts."""

_SECTION = re.compile(r"^## ", re.MULTILINE)
_DROPPED = re.compile(r"^(\[\^[^\]]+\]:|<|# |!\[)")
"""Lines that are not his prose: footnote definitions, HTML, the title, images."""


@dataclass(frozen=True)
class Post:
    name: str
    title: str
    sections: tuple[str, ...]


class Examples:
    """His posts, ready to rank; loaded once for a pass."""

    def __init__(self, posts: Sequence[Post]) -> None:
        self.posts = [post for post in posts if post.sections]
        self._index = relevance.Index([_candidate(post) for post in self.posts])

    @classmethod
    def load(cls, folder: Path) -> Examples:
        """The posts of `folder` (`*.md` at any depth); unreadable files are skipped."""
        posts = []
        for path in sorted(folder.rglob("*.md")) if folder.is_dir() else []:
            try:
                text = path.read_bytes().decode("utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            posts.append(parse_post(path.relative_to(folder).as_posix(), text))
        return cls(posts)

    def passages(self, title: str, sources: Sequence[Source]) -> list[tuple[str, str]]:
        """(post name, passage) for the notes `sources` on `title`: the closest first."""
        if not self.posts:
            return []
        query = "\n".join([title, *(source.text for source in sources)])
        scores = self._index.scores(query)
        ranked = sorted(range(len(self.posts)), key=lambda i: (-scores[i], self.posts[i].name))
        found: list[tuple[str, str]] = []
        room = LIMIT
        for number in ranked[:POSTS]:
            post = self.posts[number]
            passage = clip(_best_section(post, query), min(room, LIMIT // POSTS))
            if passage:
                found.append((post.name, passage))
                room -= len(passage)
        return found


def parse_post(name: str, text: str) -> Post:
    """A post's title (front matter, `# ` heading, else its name) and prose sections."""
    title = Path(name).stem.replace("-", " ")
    if text.startswith("---\n") and "\n---\n" in text:
        head, text = text[4:].split("\n---\n", 1)
        title = _front_matter_title(head) or title
    heading = re.search(r"^# (.+)$", text, re.MULTILINE)
    title = heading.group(1).strip() if heading else title
    kept = "\n".join(line for line in text.splitlines() if not _DROPPED.match(line))
    parts = [part.strip() for part in _SECTION.split(kept)]
    sections = tuple(("## " + part if number else part) for number, part in enumerate(parts))
    return Post(name, title, tuple(s for s in sections if len(s.split()) >= 20))


def clip(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters: at a paragraph boundary, else (a first
    paragraph longer than `limit`) after its last whole sentence that fits."""
    kept = ""
    for paragraph in text.split("\n\n"):
        joined = f"{kept}\n\n{paragraph}" if kept else paragraph
        if len(joined) > limit:
            break
        kept = joined
    if kept or not text:
        return kept
    head = text[:limit]
    end = max(head.rfind(". "), head.rfind("! "), head.rfind("? "))
    return head[: end + 1] if end > 0 else ""


def with_examples(chat: list[Message], passages: Sequence[tuple[str, str]]) -> list[Message]:
    """`chat` with the passages before the text of its last (user) message."""
    if not passages or not chat:
        return chat
    blocks = [
        f'<voice_example post="{name}">\n{text.replace("</voice_example", "")}\n</voice_example>'
        for name, text in passages
    ]
    intro = "Passages from the author's finished posts, for his voice only (not content):"
    last = chat[-1]
    content = "\n\n".join([intro, *blocks, last.content])
    return [*chat[:-1], Message(last.role, content)]


def _front_matter_title(head: str) -> str:
    found = re.search(r"^title:\s*[\"']?(.*?)[\"']?\s*$", head, re.MULTILINE)
    return found.group(1) if found else ""


def _candidate(post: Post) -> relevance.Candidate:
    return relevance.Candidate(ArticleSummary(post.name, post.title), "\n\n".join(post.sections))


def _best_section(post: Post, query: str) -> str:
    sections = [
        relevance.Candidate(ArticleSummary(f"{post.name}#{n}", ""), section)
        for n, section in enumerate(post.sections)
    ]
    scores = relevance.Index(sections).scores(query)
    return post.sections[max(range(len(sections)), key=lambda i: (scores[i], -i))]
