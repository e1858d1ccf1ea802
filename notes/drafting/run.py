"""One drafting pass over `inbox/raw/`: group, plan, write, record.

Each batch is all or nothing: its articles are written (atomically) before its notes move to
`inbox/used/`, so a crash in between leaves notes that an article already cites, and the next
pass just moves them. An answer that cannot be used is retried with its problems shown to
the model; after the last attempt the batch stays in `inbox/raw/` untouched. An LLM failure
(no key, timeout, 429, 5xx, refused) stops the pass; batches committed before it stand.
A pass given a `stop` event makes no LLM call once it is set, and abandons the call in
flight: the batch in progress stays in `inbox/raw/`, and what was done before is finished and
recorded as usual. `voicenotes draft` sets it on SIGTERM and SIGINT. A pass killed outright is
finished by the next one (notes.drafting.intentions, through the writer).

The parts: notes.drafting.library (the KB as the pass reads it), planner (batch ->
decisions and texts, never writes), writers (plans -> files, or a dry run), report (the one
ledger, from which the summary, the commit message and the run-log line derive).
"""

from __future__ import annotations

import argparse
import re
import sys
import threading
from collections.abc import Callable
from datetime import date

from notes import signals
from notes.drafting import batching, intentions, revisionpass
from notes.drafting.asking import Asker, BatchFailed, StopRequested
from notes.drafting.batching import Batch
from notes.drafting.drafter import Drafter
from notes.drafting.library import Library, pending_notes
from notes.drafting.plan import BatchPlan, Change
from notes.drafting.planner import Planner
from notes.drafting.report import (
    ArticleChange,
    FailedBatch,
    PassReport,
    PassStopped,
    Revision,
    notes_count,
)
from notes.drafting.stylesetup import style_setup
from notes.drafting.writers import DiskWriter, DryRunWriter, WriterFactory
from notes.errors import explain
from notes.intake import inbox
from notes.kb import KnowledgeBase, commitlink, gitkb, gitsync, lock
from notes.llm import prompts
from notes.llm.client import LLMClient, LLMError, Stopped
from notes.retrieval.rerank import embedding_for
from notes.settings import Settings

Progress = Callable[[str], None]
_CREDENTIALS = re.compile(r"//[^/@\s]+@")
"""`user:token@` in a URL git may quote when a push fails."""


def run_pass(
    settings: Settings,
    *,
    dry_run: bool = False,
    client: LLMClient | None = None,
    progress: Progress | None = None,
    stop: threading.Event | None = None,
) -> PassReport:
    """Draft everything pending in the KB of `settings`.

    Holds the KB's drafting lock for the whole pass (raises lock.Busy if another pass has
    it); a dry run takes no lock and changes nothing. An LLM failure (no key, timeout, 429,
    5xx, connection refused) ends the pass with PassStopped, an LLMError, after recording it.
    Once `stop` is set no further LLM call is made; the report then has `interrupted`.
    """
    kb = KnowledgeBase(settings.kb)
    scan = inbox.scan_raw(kb)
    unfinished = not dry_run and intentions.journal_path(kb).exists()
    if not scan.notes and not unfinished and not lock.is_held(kb):
        # Nothing to draft: change nothing, not even a folder or the run log. (While another
        # pass runs, this one goes on to say so: Busy. A killed pass's work is committed.)
        return PassReport(dry_run=dry_run, warnings=[str(p) for p in scan.unreadable])
    if dry_run:
        report = _Pass(settings, kb, client, progress, stop, DryRunWriter).run()
    else:
        kb.ensure()
        with lock.hold(kb):
            pulled = pull_first(settings, kb)
            report = _Pass(settings, kb, client, progress, stop, DiskWriter).run()
            report.warnings[:0] = pulled
            publish(settings, kb, report)
    if report.error is not None:
        raise PassStopped(report)
    return report


def pull_first(settings: Settings, kb: KnowledgeBase) -> list[str]:
    """With pushing on, bring the KB up to date with its remote before anything is written
    (notes.kb.gitsync); warnings. His edits conflicting with unpushed commits stop the pass
    before it reads a note: PassStopped with `conflict` set, every note left in inbox/raw."""
    if not settings.git_push:
        return []
    try:
        return [_CREDENTIALS.sub("//", line) for line in gitsync.pull(kb.root)]
    except gitsync.PullConflict as conflict:
        line = _CREDENTIALS.sub("//", str(conflict))
        raise PassStopped(PassReport(error=line, conflict=line)) from None
    except gitkb.GitError as error:
        return [f"not pulled: {_CREDENTIALS.sub('//', str(error))}"]


def publish(settings: Settings, kb: KnowledgeBase, report: PassReport) -> None:
    """After a pass that committed: push when `VOICENOTES_GIT_PUSH` asks, and set the link.

    A failed push is a warning; the commit stands and the link says it is local.
    """
    if report.commit is None:
        return
    pushed = False
    if settings.git_push:
        try:
            _push(kb)
            pushed = True
        except gitkb.GitError as error:
            report.warnings.append(f"not pushed: {_CREDENTIALS.sub('//', str(error))}")
    try:
        remote = gitkb.remote_url(kb.root)
    except gitkb.GitError:
        remote = None
    report.commit_link = commitlink.commit_line(remote, report.commit, pushed=pushed)


def _push(kb: KnowledgeBase) -> None:
    """Push; when the remote moved on during the pass, pull (rebase) once and push again."""
    try:
        gitkb.push(kb.root)
    except gitkb.GitError:
        gitsync.pull(kb.root)  # a conflict raises: the commit stays local, the next pass says
        gitkb.push(kb.root)


def run_command(args: argparse.Namespace, settings: Settings) -> int:
    """`voicenotes draft [--kb DIR] [--dry-run]`."""

    def say(line: str) -> None:
        if not line.startswith("warning: "):  # the summary prints each warning, once
            print(line, file=sys.stderr, flush=True)

    halt = threading.Event()
    try:
        with signals.stop_on_signals(halt.set):
            report = run_pass(settings, dry_run=bool(args.dry_run), progress=say, stop=halt)
    except lock.Busy as busy:
        print(f"error: {busy}", file=sys.stderr)
        return 1
    except PassStopped as stopped:
        if stopped.report.changed or stopped.report.warnings:
            print(stopped.report.summary())
        print(f"error: {stopped}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"error: cannot draft in {settings.kb}: {explain(error)}", file=sys.stderr)
        return 1
    if report.dry_run:
        for line in report.decisions:
            print(line)
        for diff in report.diffs:
            print(diff, end="" if diff.endswith("\n") else "\n")
    print(report.summary())
    if report.interrupted:
        print("error: stopped before the pass finished", file=sys.stderr)
        return 130
    return 0 if report.ok else 1


class _Pass:
    """One pass: the library read, then each batch planned and handed to the writer."""

    def __init__(
        self,
        settings: Settings,
        kb: KnowledgeBase,
        client: LLMClient | None,
        progress: Progress | None,
        stop: threading.Event | None,
        writer: WriterFactory,
    ) -> None:
        self.settings = settings
        self.kb = kb
        self._stop = stop
        self._progress = progress
        self._client = client
        self._own_client = client is None
        self._earlier_calls = len(client.calls) if client is not None else 0
        chosen = {kind: prompts.load(kind) for kind in prompts.CURRENT}
        self.report = PassReport(
            prompts={kind: prompt.version for kind, prompt in chosen.items()},
            model=settings.llm_model,
        )
        self.library = Library.load(kb, self.warn)
        if settings.embedding_model:
            self.library.embedding = embedding_for(kb.state, settings.embedding_model, self.client)
        self.writer = writer(kb, self.library, self.report, self.say, settings.secrets())
        asker = Asker(self.client, self.report.rejected.append, self.say, stop)
        self.planner = Planner(
            Drafter(
                asker,
                chosen,
                settings.article_language,
                self.library,
                date.today(),
                style_setup(settings, kb, self.report),
            )
        )

    def run(self) -> PassReport:
        try:
            notes = self._file_already_cited(pending_notes(self.kb, self.warn))
            batches = batching.group(notes)
            for number, batch in enumerate(batches, start=1):
                self.say(f"batch {number}/{len(batches)}: {_describe(batch)}")
                if not self._run_batch(batch):
                    break
            if self._client is not None:
                self.report.calls = self._client.calls[self._earlier_calls :]
            self.writer.finish()
        finally:
            if self._own_client and self._client is not None:
                self._client.close()
        return self.report

    def _run_batch(self, batch: Batch) -> bool:
        """Plan and carry out one batch; False when the pass must stop."""
        try:
            plan = self.planner.plan(batch)
            for decision in plan.decisions:
                self.say(f"  {decision.line()}")
            self.writer.apply(plan)
        except BatchFailed as failed:
            self._failed(batch, str(failed))
        except OSError as error:
            self._failed(batch, f"cannot write: {explain(error)}")
        except (StopRequested, Stopped):
            self.say("  stopped on request; the batch stays in inbox/raw")
            self.report.interrupted = True
            return False
        except LLMError as error:
            self.say(f"  stopped: {error}")
            self.report.error = str(error)
            return False
        else:
            self._record(plan)
        return True

    def _record(self, plan: BatchPlan) -> None:
        for change in plan.changes:
            if change.requests:
                self.report.revised.append(revision_of(change, plan))
                continue
            item = ArticleChange(change.path, change.title, change.notes)
            (self.report.created if change.before is None else self.report.updated).append(item)
            self.report.style.add(change.path, change.style)
        self.report.set_aside += plan.set_aside
        self.report.decided += plan.decisions

    def _failed(self, batch: Batch, reason: str) -> None:
        self.say(f"  left in inbox/raw: {reason}")
        self.report.failed.append(FailedBatch(tuple(batch.names), reason))

    def _file_already_cited(self, notes: list[batching.PendingNote]) -> list[batching.PendingNote]:
        """Move notes an article already cites (a pass stopped before moving them)."""
        cited = sorted(self.library.cited_among({note.name for note in notes}))
        if cited:
            self.say(f"already cited, filing: {', '.join(cited)}")
            self.report.recovered += cited
            self.writer.file_notes(cited)
        return [note for note in notes if note.name not in set(cited)]

    def client(self) -> LLMClient:
        if self._client is None:
            self._client = LLMClient.from_settings(self.settings, stop=self._stop)
        elif self._client.stop is None:
            self._client.stop = self._stop  # the call in flight ends at a stop too
        return self._client

    def say(self, line: str) -> None:
        if self._progress is not None:
            self._progress(line)

    def warn(self, warning: str) -> None:
        self.report.warnings.append(warning)
        self.say(f"warning: {warning}")


def revision_of(change: Change, plan: BatchPlan) -> Revision:
    """The report's entry for an article a revision changed (or made: a move into a new one)."""
    before = change.before.text if change.before is not None else ""
    summary = next((d.reason for d in plan.decisions if d.article == change.path), "")
    diff = revisionpass.diff(change.path, before, change.after)
    return Revision(change.path, change.title, change.requests, diff, summary)


def _describe(batch: Batch) -> str:
    start, end = batch.start.strftime("%Y-%m-%d %H:%M"), batch.end.strftime("%H:%M")
    span = start if start.endswith(end) else f"{start}-{end}"
    return f"{notes_count(batch.names)} from {span}"
