"""One-line article descriptions kept in tool state (`.voicenotes/descriptions.json`).

Drafting records the model's description of each article it writes here rather than in the
article, so the article's front matter stays as the author knows it. Keys are article paths
relative to the KB root (`articles/x.md`). The file is a cache of sorts: a missing or damaged
one counts as empty (the index then falls back to each article's first sentence).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping

from notes.kb import KnowledgeBase, atomic, statefile

DESCRIPTIONS_NAME = "descriptions.json"
log = logging.getLogger(__name__)


def load(kb: KnowledgeBase) -> dict[str, str]:
    """The stored descriptions by article path; empty if the file is missing or damaged."""
    data = statefile.load_json(kb, DESCRIPTIONS_NAME, log)
    if data is None:
        return {}
    if not isinstance(data, dict) or not all(
        isinstance(key, str) and isinstance(value, str) for key, value in data.items()
    ):
        log.warning("%s ignored: not an object of path -> description strings", DESCRIPTIONS_NAME)
        return {}
    return data


def save(kb: KnowledgeBase, mapping: Mapping[str, str]) -> None:
    """Replace the stored descriptions with `mapping` (written atomically, sorted by path)."""
    text = json.dumps(dict(sorted(mapping.items())), ensure_ascii=False, indent=1)
    atomic.write_text(kb.state / DESCRIPTIONS_NAME, text + "\n", overwrite=True)


def one_line(text: str) -> str:
    """`text` with its whitespace runs, newlines included, collapsed to single spaces."""
    return " ".join(text.split())
