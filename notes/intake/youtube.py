"""YouTube captions in the video's own language (ru, then en, then whatever exists).

The network edge is one `requests.Session` (the one youtube-transcript-api takes), used also
for the title and channel (oEmbed): a `TimedSession`, so that every request has a timeout.
Results are cached per video id; a video without usable captions comes back as a `Video`
with `problem` set, never as an exception.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import requests
from youtube_transcript_api import YouTubeTranscriptApi
from youtube_transcript_api._errors import (
    AgeRestricted,
    CouldNotRetrieveTranscript,
    IpBlocked,
    NoTranscriptFound,
    PoTokenRequired,
    RequestBlocked,
    TranscriptsDisabled,
    VideoUnavailable,
)

from notes.intake.youtube_ids import watch_url
from notes.kb import atomic

PREFERRED = ("ru", "en")
OEMBED = "https://www.youtube.com/oembed"
TIMEOUT = 20.0
"""Seconds for connecting to YouTube, and for each read."""
log = logging.getLogger(__name__)


class TimedSession(requests.Session):
    """A session that gives every request `TIMEOUT` unless it names its own.

    youtube-transcript-api sets none, so a YouTube that stopped answering held the filing of
    a link until the job's own limit, 15 minutes later.
    """

    def request(self, *args: Any, **kwargs: Any) -> requests.Response:
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = TIMEOUT
        return super().request(*args, **kwargs)


@dataclass(frozen=True)
class Video:
    """A video's title, channel and timestamped transcript, or why there is none."""

    video_id: str
    url: str
    title: str
    channel: str
    language: str
    generated: bool
    lines: list[tuple[float, str]]
    problem: str | None = None

    def transcript(self) -> str:
        """`M:SS text` lines (`H:MM:SS` past an hour)."""
        return "\n".join(f"{clock(start)} {text}" for start, text in self.lines)


def clock(seconds: float) -> str:
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def load_video(video_id: str, session: requests.Session, cache: Path | None = None) -> Video:
    """Title, channel and transcript of `video_id`; a cached answer is reused.

    Only a transcript actually fetched is cached, so a video blocked today is tried again.
    """
    cached = _from_cache(cache, video_id)
    if cached is not None:
        return cached
    title, channel = _oembed(video_id, session)
    try:
        video = _transcript(video_id, session, title, channel)
    except CouldNotRetrieveTranscript as error:
        return Video(video_id, watch_url(video_id), title, channel, "", False, [], _why(error))
    except requests.RequestException as error:
        reason = f"YouTube could not be reached ({type(error).__name__})"
        return Video(video_id, watch_url(video_id), title, channel, "", False, [], reason)
    if cache is not None:
        data = json.dumps(asdict(video), ensure_ascii=False).encode()
        atomic.write_bytes(cache / f"{video_id}.json", data, overwrite=True)
    return video


def _transcript(video_id: str, session: requests.Session, title: str, channel: str) -> Video:
    listing = YouTubeTranscriptApi(http_client=session).list(video_id)
    try:
        chosen = listing.find_transcript(PREFERRED)
    except NoTranscriptFound:
        available = list(listing)
        if not available:
            raise
        chosen = available[0]
    fetched = chosen.fetch()
    lines = [(snippet.start, " ".join(snippet.text.split())) for snippet in fetched]
    return Video(
        video_id,
        watch_url(video_id),
        title,
        channel,
        chosen.language_code,
        chosen.is_generated,
        [(start, text) for start, text in lines if text],
    )


def _oembed(video_id: str, session: requests.Session) -> tuple[str, str]:
    """(title, channel) from YouTube's oEmbed; empty strings when it does not answer."""
    params = {"url": watch_url(video_id), "format": "json"}
    try:
        response = session.get(OEMBED, params=params, timeout=TIMEOUT)
        data = response.json() if response.status_code == 200 else {}
    except (requests.RequestException, ValueError):
        data = {}
    return str(data.get("title") or ""), str(data.get("author_name") or "")


def _why(error: CouldNotRetrieveTranscript) -> str:
    reasons: list[tuple[type[CouldNotRetrieveTranscript], str]] = [
        (TranscriptsDisabled, "the video has no captions"),
        (NoTranscriptFound, "the video has no captions"),
        (VideoUnavailable, "the video is unavailable"),
        (AgeRestricted, "the video is age-restricted"),
        (PoTokenRequired, "YouTube wants a PO token for these captions"),
        (IpBlocked, "YouTube is blocking requests from this machine"),
        (RequestBlocked, "YouTube is blocking requests from this machine"),
    ]
    for kind, reason in reasons:
        if isinstance(error, kind):
            return reason
    return f"captions could not be fetched ({type(error).__name__})"


def _from_cache(cache: Path | None, video_id: str) -> Video | None:
    path = None if cache is None else cache / f"{video_id}.json"
    if path is None or not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        data["lines"] = [(float(start), str(text)) for start, text in data["lines"]]
        return Video(**data)
    except (ValueError, KeyError, TypeError) as error:
        log.warning("ignoring a broken YouTube cache entry %s: %s", path.name, error)
        return None
