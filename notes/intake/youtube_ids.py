"""YouTube video ids from every URL shape the author sends (pure)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_HOSTS = ("youtube.com", "www.youtube.com", "m.youtube.com", "music.youtube.com")
_PATH_KINDS = ("shorts", "live", "embed", "v", "e")


def video_id(url: str) -> str | None:
    """The 11-character id of a watch, youtu.be, shorts, live or embed URL; else None."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    candidate: str | None = None
    if host == "youtu.be":
        candidate = parts.path.strip("/").split("/")[0]
    elif host in _HOSTS or host.endswith(".youtube.com"):
        segments = [s for s in parts.path.split("/") if s]
        if segments[:1] == ["watch"] or not segments:
            candidate = (parse_qs(parts.query).get("v") or [""])[0]
        elif len(segments) >= 2 and segments[0] in _PATH_KINDS:
            candidate = segments[1]
    return candidate if candidate and _ID.match(candidate) else None


def watch_url(video: str) -> str:
    return f"https://www.youtube.com/watch?v={video}"
