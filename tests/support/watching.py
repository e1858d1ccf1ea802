"""Running the watcher in tests: a scripted LLM that drafts every note, a pass recorder.

librarian = Librarian(openai_server)          # route: one new article per batch
passes = Passes(kb, real_pass(settings))      # the real drafting pass, recorded
with watching(Watcher(kb, passes, timing)) as watcher:
    file_text_note(kb, 1)
    passes.wait_for(1)
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from notes.drafting import PassReport, run_pass
from notes.intake import inbox
from notes.intake.transcripts import Note, NoteHeader
from notes.kb import KnowledgeBase, names
from notes.llm.client import LLMClient
from notes.settings import Settings
from notes.watch.schedule import Timing
from notes.watch.watcher import Watcher
from tests.support.openai_server import OpenAIServer, Reply, Request, answer

WAIT = 60.0
"""Generous: a loaded 2-core machine must never make a test fail by timing out."""
SOURCE_ID = re.compile(r'<source id="(S\d+)"')
TIMING = Timing(debounce=0.3, first_retry=0.5, retry_ceiling=5.0)
ROOT = Path(__file__).resolve().parents[2]


def file_text_note(kb: KnowledgeBase, number: int, *, minutes: int = 0) -> str:
    """File a text note in `inbox/raw/` the way the bot does; returns its file name.

    Notes of different `minutes` (an hour apart each) fall into different drafting batches.
    """
    when = datetime(2026, 3, 1, 9, 0, tzinfo=UTC) + timedelta(hours=minutes, seconds=number)
    name = names.text_note_name(names.message_stem(when, "author", 7, 100 + number))
    header = NoteHeader("telegram", when, 7, "author")
    text = f"Note {number}: evaluation sets for LLM features deserve their own review step."
    inbox.file_note(kb, name, Note(header, text))
    return name


def real_pass(settings: Settings) -> Callable[[], PassReport]:
    """The real drafting pass with a client that does not retry (failures show at once)."""
    client = LLMClient.from_settings(settings, timeout=WAIT, max_retries=0)
    return functools.partial(run_pass, settings, client=client)


class Librarian:
    """Scripts the LLM: each batch becomes a new article citing all of its notes.

    `hold(schema)` keeps the next requests of that kind waiting (a pass in progress) until
    `release()`; `wait_held()` returns once one of them is waiting.
    """

    def __init__(self, server: OpenAIServer) -> None:
        self._numbers = itertools.count(1)
        self._gate = threading.Event()
        self._gate.set()
        self._held_schema: str | None = None
        self._held = threading.Event()
        self.titles: list[str] = []
        server.always("route_batch", self.route)
        server.always("write_article", self._write)

    def hold(self, schema: str) -> None:
        self._held_schema = schema
        self._held.clear()
        self._gate.clear()

    def wait_held(self) -> None:
        assert self._held.wait(WAIT), f"no {self._held_schema} request arrived"

    def release(self) -> None:
        self._gate.set()

    def _pause(self, request: Request) -> None:
        if request.schema == self._held_schema and not self._gate.is_set():
            self._held.set()
            self._gate.wait(WAIT)

    def route(self, request: Request) -> Reply:
        self._pause(request)
        title = f"Evaluation notes {next(self._numbers)}"
        self.titles.append(title)
        decision = {
            "sources": sorted(set(SOURCE_ID.findall(request.user))),
            "action": "create",
            "article": None,
            "title": title,
            "tags": ["evals"],
            "folder": "",
            "reason": "one topic",
        }
        return answer({"decisions": [decision]})

    def _write(self, request: Request) -> Reply:
        self._pause(request)
        ids = sorted(set(SOURCE_ID.findall(request.user)))
        title = self.titles[-1] if self.titles else "Evaluation notes"
        body = "Evaluation sets need a review step" + "".join(f"[^{i}]" for i in ids) + "."
        return answer(
            {
                "title": title,
                "tags": ["evals"],
                "description": "Why evals.",
                "body": body,
                "figures": [],
            }
        )


@dataclass
class PassRecord:
    pending: list[str]
    """The notes waiting when the pass started."""
    articles: list[str]
    """Article files present when the pass started."""
    started: float
    ended: float = 0.0
    outcome: str = ""
    """`drafted`, `failed` (a report with failed batches), or the exception's class name."""
    report: PassReport | None = None


@dataclass
class Passes:
    """Wraps the drafting pass the watcher runs, and records each call."""

    kb: KnowledgeBase
    draft: Callable[[], PassReport]
    records: list[PassRecord] = field(default_factory=list)
    _changed: threading.Condition = field(default_factory=threading.Condition)

    def __call__(self) -> PassReport:
        record = PassRecord(
            [p.name for p in inbox.pending(self.kb)],
            sorted(p.name for p in self.kb.articles.rglob("*.md")),
            time.monotonic(),
        )
        with self._changed:
            self.records.append(record)
        try:
            report = self.draft()
        except BaseException as error:
            self._finish(record, type(error).__name__)
            raise
        record.report = report
        self._finish(record, "drafted" if report.ok else "failed")
        return report

    def wait_for(self, count: int) -> list[PassRecord]:
        """Block until `count` passes have finished; returns the records."""
        with self._changed:
            done = self._changed.wait_for(
                lambda: sum(1 for r in self.records if r.outcome) >= count, WAIT
            )
            assert done, f"{count} pass(es) expected, got {self.outcomes}"
            return list(self.records)

    @property
    def outcomes(self) -> list[str]:
        return [record.outcome for record in self.records]

    def _finish(self, record: PassRecord, outcome: str) -> None:
        with self._changed:
            record.ended = time.monotonic()
            record.outcome = outcome
            self._changed.notify_all()


@contextlib.contextmanager
def watching(watcher: Watcher) -> Iterator[Watcher]:
    """Run `watcher` on a thread; stop it and wait for it on the way out."""
    failure: list[BaseException] = []

    def run() -> None:
        try:
            watcher.run()
        except BaseException as error:
            failure.append(error)

    thread = threading.Thread(target=run, name="watcher", daemon=True)
    thread.start()
    try:
        yield watcher
    finally:
        watcher.stop()
        thread.join(WAIT)
        assert not thread.is_alive(), "the watcher did not stop"
        if failure:
            raise failure[0]


class Process:
    """A `python -m notes ...` child whose log lines are collected as they come."""

    def __init__(
        self, args: list[str], env: dict[str, str], changed: threading.Condition | None = None
    ) -> None:
        self.lines: list[str] = []
        self._changed = changed or threading.Condition()
        self.popen = subprocess.Popen(
            [sys.executable, "-m", "notes", *args],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def wait_for_line(self, text: str) -> str:
        with self._changed:
            found = self._changed.wait_for(lambda: self._find(text), WAIT)
        assert found, f"no log line with {text!r}:\n{self.output}"
        return found

    def has_line(self, text: str) -> bool:
        with self._changed:
            return self._find(text) is not None

    def finish(self) -> int:
        """Wait for the exit status (the child was asked to stop)."""
        status = self.popen.wait(WAIT)
        self._reader.join(WAIT)
        return status

    @property
    def output(self) -> str:
        with self._changed:
            return "".join(self.lines)

    def kill(self) -> None:
        """Make sure the child is gone (after a failed test) and its pipe closed."""
        if self.popen.poll() is None:
            self.popen.kill()
            self.popen.wait(WAIT)
        self._reader.join(WAIT)

    @staticmethod
    def wait_any(processes: list[Process], text: str, changed: threading.Condition) -> Process:
        """The first of `processes` (sharing the condition `changed`) to log `text`."""

        def first() -> Process | None:
            return next((p for p in processes if p._find(text)), None)

        with changed:
            found = changed.wait_for(first, WAIT)
        assert found is not None, f"no process logged {text!r}"
        return found

    def _find(self, text: str) -> str | None:
        return next((line for line in self.lines if text in line), None)

    def _read(self) -> None:
        assert self.popen.stdout is not None
        with self.popen.stdout:
            for line in self.popen.stdout:
                with self._changed:
                    self.lines.append(line)
                    self._changed.notify_all()


def child_env(kb: KnowledgeBase, server: OpenAIServer, **extra: str) -> dict[str, str]:
    """Environment for a child process on `kb` whose LLM is `server`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "TELEGRAM_"))}
    env.update(
        VOICENOTES_KB=str(kb.root),
        OPENAI_BASE_URL=server.base_url,
        OPENAI_API_KEY="sk-test-0123456789abcdef",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env
