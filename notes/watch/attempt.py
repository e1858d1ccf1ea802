"""One drafting attempt of the watcher, and what it tells the schedule (notes.watch.schedule).

`draft` (notes.drafting.run_pass for the KB) raises `Busy` when another process holds the
drafting lock and an `LLMError` when the model fails; a report with failed batches also counts
as a failure (backoff). `on_report` hears about every pass that ran, even one an LLM failure
stopped halfway; a pass stopped by the same conflict again is not told twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from notes.drafting import PassReport, PassStopped, intentions
from notes.intake import inbox
from notes.kb import KnowledgeBase
from notes.kb.lock import Busy
from notes.llm.client import LLMError
from notes.watch import inflight
from notes.watch.schedule import PassOutcome

log = logging.getLogger(__name__)

Draft = Callable[[], PassReport]
OnReport = Callable[[PassReport], object]


class PassAttempt:
    """Runs `draft()` when there is work, reports the pass, and says how it went."""

    def __init__(self, kb: KnowledgeBase, draft: Draft, on_report: OnReport | None) -> None:
        self.kb = kb
        self.draft = draft
        self.on_report = on_report
        self._conflict: str | None = None

    def run(self) -> PassOutcome:
        """Draft if notes wait (or a killed pass left a journal) and the bot is not still
        filing; the outcome for the schedule."""
        waiting = len(inbox.pending(self.kb))
        unfinished = intentions.load(self.kb) is not None
        if not waiting and not unfinished:
            for line in inbox.unreadable(self.kb):  # a pass would have named them
                log.warning("%s", line)
            return PassOutcome.DRAFTED
        coming = inflight.in_flight(self.kb)
        if coming:  # one sitting, one pass: the notes still on their way join this one
            log.info("waiting: the bot is still filing %d note(s)", len(coming))
            return PassOutcome.BUSY
        log.info("drafting %d waiting note(s)", waiting)
        try:
            report = self.draft()
        except Busy:
            log.info("another drafting pass is running on this knowledge base")
            return PassOutcome.BUSY
        except PassStopped as stopped:
            log.warning("drafting stopped: %s", stopped)
            conflict = stopped.report.conflict
            if stopped.report.changed or (conflict and conflict != self._conflict):
                self._report(stopped.report)  # a conflict is told once, not at every retry
            self._conflict = conflict
            return PassOutcome.FAILED
        except LLMError as error:
            log.warning("drafting failed: %s", error)
            return PassOutcome.FAILED
        except Exception:
            log.exception("drafting failed")
            return PassOutcome.FAILED
        self._conflict = None
        self._report(report)
        return PassOutcome.DRAFTED if report.ok else PassOutcome.FAILED

    def _report(self, report: PassReport) -> None:
        log.info("%s", report.summary())
        if self.on_report is None:
            return
        try:
            self.on_report(report)
        except Exception:
            log.exception("reporting the drafting pass failed")
