"""Before a batch is written and after a pass: the targets checked, then the pass closed.

`check_targets` refuses a batch whose target left `articles/` or changed while drafting.
`close_pass` regenerates the index, makes the pass's one git commit (a stale
`.git/index.lock` cleared first), appends the run-log line (a killed pass's first) and clears
the journal once the commit is made; a write that fails here (a full disk) is a warning.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from pathlib import Path

from notes.drafting import intentions
from notes.drafting.asking import BatchFailed
from notes.drafting.plan import BatchPlan
from notes.drafting.report import PassReport
from notes.errors import explain
from notes.kb import KnowledgeBase, gitkb, runlog
from notes.upkeep import index

Warn = Callable[[str], None]


def check_targets(kb: KnowledgeBase, plan: BatchPlan) -> None:
    """Every target is inside `articles/` and as the pass read it."""
    articles_root = kb.articles.resolve()
    for change in plan.changes:
        target = kb.root / change.path
        if not target.resolve().is_relative_to(articles_root):
            raise BatchFailed(f"{change.path} leads outside articles/ (a link?); not written")
        if change.before is None and target.exists():
            raise BatchFailed(f"{change.path} appeared while drafting; try again")
        if change.before is not None and _read(target) != change.before.text:
            raise BatchFailed(f"{change.path} changed while drafting; try again")


def close_pass(
    kb: KnowledgeBase,
    report: PassReport,
    touched: list[Path],
    recovered: intentions.Journal | None,
    secrets: Collection[str],
    warn: Warn,
) -> None:
    """Regenerate the index, make the pass's one commit of `touched`, append the run-log line
    (a recovered pass's first) and clear the journal once committed. Failures are warnings."""
    try:
        # An existing index is regenerated (written only if it changed) even when this
        # pass changed no article: one he deleted by hand leaves it.
        changed = report.created or report.updated or report.revised or recovered
        if (changed or index.index_path(kb).exists()) and index.write_index(kb):
            touched.append(index.index_path(kb))
        created = [c.path for c in report.created]
        created += recovered.created if recovered is not None else []
        if index.add_to_authors_index(kb, created):
            touched.append(kb.articles / index.INDEX_NAME)
    except OSError as error:
        warn(f"articles/_index.md not written: {explain(error)}")
    committed = True
    if touched:
        try:
            for warning in gitkb.clear_stale_lock(kb.root):
                warn(warning)
            report.commit = gitkb.commit(kb.root, touched, _message(kb, report, recovered))
        except gitkb.GitError as error:
            warn(f"no git commit: {error}; the next pass commits this work")
            committed = False
    _log(kb, report, recovered, secrets, warn, committed)


def _log(
    kb: KnowledgeBase,
    report: PassReport,
    recovered: intentions.Journal | None,
    secrets: Collection[str],
    warn: Warn,
    committed: bool,
) -> None:
    """The run-log lines (a recovered pass's first); the journal goes once committed."""
    records = [report.record()]
    if committed and recovered is not None:
        records.insert(0, intentions.run_record(kb, recovered, records[0]))
    try:
        for record in records:
            runlog.append(kb, record, secrets=secrets)
    except OSError as error:
        warn(f"run log not written: {explain(error)}")
    if committed:
        try:
            intentions.clear(kb)
        except OSError as error:
            warn(f"{intentions.JOURNAL_NAME} not removed: {explain(error)}")


def _message(kb: KnowledgeBase, report: PassReport, recovered: intentions.Journal | None) -> str:
    message = report.commit_message()
    old = recovered
    if old is None:
        return message
    found = [p for p in old.created + old.updated if (kb.root / p).is_file()]
    what = f": {', '.join(found)}" if found else ""
    line = f"Finish the pass of {old.time}, which did not complete{what}\n"
    return message + line if "\n\n" in message else message + "\n" + line


def _read(path: Path) -> str | None:
    try:
        return path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
