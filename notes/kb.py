"""Where things live inside a knowledge base."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class KnowledgeBase:
    root: Path

    @property
    def inbox(self) -> Path:
        return self.root / "inbox"

    @property
    def raw(self) -> Path:
        return self.inbox / "raw"

    @property
    def used(self) -> Path:
        return self.inbox / "used"

    @property
    def audio(self) -> Path:
        return self.inbox / "audio"

    @property
    def articles(self) -> Path:
        return self.root / "articles"

    @property
    def state(self) -> Path:
        """Tool state that is not knowledge: run log, locks, bot bookkeeping."""
        return self.root / ".voicenotes"

    def ensure(self) -> KnowledgeBase:
        for folder in (self.raw, self.used, self.audio, self.articles, self.state):
            folder.mkdir(parents=True, exist_ok=True)
        return self
