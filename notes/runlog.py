"""The run log: one JSON line per drafting pass in `.voicenotes/runs.jsonl`."""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime
from typing import Any

from notes import atomic
from notes.kb import KnowledgeBase

RUNS_NAME = "runs.jsonl"
log = logging.getLogger(__name__)


@dataclass
class RunRecord:
    """What one pass did and what it cost."""

    time: str = field(default_factory=lambda: datetime.now(UTC).replace(microsecond=0).isoformat())
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

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunRecord:
        known = {f.name for f in fields(cls)}
        return cls(**{key: value for key, value in data.items() if key in known})

    def summary(self) -> str:
        """One line for people: when, what changed, what it cost."""
        parts = [f"last pass {self.time}"]
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
        if self.errors:
            parts.append(f"{len(self.errors)} error(s): {self.errors[0]}")
        return "; ".join(parts)


def append(kb: KnowledgeBase, record: RunRecord) -> None:
    """Add `record` as the last line of the log (written atomically as a whole file)."""
    target = kb.state / RUNS_NAME
    existing = target.read_text(encoding="utf-8") if target.exists() else ""
    if existing and not existing.endswith("\n"):
        existing += "\n"
    atomic.write_text(target, existing + record.to_json() + "\n", overwrite=True)


def runs(kb: KnowledgeBase) -> list[RunRecord]:
    """Every readable record, oldest first; a damaged line is skipped."""
    target = kb.state / RUNS_NAME
    if not target.exists():
        return []
    records = []
    for number, line in enumerate(target.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records.append(RunRecord.from_dict(json.loads(line)))
        except (ValueError, TypeError):
            log.warning("skipping damaged line %d of %s", number, target)
    return records


def last_run(kb: KnowledgeBase) -> RunRecord | None:
    records = runs(kb)
    return records[-1] if records else None


def set_aside_names(kb: KnowledgeBase) -> set[str]:
    """Every note a pass ever set aside (not article material)."""
    return {name for record in runs(kb) for name in record.set_aside}
