"""Which articles a bot message names, so that a reply to it is a request for that article.

The bot remembers, for each message it sends that names articles (a drafting notice, the
`/articles` list, a revision's own answer), the articles' paths and titles, in tool state
(`.voicenotes/article_messages.json`, written atomically). Only the newest KEEP messages are
kept. A missing or damaged file counts as empty: a reply to a forgotten message is then an
ordinary note, routed by the model.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass

from notes.kb import KnowledgeBase, atomic, statefile

MAP_NAME = "article_messages.json"
KEEP = 1000
_LOCK = threading.Lock()
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Named:
    """An article a message names: its KB path (`articles/x.md`) and title."""

    path: str
    title: str = ""


def remember(kb: KnowledgeBase, chat_id: int, message_id: int, named: Sequence[Named]) -> None:
    """Record that message `message_id` of `chat_id` names `named` (nothing when empty).

    Raises OSError when the file cannot be written.
    """
    if not named:
        return
    with _LOCK:
        known = _load(kb)
        known.pop(_key(chat_id, message_id), None)
        known[_key(chat_id, message_id)] = [{"path": n.path, "title": n.title} for n in named]
        kept = dict(list(known.items())[-KEEP:])
        text = json.dumps(kept, ensure_ascii=False, indent=1) + "\n"
        kb.state.mkdir(parents=True, exist_ok=True)
        atomic.write_text(kb.state / MAP_NAME, text, overwrite=True)


def named_by(kb: KnowledgeBase, chat_id: int, message_id: int) -> list[Named]:
    """The articles message `message_id` of `chat_id` names (empty: none, or not known)."""
    with _LOCK:
        entries = _load(kb).get(_key(chat_id, message_id), [])
    return [Named(entry["path"], entry.get("title", "")) for entry in entries]


def pick(named: Sequence[Named], quote: str | None) -> str | None:
    """The one article a reply is about: the only one named, or the one its quote names.

    A reply to a message naming several articles that quotes the path or the title of exactly
    one of them is about that one; otherwise None (the model routes the note).
    """
    if len(named) == 1:
        return named[0].path
    if not quote:
        return None
    found = {n.path for n in named if n.path in quote or (n.title and n.title in quote)}
    return found.pop() if len(found) == 1 else None


def _key(chat_id: int, message_id: int) -> str:
    return f"{chat_id}:{message_id}"


def _load(kb: KnowledgeBase) -> dict[str, list[dict[str, str]]]:
    data = statefile.load_json(kb, MAP_NAME, log)
    if not isinstance(data, dict):
        return {}
    return {
        key: [e for e in value if isinstance(e, dict) and isinstance(e.get("path"), str)]
        for key, value in data.items()
        if isinstance(key, str) and isinstance(value, list)
    }
