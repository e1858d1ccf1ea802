"""Drafting passes as the bot shows them: a short text whatever happens."""

from __future__ import annotations

import shutil
import socket
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot import passes
from notes import whenwords
from notes.kb import KnowledgeBase, lock, runlog
from notes.settings import load_settings
from tests.conftest import EXAMPLES

NOTE = EXAMPLES / "inbox" / "used" / "20260204_102339_AlexeyDTC_msg900_transcript.txt"


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_last_run_reads_the_run_log(kb: KnowledgeBase) -> None:
    assert passes.last_run(kb) == passes.NO_RUN_YET
    record = runlog.RunRecord(time="2026-02-08T11:00:00+00:00", updated=["a.md", "b.md"])
    runlog.append(kb, record)
    tokyo = ZoneInfo("Asia/Tokyo")
    when = whenwords.iso_in_words(record.time, datetime.now(UTC), tokyo)
    assert when.endswith(" 20:00") and "2026-02-08" not in when
    assert passes.last_run(kb, tokyo) == f"last pass {when}; 2 updated"


def test_a_pass_over_an_empty_inbox_reports_nothing_changed(kb: KnowledgeBase) -> None:
    text = passes.run_pass(load_settings(kb.root, OPENAI_API_KEY="sk-unused"))
    assert text == "Drafting pass: 0 created, 0 updated, 0 set aside."


def test_a_pass_while_another_runs_says_so(kb: KnowledgeBase) -> None:
    with lock.hold(kb):
        assert passes.run_pass(load_settings(kb.root)) == passes.BUSY


def test_an_unreachable_llm_is_one_line_and_the_note_stays(kb: KnowledgeBase) -> None:
    shutil.copy(NOTE, kb.raw)
    settings = load_settings(
        kb.root, OPENAI_API_KEY="sk-test", OPENAI_BASE_URL=f"http://127.0.0.1:{closed_port()}/v1"
    )

    text = passes.run_pass(settings)

    assert text.startswith("Drafting stopped: ")
    assert "\n" not in text
    assert (kb.raw / NOTE.name).exists()
