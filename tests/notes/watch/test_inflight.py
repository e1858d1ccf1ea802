"""The watcher waits while the bot is still transcribing or filing a note of the sitting."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime

import pytest

from bot import jobs
from bot.instance import only_instance
from notes.drafting import PassReport, PassStopped
from notes.intake import inbox
from notes.intake.transcripts import Note, NoteHeader
from notes.kb import KnowledgeBase, names
from notes.watch import inflight
from notes.watch.schedule import Timing
from notes.watch.watcher import Watcher
from tests.support.jobrecords import voice_job
from tests.support.openai_server import OpenAIServer, openai_server, settings_for
from tests.support.watching import Librarian, Passes, file_text_note, real_pass, watching

__all__ = ["openai_server"]

pytestmark = pytest.mark.timeout(120)

SENT = datetime(2026, 3, 1, 9, 0, 30, tzinfo=UTC)
STEM = names.message_stem(SENT, "author", 7, 150)


def queued_voice() -> jobs.Job:
    """The record the bot keeps while a long voice note is transcribed."""
    return voice_job(
        STEM,
        SENT,
        source="telegram",
        user_id=7,
        chat_id=7,
        message_id=150,
        file_id="voice-file",
        caption=None,
        running=True,
    )


def file_transcript(kb: KnowledgeBase) -> str:
    """The transcript the bot files once the long note is transcribed."""
    name = names.transcript_name(STEM)
    text = "Long thoughts about evaluation sets for LLM features, recorded on a walk."
    inbox.file_note(kb, name, Note(NoteHeader("telegram", SENT, 7, "author"), text))
    return name


def test_records_count_only_while_a_bot_runs_and_not_when_stale(kb: KnowledgeBase) -> None:
    path = jobs.save(kb, queued_voice())
    (kb.state / "updates").mkdir()
    (kb.state / "updates/handled.json").write_text("[1, 2]\n", encoding="utf-8")
    assert inflight.in_flight(kb) == []  # no bot: a record it left waits for its next start
    with only_instance(kb):
        assert inflight.bot_running(kb)
        assert inflight.in_flight(kb) == [f"voicequeue/{STEM}"]
        old = time.time() - inflight.STALE_AFTER - 1
        os.utime(path, (old, old))
        assert inflight.in_flight(kb) == []
    assert not inflight.bot_running(kb)


def test_a_long_note_queued_behind_a_text_is_drafted_with_it_in_one_pass(
    kb: KnowledgeBase, openai_server: OpenAIServer
) -> None:
    Librarian(openai_server)
    draft = real_pass(settings_for(openai_server, kb.root))
    passes = Passes(kb, draft)
    timing = Timing(debounce=0.3, first_retry=0.5, retry_ceiling=5.0)
    watcher = Watcher(kb, passes, timing)
    with only_instance(kb), watching(watcher):
        jobs.save(kb, queued_voice())  # the voice note, still being transcribed
        text = file_text_note(kb, 1)  # the text sent just before it, filed at once
        time.sleep(12 * timing.debounce)  # many quiet periods: no pass while it transcribes
        assert passes.records == []
        transcript = file_transcript(kb)
        jobs.remove(kb, queued_voice())
        passes.wait_for(1)
        assert watcher.wait_idle(60)
    assert [sorted(record.pending) for record in passes.records] == [sorted([text, transcript])]
    assert passes.outcomes == ["drafted"]
    assert all((kb.used / name).is_file() for name in (text, transcript))
    assert len(openai_server.requests_for("route_batch")) == 1
    draft.keywords["client"].close()


def test_a_conflict_with_his_edits_is_told_once_not_at_every_retry(kb: KnowledgeBase) -> None:
    line = "edits on origin conflict with the commit not pushed yet (articles/x.md); ..."
    told: list[PassReport] = []

    def conflicting() -> PassReport:
        raise PassStopped(PassReport(error=line, conflict=line))

    timing = Timing(debounce=0.1, first_retry=0.2, retry_ceiling=0.2)
    watcher = Watcher(kb, conflicting, timing, on_report=told.append)
    file_text_note(kb, 1)
    with watching(watcher):
        deadline = time.monotonic() + 30
        while watcher.failures < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
    assert watcher.failures >= 3
    assert [report.conflict for report in told] == [line]
