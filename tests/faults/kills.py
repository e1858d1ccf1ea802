"""Killing real drafting processes mid-pass, and what must hold after the next run.

A KB here is a git repository with three text notes in two batches (two notes, then one an
hour later). The LLM is the local server behind a base URL that carries credentials, so
every output can be searched for them and for the API key.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from notes.drafting import intentions
from notes.intake import inbox
from notes.kb import KnowledgeBase, runlog
from tests.support.openai_server import TEST_KEY, OpenAIServer
from tests.support.watching import ROOT, WAIT, Librarian, child_env, file_text_note

URL_USER, URL_PASSWORD = "kbproxy", "url-pass-7f3c9a"
SECRETS = (TEST_KEY, URL_PASSWORD, f"{URL_USER}:")
STEPS = ("routed", "article-written", "note-moved", "index-written", "before-commit")
"""Where a pass is killed: waiting for the model after routing, then after each write."""


def git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True)
    return done.stdout


def git_kb(tmp: Path) -> tuple[KnowledgeBase, list[str]]:
    """A git KB (no identity configured: the tool's fallback) with three notes waiting."""
    kb = KnowledgeBase(tmp / "kb").ensure()
    git(kb.root, "init", "-q", "-b", "main")
    notes = [file_text_note(kb, 1), file_text_note(kb, 2), file_text_note(kb, 3, minutes=1)]
    return kb, notes


def env_for(kb: KnowledgeBase, server: OpenAIServer, tmp: Path) -> dict[str, str]:
    url = server.base_url.replace("http://", f"http://{URL_USER}:{URL_PASSWORD}@")
    return child_env(
        kb,
        server,
        OPENAI_BASE_URL=url,
        GIT_CONFIG_GLOBAL=str(tmp / "no-gitconfig"),
        GIT_CONFIG_NOSYSTEM="1",
    )


@dataclass
class Outputs:
    """Everything the processes of a case printed."""

    texts: list[str] = field(default_factory=list)

    def run(self, args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [sys.executable, "-m", "notes", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=WAIT,
        )
        self.texts += [done.stdout, done.stderr]
        return done


def start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """A `voicenotes` child (or the pausing launcher) writing to `log`."""
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, *args], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )


def paused_args(step: str, marker: Path, command: list[str]) -> list[str]:
    if step == "routed":
        return ["-m", "notes", *command]
    return ["-m", "tests.faults.draft_pauses", step, str(marker), "--", *command]


def kill_when(child: subprocess.Popen[bytes], paused: Callable[[], bool], log: Path) -> None:
    """SIGKILL `child` once `paused()` is true (it must not exit first)."""
    deadline = time.monotonic() + WAIT
    while not paused():
        assert child.poll() is None, f"exited {child.returncode}:\n{log.read_text()}"
        assert time.monotonic() < deadline, f"never paused:\n{log.read_text()}"
        time.sleep(0.05)
    os.kill(child.pid, signal.SIGKILL)
    child.wait(WAIT)


def drafting_kb(
    tmp: Path, server: OpenAIServer
) -> tuple[KnowledgeBase, list[str], dict[str, str], Librarian]:
    """A git KB with notes waiting, a child's environment drafting it with `server`, and the
    librarian answering `server`'s calls."""
    kb, notes = git_kb(tmp)
    return kb, notes, env_for(kb, server, tmp), Librarian(server)


def kill_at_step(
    step: str,
    command: list[str],
    server: OpenAIServer,
    librarian: Librarian,
    env: dict[str, str],
    tmp: Path,
) -> Path:
    """`command` run in a child killed at `step` ("routed": while its write call is held);
    `librarian` (answering `server`) answers again after. Returns the killed child's log."""
    if step == "routed":
        librarian.hold("write_article")
    marker, log = tmp / "paused", tmp / "killed.log"
    child = start(paused_args(step, marker, command), env, log)

    def paused() -> bool:
        return bool(server.requests_for("write_article")) if step == "routed" else marker.exists()

    kill_when(child, paused, log)
    librarian.release()
    return log


def assert_checks_clean(kb: KnowledgeBase) -> None:
    """`notes check` on the KB, as the author runs it, finds nothing."""
    check = subprocess.run(
        [sys.executable, "-m", "notes", "check", "--kb", str(kb.root)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=WAIT,
    )
    assert check.returncode == 0, check.stdout + check.stderr


def assert_all_committed(kb: KnowledgeBase, notes: list[str], *, killed_wrote: bool) -> None:
    """The KB checks clean and git holds every pass's work: nothing pending, nothing loose."""
    assert_checks_clean(kb)
    assert inbox.pending(kb) == []
    assert (
        git(kb.root, "status", "--porcelain", "--untracked-files=all", "--", "inbox", "articles")
        == ""
    )
    tracked = set(git(kb.root, "ls-files").split())
    assert {f"inbox/used/{name}" for name in notes} <= tracked
    articles = sorted(p for p in tracked if p.startswith("articles/") and "/_" not in p)
    assert len(articles) == 2, articles  # one per batch: nothing drafted twice
    assert "articles/_index.md" in tracked
    index = (kb.articles / "_index.md").read_text(encoding="utf-8")
    assert all(Path(a).name in index for a in articles), index
    assert not intentions.journal_path(kb).exists()
    records = runlog.runs(kb)
    if killed_wrote:
        assert any("did not complete" in e for r in records for e in r.errors), records
    assert all(r.commit for r in records if r.created or r.updated), records


def draft_again(
    kb: KnowledgeBase, notes: list[str], env: dict[str, str], killed: str, *, killed_wrote: bool
) -> str:
    """The next `draft` after a killed or stopped one (whose output was `killed`): it succeeds,
    git holds every pass's work, and no secret is in the KB or in either output. Its stdout."""
    outputs = Outputs([killed])
    again = outputs.run(["draft"], env)
    assert again.returncode == 0, again.stdout + again.stderr
    assert_all_committed(kb, notes, killed_wrote=killed_wrote)
    assert_no_secrets(kb, outputs.texts)
    return again.stdout


def assert_no_secrets(kb: KnowledgeBase, outputs: list[str]) -> None:
    """Neither the key nor the URL credentials in any output, KB file or commit."""
    history = git(kb.root, "log", "-p", "--all")
    files = [
        p.read_bytes().decode("utf-8", "replace")
        for p in kb.root.rglob("*")
        if p.is_file() and ".git" not in p.relative_to(kb.root).parts
    ]
    for text in [*outputs, history, *files]:
        for secret in SECRETS:
            assert secret not in text, f"{secret!r} leaked:\n{text[:2000]}"
