"""The messages sent to the model for each call of the LLM contract (pure text building).

Sources appear only as `<source id="S1" name="NAME_transcript.txt" date="...">text</source>`
(a timed note adds `time="0:00-12:30"` and marks `[12:30]` in its text; a long one is shown
as several sources, one per part, see notes.drafting.moments); a note that is not a voice
transcript also says its kind and what its front matter tells about it (`kind="link"
url="..." title="..." site="..."`, `kind="photo" image="yes"`, a video's file name and
duration), its text being the description, extract or caption; a forwarded note of any kind
says whose words they are (`forwarded_from="Juan" forwarded_from_kind="user"
forwarded_date="..."`);
candidate articles as `<article path="articles/x.md" title="..." updated="...">description
</article>`. The model never sees or writes a path to a note.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape
from typing import Any

from notes.drafting import moments
from notes.drafting.batching import PendingNote
from notes.drafting.notebudget import within_budget
from notes.intake import formats
from notes.intake.transcripts import iso_date
from notes.llm.client import Message
from notes.llm.prompts import Prompt
from notes.markdown.summary import ArticleSummary

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
    start: float | None = None
    """Where in the recording the text starts and ends (seconds); None: not timed."""

    end: float | None = None
    audio: str | None = None
    """The recording's file name in `inbox/audio/`."""

    kind: str = "voice"
    details: tuple[tuple[str, str], ...] = ()
    """What the note's front matter says about it, shown as attributes (url, title, site..)."""

    image_file: str = ""
    """A photo note's image beside it (never shown to the model)."""

    keyframe_file: str = ""
    """A video note's keyframe beside it (`keyframe_file`)."""

    video_file: str = ""
    """A video note's kept video beside it (`saved_as`, round videos)."""

    message_link: str = ""
    """A video note's link to its Telegram message (`[View video on Telegram](URL)`)."""

    @property
    def timed(self) -> bool:
        return self.start is not None and self.end is not None

    @property
    def is_image(self) -> bool:
        """A photo note whose image can be placed as a figure."""
        return self.kind == "photo" and bool(self.image_file)

    @property
    def is_video(self) -> bool:
        """A video note that can be placed as a figure: a keyframe, a link or the video."""
        return self.kind == "video" and bool(
            self.keyframe_file or self.video_file or self.message_link
        )


def sources_of(notes: Iterable[PendingNote], part_chars: int | None = None) -> list[Source]:
    """The notes of a batch as sources `S1`, `S2`.. in batch order.

    A timed note's text carries time marks; a long one becomes one source per part. Any
    other note longer than notebudget.NOTE_CHARS is cut, its last line naming the rest.
    """
    found: list[Source] = []
    for note in notes:
        date = iso_date(note.date)
        if not note.segments:
            video = video_files(note.kind, note.meta, note.text)
            found.append(
                Source(
                    f"S{len(found) + 1}",
                    note.name,
                    date,
                    within_budget(note.text),
                    kind=note.kind,
                    details=details_of(note.kind, note.meta, note.text),
                    image_file=_image_file(note.kind, note.meta),
                    keyframe_file=video.get("keyframe_file", ""),
                    video_file=video.get("video_file", ""),
                    message_link=video.get("message_link", ""),
                )
            )
            continue
        found += _timed(note, date, len(found), part_chars or moments.PART_CHARS)
    return found


def _timed(note: PendingNote, date: str, before: int, part_chars: int) -> list[Source]:
    """A timed note's sources, one per part: its words with time marks. A video note in one
    part keeps its text around the marked words, and its keyframe, video and link."""
    duration = note.duration or note.segments[-1].end
    parts = moments.parts(note.segments, duration, part_chars)
    video = video_files(note.kind, note.meta, note.text)
    found: list[Source] = []
    for part in parts:
        text = moments.marked(part.segments)
        span = formats.video_speech_span(note.text) if note.kind == "video" else None
        if span is not None and len(parts) == 1:
            text = note.text[: span[0]] + text + note.text[span[1] :]
        found.append(
            Source(
                f"S{before + len(found) + 1}",
                note.name,
                date,
                text,
                part.start,
                part.end,
                note.audio_file,
                kind=note.kind,
                details=details_of(note.kind, note.meta, note.text),
                keyframe_file=video.get("keyframe_file", ""),
                video_file=video.get("video_file", ""),
                message_link=video.get("message_link", ""),
            )
        )
    return found


_DETAILS = {
    "link": ("url", "final_url", "title", "site", "problem"),
    "youtube": ("url", "title", "channel", "problem"),
    "video": ("file_name", "duration_seconds", "width", "height"),
    "file": ("original_filename",),
    "photo": ("alt",),
}
_ORIGIN = ("forwarded_from", "forwarded_from_kind", "forwarded_date")
"""Shown for a forwarded note of any kind: whose words they are, and when he wrote them."""


def details_of(kind: str, meta: Mapping[str, Any], text: str = "") -> tuple[tuple[str, str], ...]:
    """The front matter values the model is shown for a note of `kind` (pure).

    A photo with its image says `image="yes"`; a video that can be shown as a figure (a
    keyframe, a message link or the kept video) says `figure="yes"`."""
    pairs = [(key, str(meta[key])) for key in _DETAILS.get(kind, ()) if meta.get(key)]
    if kind == "photo" and isinstance(meta.get("image_file"), str):
        pairs.insert(0, ("image", "yes"))
    if kind == "video" and any(video_files(kind, meta, text).values()):
        pairs.insert(0, ("figure", "yes"))
    pairs += [(key, _text(meta[key])) for key in _ORIGIN if meta.get(key)]
    return tuple(pairs)


def _text(value: Any) -> str:
    return iso_date(value) if isinstance(value, datetime) else str(value)


_MESSAGE_LINK = re.compile(r"\[View video on Telegram\]\((https://t\.me/[^)\s]+)\)")


def video_files(kind: str, meta: Mapping[str, Any], text: str) -> dict[str, str]:
    """A video note's keyframe, kept video and message link, as Source fields (pure)."""
    if kind != "video":
        return {}
    link = _MESSAGE_LINK.search(text)
    return {
        "keyframe_file": _plain_name(meta.get("keyframe_file")),
        "video_file": _plain_name(meta.get("saved_as")),
        "message_link": link[1] if link else "",
    }


def _plain_name(value: Any) -> str:
    return value if isinstance(value, str) and "/" not in value else ""


def _image_file(kind: str, meta: Mapping[str, Any]) -> str:
    image = meta.get("image_file")
    return image if kind == "photo" and isinstance(image, str) and "/" not in image else ""


def source_block(source: Source) -> str:
    text = source.text.strip().replace("</source", "&lt;/source")
    time = ""
    if source.start is not None and source.end is not None:
        time = f' time="{moments.span(source.start, source.end)}"'
    extra = "".join(f' {key}="{attr(value)}"' for key, value in source.details)
    kind = f' kind="{source.kind}"' if source.kind != "voice" else ""
    return (
        f'<source id="{source.id}" name="{attr(source.name)}" date="{attr(source.date)}"'
        f"{kind}{extra}{time}>{text}</source>"
    )


def article_block(candidate: ArticleSummary) -> str:
    title = _clip(candidate.title, TITLE_LIMIT)
    description = _clip(candidate.description, DESCRIPTION_LIMIT).replace("</article", "")
    return (
        f'<article path="{attr(candidate.path)}" title="{attr(title)}" '
        f'updated="{attr(candidate.updated)}">{description}</article>'
    )


def article_line(candidate: ArticleSummary) -> str:
    """An article by path and title only, for the longer listing after the detailed ones."""
    title = _clip(candidate.title, TITLE_LIMIT)
    slug = candidate.path.rsplit("/", 1)[-1].removesuffix(".md")
    if _words(title) == _words(slug):
        return f"- {candidate.path}"
    return f"- {candidate.path}: {title}"


def source_ids(sources: Sequence[Source]) -> str:
    """The sources' ids as the prompts list them: `S1, S2`."""
    return ", ".join(s.id for s in sources)


def source_blocks(sources: Sequence[Source]) -> str:
    """Each source's block (source_block), a blank line between two."""
    return "\n\n".join(source_block(s) for s in sources)


def chat(prompt: Prompt, user: str, **slots: str) -> list[Message]:
    """A call's two messages: `prompt` with its `slots` filled in, then the `user` message."""
    return [Message("system", prompt.render(**slots)), Message("user", user)]


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
        "Notes to file:\n\n" + source_blocks(sources)
    )
    return chat(prompt, user, language=language)


def write_messages(
    prompt: Prompt,
    language: str,
    title: str,
    tags: Sequence[str],
    sources: Sequence[Source],
    *,
    style: str = "",
) -> list[Message]:
    """The write call; `style` fills the prompt's `$style` slot (the author's rules)."""
    user = (
        f"Working title: {title}\n"
        f"Tags: {', '.join(tags) or '(none yet)'}\n"
        f"Cite: {source_ids(sources)}\n\n" + source_blocks(sources)
    )
    return chat(prompt, user, language=language, style=style)


def update_messages(
    prompt: Prompt,
    language: str,
    path: str,
    title: str,
    article_text: str,
    sections: Sequence[str],
    sources: Sequence[Source],
    *,
    style: str = "",
) -> list[Message]:
    """The update call; `style` fills the prompt's `$style` slot (the author's rules)."""
    listing = "\n".join(f"- {name}" for name in sections) or "(none)"
    user = (
        f'<article path="{attr(path)}" title="{attr(title)}">\n'
        f"{article_text.strip()}\n</article>\n\n"
        f"Sections you may add to:\n{listing}\n\n"
        f"New notes to add (cite each: {source_ids(sources)}):\n\n" + source_blocks(sources)
    )
    return chat(prompt, user, language=language, style=style)


def retry_message(problems: Sequence[str]) -> Message:
    """What the model is told after an answer that could not be used."""
    listing = "\n".join(f"- {problem}" for problem in problems)
    return Message(
        "user",
        "Your answer could not be used:\n"
        f"{listing}\n"
        "Answer again with the complete JSON, fixing these problems.",
    )


def attr(value: str) -> str:
    """`value` as an XML attribute value: on one line, spaces folded, quotes escaped."""
    return escape(" ".join(value.split()), quote=True)


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.casefold())


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
