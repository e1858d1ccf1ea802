"""What a real `voicenotes draft` prints: each warning once.

A warning (a stale `.git/index.lock` removed, say) is both said as the pass goes and listed in
its summary; the command prints it once.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tests.faults.kills import Outputs, env_for, git_kb
from tests.support.openai_server import OpenAIServer
from tests.support.watching import Librarian

pytestmark = [pytest.mark.faults, pytest.mark.timeout(300)]


def test_the_stale_lock_warning_is_printed_once(tmp_path: Path, server: OpenAIServer) -> None:
    kb, _ = git_kb(tmp_path)
    Librarian(server)
    lock = kb.root / ".git" / "index.lock"
    lock.write_bytes(b"DIRC half-written index")
    an_hour_ago = time.time() - 3600
    os.utime(lock, (an_hour_ago, an_hour_ago))

    done = Outputs().run(["draft"], env_for(kb, server, tmp_path))

    assert done.returncode == 0, done.stdout + done.stderr
    printed = (done.stdout + done.stderr).count("removed a stale .git/index.lock")
    assert printed == 1, done.stdout + done.stderr
    assert not lock.exists()
