"""The run log: one JSON line per pass."""

from __future__ import annotations

import json

from notes import runlog
from notes.kb import KnowledgeBase
from notes.runlog import RunRecord


def test_records_are_appended_and_read_back(kb: KnowledgeBase) -> None:
    assert runlog.last_run(kb) is None
    first = RunRecord(
        prompts={"route": "route_v1"},
        model="m",
        tokens_in=10,
        tokens_out=2,
        latency=0.5,
        calls=[{"schema": "route_batch", "tokens_in": 10}],
        decisions=[{"action": "skip", "notes": ["a_transcript.txt"]}],
        set_aside=["a_transcript.txt"],
        filed=["a_transcript.txt"],
    )
    second = RunRecord(created=["articles/x.md"], errors=["boom"])
    runlog.append(kb, first)
    runlog.append(kb, second)

    lines = (kb.state / runlog.RUNS_NAME).read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["created"] for line in lines] == [[], ["articles/x.md"]]
    assert runlog.runs(kb) == [first, second]
    assert runlog.last_run(kb) == second
    assert runlog.set_aside_names(kb) == {"a_transcript.txt"}


def test_a_damaged_line_is_skipped(kb: KnowledgeBase) -> None:
    runlog.append(kb, RunRecord(model="first"))
    with (kb.state / runlog.RUNS_NAME).open("a", encoding="utf-8") as log:
        log.write('{"model": "half-writ')
    runlog.append(kb, RunRecord(model="third"))
    assert [record.model for record in runlog.runs(kb)] == ["first", "third"]


def test_unknown_keys_from_a_newer_version_are_ignored(kb: KnowledgeBase) -> None:
    (kb.state / runlog.RUNS_NAME).write_text('{"model": "m", "future": 1}\n', encoding="utf-8")
    record = runlog.last_run(kb)
    assert record is not None and record.model == "m"


def test_summary_says_what_changed_and_what_it_cost() -> None:
    record = RunRecord(
        time="2026-02-04T10:00:00+00:00",
        created=["articles/a.md"],
        updated=["articles/b.md"],
        set_aside=["n_transcript.txt"],
        tokens_in=1200,
        tokens_out=300,
        latency=4.25,
        calls=[{"schema": "route_batch"}],
    )
    assert record.summary() == (
        "last pass 2026-02-04T10:00:00+00:00; 1 created; 1 updated; 1 set aside; "
        "1200 tokens in, 300 out, 4.2 s"
    )
    failed = RunRecord(time="t", errors=["the LLM server failed (HTTP 500)", "x"])
    assert failed.summary() == "last pass t; 2 error(s): the LLM server failed (HTTP 500)"
    assert RunRecord(time="t").summary() == "last pass t; nothing to do"
