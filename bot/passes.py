"""Drafting passes as the bot shows them: run one, or read how the last one went.

Both answer in a short text and never raise for the expected failures (another pass running,
the LLM failing), so a command handler only has to show the text.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo

from notes import drafting, whenwords
from notes.kb import KnowledgeBase, runlog
from notes.kb.lock import Busy
from notes.llm.client import LLMError
from notes.settings import Settings

BUSY = "A drafting pass is running already; /status shows its result when it ends."
NO_RUN_YET = "none yet"


def run_pass(settings: Settings) -> str:
    """Run one drafting pass (blocking: call it off the event loop) and summarise it."""
    return run_pass_report(settings)[0]


def run_pass_report(settings: Settings) -> tuple[str, drafting.PassReport | None]:
    """`run_pass`, with the pass's report when it ran (to show its revisions)."""
    try:
        report = drafting.run_pass(settings)
    except Busy:
        return BUSY, None
    except drafting.PassStopped as stopped:
        done = stopped.report.summary() + "\n" if stopped.report.changed else ""
        return f"{done}Drafting stopped: {stopped}", stopped.report
    except LLMError as error:
        return f"Drafting failed: {error}", None
    return report.summary(), report


def last_run(kb: KnowledgeBase, where: tzinfo | None = None) -> str:
    """The last drafting run and its result, in a few words; its time in words in the zone
    `where` ("today 14:05"), the machine's by default."""
    record = runlog.last_run(kb)
    if record is None:
        return NO_RUN_YET
    when = whenwords.iso_in_words(record.time, datetime.now(UTC), where or whenwords.zone(None))
    return record.summary(when)
