"""Links and YouTube videos, each kept as a note of its own that drafting can cite."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from notes.intake import formats, inbox, pages, youtube, youtube_ids
from notes.intake.filing import FiledNote, Materials
from notes.intake.origin import Origin
from notes.intake.transcripts import request_extra
from notes.kb import KnowledgeBase
from notes.markdown import frontmatter

Extra = Sequence[tuple[str, Any]]


def file_links(
    m: Materials,
    urls: list[str],
    stem: str,
    origin: Origin,
    context: str | None = None,
    article: str | None = None,
) -> list[FiledNote]:
    """One note per URL: `NAME_link.md`, `NAME_link2.md`…, YouTube as `NAME_youtube.md`;
    each names `article` (`article:`) when the message asked for that article.

    A URL message `stem` already has a note of (in raw/ or used/) is left out, and a new one
    takes the next free number: filing again after a crash, or the links an edit added,
    never files a link twice nor writes over a note.
    """
    extra: Extra = list(request_extra(article).items())
    filed: list[FiledNote] = []
    for url in unfiled(m.kb, stem, urls):
        kind = "youtube" if youtube_ids.video_id(url) else "link"
        name = _free_name(m.kb, stem, kind)
        if kind == "youtube":
            filed.append(file_youtube(m, url, name, origin, context, extra))
        else:
            filed.append(file_link(m, url, name, origin, context, extra))
    return filed


def unfiled(kb: KnowledgeBase, stem: str, urls: list[str]) -> list[str]:
    """`urls` (once each, in order) but those message `stem` has a link or YouTube note of."""
    known = set(filed_urls(kb, stem))
    return [url for url in dict.fromkeys(urls) if url not in known]


def filed_urls(kb: KnowledgeBase, stem: str) -> list[str]:
    """The `url` of every link and YouTube note of message `stem`, in raw/ and used/."""
    found: list[str] = []
    for folder in (kb.raw, kb.used):
        for pattern in (f"{stem}_link*.md", f"{stem}_youtube*.md"):
            for path in sorted(folder.glob(pattern)):
                url = _url_of(path)
                if url:
                    found.append(url)
    return found


def _url_of(path: Path) -> str | None:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    url = frontmatter.lenient(text).get("url")
    return url if isinstance(url, str) else None


def _free_name(kb: KnowledgeBase, stem: str, kind: str) -> str:
    """`NAME_link.md`, else `NAME_link2.md`, `NAME_link3.md`…: the first not filed yet."""
    number = 1
    while True:
        name = f"{stem}_{kind}{'' if number == 1 else number}.md"
        if inbox.note_path(kb, name) is None:
            return name
        number += 1


def file_link(
    m: Materials, url: str, name: str, origin: Origin, context: str | None, extra: Extra = ()
) -> FiledNote:
    page = pages.read_link(url, m.policy, github_api=m.github_api)
    text = formats.link_note(
        origin,
        url,
        title=page.title,
        site=page.site,
        fetched=m.fetched_at(),
        markdown=page.markdown,
        final_url=page.final_url,
        kind=page.kind if not page.problem else "",
        problem=page.problem,
        context=context,
        extra=extra,
    )
    path = inbox.file_note(m.kb, name, text)
    if page.problem:
        return FiledNote(path, "link", url, f"{url}: {page.problem}")
    words = len(page.markdown.split())
    summary = f"{page.title or page.site} ({page.site}, {page.kind}, {words} words)"
    return FiledNote(path, "link", summary)


def file_youtube(
    m: Materials, url: str, name: str, origin: Origin, context: str | None, extra: Extra = ()
) -> FiledNote:
    video_id = youtube_ids.video_id(url) or ""
    session = m.youtube_session()
    try:
        video = youtube.load_video(video_id, session, m.kb.state / "youtube")
    finally:
        session.close()
    text = formats.youtube_note(
        origin,
        url,
        title=video.title,
        channel=video.channel,
        fetched=m.fetched_at(),
        language=video.language,
        transcript=video.transcript(),
        generated=video.generated,
        problem=video.problem,
        context=context,
        extra=extra,
    )
    path = inbox.file_note(m.kb, name, text)
    label = " — ".join(part for part in (video.title, video.channel) if part) or url
    if video.problem:
        return FiledNote(path, "youtube", label, f"{url}: {video.problem}")
    minutes = youtube.clock(video.lines[-1][0]) if video.lines else "0:00"
    return FiledNote(path, "youtube", f"{label} ({video.language} captions to {minutes})")
