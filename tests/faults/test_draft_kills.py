"""`voicenotes draft` killed with SIGKILL at each step of a pass, then run again.

After the second run the KB passes `voicenotes check`, git holds every pass's work (the
article, the note moves, the index: nothing untracked or uncommitted), the run log has a line
for the killed pass, and no output or file holds the API key or the URL's credentials.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from notes.drafting import intentions
from notes.drafting.answers import REVISE, ROUTE, WRITE
from notes.intake import noteformats
from notes.kb import KnowledgeBase, runlog
from notes.upkeep import filed
from tests.faults.kills import (
    STEPS,
    Outputs,
    assert_no_secrets,
    draft_again,
    drafting_kb,
    env_for,
    git,
    kill_at_step,
    kill_when,
    paused_args,
    start,
)
from tests.support.openai_server import OpenAIServer, Reply, Request, answer, trickle
from tests.support.revising import (
    ARTICLE,
    CORRECTION,
    git_init,
    rag_article,
    request_note,
    revised,
)
from tests.support.watching import ROOT, WAIT

pytestmark = pytest.mark.timeout(180)

AUTHOR_USED = ROOT / "tests" / "data" / "author_kb" / "inbox" / "used"
PHOTO = "20260320_093015_AlexeyDTC_msg3030_photo.md"
IMAGE = "20260320_093015_AlexeyDTC_msg3030.jpg"
ASSET = "assets/images/usage-limits/usage-limits-dashboard.jpg"


@pytest.mark.parametrize("step", STEPS)
def test_a_draft_killed_at_each_step_is_committed_whole_by_the_next(
    tmp_path: Path, server: OpenAIServer, step: str
) -> None:
    kb, notes, env, librarian = drafting_kb(tmp_path, server)
    log = kill_at_step(step, ["draft"], server, librarian, env, tmp_path)

    draft_again(kb, notes, env, log.read_text(), killed_wrote=step != "routed")


def test_a_stale_index_lock_left_by_a_killed_git_is_removed_and_the_work_committed(
    tmp_path: Path, server: OpenAIServer
) -> None:
    """A git killed mid-commit leaves .git/index.lock; no git runs, so the next pass removes it."""
    kb, notes, env, _ = drafting_kb(tmp_path, server)
    marker, log = tmp_path / "paused", tmp_path / "killed.log"
    child = start(paused_args("before-commit", marker, ["draft"]), env, log)
    kill_when(child, marker.exists, log)
    lock = kb.root / ".git" / "index.lock"
    lock.write_bytes(b"DIRC half-written index")
    an_hour_ago = time.time() - 3600
    os.utime(lock, (an_hour_ago, an_hour_ago))

    again = draft_again(kb, notes, env, log.read_text(), killed_wrote=True)

    assert "removed a stale .git/index.lock" in again
    assert not lock.exists()


def test_sigterm_ends_a_draft_waiting_on_a_trickling_server_at_once(
    tmp_path: Path, server: OpenAIServer
) -> None:
    """The write call never completes; SIGTERM ends the pass, the lock is free, KB unchanged."""
    kb, notes, env, librarian = drafting_kb(tmp_path, server)
    server.on("write_article", trickle(1.0, answer({"title": "never finished"})))
    log = tmp_path / "draft.log"
    child = start(["-m", "notes", "draft"], env, log)
    kill_when_requested = time.monotonic() + WAIT
    while not server.requests_for("write_article"):
        assert child.poll() is None and time.monotonic() < kill_when_requested, log.read_text()
        time.sleep(0.05)
    sent = time.monotonic()
    child.send_signal(signal.SIGTERM)
    status = child.wait(WAIT)
    took = time.monotonic() - sent

    output = log.read_text()
    assert status == 130, output
    assert took < 5, took
    assert "! stopped on request; the rest waits in inbox/raw" in output
    assert "Traceback" not in output
    assert git(kb.root, "status", "--porcelain", "--", "articles") == ""
    assert sorted(p.name for p in kb.raw.iterdir()) == sorted(notes)
    assert librarian.titles  # it was routed, then stopped
    draft_again(kb, notes, env, output, killed_wrote=False)  # the lock was released


def test_a_full_disk_at_the_end_of_a_pass_is_one_line_after_the_summary(
    tmp_path: Path, server: OpenAIServer
) -> None:
    """Files may not grow past 64 KB (RLIMIT_FSIZE, the kernel's own EFBIG, like ENOSPC)."""
    kb, notes, env, _ = drafting_kb(tmp_path, server)
    limit = 64 * 1024
    record = runlog.RunRecord(errors=["x" * 1000]).to_json() + "\n"
    month = runlog.log_path(kb, runlog.now())  # this month's log: nearly at the limit
    month.parent.mkdir(parents=True)
    month.write_text(record * (limit // len(record)), encoding="utf-8")

    def small_files() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    done = subprocess.run(
        [sys.executable, "-m", "notes", "draft"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=WAIT,
        preexec_fn=small_files,
    )

    assert "Traceback" not in done.stderr, done.stderr
    assert "Drafting pass: 2 created" in done.stdout, done.stdout + done.stderr
    warnings = [line for line in done.stdout.splitlines() if line.startswith("warning:")]
    assert warnings == ["warning: run log not written: file too large"], done.stdout
    assert git(kb.root, "status", "--porcelain", "--", "inbox", "articles") == ""
    assert_no_secrets(kb, [done.stdout, done.stderr])
    assert len(notes) == 3


def place_the_photo(server: OpenAIServer) -> None:
    """The model: one new article about the photo, showing it as a figure after block 1."""
    route = {
        "action": "create",
        "article": None,
        "title": "Usage limits",
        "tags": ["claude-code"],
        "folder": "",
        "reason": "one topic",
    }
    server.always(ROUTE, lambda r: answer({"decisions": [{**route, "sources": ["S1"]}]}))

    def write(request: Request) -> Reply:
        assert 'image="yes"' in request.user
        figure = {"source": "S1", "after": 1, "name": "Usage limits dashboard"}
        return answer(
            {
                "title": "Usage limits",
                "tags": [],
                "description": "Plan limits.",
                "body": "My limits reset this morning[^S1].\n\nBack to work.",
                "figures": [{**figure, "alt": "A dashboard", "caption": "The limits"}],
            }
        )

    server.always(WRITE, write)


@pytest.mark.parametrize("step", ["article-written", "figure-moved", "note-moved", "before-commit"])
def test_a_draft_killed_while_placing_a_figure_leaves_image_note_and_article_agreeing(
    tmp_path: Path, server: OpenAIServer, step: str
) -> None:
    """Killed with the article written (image not moved), the image moved (note not yet
    rewritten), the note filed, or before the commit: the next pass completes the move and
    commits the image where the article shows it."""
    kb = KnowledgeBase(tmp_path / "kb").ensure()
    git(kb.root, "init", "-q", "-b", "main")
    shutil.copy(AUTHOR_USED / PHOTO, kb.raw / PHOTO)
    shutil.copy(AUTHOR_USED / IMAGE, kb.raw / IMAGE)
    env = env_for(kb, server, tmp_path)
    place_the_photo(server)
    marker, log = tmp_path / "paused", tmp_path / "killed.log"
    child = start(paused_args(step, marker, ["draft"]), env, log)
    kill_when(child, marker.exists, log)

    outputs = Outputs([log.read_text()])
    again = outputs.run(["draft"], env)

    assert again.returncode == 0, again.stdout + again.stderr
    article = (kb.articles / "usage-limits.md").read_text(encoding="utf-8")
    assert f'<img src="../{ASSET}" alt="A dashboard">' in article
    assert (kb.root / ASSET).read_bytes() == (AUTHOR_USED / IMAGE).read_bytes()
    assert sorted(p.name for p in kb.used.iterdir()) == [PHOTO]  # no image filed beside it
    assert not any(kb.raw.iterdir())
    note = noteformats.read(kb.used / PHOTO)
    assert note.meta["final_location"] == f"../../{ASSET}"
    assert filed.location_target(kb, kb.used / PHOTO, note.meta["final_location"]) == ASSET
    assert (kb.used / PHOTO).read_text(encoding="utf-8") == (AUTHOR_USED / PHOTO).read_text(
        encoding="utf-8"
    ).replace(
        f"image_file: {IMAGE}",
        f"original_image: {IMAGE}\nfinal_location: ../../{ASSET}\narticle: usage-limits.md",
    )
    checked = outputs.run(["check"], env)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert git(kb.root, "status", "--porcelain", "--untracked-files=all") == ""
    tracked = set(git(kb.root, "ls-files").split())
    assert {ASSET, f"inbox/used/{PHOTO}", "articles/usage-limits.md"} <= tracked
    assert not intentions.journal_path(kb).exists()
    records = runlog.runs(kb)
    assert any("did not complete" in e for r in records for e in r.errors), records
    assert PHOTO in {name for r in records for name in r.filed}
    assert_no_secrets(kb, outputs.texts)


def test_a_revision_killed_after_its_article_was_written_is_not_applied_twice(
    tmp_path: Path, server: OpenAIServer
) -> None:
    """Asked again, the model would find no "Ladden" (or, for "cut that", cut another part)."""
    kb = KnowledgeBase(tmp_path / "kb").ensure()
    rag_article(kb)
    git_init(kb)
    name = request_note(kb, 1, "это Mladen, не Ladden, исправь")
    server.on(REVISE, revised(CORRECTION))
    env = env_for(kb, server, tmp_path)
    marker, log = tmp_path / "paused", tmp_path / "killed.log"
    kill_when(
        start(paused_args("article-written", marker, ["draft"]), env, log), marker.exists, log
    )
    written = (kb.root / ARTICLE).read_bytes()
    assert b"Mladen Petrov" in written and (kb.raw / name).is_file()

    outputs = Outputs([log.read_text()])
    again = outputs.run(["draft"], env)

    assert again.returncode == 0, again.stdout + again.stderr
    assert f"filed {name} as feedback" in again.stderr
    assert "check the revision" not in again.stderr  # the article is as that pass wrote it
    assert len(server.requests_for(REVISE)) == 1
    assert (kb.root / ARTICLE).read_bytes() == written
    assert (kb.used / "feedback" / name).is_file() and not (kb.raw / name).exists()
    assert git(kb.root, "status", "--porcelain") == ""
    record = runlog.runs(kb)[-2]
    assert record.updated == [ARTICLE] and record.filed == [name]
    assert_no_secrets(kb, outputs.texts)
