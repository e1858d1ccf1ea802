"""The messages sent to the model for each call of the LLM contract (pure text building).

Sources appear only as `<source id="S1" name="NAME_transcript.txt" date="...">text</source>`;
candidate articles as `<article path="articles/x.md" title="..." updated="...">description
</article>`. The model never sees or writes a path to a note.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape

from notes.drafting.batching import PendingNote
from notes.drafting.llm import Message
from notes.drafting.prompts import Prompt
from notes.summary import ArticleSummary
from notes.transcripts import iso_date

TITLE_LIMIT = 120
DESCRIPTION_LIMIT = 200


@dataclass(frozen=True)
class Source:
    """A note as the model sees it, under its id for this batch (`S1`).

    The one type for a note inside a prompt and the article built from the answer; made
    from the pending notes by `sources_of`.
    """

    id: str
    name: str
    date: str = ""
    text: str = ""


def sources_of(notes: Iterable[PendingNote]) -> list[Source]:
    """The notes of a batch as sources `S1`, `S2`.. in batch order."""
    return [
        Source(f"S{number}", note.name, iso_date(note.date), note.text)
        for number, note in enumerate(notes, start=1)
    ]


def source_block(source: Source) -> str:
    text = source.text.strip().replace("</source", "&lt;/source")
    return (
        f'<source id="{source.id}" name="{_attr(source.name)}" date="{_attr(source.date)}">'
        f"{text}</source>"
    )


def article_block(candidate: ArticleSummary) -> str:
    title = _clip(candidate.title, TITLE_LIMIT)
    description = _clip(candidate.description, DESCRIPTION_LIMIT).replace("</article", "")
    return (
        f'<article path="{_attr(candidate.path)}" title="{_attr(title)}" '
        f'updated="{_attr(candidate.updated)}">{description}</article>'
    )


def article_line(candidate: ArticleSummary) -> str:
    """An article by path and title only, for the longer listing after the detailed ones."""
    title = _clip(candidate.title, TITLE_LIMIT)
    slug = candidate.path.rsplit("/", 1)[-1].removesuffix(".md")
    if _words(title) == _words(slug):
        return f"- {candidate.path}"
    return f"- {candidate.path}: {title}"


def route_messages(
    prompt: Prompt,
    language: str,
    sources: Sequence[Source],
    candidates: Sequence[ArticleSummary],
    listed: Sequence[ArticleSummary] = (),
) -> list[Message]:
    """The route call; `listed` articles (if any) follow the detailed ones by title only."""
    listing = "\n".join(article_block(c) for c in candidates) or "(no articles yet)"
    more = ""
    if listed:
        lines = "\n".join(article_line(c) for c in sorted(listed, key=lambda c: c.path))
        more = f"Other existing articles (path and title):\n\n{lines}\n\n"
    user = (
        "Existing articles that may be related:\n\n"
        f"{listing}\n\n"
        f"{more}"
        "Notes to file:\n\n" + "\n\n".join(source_block(s) for s in sources)
    )
    return [Message("system", prompt.render(language=language)), Message("user", user)]


def write_messages(
    prompt: Prompt,
    language: str,
    title: str,
    tags: Sequence[str],
    sources: Sequence[Source],
) -> list[Message]:
    user = (
        f"Working title: {title}\n"
        f"Tags: {', '.join(tags) or '(none yet)'}\n"
        f"Cite: {', '.join(s.id for s in sources)}\n\n"
        + "\n\n".join(source_block(s) for s in sources)
    )
    return [Message("system", prompt.render(language=language)), Message("user", user)]


def update_messages(
    prompt: Prompt,
    language: str,
    path: str,
    title: str,
    article_text: str,
    sections: Sequence[str],
    sources: Sequence[Source],
) -> list[Message]:
    listing = "\n".join(f"- {name}" for name in sections) or "(none)"
    user = (
        f'<article path="{_attr(path)}" title="{_attr(title)}">\n'
        f"{article_text.strip()}\n</article>\n\n"
        f"Sections you may add to:\n{listing}\n\n"
        f"New notes to add (cite each: {', '.join(s.id for s in sources)}):\n\n"
        + "\n\n".join(source_block(s) for s in sources)
    )
    return [Message("system", prompt.render(language=language)), Message("user", user)]


def retry_message(problems: Sequence[str]) -> Message:
    """What the model is told after an answer that could not be used."""
    listing = "\n".join(f"- {problem}" for problem in problems)
    return Message(
        "user",
        "Your answer could not be used:\n"
        f"{listing}\n"
        "Answer again with the complete JSON, fixing these problems.",
    )


def _attr(value: str) -> str:
    return escape(" ".join(value.split()), quote=True)


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.casefold())


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
