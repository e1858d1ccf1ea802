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


def load(
    state: Path, articles: Mapping[str, str], note_text: Callable[[str], str | None]
) -> Lexicon:
    """The term list of `articles` (KB path -> text), from the cache when it is current.

    `state` is the KB's `.voicenotes/` folder; the cache is rewritten when learned again
    (a write that fails leaves the term list learned, only not kept).
    """
    key = digest(articles)
    path = state / FILE
    cached = _read(path, key)
    if cached is not None:
        return cached
    learned = lexicon.learn(lexicon.pairs_of(articles.values(), note_text))
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
