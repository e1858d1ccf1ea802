"""The KB's learned term list, kept in `.voicenotes/lexicon.json` and in the process.

Learning reads every cited note, so it is not redone on every pass: a term list is current
while the articles are those it was learned from (the digest of their texts), and for
FRESH_FOR after it was learned even when they changed since (a pass's few new paragraphs
barely move it; the next day's learning takes them in). `ask`, the bot and each drafting
pass thus load it in milliseconds. A damaged file is learned afresh.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import time
from collections.abc import Callable, Mapping
from pathlib import Path

from notes.kb import atomic
from notes.retrieval import lexicon
from notes.retrieval.lexicon import Lexicon

FILE = "lexicon.json"

FRESH_FOR = 24 * 3600.0
"""Seconds a learned term list stays in use after its articles changed."""


def digest(articles: Mapping[str, str]) -> str:
    """What the term list depends on: every article's path and text."""
    hashed = hashlib.sha256()
    for path in sorted(articles):
        hashed.update(path.encode("utf-8") + b"\0" + articles[path].encode("utf-8") + b"\0")
    return hashed.hexdigest()


Learned = tuple[str, float, Lexicon]
"""A term list with the digest of the articles it was learned from and when (epoch)."""

_MEMO: dict[Path, Learned] = {}
"""The term list this process learned or read last, by KB state folder."""


def load(
    state: Path,
    articles: Mapping[str, str],
    note_text: Callable[[str], str | None],
    *,
    keep: bool = True,
) -> Lexicon:
    """The term list of `articles` (KB path -> text), from a cache when it is current.

    `state` is the KB's `.voicenotes/` folder, where the term list is kept when learned
    again (a write that fails leaves it learned, only not kept); `keep=False`: kept in this
    process only (a drafting pass writes no file of its own there).
    """
    key = digest(articles)
    now = time.time()
    path = state / FILE
    for found in (_MEMO.get(state), _read(path)):
        if found is not None and (found[0] == key or now - found[1] < FRESH_FOR):
            _MEMO[state] = found
            return found[2]
    learned = lexicon.learn(lexicon.pairs_of(articles.values(), note_text))
    _MEMO[state] = (key, now, learned)
    if not keep:
        return learned
    data = {
        "digest": key,
        "learned": now,
        "terms": {r: list(map(list, t)) for r, t in learned.terms.items()},
    }
    with contextlib.suppress(OSError):
        atomic.write_text(path, json.dumps(data, ensure_ascii=False), overwrite=True)
    return learned


def _read(path: Path) -> Learned | None:
    """The kept term list, if there is a readable one."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        terms = {
            str(r): tuple((str(e), float(w)) for e, w in found)
            for r, found in data["terms"].items()
        }
        return str(data["digest"]), float(data["learned"]), Lexicon(terms)
    except (OSError, ValueError, TypeError, AttributeError, KeyError):
        return None
