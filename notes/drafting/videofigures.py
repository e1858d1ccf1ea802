"""Videos placed as figures, the way the author's KB shows them (pure).

A video note can be shown in three ways, in this order of preference:

- it has a Telegram message link: its keyframe (when one was kept), then a line with the
  video's length and size and a "View on Telegram" link, as his KB's video figures read:

      <figure>
        <img src="../assets/images/slug/name.jpg" alt="...">
        <p>Video: alt (0m 34s, 2144x1240) - <a href="https://t.me/c/1/2">View on Telegram</a></p>
        <figcaption>caption</figcaption>
      </figure>

- no link, but the video itself was kept (a round video): the file, moved under
  `assets/images/{slug}/`, in a `<video src=... controls>` element;
- neither: its keyframe alone, as a photo is shown.
"""

from __future__ import annotations

import posixpath
from html import escape

from notes.drafting.messages import Source


def moved_file(source: Source) -> str:
    """The file beside the note that the figure shows ("" when only the link is shown)."""
    if source.message_link:
        return source.keyframe_file
    return source.video_file or source.keyframe_file


def shows_video(source: Source, moved: str) -> bool:
    """Whether the figure plays the kept video file itself."""
    return bool(moved) and moved == source.video_file and not source.message_link


def info(source: Source) -> str:
    """`0m 34s, 2144x1240` from the note's front matter (what of it is known)."""
    details = dict(source.details)
    parts = []
    try:
        seconds = int(float(details.get("duration_seconds", "")))
        parts.append(f"{seconds // 60}m {seconds % 60}s")
    except ValueError:
        pass
    if details.get("width") and details.get("height"):
        parts.append(f"{details['width']}x{details['height']}")
    return ", ".join(parts)


def extension(name: str, default: str) -> str:
    return posixpath.splitext(name)[1].lower() or default


def body_lines(src: str | None, alt: str, link: str, video_info: str, *, plays: bool) -> list[str]:
    """The lines inside `<figure>` above the caption; `src` is the moved file's link."""
    shown_alt = escape(" ".join(alt.split()), quote=True)
    lines = []
    if src is not None and plays:
        return [f'  <video src="{src}" controls>', f"    {shown_alt}", "  </video>"]
    if src is not None:
        lines.append(f'  <img src="{src}" alt="{shown_alt}">')
    if link:
        about = " ".join(alt.split()) or "Video"
        about += f" ({video_info})" if video_info else ""
        anchor = f'<a href="{escape(link, quote=True)}">View on Telegram</a>'
        lines.append(f"  <p>Video: {escape(about, quote=False)} - {anchor}</p>")
    return lines
