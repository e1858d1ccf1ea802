"""`voicenotes watch` killed with SIGKILL at each step of a pass, then started again.

The restarted watcher finishes the killed pass's work by itself (even when no note is left
waiting), and then the same holds as for `draft`: `voicenotes check` passes, git holds every
pass's work, nothing secret in any output. Each case starts three processes: marked slow.
"""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

import pytest

from notes.drafting import intentions
from notes.intake import inbox
from notes.kb import KnowledgeBase
from tests.faults.kills import (
    STEPS,
    assert_all_committed,
    assert_no_secrets,
    drafting_kb,
    git,
    kill_at_step,
    start,
)
from tests.support.openai_server import OpenAIServer
from tests.support.watching import WAIT

pytestmark = [pytest.mark.timeout(180), pytest.mark.slow]

WATCH = ["watch", "--debounce", "0.2"]


def settled(kb: KnowledgeBase) -> bool:
    """Nothing waiting, nothing unfinished, nothing uncommitted."""
    if inbox.pending(kb) or intentions.journal_path(kb).exists():
        return False
    return (
        git(kb.root, "status", "--porcelain", "--untracked-files=all", "--", "inbox", "articles")
        == ""
    )


@pytest.mark.parametrize("step", STEPS)
def test_a_watcher_killed_at_each_step_finishes_the_pass_when_restarted(
    tmp_path: Path, server: OpenAIServer, step: str
) -> None:
    kb, notes, env, librarian = drafting_kb(tmp_path, server)
    killed_log = kill_at_step(step, WATCH, server, librarian, env, tmp_path)

    log = tmp_path / "watch.log"
    watch = start(["-m", "notes", *WATCH], env, log)
    try:
        deadline = time.monotonic() + WAIT
        while not settled(kb):
            assert watch.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        watch.send_signal(signal.SIGTERM)
        assert watch.wait(WAIT) == 0, log.read_text()
    finally:
        if watch.poll() is None:
            watch.kill()
            watch.wait(WAIT)

    output = log.read_text()
    assert "Traceback" not in output
    assert_all_committed(kb, notes, killed_wrote=step != "routed")
    assert_no_secrets(kb, [killed_log.read_text(), output])


def test_sigterm_ends_a_watcher_stuck_on_a_silent_server(
    tmp_path: Path, server: OpenAIServer
) -> None:
    """The model never answers; SIGTERM still stops the watcher at once, the lock released."""
    kb, _, env, librarian = drafting_kb(tmp_path, server)
    librarian.hold("route_batch")
    log = tmp_path / "watch.log"
    watch = start(["-m", "notes", *WATCH], env, log)
    try:
        librarian.wait_held()
        watch.send_signal(signal.SIGTERM)
        started = time.monotonic()
        assert watch.wait(WAIT) == 0, log.read_text()
        assert time.monotonic() - started < 5
    finally:
        librarian.release()
        if watch.poll() is None:
            watch.kill()
    done = subprocess.run(["flock", "-n", str(kb.state / "draft.lock"), "true"], check=False)
    assert done.returncode == 0
    assert_no_secrets(kb, [log.read_text()])
