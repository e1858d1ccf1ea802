"""What one drafting pass did: the one ledger, and everything derived from it.

The pass writes each event here once. The summary people read, the git commit message and
the run-log record (notes.kb.runlog.RunRecord) are all derived from this report; nothing else
keeps its own account of the pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from notes.drafting.style import StyleTally
from notes.kb.runlog import RunRecord, now
from notes.llm.client import CallRecord, LLMError
from notes.upkeep import undo


@dataclass(frozen=True)
class ArticleChange:
    path: str
    """Relative to the KB root: `articles/x.md`."""

    title: str
    notes: tuple[str, ...]


REVISION_TRAILER = undo.TRAILER
"""The commit trailer naming each article a revision changed (notes.upkeep.undo reads it)."""


@dataclass(frozen=True)
class Revision:
    """An article revised as revision requests asked: which, by which notes, and the change."""

    path: str
    title: str
    notes: tuple[str, ...]
    """The request notes (cited or filed as feedback)."""

    diff: str
    """The unified diff of the article, before to after."""

    summary: str = ""
    """The model's one line about what changed."""


@dataclass(frozen=True)
class FailedBatch:
    notes: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class PassDecision:
    """What the pass decided for some notes of a batch, and which prompts decided it."""

    action: str
    """`create`, `update` or `skip`."""

    notes: tuple[str, ...]
    article: str | None
    title: str | None
    reason: str
    prompts: tuple[str, ...]

    def line(self) -> str:
        target = f"{self.article} ({self.title})" if self.article else "set aside"
        return f"{self.action}: {', '.join(self.notes)} -> {target}: {self.reason}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "notes": list(self.notes),
            "article": self.article,
            "title": self.title,
            "reason": self.reason,
            "prompts": list(self.prompts),
        }


@dataclass
class PassReport:
    """What a pass did (or, in a dry run, would do)."""

    dry_run: bool = False
    created: list[ArticleChange] = field(default_factory=list)
    updated: list[ArticleChange] = field(default_factory=list)
    set_aside: list[str] = field(default_factory=list)
    revised: list[Revision] = field(default_factory=list)
    """Articles changed as revision requests asked (not in `updated`)."""

    feedback: list[str] = field(default_factory=list)
    """Revision requests applied but not cited: filed to `inbox/used/feedback/`."""

    filed: list[str] = field(default_factory=list)
    """Notes moved to `inbox/used/`: cited, set aside, or found already cited."""

    recovered: list[str] = field(default_factory=list)
    """Notes an article already cited when the pass began (a pass stopped before moving them)."""

    failed: list[FailedBatch] = field(default_factory=list)
    error: str | None = None
    """The LLM failure that stopped the pass, if one did."""

    conflict: str | None = None
    """His edits on the remote conflict with unpushed commits: the pass stopped before it
    wrote anything (notes.kb.gitsync); the one line that says so."""

    interrupted: bool = False
    """The pass was asked to stop between two LLM calls; the batch in progress stays."""

    warnings: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    """Answers that could not be used, one line each (`schema attempt N: problems`)."""

    decided: list[PassDecision] = field(default_factory=list)
    diffs: list[str] = field(default_factory=list)
    commit: str | None = None
    commit_link: str | None = None
    """For people: `Commit: URL` (pushed to a known forge) or `Committed locally (abc1234).`"""

    calls: list[CallRecord] = field(default_factory=list)
    """Every LLM exchange of the pass, in full."""

    prompts: dict[str, str] = field(default_factory=dict)
    """Prompt kind -> the version the pass used."""

    model: str = ""
    started: str = field(default_factory=now)
    style: StyleTally = field(default_factory=StyleTally)
    """The author's checker over the text the pass wrote (notes.drafting.style)."""

    @property
    def ok(self) -> bool:
        return self.error is None and not self.failed

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.revised or self.filed)

    @property
    def decisions(self) -> list[str]:
        """The decisions as lines for people."""
        return [decision.line() for decision in self.decided]

    def summary(self) -> str:
        """A few lines for people: what changed, what failed and why."""
        head = "Dry run, nothing changed" if self.dry_run else "Drafting pass"
        counts = [
            f"{len(self.created)} created",
            f"{len(self.updated)} updated",
            f"{len(self.set_aside)} set aside",
        ]
        if self.revised:
            counts.insert(2, f"{len(self.revised)} revised")
        if self.failed:
            counts.append(f"{len(self.failed)} batch(es) failed")
        lines = [f"{head}: {', '.join(counts)}."]
        lines += [f"+ {c.path} ({c.title}) from {notes_count(c.notes)}" for c in self.created]
        lines += [f"~ {c.path} ({c.title}) with {notes_count(c.notes)}" for c in self.updated]
        lines += [
            f"* {r.path} ({r.title}) revised as {notes_count(r.notes)} asked" for r in self.revised
        ]
        lines += [f"- set aside {name}" for name in self.set_aside]
        lines += [f"! left in inbox/raw: {', '.join(f.notes)}: {f.reason}" for f in self.failed]
        if self.interrupted:
            lines.append("! stopped on request; the rest waits in inbox/raw")
        lines += self.style.lines()
        lines += [f"warning: {warning}" for warning in self.warnings]
        if self.commit_link:
            lines.append(self.commit_link)
        return "\n".join(lines)

    def commit_message(self) -> str:
        """The git commit message for what the pass changed."""
        counts = [
            f"{len(items)} {label}"
            for items, label in (
                (self.created, "created"),
                (self.updated, "updated"),
                (self.revised, "revised"),
                (self.set_aside, "set aside"),
            )
            if items
        ]
        subject = "Draft articles: " + (", ".join(counts) if counts else "file cited notes")
        lines = [f'Create {c.path} "{c.title}" from {notes_count(c.notes)}' for c in self.created]
        lines += [f'Update {c.path} "{c.title}" with {notes_count(c.notes)}' for c in self.updated]
        lines += [
            f'Revise {r.path} "{r.title}" as asked in {", ".join(r.notes)}' for r in self.revised
        ]
        lines += [f"Set aside {name}" for name in self.set_aside]
        lines += [f"File {name} as feedback (applied, not cited)" for name in self.feedback]
        lines += [f"File {name} (already cited)" for name in self.recovered]
        message = subject + ("\n\n" + "\n".join(lines) if lines else "") + "\n"
        if self.revised:  # the trailers `voicenotes undo` finds a revision's articles by
            message += "\n" + "".join(f"{REVISION_TRAILER}: {r.path}\n" for r in self.revised)
        return message

    def record(self) -> RunRecord:
        """The run-log record of this pass."""
        errors = [*self.warnings, *self.rejected]
        errors += [f"{', '.join(f.notes)}: {f.reason}" for f in self.failed]
        errors += [self.error] if self.error else []
        return RunRecord(
            time=self.started,
            prompts=dict(self.prompts),
            model=self.model,
            tokens_in=sum(call.tokens_in for call in self.calls),
            tokens_out=sum(call.tokens_out for call in self.calls),
            latency=round(sum(call.latency for call in self.calls), 3),
            calls=[call.as_dict() for call in self.calls],
            decisions=[decision.as_dict() for decision in self.decided],
            created=[change.path for change in self.created],
            updated=[change.path for change in self.updated]
            + [r.path for r in self.revised if r.path not in {c.path for c in self.updated}],
            set_aside=list(self.set_aside),
            filed=list(self.filed),
            errors=errors,
            commit=self.commit,
            style=self.style.record(),
        )


class PassStopped(LLMError):
    """The LLM failed and the pass stopped; batches committed before that stand.

    The message is the LLM's one-line error; `report` tells what the pass did before.
    """

    def __init__(self, report: PassReport) -> None:
        super().__init__(report.error or "the LLM failed")
        self.report = report


def notes_count(note_names: Sequence[str]) -> str:
    return "1 note" if len(note_names) == 1 else f"{len(note_names)} notes"
