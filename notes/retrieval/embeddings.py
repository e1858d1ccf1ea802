"""Embeddings of documents, cached in `.voicenotes/embeddings/` and asked for only when changed.

Each document is keyed by a name (its KB path) and remembered with the SHA-256 of the text it
was embedded from: a document whose text is unchanged is never sent again, a changed one is
sent once, and documents that are gone are dropped when the cache is saved. The cache file is
per model (`.voicenotes/embeddings/MODEL.json`) and written atomically; a damaged one is
started afresh. Texts go to the server in batches, through the one LLM door (`Embed`).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from notes.kb import atomic
from notes.retrieval.relevance import Candidate

Embed = Callable[[Sequence[str]], list[list[float]]]
"""Texts -> their vectors, in order (LLMClient.embed with the model bound)."""

BATCH = 64
"""Texts per request."""

TEXT_LIMIT = 8_000
"""Characters of a document embedded (its start: title, description, first paragraphs)."""

FOLDER = "embeddings"


def cache_path(state: Path, model: str) -> Path:
    """The cache file of `model` under the KB's state folder (`.voicenotes/`)."""
    return state / FOLDER / (re.sub(r"[^A-Za-z0-9._-]", "_", model) + ".json")


class Store:
    """The cached vectors of one model, by document name."""

    def __init__(self, path: Path | None) -> None:
        """None: kept in memory only (a replay, which must not write into the KB)."""
        self.path = path
        self.entries: dict[str, tuple[str, list[float]]] = _read(path) if path else {}
        self.sent = 0
        """Texts sent to the server since loading (for the tests and the report)."""

    def vectors(self, texts: Mapping[str, str], embed: Embed) -> dict[str, list[float]]:
        """The vector of every document of `texts`, embedding only new or changed ones."""
        wanted = {name: _digest(text) for name, text in texts.items()}
        stale = [name for name, digest in wanted.items() if self._digest(name) != digest]
        for start in range(0, len(stale), BATCH):
            chunk = stale[start : start + BATCH]
            found = embed([texts[name][:TEXT_LIMIT] for name in chunk])
            self.sent += len(chunk)
            for name, vector in zip(chunk, found, strict=True):
                self.entries[name] = (wanted[name], _unit(vector))
        return {name: self.entries[name][1] for name in wanted}

    def save(self, keep: Mapping[str, object] | None = None) -> None:
        """Write the cache; with `keep`, only the documents it names stay."""
        if self.path is None:
            return
        if keep is not None:
            self.entries = {name: e for name, e in self.entries.items() if name in keep}
        data = {name: {"sha256": d, "vector": v} for name, (d, v) in self.entries.items()}
        atomic.write_text(self.path, json.dumps(data), overwrite=True)

    def _digest(self, name: str) -> str | None:
        entry = self.entries.get(name)
        return entry[0] if entry else None


def document_text(candidate: Candidate) -> str:
    """What a document is embedded from: its title, description and text."""
    summary = candidate.summary
    return "\n".join(filter(None, [summary.title, summary.description, candidate.text]))


def query_vector(text: str, embed: Embed) -> list[float]:
    """The unit vector of a query (never cached: queries do not repeat)."""
    return _unit(embed([text[:TEXT_LIMIT]])[0])


def similarity(a: Sequence[float], b: Sequence[float]) -> float:
    """Cosine similarity of two unit vectors."""
    return sum(x * y for x, y in zip(a, b, strict=False))


def _unit(vector: Sequence[float]) -> list[float]:
    norm = math.sqrt(sum(x * x for x in vector)) or 1.0
    return [x / norm for x in vector]


def _digest(text: str) -> str:
    return hashlib.sha256(text[:TEXT_LIMIT].encode("utf-8")).hexdigest()


def _read(path: Path) -> dict[str, tuple[str, list[float]]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    found: dict[str, tuple[str, list[float]]] = {}
    if not isinstance(data, dict):
        return found
    for name, entry in data.items():
        if isinstance(entry, dict) and isinstance(entry.get("vector"), list):
            found[str(name)] = (str(entry.get("sha256")), [float(x) for x in entry["vector"]])
    return found
