"""The author's KB formats for material notes, written the way his KB already holds them.

- photo: `NAME_photo.md`, `source: telegram_photo`, `image_file: NAME.jpg`, a blank line, the
  description, a blank line, `Caption: …` (no newline at the end);
- file: `NAME_file.md`, `source: telegram_file`, `original_filename`, `saved_as`, then
  `Caption: …` after a blank line (nothing after the fence without a caption); a text file's
  content follows the fence directly;
- video: `NAME_video.md`, `source: telegram_video`, the link to the message, `Video info: …`
  and `Caption: …`, ending with a newline;
- link and youtube notes are new kinds (`NAME_link.md`, `NAME_youtube.md`) in the same shape.

Pure: these functions build strings; filing them is `notes.intake.inbox.file_note`'s job.
The front matter of every kind is written by `notes.intake.transcripts.front`; its first keys
and the forward after a kind's own say the note's `notes.intake.origin.Origin`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from notes.intake.origin import Origin
from notes.intake.transcripts import iso_date, note_front
from notes.kb import names

PHOTO_SUFFIX = names.PHOTO_SUFFIX
FILE_SUFFIX = names.FILE_SUFFIX
VIDEO_SUFFIX = names.VIDEO_SUFFIX
LINK_SUFFIX = names.LINK_SUFFIX
YOUTUBE_SUFFIX = names.YOUTUBE_SUFFIX
TEXT_SUFFIX = names.TEXT_SUFFIX
MATERIAL_SUFFIXES = (PHOTO_SUFFIX, FILE_SUFFIX, VIDEO_SUFFIX, LINK_SUFFIX, YOUTUBE_SUFFIX)


def caption_line(caption: str | None) -> str:
    return f"Caption: {caption}" if caption else ""


def join_blocks(*blocks: str) -> str:
    return "\n\n".join(block for block in blocks if block)


@dataclass(frozen=True)
class Description:
    """What a vision model (or OCR) saw in an image."""

    kind: str = ""
    summary: str = ""
    visible_text: str = ""
    alt: str = ""
    suggested_name: str = ""


def photo_note(
    origin: Origin,
    image_file: str,
    caption: str | None,
    description: Description | None,
    *,
    pending: str | None = None,
    ocr_text: str = "",
    extra: Sequence[tuple[str, Any]] = (),
) -> str:
    """`NAME_photo.md`: the KB's photo note. `pending` says why there is no description yet."""
    pairs = [*origin.head("photo"), ("image_file", image_file), *origin.tail(), *extra]
    if description is not None:
        pairs += [
            ("alt", description.alt or None),
            ("suggested_name", description.suggested_name or None),
        ]
        body = describe_body(description)
    else:
        pairs.append(("description", "pending"))
        body = join_blocks(
            f"No description yet: {pending or 'no vision model'}.",
            _ocr_block(ocr_text),
        )
    return note_front(pairs) + "\n\n" + join_blocks(body, caption_line(caption))


def describe_body(description: Description) -> str:
    blocks = ["## Analysis of the Image"]
    if description.kind:
        blocks.append(f"### Type\n{description.kind}")
    if description.summary:
        blocks.append(f"### Main Content\n{description.summary}")
    if description.visible_text.strip():
        blocks.append(f"### Visible Text\n{fence(description.visible_text)}")
    if description.alt:
        blocks.append(f"### Alt Text\n{description.alt}")
    return join_blocks(*blocks)


def _ocr_block(text: str) -> str:
    return f"### Visible Text (OCR)\n{fence(text)}" if text.strip() else ""


def fence(text: str) -> str:
    """A fenced block long enough that backticks inside it cannot close it."""
    longest = max((len(run) for run in text.split("\n") if set(run) == {"`"}), default=0)
    ticks = "`" * max(3, longest + 1)
    while ticks in text:
        ticks += "`"
    return f"{ticks}\n{text.strip()}\n{ticks}"


def file_note(
    origin: Origin,
    original_filename: str,
    saved_as: str | None,
    caption: str | None,
    *,
    inline_text: str | None = None,
    details: str = "",
    extra: Sequence[tuple[str, Any]] = (),
) -> str:
    """`NAME_file.md`. A text file's content follows the fence directly, as in the KB."""
    pairs = [
        *origin.head("file"),
        ("original_filename", original_filename),
        ("saved_as", saved_as),
        *origin.tail(),
        *extra,
    ]
    head = note_front(pairs)
    if inline_text is not None:
        return head + "\n" + join_blocks(inline_text, details, caption_line(caption))
    body = join_blocks(details, caption_line(caption))
    return head + ("\n\n" + body if body else "")


@dataclass(frozen=True)
class VideoInfo:
    file_name: str
    duration_seconds: int
    width: int
    height: int
    file_size_bytes: int


def video_note(
    origin: Origin,
    info: VideoInfo,
    caption: str | None,
    *,
    kind: str = "video",
    message_link: str | None = None,
    saved_as: str | None = None,
    sections: Sequence[str] = (),
    extra: Sequence[tuple[str, Any]] = (),
) -> str:
    """`NAME_video.md`: the KB's video note, plus the audio transcript and keyframe sections."""
    pairs = [
        *origin.head(kind),
        ("message_id", origin.message_id),
        ("chat_id", origin.chat_id),
        ("file_name", info.file_name or None),
        ("duration_seconds", info.duration_seconds),
        ("width", info.width),
        ("height", info.height),
        ("file_size_bytes", info.file_size_bytes),
        ("saved_as", saved_as),
        *origin.tail(),
        *extra,
    ]
    link = f"[View video on Telegram]({message_link})" if message_link else ""
    body = join_blocks(link, video_info_line(info), caption_line(caption), *sections)
    return note_front(pairs) + "\n\n" + body + "\n"


KEYFRAME_HEADING = "### Keyframe\n"
KEYFRAME_WAITING = KEYFRAME_HEADING + "Not described yet: "
_SECTION_HEADINGS = ("\n\n### Audio", "\n\n" + KEYFRAME_HEADING)


def video_sections_at(document: str) -> int:
    """Where the tool's sections (audio transcript, keyframe) of a video note begin: they
    come after the caption and last, so they are found from the end; the length of
    `document` without its final newline when there are none."""
    end = len(document.removesuffix("\n"))
    for heading in reversed(_SECTION_HEADINGS):
        at = document.rfind(heading, 0, end)
        if at >= 0:
            end = at
    return end


AUDIO_TRANSCRIPT_HEADING = "### Audio transcript ("


def video_speech_span(document: str) -> tuple[int, int] | None:
    """Where the words of a video note's audio transcript lie in `document` (start, end):
    what its `NAME.vtt` times. None when it has no transcript."""
    at = document.find("\n\n" + AUDIO_TRANSCRIPT_HEADING, video_sections_at(document))
    start = document.find("\n", at + 2) + 1 if at >= 0 else 0
    if start <= 0:
        return None
    end = document.find("\n\n" + KEYFRAME_HEADING, start)
    return start, len(document.removesuffix("\n")) if end < 0 else end


def keyframe_waiting_at(document: str) -> int:
    """Where a video note's keyframe section that still waits for a description begins
    (its `\n\n`); -1 when there is none."""
    return document.rfind("\n\n" + KEYFRAME_WAITING, video_sections_at(document))


PHOTO_PENDING = "description: pending\n"


def photo_waiting(document: str) -> bool:
    """Whether a photo note was filed without a description (its front matter says so)."""
    head_end = document.find("\n---", 4)
    return head_end >= 0 and PHOTO_PENDING in document[: head_end + 1]


def video_info_line(info: VideoInfo) -> str:
    minutes, seconds = divmod(int(info.duration_seconds), 60)
    size = f"{info.file_size_bytes / 1024 / 1024:.1f} MB"
    parts = [
        f"Duration: {minutes}m {seconds}s",
        f"Resolution: {info.width}x{info.height}",
        f"Size: {size}",
    ]
    if info.file_name:
        parts.append(f"Filename: {info.file_name}")
    return "Video info: " + ", ".join(parts)


def link_note(
    origin: Origin,
    url: str,
    *,
    title: str,
    site: str,
    fetched: datetime,
    markdown: str,
    final_url: str | None = None,
    kind: str = "",
    problem: str | None = None,
    context: str | None = None,
    extra: Sequence[tuple[str, Any]] = (),
) -> str:
    """`NAME_link.md`: a fetched page kept as a source (or the reason it could not be)."""
    pairs = [
        *origin.head("link"),
        ("url", url),
        ("final_url", final_url if final_url and final_url != url else None),
        ("title", title or None),
        ("site", site or None),
        ("fetched", iso_date(fetched)),
        ("content", kind or None),
        ("problem", problem),
        *origin.tail(),
        *extra,
    ]
    if problem:
        body = f"Not extracted: {problem}.\n\n<{url}>"
    else:
        body = join_blocks(
            f"# {title}" if title and not markdown.startswith("# ") else "", markdown
        )
    return note_front(pairs) + "\n\n" + join_blocks(body, _context(context)) + "\n"


def youtube_note(
    origin: Origin,
    url: str,
    *,
    title: str,
    channel: str,
    fetched: datetime,
    language: str,
    transcript: str,
    generated: bool = False,
    problem: str | None = None,
    context: str | None = None,
    extra: Sequence[tuple[str, Any]] = (),
) -> str:
    """`NAME_youtube.md`: the captions of a video with `M:SS` timestamps, or why not."""
    pairs = [
        *origin.head("youtube"),
        ("url", url),
        ("title", title or None),
        ("channel", channel or None),
        ("fetched", iso_date(fetched)),
        ("language", language or None),
        ("captions", ("generated" if generated else "manual") if transcript else None),
        ("problem", problem),
        *origin.tail(),
        *extra,
    ]
    heading = f"# {title}" if title else ""
    body = f"No transcript: {problem}.\n\n<{url}>" if problem else transcript
    return note_front(pairs) + "\n\n" + join_blocks(heading, body, _context(context)) + "\n"


def text_note(origin: Origin, text: str, extra: Sequence[tuple[str, Any]] = ()) -> str:
    """`NAME.md`: a text message exactly as sent (`source: telegram`), as in the KB."""
    pairs = [*origin.head(""), *origin.tail(), *extra]
    return note_front(pairs) + "\n\n" + text


def _context(context: str | None) -> str:
    return f"Sent with: {context}" if context else ""
