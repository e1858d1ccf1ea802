"""One drafting pass at a time per knowledge base, across processes."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from notes.kb import KnowledgeBase, lock
from tests.conftest import lock_is_free
from tests.support.paths import REPO_ROOT

pytestmark = pytest.mark.timeout(60)

HOLDER = """
import sys, time
from pathlib import Path
from notes.kb import lock
from notes.kb import KnowledgeBase
with lock.hold(KnowledgeBase(Path(sys.argv[1]))):
    print("held", flush=True)
    time.sleep(60)
"""


def test_a_second_holder_is_refused_until_the_first_lets_go(kb: KnowledgeBase) -> None:
    assert lock_is_free(kb)
    with lock.hold(kb):
        assert not lock_is_free(kb)
        with pytest.raises(lock.Busy, match="another drafting pass is running"), lock.hold(kb):
            pass
    assert lock_is_free(kb)
    with lock.hold(kb):
        pass


def test_the_lock_file_lives_in_the_state_folder(tmp_path: Path) -> None:
    kb = KnowledgeBase(tmp_path / "new-kb")
    with lock.hold(kb):
        assert (kb.state / lock.LOCK_NAME).is_file()


def test_another_process_holding_the_lock_makes_us_busy_until_it_dies(kb: KnowledgeBase) -> None:
    root = REPO_ROOT
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(kb.root)],
        cwd=root,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        assert not lock_is_free(kb)
        with pytest.raises(lock.Busy), lock.hold(kb):
            pass
    finally:
        holder.kill()
        holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()
    deadline = time.monotonic() + 10
    while not lock_is_free(kb) and time.monotonic() < deadline:
        time.sleep(0.05)
    with lock.hold(kb):
        pass
