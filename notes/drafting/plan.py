"""What a batch would change: the plan the planner makes, a writer carries out and the
library takes in (the one module all three import, so none imports another for it)."""

from __future__ import annotations

from dataclasses import dataclass, field

from notes.drafting import figures
from notes.drafting.report import PassDecision
from notes.drafting.style import StyleCheck
from notes.kb.glossary import Proposal
from notes.markdown.document import ArticleDoc


@dataclass(frozen=True)
class Change:
    """One article file the batch creates (`before` None) or updates."""

    path: str
    before: ArticleDoc | None
    after: str
    title: str
    notes: tuple[str, ...]
    description: str
    """The model's one line about the article (empty: it gave none)."""

    figures: tuple[figures.PlacedFigure, ...] = ()
    """Images the article shows, to move into `assets/images/` with it."""

    style: StyleCheck = field(default_factory=StyleCheck)
    """The author's checker over the text this change adds (gated findings left, if any)."""
    requests: tuple[str, ...] = ()
    """For a revision: the request notes (cited or not); empty for other changes."""


@dataclass
class BatchPlan:
    """Everything a batch would change, for a writer to carry out."""

    changes: list[Change] = field(default_factory=list)
    set_aside: list[str] = field(default_factory=list)
    decisions: list[PassDecision] = field(default_factory=list)
    feedback: list[str] = field(default_factory=list)
    """Revision requests applied but not cited: they go to `inbox/used/feedback/`."""
    corrected: list[Proposal] = field(default_factory=list)
    """Misheard words the revisions corrected: proposed for his glossary once written."""

    @property
    def cited(self) -> list[str]:
        return [name for change in self.changes for name in change.notes]

    @property
    def filed(self) -> list[str]:
        """The notes that go to `inbox/used/` once the changes are written (each once)."""
        return [
            name for name in dict.fromkeys(self.cited + self.set_aside) if name not in self.feedback
        ]
