"""Links and YouTube videos, each kept as a note of its own that drafting can cite."""

from __future__ import annotations

from notes import inbox
from notes.materials import filing, formats, pages, youtube, youtube_ids
from notes.materials.filing import Filed, Materials
from notes.materials.formats import Sender


def file_links(
    m: Materials, urls: list[str], stem: str, sender: Sender, context: str | None = None
) -> list[Filed]:
    """One note per URL: `NAME_link.md`, `NAME_link2.md`…, YouTube as `NAME_youtube.md`."""
    filed: list[Filed] = []
    counts = {"link": 0, "youtube": 0}
    for url in urls:
        kind = "youtube" if youtube_ids.video_id(url) else "link"
        counts[kind] += 1
        number = "" if counts[kind] == 1 else str(counts[kind])
        name = f"{stem}_{kind}{number}.md"
        if inbox.note_path(m.kb, name) is not None:
            continue
        if kind == "youtube":
            filed.append(file_youtube(m, url, name, sender, context))
        else:
            filed.append(file_link(m, url, name, sender, context))
    return filed


def file_link(m: Materials, url: str, name: str, sender: Sender, context: str | None) -> Filed:
    page = pages.read_link(url, m.policy, github_api=m.github_api)
    text = formats.link_note(
        sender,
        url,
        title=page.title,
        site=page.site,
        fetched=m.fetched_at(),
        markdown=page.markdown,
        final_url=page.final_url,
        kind=page.kind if not page.problem else "",
        problem=page.problem,
        context=context,
    )
    path = filing.write(m.kb, name, text)
    if page.problem:
        return Filed(path, "link", url, f"{url}: {page.problem}")
    words = len(page.markdown.split())
    summary = f"{page.title or page.site} ({page.site}, {page.kind}, {words} words)"
    return Filed(path, "link", summary)


def file_youtube(m: Materials, url: str, name: str, sender: Sender, context: str | None) -> Filed:
    video_id = youtube_ids.video_id(url) or ""
    session = m.youtube_session()
    try:
        video = youtube.load_video(video_id, session, m.kb.state / "youtube")
    finally:
        session.close()
    text = formats.youtube_note(
        sender,
        url,
        title=video.title,
        channel=video.channel,
        fetched=m.fetched_at(),
        language=video.language,
        transcript=video.transcript(),
        generated=video.generated,
        problem=video.problem,
        context=context,
    )
    path = filing.write(m.kb, name, text)
    label = " — ".join(part for part in (video.title, video.channel) if part) or url
    if video.problem:
        return Filed(path, "youtube", label, f"{url}: {video.problem}")
    minutes = youtube.clock(video.lines[-1][0]) if video.lines else "0:00"
    return Filed(path, "youtube", f"{label} ({video.language} captions to {minutes})")
