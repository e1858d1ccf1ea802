"""Finding the URLs in a message and telling what kind of thing each points at (pure)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

_URL = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)
_TRAILING = ".,;:!?»\"')]}…"
_GITHUB_REPO = re.compile(r"^/([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+?)(?:\.git)?/?$")


def urls_in(text: str, hidden: Iterable[str] = ()) -> list[str]:
    """Every http(s) URL written in `text`, then the `hidden` ones (Telegram's text links).

    Each URL once, in order of appearance; trailing punctuation of the sentence is dropped.
    A hidden link without a scheme (`example.com/x`) is taken as https.
    """
    found = [_trim(match.group(0)) for match in _URL.finditer(text)]
    for url in hidden:
        url = url.strip()
        if url and not re.match(r"^[a-z][a-z0-9+.-]*://", url, re.IGNORECASE):
            url = "https://" + url
        found.append(_trim(url))
    return [url for url in dict.fromkeys(found) if url]


def _trim(url: str) -> str:
    while url and url[-1] in _TRAILING:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


def github_repo(url: str) -> tuple[str, str] | None:
    """(owner, repository) for the front page of a GitHub repository, else None."""
    parts = urlsplit(url)
    if (parts.hostname or "").lower() not in ("github.com", "www.github.com"):
        return None
    match = _GITHUB_REPO.match(parts.path)
    if not match or match.group(1) in _GITHUB_RESERVED:
        return None
    return match.group(1), match.group(2)


_GITHUB_RESERVED = frozenset(
    {"orgs", "settings", "marketplace", "topics", "collections", "sponsors", "features"}
)


def site_of(url: str) -> str:
    """The host without `www.`: `habr.com`."""
    return (urlsplit(url).hostname or "").lower().removeprefix("www.")
