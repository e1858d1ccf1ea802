"""YouTube faked at the network edge: a `requests` transport adapter answering the watch
page, the innertube player call, the caption track and oEmbed, as youtube.com would.

    session = fake_youtube({"dQw4w9WgXcQ": FakeVideo(title=..., tracks={"ru": [...]})})
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from html import escape
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests
from requests.adapters import BaseAdapter
from requests.models import PreparedRequest, Response

Cue = tuple[float, float, str]


@dataclass
class FakeVideo:
    title: str = "A talk"
    channel: str = "A channel"
    tracks: dict[str, list[Cue]] = field(default_factory=dict)
    """Caption tracks by language code; a code ending in `:asr` is auto-generated."""

    playability: str = "OK"
    reason: str = ""
    status: int = 200


class FakeYouTube(BaseAdapter):
    def __init__(self, videos: Mapping[str, FakeVideo]) -> None:
        super().__init__()
        self.videos = dict(videos)
        self.requests: list[str] = []
        self.timeouts: list[object] = []
        """The timeout each request was sent with (None: it would wait for ever)."""

    def send(self, request: PreparedRequest, **kwargs: Any) -> Response:
        url = str(request.url)
        self.requests.append(url)
        self.timeouts.append(kwargs.get("timeout"))
        parts = urlsplit(url)
        query = parse_qs(parts.query)
        if parts.path == "/watch":
            video = self.videos.get(query.get("v", [""])[0])
            page = '<html><script>ytcfg.set({"INNERTUBE_API_KEY": "fakekey123"})</script></html>'
            return _response(request, video.status if video else 200, page)
        if parts.path == "/youtubei/v1/player":
            video_id = json.loads(request.body or b"{}")["videoId"]
            return _response(request, 200, json.dumps(self._player(video_id)))
        if parts.path == "/api/timedtext":
            video = self.videos[query["v"][0]]
            cues = video.tracks[query["lang"][0]]
            xml = "".join(
                f'<text start="{start}" dur="{dur}">{escape(text)}</text>'
                for start, dur, text in cues
            )
            return _response(request, 200, f"<?xml version='1.0'?><transcript>{xml}</transcript>")
        if parts.path == "/oembed":
            video_id = parse_qs(urlsplit(query["url"][0]).query)["v"][0]
            video = self.videos.get(video_id)
            if video is None:
                return _response(request, 404, "Not Found")
            body = {"title": video.title, "author_name": video.channel}
            return _response(request, 200, json.dumps(body))
        return _response(request, 404, "no such fake route")

    def _player(self, video_id: str) -> dict[str, Any]:
        video = self.videos.get(video_id)
        if video is None:
            return {"playabilityStatus": {"status": "ERROR", "reason": "This video is unavailable"}}
        status: dict[str, Any] = {"status": video.playability}
        if video.reason:
            status["reason"] = video.reason
        data: dict[str, Any] = {"playabilityStatus": status}
        if video.tracks:
            data["captions"] = {
                "playerCaptionsTracklistRenderer": {
                    "captionTracks": [_track(video_id, code) for code in video.tracks],
                    "translationLanguages": [],
                }
            }
        return data

    def close(self) -> None:
        pass


def _track(video_id: str, code: str) -> dict[str, Any]:
    language = code.split(":")[0]
    track: dict[str, Any] = {
        "baseUrl": f"https://www.youtube.com/api/timedtext?v={video_id}&lang={code}",
        "name": {"runs": [{"text": language}]},
        "languageCode": language,
        "isTranslatable": False,
    }
    if code.endswith(":asr"):
        track["kind"] = "asr"
    return track


def _response(request: PreparedRequest, status: int, body: str) -> Response:
    response = Response()
    response.status_code = status
    response._content = body.encode()
    response.encoding = "utf-8"
    response.url = str(request.url)
    response.request = request
    return response


def fake_session(
    videos: Mapping[str, FakeVideo], session: requests.Session | None = None
) -> tuple[requests.Session, FakeYouTube]:
    """`session` (a new plain one by default) sending every request to the fake."""
    adapter = FakeYouTube(videos)
    session = session if session is not None else requests.Session()
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session, adapter
