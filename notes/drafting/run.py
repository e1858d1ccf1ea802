"""One drafting pass over `inbox/raw/`: group, route, write or update, validate, commit, record.

Each batch is all or nothing: its articles are written (atomically) before its notes move to
`inbox/used/`, so a crash in between leaves notes that an article already cites, and the next
pass just moves them. An answer that cannot be used is retried with its problems shown to
the model; after the last attempt the batch stays in `inbox/raw/` untouched. An LLM failure
(no key, timeout, 429, 5xx, refused) stops the pass; batches committed before it stand.
The model's one-line description of an article is kept in tool state (notes.descriptions),
recorded once the article is on disk, for the index and the routing prompt.

A stop (the `stop` event: SIGTERM, SIGINT) ends the pass before its next LLM call, or during
one, like an LLM failure. A pass killed outright is finished by the next one: the journal
(notes.drafting.journal) names what it touched, and the next pass commits it whole. A write
that fails at the end (index, run log: a full disk) is a warning, never a traceback.
"""

from __future__ import annotations

import argparse
import difflib
import posixpath
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TypeVar
from urllib.parse import unquote

from pydantic import BaseModel

from notes import atomic, descriptions, gitkb, inbox, index, lock, names, runlog, signals
from notes.drafting import batching, compose, journal, llm, messages, prompts, relevance, routing
from notes.drafting.answers import ROUTE, UPDATE, WRITE, RouteAnswer, UpdateAnswer, WriteAnswer
from notes.drafting.batching import Batch, PendingNote
from notes.drafting.llm import InvalidAnswer, LLMClient, LLMError, Message, Stopped
from notes.drafting.messages import Source
from notes.kb import KnowledgeBase
from notes.markdown import articles, citations, frontmatter, merge
from notes.settings import Settings
from notes.transcripts import NoteFormatError, iso_date

MAX_ATTEMPTS = 3
"""Answers asked for per call before a batch is given up: the first and two retries."""

Progress = Callable[[str], None]
Built = TypeVar("Built")
Output = TypeVar("Output", bound=BaseModel)


@dataclass(frozen=True)
class ArticleChange:
    path: str
    """Relative to the KB root: `articles/x.md`."""

    title: str
    notes: tuple[str, ...]


@dataclass(frozen=True)
class FailedBatch:
    notes: tuple[str, ...]
    reason: str


@dataclass
class PassReport:
    """What a pass did (or, in a dry run, would do)."""

    dry_run: bool = False
    created: list[ArticleChange] = field(default_factory=list)
    updated: list[ArticleChange] = field(default_factory=list)
    set_aside: list[str] = field(default_factory=list)
    filed: list[str] = field(default_factory=list)
    """Notes moved to `inbox/used/`: cited, set aside, or found already cited."""

    failed: list[FailedBatch] = field(default_factory=list)
    error: str | None = None
    """The LLM failure that stopped the pass, if one did."""

    warnings: list[str] = field(default_factory=list)
    decisions: list[str] = field(default_factory=list)
    diffs: list[str] = field(default_factory=list)
    commit: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and not self.failed

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.filed)

    def summary(self) -> str:
        """A few lines for people: what changed, what failed and why."""
        head = "Dry run, nothing changed" if self.dry_run else "Drafting pass"
        counts = [
            f"{len(self.created)} created",
            f"{len(self.updated)} updated",
            f"{len(self.set_aside)} set aside",
        ]
        if self.failed:
            counts.append(f"{len(self.failed)} batch(es) failed")
        lines = [f"{head}: {', '.join(counts)}."]
        lines += [f"+ {c.path} ({c.title}) from {_notes(c.notes)}" for c in self.created]
        lines += [f"~ {c.path} ({c.title}) with {_notes(c.notes)}" for c in self.updated]
        lines += [f"- set aside {name}" for name in self.set_aside]
        lines += [f"! left in inbox/raw: {', '.join(f.notes)}: {f.reason}" for f in self.failed]
        lines += [f"warning: {warning}" for warning in self.warnings]
        return "\n".join(lines)


class PassStopped(LLMError):
    """The LLM failed and the pass stopped; batches committed before that stand.

    The message is the LLM's one-line error; `report` tells what the pass did before.
    """

    def __init__(self, report: PassReport) -> None:
        super().__init__(report.error or "the LLM failed")
        self.report = report


class BatchFailed(Exception):
    """The batch cannot be drafted now; it stays in the inbox. The message says why."""


@dataclass(frozen=True)
class _Change:
    path: str
    before: str | None
    after: str
    title: str
    notes: tuple[str, ...]
    description: str
    """The model's one line about the article (empty: it gave none)."""


@dataclass
class _Result:
    changes: list[_Change] = field(default_factory=list)
    cited: list[str] = field(default_factory=list)
    set_aside: list[str] = field(default_factory=list)
    decisions: list[dict[str, object]] = field(default_factory=list)


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
    5xx, connection refused) or `stop` being set ends the pass with PassStopped, an LLMError,
    after recording it.
    """
    kb = KnowledgeBase(settings.kb)
    if dry_run:
        report = _Pass(settings, kb, client, progress, dry_run=True, stop=stop).run()
    else:
        kb.ensure()
        with lock.hold(kb):
            report = _Pass(settings, kb, client, progress, dry_run=False, stop=stop).run()
    if report.error is not None:
        raise PassStopped(report)
    return report


def run_command(args: argparse.Namespace, settings: Settings) -> int:
    """`voicenotes draft [--kb DIR] [--dry-run]`."""

    def say(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    halt = threading.Event()
    try:
        with signals.stop_on_signals(halt.set):
            report = run_pass(settings, dry_run=bool(args.dry_run), progress=say, stop=halt)
    except lock.Busy as busy:
        print(f"error: {busy}", file=sys.stderr)
        return 1
    except PassStopped as stopped:
        if stopped.report.changed:
            print(stopped.report.summary())
        print(f"error: {stopped}", file=sys.stderr)
        return 130 if halt.is_set() else 1
    except OSError as error:
        print(f"error: cannot draft in {settings.kb}: {_reason(error)}", file=sys.stderr)
        return 1
    if report.dry_run:
        for line in report.decisions:
            print(line)
        for diff in report.diffs:
            print(diff, end="" if diff.endswith("\n") else "\n")
    print(report.summary())
    return 0 if report.ok else 1


class _Pass:
    def __init__(
        self,
        settings: Settings,
        kb: KnowledgeBase,
        client: LLMClient | None,
        progress: Progress | None,
        *,
        dry_run: bool,
        stop: threading.Event | None = None,
    ) -> None:
        self.settings = settings
        self.kb = kb
        self.dry_run = dry_run
        self.stop = stop
        self.today = date.today()
        self.prompts = {kind: prompts.load(kind) for kind in prompts.CURRENT}
        self.report = PassReport(dry_run=dry_run)
        self.record = runlog.RunRecord(
            prompts={kind: p.version for kind, p in self.prompts.items()},
            model=settings.llm_model,
        )
        self.touched: list[Path] = []
        self.journal = journal.Journal(
            self.record.time, dict(self.record.prompts), self.record.model
        )
        self.recovered: journal.Journal | None = None
        self._progress = progress
        self._client = client
        self._own_client = client is None
        self.texts = self._load_articles()
        self.descriptions = descriptions.load(kb)
        self._candidates: dict[str, relevance.Candidate | None] = {}

    # --- the pass ------------------------------------------------------------------------

    def run(self) -> PassReport:
        try:
            self._recover()
            notes = self._file_already_cited(self._pending())
            batches = batching.group(notes)
            for number, batch in enumerate(batches, start=1):
                self._say(f"batch {number}/{len(batches)}: {_describe(batch)}")
                if not self._run_batch(batch):
                    break
            self._finish()
        finally:
            if self._own_client and self._client is not None:
                self._client.close()
        return self.report

    def _run_batch(self, batch: Batch) -> bool:
        """Draft and commit one batch; False when an LLM failure ends the pass."""
        try:
            result = self._draft(batch)
            self._commit(result)
        except BatchFailed as failed:
            self._say(f"  left in inbox/raw: {failed}")
            self.report.failed.append(FailedBatch(tuple(batch.names), str(failed)))
            self.record.errors.append(f"{', '.join(batch.names)}: {failed}")
        except OSError as error:
            reason = f"cannot write: {_reason(error)}"
            self._say(f"  left in inbox/raw: {reason}")
            self.report.failed.append(FailedBatch(tuple(batch.names), reason))
            self.record.errors.append(f"{', '.join(batch.names)}: {reason}")
        except LLMError as error:
            self._say(f"  stopped: {error}")
            self.report.error = str(error)
            self.record.errors.append(str(error))
            return False
        return True

    def _draft(self, batch: Batch) -> _Result:
        sources = [
            Source(f"S{number}", note.name, iso_date(note.date), note.text)
            for number, note in enumerate(batch.notes, start=1)
        ]
        by_id = {source.id: source for source in sources}
        plan = self._route(sources)
        result = _Result()
        taken = set(self.texts)
        for create in plan.creates:
            path = routing.new_article_path(create.folder, create.title, taken)
            taken.add(path)
            chosen = [by_id[i] for i in create.sources]
            text, description = self._write(path, create, chosen)
            title = articles.parse_article(text).meta.title
            result.changes.append(_Change(path, None, text, title, _names(chosen), description))
            self._decide(result, "create", chosen, path, title, create.reason, "write")
        for update in plan.updates:
            chosen = [by_id[i] for i in update.sources]
            before = self.texts[update.article]
            text, description = self._update(update.article, before, chosen)
            title = articles.parse_article(text).meta.title
            result.changes.append(
                _Change(update.article, before, text, title, _names(chosen), description)
            )
            self._decide(result, "update", chosen, update.article, title, update.reason, "update")
        for skip in plan.skips:
            chosen = [by_id[i] for i in skip.sources]
            result.set_aside += _names(chosen)
            self._decide(result, "skip", chosen, None, None, skip.reason, None)
        result.cited = [name for change in result.changes for name in change.notes]
        return result

    def _route(self, sources: list[Source]) -> routing.Plan:
        candidates = relevance.select(
            [c for c in map(self._candidate, sorted(self.texts)) if c is not None],
            " ".join(source.text for source in sources),
        )
        known = {path for path in self.texts if self._candidate(path) is not None}
        chat = messages.route_messages(
            self.prompts["route"], self.settings.article_language, sources, candidates
        )
        ids = [source.id for source in sources]
        return self._ask(ROUTE, RouteAnswer, chat, lambda answer: routing.plan(answer, ids, known))

    def _write(self, path: str, create: routing.Create, chosen: list[Source]) -> tuple[str, str]:
        """The new article's file text and the model's description of it."""
        chat = messages.write_messages(
            self.prompts["write"],
            self.settings.article_language,
            create.title,
            create.tags,
            chosen,
        )
        cited = [compose.Cited(source.id, source.name) for source in chosen]
        return self._ask(
            WRITE,
            WriteAnswer,
            chat,
            lambda answer: (
                compose.new_article(
                    path, answer, cited, title=create.title, tags=create.tags, today=self.today
                ),
                descriptions.one_line(answer.description),
            ),
        )

    def _update(self, path: str, before: str, chosen: list[Source]) -> tuple[str, str]:
        """The updated article's file text and the model's description of it."""
        try:
            _, rest = frontmatter.split(before)
            shown = merge.view(rest)
        except (frontmatter.FrontMatterError, citations.CitationError) as error:
            raise BatchFailed(f"cannot update {path}: {error}") from None
        title = articles.parse_article(before).meta.title
        chat = messages.update_messages(
            self.prompts["update"],
            self.settings.article_language,
            path,
            title,
            shown.text,
            shown.sections,
            chosen,
        )
        cited = [compose.Cited(source.id, source.name) for source in chosen]
        return self._ask(
            UPDATE,
            UpdateAnswer,
            chat,
            lambda answer: (
                compose.updated_article(
                    path, before, answer, shown.labels, cited, today=self.today
                ),
                descriptions.one_line(answer.description),
            ),
        )

    def _ask(
        self,
        schema: str,
        output: type[Output],
        chat: Sequence[Message],
        build: Callable[[Output], Built],
    ) -> Built:
        """Ask until `build` accepts the answer, showing the model what was wrong each time."""
        history = list(chat)
        problems: list[str] = []
        for attempt in range(1, MAX_ATTEMPTS + 1):
            if self.stop is not None and self.stop.is_set():
                raise Stopped("stopped before the drafting pass finished")
            try:
                answer = self.client.complete(schema, output, history)
            except InvalidAnswer as invalid:
                problems, raw = invalid.problems, invalid.raw
            else:
                try:
                    return build(answer.value)
                except (routing.RouteError, compose.DraftError) as rejected:
                    problems, raw = rejected.problems, answer.raw
                except (citations.CitationError, articles.ArticleFormatError) as error:
                    problems, raw = [str(error)], answer.raw
            self.record.errors.append(f"{schema} attempt {attempt}: {'; '.join(problems)}")
            if attempt < MAX_ATTEMPTS:
                self._say(f"  {schema}: answer rejected ({problems[0]}); asking again")
            shown, listed = llm.for_retry(raw, problems)
            history += [Message("assistant", shown), messages.retry_message(listed)]
        raise BatchFailed(
            f"{schema} failed after {MAX_ATTEMPTS} attempts: {'; '.join(problems[:3])}"
        )

    @property
    def client(self) -> LLMClient:
        if self._client is None:
            self._client = LLMClient.from_settings(self.settings, stop=self.stop)
        elif self._client.stop is None:
            self._client.stop = self.stop
        return self._client

    # --- committing ----------------------------------------------------------------------

    def _commit(self, result: _Result) -> None:
        if self.dry_run:
            self._show(result)
        else:
            self._write_files(result)
        self._record_descriptions(result.changes)
        if not self.dry_run:
            self._move_notes(result.cited + result.set_aside)
        for change in result.changes:
            self.texts[change.path] = change.after
            self._candidates.pop(change.path, None)
            item = ArticleChange(change.path, change.title, change.notes)
            (self.report.created if change.before is None else self.report.updated).append(item)
            (self.record.created if change.before is None else self.record.updated).append(
                change.path
            )
        self.report.set_aside += result.set_aside
        self.record.set_aside += result.set_aside
        self.record.decisions += result.decisions

    def _write_files(self, result: _Result) -> None:
        """Check every target is as we read it, then write them all."""
        articles_root = self.kb.articles.resolve()
        for change in result.changes:
            target = self.kb.root / change.path
            if not target.resolve().is_relative_to(articles_root):
                raise BatchFailed(f"{change.path} leads outside articles/ (a link?); not written")
            if change.before is None and target.exists():
                raise BatchFailed(f"{change.path} appeared while drafting; try again")
            if change.before is not None and _read(target) != change.before:
                raise BatchFailed(f"{change.path} changed while drafting; try again")
        for change in result.changes:
            (self.journal.created if change.before is None else self.journal.updated).append(
                change.path
            )
        moved = result.cited + result.set_aside
        self._intend(
            [self.kb.root / c.path for c in result.changes]
            + [folder / name for name in moved for folder in (self.kb.raw, self.kb.used)]
        )
        for change in result.changes:
            target = self.kb.root / change.path
            atomic.write_text(target, change.after, overwrite=change.before is not None)
            self.touched.append(target)
            self._say(f"  {'wrote' if change.before is None else 'updated'} {change.path}")

    def _record_descriptions(self, changes: Sequence[_Change]) -> None:
        """Keep the model's description of a new article, or of an updated one that had none.

        Saved once the articles are on disk; a dry run keeps them for this pass only.
        """
        before = dict(self.descriptions)
        for change in changes:
            if change.before is None:
                self.descriptions.pop(change.path, None)
            if change.description and not self.descriptions.get(change.path):
                self.descriptions[change.path] = change.description
        if self.dry_run or self.descriptions == before:
            return
        kept = {p: d for p, d in self.descriptions.items() if (self.kb.root / p).is_file()}
        try:
            descriptions.save(self.kb, kept)
        except OSError as error:
            self._warn(f"descriptions not saved: {_reason(error)}")

    def _move_notes(self, note_names: Sequence[str]) -> None:
        for name in note_names:
            source, target = self.kb.raw / name, self.kb.used / name
            try:
                atomic.move_file(source, target)
            except OSError as error:
                self._warn(f"inbox/raw/{name} not moved to inbox/used/: {_reason(error)}")
                continue
            self.touched += [source, target]
            self.report.filed.append(name)
            self.record.filed.append(name)

    def _show(self, result: _Result) -> None:
        for change in result.changes:
            before = (change.before or "").splitlines(keepends=True)
            after = change.after.splitlines(keepends=True)
            origin = f"a/{change.path}" if change.before is not None else "/dev/null"
            self.report.diffs.append(
                "".join(difflib.unified_diff(before, after, origin, f"b/{change.path}"))
            )
        for name in result.cited + result.set_aside:
            self.report.diffs.append(f"move inbox/raw/{name} -> inbox/used/{name}\n")
            self.report.filed.append(name)

    def _finish(self) -> None:
        calls = self._client.calls if self._client is not None else []
        self.record.calls = [call.as_dict() for call in calls]
        self.record.tokens_in = sum(call.tokens_in for call in calls)
        self.record.tokens_out = sum(call.tokens_out for call in calls)
        self.record.latency = round(sum(call.latency for call in calls), 3)
        if self.dry_run:
            return
        changed_articles = self.report.created or self.report.updated or self.recovered
        try:
            if changed_articles and index.write_index(self.kb):
                self.touched.append(index.index_path(self.kb))
        except OSError as error:
            self._warn(f"articles/_index.md not written: {_reason(error)}")
        committed = True
        if self.touched:
            try:
                for warning in gitkb.clear_stale_lock(self.kb.root):
                    self._warn(warning)
                self.report.commit = gitkb.commit(self.kb.root, self.touched, self._message())
            except gitkb.GitError as error:
                self._warn(f"no git commit: {error}; the next pass commits this work")
                committed = False
        self.record.commit = self.report.commit
        self._log_runs(committed)

    def _log_runs(self, committed: bool) -> None:
        """The run log lines (a recovered pass's first); the journal goes once committed."""
        records = [self.record]
        if committed and self.recovered is not None:
            records.insert(0, journal.run_record(self.kb, self.recovered, self.record))
        try:
            for record in records:
                runlog.append(self.kb, record)
        except OSError as error:
            self._warn(f"run log not written: {_reason(error)}")
        if committed:
            try:
                journal.clear(self.kb)
            except OSError as error:
                self._warn(f"{journal.JOURNAL_NAME} not removed: {_reason(error)}")

    # --- a pass that did not finish ------------------------------------------------------

    def _recover(self) -> None:
        """Take in the work of a pass that was killed (or could not commit) before this one."""
        if self.dry_run:
            return
        self.recovered = journal.load(self.kb)
        if self.recovered is None:
            return
        self._say(f"finishing the pass of {self.recovered.time}, which did not complete")
        self.journal.add(self.kb.root, [self.kb.root / p for p in self.recovered.paths])
        self.touched += [self.kb.root / p for p in self.recovered.paths]

    def _intend(self, paths: list[Path]) -> None:
        """Name `paths` in the journal before touching them (raises OSError if it cannot)."""
        self.journal.add(self.kb.root, [*paths, index.index_path(self.kb)])
        journal.save(self.kb, self.journal)

    def _message(self) -> str:
        report = self.report
        counts = [
            f"{len(items)} {label}"
            for items, label in (
                (report.created, "created"),
                (report.updated, "updated"),
                (report.set_aside, "set aside"),
            )
            if items
        ]
        if not counts and self.recovered is not None:
            counts = ["finish an interrupted pass"]
        subject = "Draft articles: " + (", ".join(counts) if counts else "file cited notes")
        lines = [f'Create {c.path} "{c.title}" from {_notes(c.notes)}' for c in report.created]
        lines += [f'Update {c.path} "{c.title}" with {_notes(c.notes)}' for c in report.updated]
        lines += [f"Set aside {name}" for name in report.set_aside]
        recovered = [n for n in report.filed if n not in self._batch_notes()]
        lines += [f"File {name} (already cited)" for name in recovered]
        if self.recovered is not None:
            old = self.recovered
            found = [p for p in old.created + old.updated if (self.kb.root / p).is_file()]
            what = f": {', '.join(found)}" if found else ""
            lines.append(f"Finish the pass of {old.time}, which did not complete{what}")
        return subject + ("\n\n" + "\n".join(lines) if lines else "") + "\n"

    def _batch_notes(self) -> set[str]:
        cited = {
            name for change in self.report.created + self.report.updated for name in change.notes
        }
        return cited | set(self.report.set_aside)

    # --- reading the KB ------------------------------------------------------------------

    def _load_articles(self) -> dict[str, str]:
        texts: dict[str, str] = {}
        for path in articles.iter_articles(self.kb):
            rel = path.relative_to(self.kb.root).as_posix()
            try:
                texts[rel] = path.read_bytes().decode("utf-8")
            except (OSError, UnicodeDecodeError) as error:
                self._warn(f"{rel} skipped: {_reason(error)}")
        return texts

    def _candidate(self, path: str) -> relevance.Candidate | None:
        """How the routing prompt shows the article; None if it cannot be updated."""
        if path not in self._candidates:
            stored = self.descriptions.get(path, "")
            self._candidates[path] = _as_candidate(path, self.texts[path], stored)
        return self._candidates[path]

    def _pending(self) -> list[PendingNote]:
        found = []
        for path in inbox.pending(self.kb):
            try:
                note = inbox.read_note(path)
            except (OSError, UnicodeDecodeError, NoteFormatError, ValueError) as error:
                self._warn(f"inbox/raw/{path.name} skipped: {_reason(error)}")
                continue
            found.append(PendingNote(path.name, note.header.date, note.text))
        return found

    def _file_already_cited(self, notes: list[PendingNote]) -> list[PendingNote]:
        """Move notes an article already cites (a pass stopped before moving them)."""
        pending = {note.name for note in notes}
        cited: set[str] = set()
        for text in self.texts.values():
            if any(name in text for name in pending):
                cited |= _linked_notes(text) & pending
        if cited:
            self._say(f"already cited, filing: {', '.join(sorted(cited))}")
            if self.dry_run:
                for name in sorted(cited):
                    self.report.diffs.append(f"move inbox/raw/{name} -> inbox/used/{name}\n")
                    self.report.filed.append(name)
            else:
                try:
                    self._intend([f / n for n in cited for f in (self.kb.raw, self.kb.used)])
                except OSError as error:
                    self._warn(f"{journal.JOURNAL_NAME} not written: {_reason(error)}")
                self._move_notes(sorted(cited))
        return [note for note in notes if note.name not in cited]

    # --- reporting -----------------------------------------------------------------------

    def _decide(
        self,
        result: _Result,
        action: str,
        chosen: list[Source],
        path: str | None,
        title: str | None,
        reason: str,
        prompt: str | None,
    ) -> None:
        notes = _names(chosen)
        result.decisions.append(
            {
                "action": action,
                "notes": list(notes),
                "article": path,
                "title": title,
                "reason": reason,
                "prompts": [self.prompts["route"].version]
                + ([self.prompts[prompt].version] if prompt else []),
            }
        )
        target = f"{path} ({title})" if path else "set aside"
        line = f"{action}: {', '.join(notes)} -> {target}: {reason}"
        self.report.decisions.append(line)
        self._say(f"  {line}")

    def _say(self, line: str) -> None:
        if self._progress is not None:
            self._progress(line)

    def _warn(self, warning: str) -> None:
        self.report.warnings.append(warning)
        self.record.errors.append(warning)
        self._say(f"warning: {warning}")


def _as_candidate(path: str, text: str, stored: str) -> relevance.Candidate | None:
    try:
        article = articles.parse_article(text)
    except articles.ArticleFormatError:
        return None
    entry = index.describe(path, text, stored)
    return relevance.Candidate(
        path=path,
        title=entry.title,
        description=entry.description,
        tags=tuple(str(tag) for tag in article.meta.tags),
        updated=article.meta.updated.isoformat(),
    )


def _linked_notes(text: str) -> set[str]:
    """Names of the notes that the footnote definitions of `text` link to."""
    linked = set()
    for definition in citations.scan(text).definitions:
        for link in definition.links:
            name = posixpath.basename(unquote(link))
            if names.is_note_name(name):
                linked.add(name)
    return linked


def _read(path: Path) -> str | None:
    try:
        return path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _names(sources: Sequence[Source]) -> tuple[str, ...]:
    return tuple(source.name for source in sources)


def _notes(note_names: Sequence[str]) -> str:
    return "1 note" if len(note_names) == 1 else f"{len(note_names)} notes"


def _describe(batch: Batch) -> str:
    start, end = batch.start.strftime("%Y-%m-%d %H:%M"), batch.end.strftime("%H:%M")
    span = start if start.endswith(end) else f"{start}-{end}"
    return f"{_notes(batch.names)} from {span}"


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror.lower()
    return " ".join(str(error).split())
