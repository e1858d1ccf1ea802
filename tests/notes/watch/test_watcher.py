from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from watchdog.events import (
    DirCreatedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
)

from notes import cli
from notes.drafting import PassReport
from notes.intake import inbox
from notes.kb import KnowledgeBase
from notes.upkeep.check import check_kb
from notes.watch.schedule import Timing
from notes.watch.watcher import Watcher, is_arrival, run_command
from tests.support.openai_server import OpenAIServer, error, openai_server, settings_for
from tests.support.watching import (
    TIMING,
    WAIT,
    Librarian,
    Passes,
    Process,
    child_env,
    file_text_note,
    real_pass,
    watching,
)

__all__ = ["openai_server"]

pytestmark = pytest.mark.timeout(180)
NOTE = "20260301_090000_author_msg100.md"


def drafted(kb: KnowledgeBase, names: list[str]) -> bool:
    return all((kb.used / name).is_file() and not (kb.raw / name).exists() for name in names)


def assert_consistent(kb: KnowledgeBase) -> None:
    """Every article's citations resolve, every used note is cited, nothing half-written."""
    report = check_kb(kb)
    assert report.errors == [] and report.warnings == [], report.errors + report.warnings
    leftovers = [p for p in kb.root.rglob("*.tmp") if p.is_file()]
    assert leftovers == []


def set_up(
    kb: KnowledgeBase, server: OpenAIServer, timing: Timing = TIMING
) -> tuple[Librarian, Passes, Watcher]:
    librarian = Librarian(server)
    passes = Passes(kb, real_pass(settings_for(server, kb.root)))
    return librarian, passes, Watcher(kb, passes, timing)


@contextmanager
def pass_held(librarian: Librarian, schema: str, kb: KnowledgeBase) -> Iterator[str]:
    """Files note 1 and holds the pass it starts at its `schema` request while the body runs
    (yields the note's name); releases it after, also when the body fails."""
    librarian.hold(schema)
    try:
        first = file_text_note(kb, 1)
        librarian.wait_held()
        yield first
    finally:
        librarian.release()


@pytest.mark.parametrize(
    ("event", "arrives"),
    [
        (FileCreatedEvent(f"/kb/inbox/raw/{NOTE}"), True),
        (FileClosedEvent(f"/kb/inbox/raw/{NOTE}"), True),
        (FileMovedEvent("/elsewhere/x.txt", f"/kb/inbox/raw/{NOTE}"), True),
        (FileMovedEvent(f"/kb/inbox/raw/.{NOTE}.ab12.tmp", f"/kb/inbox/raw/{NOTE}"), True),
        (FileCreatedEvent(f"/kb/inbox/raw/.{NOTE}.ab12.tmp"), False),
        (FileClosedEvent(f"/kb/inbox/raw/.{NOTE}.ab12.tmp"), False),
        (FileCreatedEvent("/kb/inbox/raw/README.md"), False),
        (FileCreatedEvent(f"/kb/inbox/used/{NOTE}"), False),
        (FileMovedEvent(f"/kb/inbox/raw/{NOTE}", f"/kb/inbox/raw/sub/{NOTE}"), False),
        (FileCreatedEvent("/kb/inbox/raw/20260301_090000_author_msg100.ogg"), False),
        (FileMovedEvent(f"/kb/inbox/raw/{NOTE}", f"/kb/inbox/used/{NOTE}"), False),
        (FileDeletedEvent(f"/kb/inbox/raw/{NOTE}"), False),
        (FileModifiedEvent(f"/kb/inbox/raw/{NOTE}"), False),
        (DirCreatedEvent("/kb/inbox/raw/20260301_transcript.txt"), False),
    ],
)
def test_only_notes_arriving_in_the_inbox_count(event: FileSystemEvent, arrives: bool) -> None:
    assert is_arrival(event, Path("/kb/inbox/raw")) is arrives


def test_three_notes_in_quick_succession_lead_to_one_pass(
    kb: KnowledgeBase, openai_server: OpenAIServer
) -> None:
    timing = Timing(debounce=1.5, first_retry=3.0, retry_ceiling=10.0)
    _, passes, watcher = set_up(kb, openai_server, timing)
    with watching(watcher):
        notes = [file_text_note(kb, number) for number in range(3)]
        passes.wait_for(1)
        assert watcher.wait_idle(60)
    assert [record.pending for record in passes.records] == [notes]
    assert passes.outcomes == ["drafted"]
    assert drafted(kb, notes)
    assert len(openai_server.requests_for("route_batch")) == 1
    assert_consistent(kb)


def test_a_note_arriving_during_a_pass_leads_to_a_second_pass(
    kb: KnowledgeBase, openai_server: OpenAIServer
) -> None:
    librarian, passes, watcher = set_up(kb, openai_server)
    with watching(watcher):
        with pass_held(librarian, "route_batch", kb) as first:
            second = file_text_note(kb, 2, minutes=1)
        passes.wait_for(2)
        assert watcher.wait_idle(60)
    assert [record.pending for record in passes.records] == [[first], [second]]
    assert passes.outcomes == ["drafted", "drafted"]
    assert drafted(kb, [first, second])
    assert len(list(kb.articles.rglob("*.md"))) >= 2
    assert_consistent(kb)


def test_a_failing_llm_leaves_the_notes_and_retries_later_with_longer_waits(
    kb: KnowledgeBase, openai_server: OpenAIServer
) -> None:
    openai_server.on("route_batch", error(500, "overloaded"), error(503, "overloaded"))
    _, passes, watcher = set_up(kb, openai_server)
    with watching(watcher):
        note = file_text_note(kb, 1)
        records = passes.wait_for(3)
        assert watcher.wait_idle(60)
        assert watcher.failures == 0
    first, second, third = records
    assert passes.outcomes == ["PassStopped", "PassStopped", "drafted"]
    # The notes stayed in the inbox and no article was written until the LLM answered.
    assert first.pending == second.pending == third.pending == [note]
    assert second.articles == third.articles == []
    # Each retry waited at least the backoff, and the second wait is the longer one.
    assert second.started - first.ended >= TIMING.retry_delay(1)
    assert third.started - second.ended >= TIMING.retry_delay(2) > TIMING.retry_delay(1)
    assert drafted(kb, [note])
    assert_consistent(kb)


HOLD_LOCK = """
import sys
from pathlib import Path
from notes.kb import lock
from notes.kb import KnowledgeBase

with lock.hold(KnowledgeBase(Path(sys.argv[1]))):
    print("held", flush=True)
    sys.stdin.read()
"""


def test_no_pass_runs_while_another_process_holds_the_lock(
    kb: KnowledgeBase, openai_server: OpenAIServer
) -> None:
    _, passes, watcher = set_up(kb, openai_server)
    command = [sys.executable, "-c", HOLD_LOCK, str(kb.root)]
    with subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    ) as holder:
        assert holder.stdout is not None and holder.stdin is not None
        try:
            assert holder.stdout.readline().strip() == "held"
            with watching(watcher):
                note = file_text_note(kb, 1)
                (refused,) = passes.wait_for(1)
                assert refused.outcome == "Busy"
                assert openai_server.requests == []
                assert (kb.raw / note).is_file()
                holder.stdin.close()
                assert holder.wait(60) == 0
                passes.wait_for(2)
                assert watcher.wait_idle(60)
        finally:
            holder.kill()
    assert passes.outcomes == ["Busy", "drafted"]
    assert drafted(kb, [note])


def test_notes_filed_while_nobody_watched_are_drafted_at_start(
    kb: KnowledgeBase, openai_server: OpenAIServer
) -> None:
    notes = [file_text_note(kb, 1), file_text_note(kb, 2)]
    an_hour_ago = time.time() - 3600
    for name in notes:
        os.utime(kb.raw / name, (an_hour_ago, an_hour_ago))
    # They have been quiet for an hour: no need to wait a (long) quiet period again.
    timing = Timing(debounce=600.0, first_retry=600.0, retry_ceiling=600.0)
    _, passes, watcher = set_up(kb, openai_server, timing)
    with watching(watcher):
        passes.wait_for(1)
        assert watcher.wait_idle(60)
    assert [record.pending for record in passes.records] == [notes]
    assert drafted(kb, notes)


def test_stop_during_a_pass_lets_it_finish_and_starts_no_other(
    kb: KnowledgeBase, openai_server: OpenAIServer
) -> None:
    librarian, passes, watcher = set_up(kb, openai_server)
    with watching(watcher), pass_held(librarian, "write_article", kb) as first:
        watcher.stop()
        second = file_text_note(kb, 2, minutes=1)
    assert passes.outcomes == ["drafted"]
    assert drafted(kb, [first])
    assert inbox.pending(kb) == [kb.raw / second]
    assert_consistent(kb)


def test_watch_command_ends_the_pass_in_flight_on_sigterm_and_exits_cleanly(
    kb: KnowledgeBase, openai_server: OpenAIServer
) -> None:
    """The model never answers: SIGTERM still ends the pass at once, the KB untouched."""
    librarian = Librarian(openai_server)
    librarian.hold("write_article")
    watch = Process(["watch", "--debounce", "0.2"], child_env(kb, openai_server))
    try:
        first = file_text_note(kb, 1)
        librarian.wait_held()
        before = snapshot(kb)
        watch.popen.send_signal(signal.SIGTERM)
        watch.wait_for_line("SIGTERM: stopping")
        watch.popen.send_signal(signal.SIGINT)
        watch.wait_for_line("already stopping")
        assert watch.finish() == 0, watch.output
    finally:
        librarian.release()
        watch.kill()
    assert "! stopped on request; the rest waits in inbox/raw" in watch.output
    assert "next drafting attempt" not in watch.output
    assert snapshot(kb) == before
    assert inbox.pending(kb) == [kb.raw / first]
    assert len(openai_server.requests_for("route_batch")) == 1
    assert_consistent(kb)


def snapshot(kb: KnowledgeBase) -> dict[str, bytes]:
    """The KB's notes and articles, byte for byte."""
    folders = (kb.inbox, kb.articles)
    return {str(p): p.read_bytes() for f in folders for p in sorted(f.rglob("*")) if p.is_file()}


def test_two_watchers_on_one_knowledge_base_draft_each_note_once(
    kb: KnowledgeBase, openai_server: OpenAIServer
) -> None:
    librarian = Librarian(openai_server)
    librarian.hold("route_batch")
    env = child_env(kb, openai_server)
    changed = threading.Condition()
    watchers = [Process(["watch", "--debounce", "0.2"], env, changed) for _ in range(2)]
    try:
        for watch in watchers:
            watch.wait_for_line("watching")
        note = file_text_note(kb, 1)
        librarian.wait_held()
        # While one pass holds the lock, the other watcher tries, finds it busy, drafts nothing.
        busy = Process.wait_any(watchers, "another drafting pass is running", changed)
        assert busy.has_line("drafting 1 waiting note")
        assert len(openai_server.requests_for("route_batch")) == 1
        librarian.release()
        Process.wait_any(watchers, "Drafting pass: 1 created", changed)
        for watch in watchers:
            watch.popen.send_signal(signal.SIGTERM)
        assert [watch.finish() for watch in watchers] == [0, 0]
    finally:
        for watch in watchers:
            watch.kill()
    assert len(openai_server.requests_for("route_batch")) == 1
    assert len(openai_server.requests_for("write_article")) == 1
    assert drafted(kb, [note])
    assert_consistent(kb)


def test_watch_without_an_api_key_stops_with_one_line(
    kb: KnowledgeBase, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    settings = settings_for("http://127.0.0.1:9/v1", kb.root, OPENAI_API_KEY=None)
    assert run_command(argparse.Namespace(debounce=1.0), settings) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "OPENAI_API_KEY" in err


@pytest.mark.parametrize("command", ["watch", "serve"])
def test_a_negative_quiet_period_is_refused(
    command: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli.main([command, "--kb", str(tmp_path), "--debounce", "-1"])
    assert exit_.value.code == 2
    assert "--debounce" in capsys.readouterr().err


def test_watch_on_an_inbox_it_cannot_watch_stops_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kb = KnowledgeBase(tmp_path / "kb")
    kb.inbox.mkdir(parents=True)
    kb.raw.write_text("not a folder")
    settings = settings_for("http://127.0.0.1:9/v1", kb.root)
    assert run_command(argparse.Namespace(debounce=1.0), settings) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: cannot watch")
    assert kb.raw.read_text() == "not a folder"


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_an_idle_watch_command_stops_at_once_on_a_signal(
    kb: KnowledgeBase, openai_server: OpenAIServer, signum: signal.Signals
) -> None:
    watch = Process(["watch"], child_env(kb, openai_server))
    try:
        watch.wait_for_line("watching")
        watch.popen.send_signal(signum)
        assert watch.finish() == 0, watch.output
    finally:
        watch.kill()
    assert "watcher stopped" in watch.output
    assert openai_server.requests == []


def test_a_pass_stopped_by_the_llm_still_reports_what_it_drafted_before(
    kb: KnowledgeBase, openai_server: OpenAIServer
) -> None:
    librarian = Librarian(openai_server)
    first_route = librarian.route
    openai_server.on("route_batch", first_route, error(500, "overloaded"))
    passes = Passes(kb, real_pass(settings_for(openai_server, kb.root)))
    reports: list[PassReport] = []
    watcher = Watcher(kb, passes, TIMING, on_report=reports.append)
    with watching(watcher):
        first = file_text_note(kb, 1)
        second = file_text_note(kb, 2, minutes=1)
        passes.wait_for(2)
        assert watcher.wait_idle(60)
    assert passes.outcomes == ["PassStopped", "drafted"]
    assert [[c.notes for c in r.created] for r in reports] == [[(first,)], [(second,)]]
    assert [c.title for r in reports for c in r.created] == librarian.titles
    assert drafted(kb, [first, second])
    assert_consistent(kb)


def test_files_in_raw_that_cannot_be_read_are_named_in_the_log(
    kb: KnowledgeBase, caplog: pytest.LogCaptureFixture
) -> None:
    (kb.raw / "README.md").write_text("what this folder is", encoding="utf-8")
    (kb.raw / "20260301_090000_author_msg1.md").write_text("no header", encoding="utf-8")
    calls: list[int] = []
    drafted = threading.Event()

    def draft() -> PassReport:
        calls.append(1)
        drafted.set()
        return PassReport()

    with (
        caplog.at_level("WARNING", logger="notes.watch.watcher"),
        watching(Watcher(kb, draft, TIMING)),
    ):
        assert drafted.wait(WAIT)  # a note-named file is worth a pass: drafting names it
    (kb.raw / "20260301_090000_author_msg1.md").unlink()
    caplog.clear()
    with (
        caplog.at_level("WARNING", logger="notes.watch.watcher"),
        watching(Watcher(kb, draft, TIMING)),
    ):
        deadline = time.monotonic() + WAIT
        while not caplog.records and time.monotonic() < deadline:
            time.sleep(0.05)
    assert calls == [1]
    assert [r.getMessage() for r in caplog.records] == [
        "inbox/raw/README.md not read: not a note's name (a note is NAME_transcript.txt, "
        "NAME.md, NAME_photo.md, NAME_file.md or NAME_video.md, NAME starting with "
        "YYYYMMDD_HHMMSS_)"
    ]
