"""The run log: one JSON line per drafting pass, in `.voicenotes/runs/YYYY-MM.jsonl`.

A line holds what the pass did and the whole exchange of every LLM call it made (messages
sent, raw answer, schema, prompt version, model, tokens, latency, error), so a bad draft can
be traced to the exact prompt and answer. Files are only ever appended to, one per month so
each stays small to read; `/status` reads the newest line, `check` reads them all. A line
cut short by a crash is skipped when read. Secrets (API key, bot token, credentials in a
server URL) are replaced by `***` before a line is written; a value shorter than
MIN_SECRET characters (a placeholder key such as `x` or `ollama`, as local servers take) is
no secret and is not searched for, so the prompts stay readable. The single `runs.jsonl` of
earlier versions is still read, never written.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Collection, Iterator
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from notes.kb import KnowledgeBase, atomic

RUNS_FOLDER = "runs"
LEGACY_NAME = "runs.jsonl"
REDACTED = "***"
MIN_SECRET = 8
"""Shorter values are placeholders, not secrets: replacing them would mangle every line."""
log = logging.getLogger(__name__)


def now() -> str:
    """The current time as the log writes it: UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


@dataclass
class RunRecord:
    """One line of the log: what one pass did and what it cost."""

    time: str = field(default_factory=now)
    prompts: dict[str, str] = field(default_factory=dict)
    model: str = ""
    tokens_in: int = 0
    tokens_out: int = 0
    latency: float = 0.0
    calls: list[dict[str, Any]] = field(default_factory=list)
    decisions: list[dict[str, Any]] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    set_aside: list[str] = field(default_factory=list)
    filed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    commit: str | None = None
    style: dict[str, Any] = field(default_factory=dict)
    """The author's checker over the text the pass wrote: words, findings, per_1000_words,
    left (gated findings kept after the last try). Empty when it wrote none."""

    def to_json(self, secrets: Collection[str] = ()) -> str:
        """The record as one JSON line, with every secret in `secrets` replaced."""
        return json.dumps(redacted(asdict(self), secrets), ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunRecord:
        known = {f.name for f in fields(cls)}
        return cls(**{key: value for key, value in data.items() if key in known})

    def summary(self, when: str | None = None) -> str:
        """One line for people: when (`when`, else the ISO time), what changed, what it cost."""
        parts = [f"last pass {when or self.time}"]
        parts += [
            f"{len(items)} {label}"
            for items, label in (
                (self.created, "created"),
                (self.updated, "updated"),
                (self.set_aside, "set aside"),
            )
            if items
        ]
        if len(parts) == 1 and not self.errors:
            parts.append("nothing to do")
        if self.calls:
            parts.append(f"{self.tokens_in} tokens in, {self.tokens_out} out, {self.latency:.1f} s")
        if self.style.get("words"):
            left = len(self.style.get("left") or [])
            style = f"style {self.style.get('per_1000_words')} findings per 1,000 words"
            parts.append(style + (f" ({left} gated left)" if left else ""))
        if self.errors:
            parts.append(f"{len(self.errors)} error(s): {self.errors[0]}")
        return "; ".join(parts)


def log_path(kb: KnowledgeBase, time: str) -> Path:
    """The file of the month of `time` (an ISO timestamp): `.voicenotes/runs/2026-12.jsonl`."""
    return kb.state / RUNS_FOLDER / f"{time[:7]}.jsonl"


def append(kb: KnowledgeBase, record: RunRecord, *, secrets: Collection[str] = ()) -> Path:
    """Add `record` as the last line of its month's file; earlier lines are never rewritten."""
    target = log_path(kb, record.time)
    atomic.append_line(target, record.to_json(secrets))
    return target


def runs(kb: KnowledgeBase) -> list[RunRecord]:
    """Every readable record, oldest first; a damaged line is skipped."""
    return [record for path in _files(kb) for record in _read(path)]


def last_run(kb: KnowledgeBase) -> RunRecord | None:
    """The newest record, reading only as far back as needed."""
    for path in reversed(_files(kb)):
        records = list(_read(path))
        if records:
            return records[-1]
    return None


def redacted(value: Any, secrets: Collection[str]) -> Any:
    """`value` (JSON-like) with each secret of MIN_SECRET characters or more in every string
    replaced by `***`; shorter values are left in place."""
    if isinstance(value, str):
        long_enough = (secret for secret in secrets if len(secret) >= MIN_SECRET)
        for secret in sorted(long_enough, key=len, reverse=True):
            value = value.replace(secret, REDACTED)
        return value
    if isinstance(value, dict):
        return {key: redacted(item, secrets) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [redacted(item, secrets) for item in value]
    return value


def _files(kb: KnowledgeBase) -> list[Path]:
    legacy = kb.state / LEGACY_NAME
    monthly = sorted((kb.state / RUNS_FOLDER).glob("*.jsonl"))
    return ([legacy] if legacy.is_file() else []) + monthly


def _read(path: Path) -> Iterator[RunRecord]:
    try:
        text = path.read_bytes().decode("utf-8", errors="replace")
    except OSError as error:
        log.warning("%s not read: %s", path.name, error.strerror or error)
        return
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield RunRecord.from_dict(json.loads(line))
        except (ValueError, TypeError, AttributeError):
            log.warning("skipping damaged line %d of %s", number, path.name)
