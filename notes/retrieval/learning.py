"""The KB's learned term list, kept in `.voicenotes/lexicon.json` until its articles change.

Learning reads every cited note; it is done again only when an article's text changed (the
file records a digest of the articles it was learned from), so `ask`, the bot and each
drafting pass load it in milliseconds. A damaged or stale file is learned afresh.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable, Mapping
from pathlib import Path

from notes import atomic
from notes.retrieval import lexicon
from notes.retrieval.lexicon import Lexicon

FILE = "lexicon.json"


def digest(articles: Mapping[str, str]) -> str:
    """What the term list depends on: every article's path and text."""
    hashed = hashlib.sha256()
    for path in sorted(articles):
        hashed.update(path.encode("utf-8") + b"\0" + articles[path].encode("utf-8") + b"\0")
    return hashed.hexdigest()


_MEMO: dict[str, Lexicon] = {}
"""Term lists learned by this process, by digest (a watcher or the bot learns once)."""


def load(
    state: Path | None, articles: Mapping[str, str], note_text: Callable[[str], str | None]
) -> Lexicon:
    """The term list of `articles` (KB path -> text), from a cache when it is current.

    `state` is the KB's `.voicenotes/` folder, where the term list is kept when learned
    again (a write that fails leaves it learned, only not kept); None: kept in this process
    only (a drafting pass writes no file of its own there).
    """
    key = digest(articles)
    if key in _MEMO:
        return _MEMO[key]
    path = state / FILE if state is not None else None
    cached = _read(path, key) if path is not None else None
    if cached is not None:
        _MEMO[key] = cached
        return cached
    learned = lexicon.learn(lexicon.pairs_of(articles.values(), note_text))
    _MEMO.clear()  # one KB's current list is all a process needs
    _MEMO[key] = learned
    if path is None:
        return learned
    data = {"digest": key, "terms": {r: list(map(list, t)) for r, t in learned.terms.items()}}
    with contextlib.suppress(OSError):
        atomic.write_text(path, json.dumps(data, ensure_ascii=False), overwrite=True)
    return learned


def _read(path: Path, key: str) -> Lexicon | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("digest") != key:
            return None
        terms = {
            str(r): tuple((str(e), float(w)) for e, w in found)
            for r, found in data["terms"].items()
        }
    except (OSError, ValueError, TypeError, AttributeError, KeyError):
        return None
    return Lexicon(terms)
