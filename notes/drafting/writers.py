"""Writers: a batch's plan carried out on disk, or shown as a dry run. The pass picks one.

`DiskWriter` checks that every target is as the pass read it, writes the articles
(atomically), then keeps the descriptions and moves the notes to `inbox/used/`; at the end
it regenerates the index, makes one git commit and appends the run-log line. `DryRunWriter`
turns the same plans into diffs and `move` lines and changes nothing.

Before each write or move `DiskWriter` names its paths in the journal (notes.drafting.intentions);
the journal goes once the commit is made. A journal found at the start is a pass that was
killed (or could not commit): its paths join this pass's commit, the index is regenerated,
and the killed pass gets its run-log line; its figures are settled first (the image where
the article shows it, the photo note saying so), and a revision request it applied but did
not file goes to `inbox/used/feedback/` instead of being applied again. A stale
`.git/index.lock` is cleared first (notes.kb.gitkb). Writes at the end that fail (index, run
log: a full disk) are warnings.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from notes.drafting import closing, figures, intentions
from notes.drafting.library import Library
from notes.drafting.plan import BatchPlan, Change
from notes.drafting.report import PassReport
from notes.errors import explain
from notes.intake import inbox, noteformats
from notes.kb import KnowledgeBase, atomic, descriptions, glossary
from notes.upkeep import index

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


@dataclass(eq=False, repr=False)  # no repr: it would show the secrets
class _PassWriter:
    """What every writer is made with (the `WriterFactory` arguments), kept as given."""

    kb: KnowledgeBase
    library: Library
    report: PassReport
    say: Say
    secrets: Collection[str] = ()

    def __post_init__(self) -> None:
        """A writer's own set-up, once made (the dataclass calls it only if defined here)."""


class DiskWriter(_PassWriter):
    def __post_init__(self) -> None:
        kb, report, say = self.kb, self.report, self.say
        self.touched: list[Path] = []
        self.journal = intentions.Journal(report.started, dict(report.prompts), report.model)
        self.recovered = intentions.load(kb)
        if self.recovered is not None:
            say(f"finishing the pass of {self.recovered.time}, which did not complete")
            self.touched += [kb.root / path for path in self.recovered.paths]
            self._settle(self.recovered)
            self.journal.add(kb.root, self.touched)

    def apply(self, plan: BatchPlan) -> None:
        closing.check_targets(self.kb, plan)
        placing: list[Path] = []
        for change in plan.changes:
            (self.journal.created if change.before is None else self.journal.updated).append(
                change.path
            )
            for figure in change.figures:
                if not figure.image:
                    continue  # a video shown by its link only: no file moves
                move = intentions.FigureMove(figure.note, figure.image, figure.asset, change.path)
                self.journal.figures.append(move)
                placing += [self.kb.raw / figure.image, self.kb.root / figure.asset]
        feedback = [
            folder / name for name in plan.feedback for folder in (self.kb.raw, self._feedback)
        ]
        self.journal.requests += intentions.request_filings(plan)
        self._intend(
            [self.kb.root / change.path for change in plan.changes] + placing + feedback,
            plan.filed,
        )
        for change in plan.changes:
            target = self.kb.root / change.path
            atomic.write_text(target, change.after, overwrite=change.before is not None)
            self.touched.append(target)
            self.say(f"  {'wrote' if change.before is None else 'updated'} {change.path}")
            self._place_figures(change)
        stored = dict(self.library.descriptions)
        self.library.take(plan)
        if self.library.descriptions != stored:
            self._save_descriptions()
        self.file_notes(plan.filed)
        self._file_feedback(plan.feedback)
        self._propose_terms(plan)

    def _propose_terms(self, plan: BatchPlan) -> None:
        """Corrected names go to his glossary's proposals (tool state, never committed)."""
        try:
            for proposal in glossary.propose(self.kb, plan.corrected):
                self.say(f"  glossary: proposed {proposal.term} (heard as {proposal.heard})")
        except OSError as error:
            self.warn(f"glossary proposals not saved: {explain(error)}")

    @property
    def _feedback(self) -> Path:
        return self.kb.used / inbox.FEEDBACK

    def _file_feedback(self, note_names: Sequence[str]) -> None:
        """Move revision requests applied but not cited to `inbox/used/feedback/`."""
        for name in note_names:
            try:
                self.touched += inbox.move_to_used(self.kb, name, inbox.FEEDBACK)
            except OSError as error:
                self.warn(f"inbox/raw/{name} not moved to inbox/used/feedback/: {explain(error)}")
                continue
            self.report.filed.append(name)
            self.report.feedback.append(name)

    def file_notes(self, note_names: Sequence[str]) -> None:
        try:
            self._intend([], note_names)
        except OSError as error:
            self.warn(f"{intentions.JOURNAL_NAME} not written: {explain(error)}")
        for name in note_names:
            try:
                self.touched += inbox.move_to_used(self.kb, name)
            except OSError as error:
                self.warn(f"inbox/raw/{name} not moved to inbox/used/: {explain(error)}")
                continue
            self.report.filed.append(name)

    def finish(self) -> None:
        closing.close_pass(
            self.kb, self.report, self.touched, self.recovered, self.secrets, self.warn
        )

    def _intend(self, paths: list[Path], note_names: Sequence[str]) -> None:
        """Name what is about to be touched in the journal (raises OSError if it cannot)."""
        moves = [path for name in note_names for path in _note_paths(self.kb, name)]
        descriptions_file = self.kb.state / descriptions.DESCRIPTIONS_NAME
        indexes = [index.index_path(self.kb), self.kb.articles / index.INDEX_NAME]
        self.journal.add(self.kb.root, [*paths, *moves, *indexes, descriptions_file])
        intentions.save(self.kb, self.journal)

    def warn(self, warning: str) -> None:
        self.report.warnings.append(warning)
        self.say(f"warning: {warning}")

    def _place_figures(self, change: Change) -> None:
        """Move each figure's image into `assets/images/` and record it in its photo note.

        After the article is on disk, and named in the journal before it: a pass killed in
        between is settled by the next one (intentions.finish_figures).
        """
        for figure in change.figures:
            if not figure.image:
                continue
            image, target = self.kb.raw / figure.image, self.kb.root / figure.asset
            note = self.kb.raw / figure.note
            try:
                atomic.move_file(image, target)
                self.touched += [image, target]
                text = note.read_bytes().decode("utf-8")
                placed = figures.record_placement(text, figure, change.path)
                atomic.write_text(note, placed, overwrite=True)
            except (OSError, UnicodeDecodeError) as error:
                self.warn(f"{figure.image} not placed as {figure.asset}: {explain(error)}")
                continue
            self.say(f"  placed {figure.asset}")

    def _settle(self, old: intentions.Journal) -> None:
        """Settle what the killed pass `old` left half done, before this pass reads the inbox:
        its figure moves, and the requests it applied but did not file (never applied twice)."""
        try:
            self.touched += intentions.finish_figures(self.kb, old)
        except (OSError, UnicodeDecodeError) as error:
            self.warn(f"a figure of the pass of {old.time} not settled: {explain(error)}")
        try:
            filed, touched = intentions.finish_requests(self.kb, old)
        except OSError as error:
            self.warn(f"a request the pass of {old.time} applied not filed: {explain(error)}")
            return
        self.touched += touched
        for request, whole in filed:
            self.say(f"filed {request.note} as feedback: the pass of {old.time} applied it")
            if not whole:
                self.warn(f"{request.article} changed after that pass; check the revision")

    def _save_descriptions(self) -> None:
        stored = self.library.descriptions
        kept = {path: text for path, text in stored.items() if (self.kb.root / path).is_file()}
        try:
            descriptions.save(self.kb, kept)
        except OSError as error:
            self.warn(f"descriptions not saved: {explain(error)}")
        else:
            self.touched.append(self.kb.state / descriptions.DESCRIPTIONS_NAME)


def _note_paths(kb: KnowledgeBase, name: str) -> list[Path]:
    """The paths moving note `name` touches: it and its attachments, in raw/ and used/."""
    try:
        extras = inbox.attachments(kb.raw, noteformats.read(kb.raw / name))
    except (OSError, ValueError):  # NoteFormatError too: the move finds what it can
        extras = []
    return [folder / moved for moved in (*extras, name) for folder in (kb.raw, kb.used)]


class DryRunWriter(_PassWriter):
    """Shows what a pass would do: a unified diff per article, a line per note moved."""

    def __post_init__(self) -> None:
        self.report.dry_run = True

    def apply(self, plan: BatchPlan) -> None:
        for change in plan.changes:
            before = (change.before.text if change.before else "").splitlines(keepends=True)
            after = change.after.splitlines(keepends=True)
            origin = f"a/{change.path}" if change.before is not None else "/dev/null"
            self.report.diffs.append(
                "".join(difflib.unified_diff(before, after, origin, f"b/{change.path}"))
            )
            for figure in change.figures:
                if figure.image:
                    self.report.diffs.append(f"move inbox/raw/{figure.image} -> {figure.asset}\n")
        self.library.take(plan)
        self.file_notes(plan.filed)
        for name in plan.feedback:
            self.report.diffs.append(f"move inbox/raw/{name} -> inbox/used/feedback/{name}\n")
            self.report.filed.append(name)
            self.report.feedback.append(name)

    def file_notes(self, note_names: Sequence[str]) -> None:
        for name in note_names:
            self.report.diffs.append(f"move inbox/raw/{name} -> inbox/used/{name}\n")
            self.report.filed.append(name)

    def finish(self) -> None:
        pass
