"""Writers: a batch's plan carried out on disk, or shown as a dry run. The pass picks one.

`DiskWriter` checks that every target is as the pass read it, writes the articles
(atomically), then keeps the descriptions and moves the notes to `inbox/used/`; at the end
it regenerates the index, makes one git commit and appends the run-log line. `DryRunWriter`
turns the same plans into diffs and `move` lines and changes nothing.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import Protocol

from notes import atomic, descriptions, gitkb, inbox, index, runlog
from notes.drafting.asking import BatchFailed
from notes.drafting.library import Library
from notes.drafting.planner import BatchPlan
from notes.drafting.report import PassReport
from notes.errors import explain
from notes.kb import KnowledgeBase

Say = Callable[[str], None]


class Writer(Protocol):
    """What the pass hands each batch's plan to."""

    def apply(self, plan: BatchPlan) -> None:
        """Carry out one batch's plan: all of it, or (BatchFailed, OSError) none of it."""

    def file_notes(self, note_names: Sequence[str]) -> None:
        """Move notes to `inbox/used/` (notes an article already cites)."""

    def finish(self) -> None:
        """After the last batch."""


WriterFactory = Callable[[KnowledgeBase, Library, PassReport, Say, Collection[str]], Writer]
"""(kb, library, report, progress, secrets) -> the writer of one pass."""


class DiskWriter:
    def __init__(
        self,
        kb: KnowledgeBase,
        library: Library,
        report: PassReport,
        say: Say,
        secrets: Collection[str] = (),
    ) -> None:
        self.kb = kb
        self.library = library
        self.report = report
        self.say = say
        self.secrets = secrets
        self.touched: list[Path] = []

    def apply(self, plan: BatchPlan) -> None:
        self._check_targets(plan)
        for change in plan.changes:
            target = self.kb.root / change.path
            atomic.write_text(target, change.after, overwrite=change.before is not None)
            self.touched.append(target)
            self.say(f"  {'wrote' if change.before is None else 'updated'} {change.path}")
        stored = dict(self.library.descriptions)
        self.library.take(plan)
        if self.library.descriptions != stored:
            self._save_descriptions()
        self.file_notes(plan.filed)

    def file_notes(self, note_names: Sequence[str]) -> None:
        for name in note_names:
            try:
                self.touched += inbox.move_to_used(self.kb, name)
            except OSError as error:
                self.warn(f"inbox/raw/{name} not moved to inbox/used/: {explain(error)}")
                continue
            self.report.filed.append(name)

    def finish(self) -> None:
        if (self.report.created or self.report.updated) and index.write_index(self.kb):
            self.touched.append(index.index_path(self.kb))
        if self.touched:
            try:
                message = self.report.commit_message()
                self.report.commit = gitkb.commit(self.kb.root, self.touched, message)
            except gitkb.GitError as error:
                self.warn(f"no git commit: {error}")
        runlog.append(self.kb, self.report.record(), secrets=self.secrets)

    def warn(self, warning: str) -> None:
        self.report.warnings.append(warning)
        self.say(f"warning: {warning}")

    def _check_targets(self, plan: BatchPlan) -> None:
        """Every target is inside `articles/` and as the pass read it."""
        articles_root = self.kb.articles.resolve()
        for change in plan.changes:
            target = self.kb.root / change.path
            if not target.resolve().is_relative_to(articles_root):
                raise BatchFailed(f"{change.path} leads outside articles/ (a link?); not written")
            if change.before is None and target.exists():
                raise BatchFailed(f"{change.path} appeared while drafting; try again")
            if change.before is not None and _read(target) != change.before.text:
                raise BatchFailed(f"{change.path} changed while drafting; try again")

    def _save_descriptions(self) -> None:
        stored = self.library.descriptions
        kept = {path: text for path, text in stored.items() if (self.kb.root / path).is_file()}
        try:
            descriptions.save(self.kb, kept)
        except OSError as error:
            self.warn(f"descriptions not saved: {explain(error)}")
        else:
            self.touched.append(self.kb.state / descriptions.DESCRIPTIONS_NAME)


class DryRunWriter:
    """Shows what a pass would do: a unified diff per article, a line per note moved."""

    def __init__(
        self,
        kb: KnowledgeBase,
        library: Library,
        report: PassReport,
        say: Say,
        secrets: Collection[str] = (),
    ) -> None:
        self.library = library
        self.report = report
        report.dry_run = True

    def apply(self, plan: BatchPlan) -> None:
        for change in plan.changes:
            before = (change.before.text if change.before else "").splitlines(keepends=True)
            after = change.after.splitlines(keepends=True)
            origin = f"a/{change.path}" if change.before is not None else "/dev/null"
            self.report.diffs.append(
                "".join(difflib.unified_diff(before, after, origin, f"b/{change.path}"))
            )
        self.library.take(plan)
        self.file_notes(plan.filed)

    def file_notes(self, note_names: Sequence[str]) -> None:
        for name in note_names:
            self.report.diffs.append(f"move inbox/raw/{name} -> inbox/used/{name}\n")
            self.report.filed.append(name)

    def finish(self) -> None:
        pass


def _read(path: Path) -> str | None:
    try:
        return path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
