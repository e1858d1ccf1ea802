"""Where things live inside a knowledge base."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

from notes.kb import atomic

STATE_GITIGNORE = """\
# Kept by voicenotes. Its state here is not committed (run log, locks, the bot's queue),
# except the article descriptions the generated index shows, which drafting commits.
*
!descriptions.json
"""


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
        """Create the KB's folders, and `.voicenotes/.gitignore` when it is missing.

        The `.gitignore` lives inside `.voicenotes/` (it ignores itself too), so the author's
        own `.gitignore` files are never touched; an existing one is left as it is.
        """
        for folder in (self.raw, self.used, self.audio, self.articles, self.state):
            folder.mkdir(parents=True, exist_ok=True)
        ignore = self.state / ".gitignore"
        if not ignore.exists():
            with contextlib.suppress(FileExistsError):  # written meanwhile: theirs stands
                atomic.write_text(ignore, STATE_GITIGNORE)
        return self
