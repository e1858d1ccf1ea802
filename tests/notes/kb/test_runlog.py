"""The run log: one JSON line per pass, appended to a file per month, never rewritten."""

from __future__ import annotations

import json

from notes.kb import KnowledgeBase, runlog
from notes.kb.runlog import RunRecord

DECEMBER = "2026-12-01T10:00:00+00:00"


def test_records_are_appended_and_read_back(kb: KnowledgeBase) -> None:
    assert runlog.last_run(kb) is None
    first = RunRecord(
        time=DECEMBER,
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
    second = RunRecord(time=DECEMBER, created=["articles/x.md"], errors=["boom"])
    assert runlog.append(kb, first) == kb.state / "runs/2026-12.jsonl"
    runlog.append(kb, second)

    lines = (kb.state / "runs/2026-12.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["created"] for line in lines] == [[], ["articles/x.md"]]
    assert runlog.runs(kb) == [first, second]
    assert runlog.last_run(kb) == second
    assert [record.set_aside for record in runlog.runs(kb)] == [["a_transcript.txt"], []]


def test_appending_never_rewrites_what_is_there(kb: KnowledgeBase) -> None:
    runlog.append(kb, RunRecord(time=DECEMBER, model="first"))
    path = kb.state / "runs/2026-12.jsonl"
    before = path.read_bytes()
    inode = path.stat().st_ino
    runlog.append(kb, RunRecord(time=DECEMBER, model="second"))
    assert path.read_bytes().startswith(before)
    assert path.stat().st_ino == inode


def test_each_month_has_its_own_file_and_the_newest_is_the_last_run(kb: KnowledgeBase) -> None:
    runlog.append(kb, RunRecord(time="2027-01-02T09:00:00+00:00", model="january"))
    runlog.append(kb, RunRecord(time=DECEMBER, model="december"))
    assert sorted(p.name for p in (kb.state / "runs").iterdir()) == [
        "2026-12.jsonl",
        "2027-01.jsonl",
    ]
    assert [record.model for record in runlog.runs(kb)] == ["december", "january"]
    last = runlog.last_run(kb)
    assert last is not None and last.model == "january"


def test_the_single_file_of_earlier_versions_is_still_read(kb: KnowledgeBase) -> None:
    legacy = {"time": "2026-03-01T10:00:00+00:00", "set_aside": ["old_transcript.txt"]}
    (kb.state / "runs.jsonl").write_text(json.dumps(legacy) + "\n", encoding="utf-8")
    assert [record.set_aside for record in runlog.runs(kb)] == [["old_transcript.txt"]]
    runlog.append(kb, RunRecord(time=DECEMBER, model="new"))
    last = runlog.last_run(kb)
    assert last is not None and last.model == "new"
    assert len(runlog.runs(kb)) == 2


def test_a_damaged_line_is_skipped_and_the_next_line_stays_whole(kb: KnowledgeBase) -> None:
    runlog.append(kb, RunRecord(time=DECEMBER, model="first"))
    with (kb.state / "runs/2026-12.jsonl").open("a", encoding="utf-8") as log:
        log.write('{"model": "half-writ')
    runlog.append(kb, RunRecord(time=DECEMBER, model="third"))
    assert [record.model for record in runlog.runs(kb)] == ["first", "third"]


def test_unknown_keys_from_a_newer_version_are_ignored(kb: KnowledgeBase) -> None:
    (kb.state / "runs").mkdir()
    (kb.state / "runs/2026-12.jsonl").write_text('{"model": "m", "future": 1}\n', encoding="utf-8")
    record = runlog.last_run(kb)
    assert record is not None and record.model == "m"


def test_secrets_are_replaced_everywhere_in_a_line(kb: KnowledgeBase) -> None:
    record = RunRecord(
        time=DECEMBER,
        errors=["cannot reach the LLM server (http://me:hunter22@llm.local/v1)"],
        calls=[{"messages": [{"role": "user", "content": "key sk-live-123 here"}]}],
    )
    runlog.append(kb, record, secrets=["sk-live-123", "me:hunter22", "hunter22"])
    text = (kb.state / "runs/2026-12.jsonl").read_text(encoding="utf-8")
    assert "hunter22" not in text and "sk-live-123" not in text
    assert "http://***@llm.local/v1" in text and "key *** here" in text


def test_short_placeholder_keys_are_not_searched_for(kb: KnowledgeBase) -> None:
    record = RunRecord(
        time=DECEMBER,
        calls=[{"messages": [{"role": "user", "content": "max x ollama 1234567 sk-live-12"}]}],
    )
    runlog.append(kb, record, secrets=["x", "ollama", "1234567", "sk-live-12"])
    text = (kb.state / "runs/2026-12.jsonl").read_text(encoding="utf-8")
    assert "max x ollama 1234567 ***" in text


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
