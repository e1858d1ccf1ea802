"""A real `cleanup --delete` and a real drafting pass started while it runs (#23, case 4).

Cleanup holds the drafting lock from the moment it reads the documents until it has
committed: the pass started in between says another pass is running and changes nothing, its
note waits in `inbox/raw/`; the next pass drafts it, and every note any article cites is
still there.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from notes.kb import KnowledgeBase
from notes.upkeep import cleanup
from tests.faults.kills import Outputs, assert_checks_clean, env_for, git, git_kb, start
from tests.support.openai_server import OpenAIServer
from tests.support.watching import WAIT, Librarian, file_text_note

pytestmark = pytest.mark.timeout(180)


def cited_notes(kb: KnowledgeBase) -> set[str]:
    uses = cleanup.uses_of(kb).values()
    return set().union(*(u.notes for u in uses))


def test_a_pass_started_during_cleanup_waits_and_nothing_cited_is_deleted(
    tmp_path: Path,
) -> None:
    kb, notes = git_kb(tmp_path)
    with OpenAIServer() as server:
        env = env_for(kb, server, tmp_path)
        Librarian(server)
        outputs = Outputs()
        first = outputs.run(["draft"], env)
        assert first.returncode == 0, first.stdout + first.stderr
        articles = sorted(p for p in kb.articles.glob("*.md") if not p.name.startswith("_"))
        assert len(articles) == 2
        gone = articles[-1]
        orphans = {n for n in notes if n in gone.read_text("utf-8")}
        gone.unlink()  # he deletes an article by hand: its notes are voicenotes' and unused
        late = file_text_note(kb, 4, minutes=3)

        marker, go, log = tmp_path / "read", tmp_path / "go", tmp_path / "cleanup.log"
        child = start(
            [
                "-m",
                "tests.faults.cleanup_pauses",
                str(marker),
                str(go),
                "--",
                "cleanup",
                "--delete",
            ],
            env,
            log,
        )
        deadline = time.monotonic() + WAIT
        while not marker.exists():
            assert child.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.05)

        meanwhile = outputs.run(["draft"], env)
        assert meanwhile.returncode == 1, meanwhile.stdout + meanwhile.stderr
        assert "another drafting pass is running" in meanwhile.stderr
        assert (kb.raw / late).is_file()

        go.write_text("go\n")
        assert child.wait(WAIT) == 0, log.read_text()
        cleaned = log.read_text()
        assert all(f"deleted inbox/used/{name}" in cleaned for name in orphans), cleaned

        last = outputs.run(["draft"], env)
        assert last.returncode == 0, last.stdout + last.stderr
    assert not (kb.raw / late).exists()
    cited = cited_notes(kb)
    assert late in cited
    assert all((kb.used / name).is_file() for name in cited)
    assert_checks_clean(kb)
    assert git(kb.root, "status", "--porcelain", "--", "inbox") == ""
