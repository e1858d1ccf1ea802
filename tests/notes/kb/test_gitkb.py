"""One git commit per pass, of exactly the files the pass touched."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from notes.kb import KnowledgeBase, gitkb

pytestmark = [pytest.mark.timeout(60), pytest.mark.usefixtures("no_git_identity")]


def git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True)
    return done.stdout


def make_repo(root: Path, *, identity: bool = True) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q", "-b", "main")
    if identity:
        git(root, "config", "user.name", "Author")
        git(root, "config", "user.email", "author@example.org")
    return root


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_outside_a_repository_nothing_happens(tmp_path: Path) -> None:
    root = tmp_path / "kb"
    article = write(root / "articles/a.md", "x")
    assert not gitkb.is_repo(root)
    assert gitkb.commit(root, [article], "message") is None
    assert not (root / ".git").exists()


def test_without_git_installed_nothing_happens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_repo(tmp_path / "kb")
    article = write(root / "articles/a.md", "x")
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    assert not gitkb.is_repo(root)
    assert gitkb.commit(root, [article], "message") is None


def test_only_the_touched_files_are_committed_moves_included(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "kb")
    raw = write(root / "inbox/raw/n_transcript.txt", "note")
    unrelated = write(root / "notes.txt", "author's own work")
    git(root, "add", "inbox", "notes.txt")
    git(root, "commit", "-q", "-m", "start")
    write(unrelated, "author's unstaged edit")
    write(root / "staged.txt", "author staged this")
    git(root, "add", "staged.txt")

    used = root / "inbox/used/n_transcript.txt"
    used.parent.mkdir()
    raw.rename(used)
    article = write(root / "articles/a.md", "article")
    commit = gitkb.commit(root, [article, raw, used], "Draft articles: 1 created\n\nbody\n")

    assert commit == git(root, "rev-parse", "HEAD").strip()
    assert git(root, "log", "-1", "--format=%B").strip() == "Draft articles: 1 created\n\nbody"
    changed = git(root, "show", "--name-status", "--format=", "-M", "HEAD").split("\n")
    assert sorted(filter(None, changed)) == sorted(
        [
            "A\tarticles/a.md",
            "R100\tinbox/raw/n_transcript.txt\tinbox/used/n_transcript.txt",
        ]
    )
    status = git(root, "status", "--porcelain")
    assert " M notes.txt" in status
    assert "A  staged.txt" in status


def test_a_repository_without_identity_gets_a_fallback_author(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "kb", identity=False)
    article = write(root / "articles/a.md", "x")
    assert gitkb.commit(root, [article], "m") is not None
    author = git(root, "log", "-1", "--format=%an <%ae>").strip()
    assert author == f"{gitkb.FALLBACK_NAME} <{gitkb.FALLBACK_EMAIL}>"


def test_a_file_git_ignores_stops_the_commit_and_is_named(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "kb")
    write(root / ".gitignore", "inbox/\n")
    kept = write(root / "articles/a.md", "x")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "start")
    write(kept, "changed")
    ignored = write(root / "inbox/used/n_transcript.txt", "note")
    with pytest.raises(gitkb.GitError) as caught:
        gitkb.commit(root, [ignored, kept], "m")
    assert str(caught.value) == (
        "git ignores inbox/used/n_transcript.txt (see .gitignore), so nothing was committed"
    )
    assert git(root, "rev-list", "--count", "HEAD").strip() == "1"


def test_unchanged_files_and_ignored_tool_state_make_no_commit(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "kb")
    kept = write(root / "articles/a.md", "x")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "start")
    KnowledgeBase(root).ensure()
    state = write(root / ".voicenotes/runlog.jsonl", "{}")
    assert gitkb.commit(root, [state, kept], "m") is None
    assert git(root, "rev-list", "--count", "HEAD").strip() == "1"


def test_a_kb_in_a_subfolder_of_a_repository(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    root = repo / "kb"
    article = write(root / "articles/a.md", "x")
    gone = write(root / "inbox/raw/n_transcript.txt", "n")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "start")
    gone.unlink()
    write(article, "changed")
    assert gitkb.commit(root, [article, gone], "m") is not None
    names = git(repo, "show", "--name-status", "--format=", "HEAD").split()
    assert names == ["M", "kb/articles/a.md", "D", "kb/inbox/raw/n_transcript.txt"]


def test_a_failing_hook_is_a_git_error(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "kb")
    hook = write(root / ".git/hooks/pre-commit", "#!/bin/sh\necho 'lint failed' >&2\nexit 1\n")
    hook.chmod(0o755)
    article = write(root / "articles/a.md", "x")
    with pytest.raises(gitkb.GitError, match="git commit failed: lint failed"):
        gitkb.commit(root, [article], "m")


def test_the_remote_url_is_as_configured_and_push_reaches_it(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "kb")
    assert gitkb.remote_url(root) is None
    assert gitkb.remote_url(tmp_path / "nowhere") is None
    bare = tmp_path / "forge.git"
    subprocess.run(["git", "init", "-q", "--bare", str(bare)], check=True)
    git(root, "remote", "add", "origin", "git@gitea.home.lan:me/kb.git")
    git(root, "config", f"url.{bare}.pushInsteadOf", "git@gitea.home.lan:me/kb.git")
    sha = gitkb.commit(root, [write(root / "a.md", "a")], "first")
    assert gitkb.remote_url(root) == "git@gitea.home.lan:me/kb.git"
    gitkb.push(root)
    assert (
        subprocess.run(
            ["git", "-C", str(bare), "rev-parse", "main"], capture_output=True, text=True
        ).stdout.strip()
        == sha
    )
    git(root, "config", "--unset", f"url.{bare}.pushInsteadOf")
    with pytest.raises(gitkb.GitError, match="git push failed"):
        gitkb.push(root)


# --- a stale index.lock ------------------------------------------------------------------------


def age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_a_stale_index_lock_is_removed_and_the_commit_goes_through(tmp_path: Path) -> None:
    """What a git killed mid-commit leaves: the lock, and no git running."""
    root = make_repo(tmp_path / "kb")
    article = write(root / "articles/a.md", "x")
    lock = root / ".git/index.lock"
    lock.write_bytes(b"half an index")
    age(lock, 60)
    with pytest.raises(gitkb.GitError, match=r"index\.lock"):
        gitkb.commit(root, [article], "blocked")

    warnings = gitkb.clear_stale_lock(root)

    assert warnings == [
        "removed a stale .git/index.lock (no git process was running; a killed git left it)"
    ]
    assert not lock.exists()
    assert gitkb.commit(root, [article], "through") is not None
    assert gitkb.clear_stale_lock(root) == []


def test_a_fresh_index_lock_is_left_alone(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "kb")
    lock = root / ".git/index.lock"
    lock.write_bytes(b"")
    assert gitkb.clear_stale_lock(root) == [
        ".git/index.lock exists and may belong to a running git; left alone"
    ]
    assert lock.exists()


def test_the_lock_of_a_running_git_is_left_alone(tmp_path: Path) -> None:
    """`git commit -a` waiting for its editor holds index.lock for as long as the editor runs."""
    root = make_repo(tmp_path / "kb")
    write(root / "a.txt", "x")
    git(root, "add", "a.txt")
    lock = root / ".git/index.lock"
    env = dict(os.environ, GIT_EDITOR="sleep 30; true")
    editing = subprocess.Popen(
        ["git", "commit", "-q", "-a"],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while not lock.exists():
            assert time.monotonic() < deadline and editing.poll() is None
            time.sleep(0.05)
        age(lock, 3600)
        assert gitkb.clear_stale_lock(root) == [
            ".git/index.lock exists and may belong to a running git; left alone"
        ]
        assert lock.exists()
    finally:
        editing.kill()
        editing.wait()


def test_without_proc_only_an_old_lock_is_stale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert gitkb.is_stale(tmp_path, gitkb.STALE_AFTER + 1)
    monkeypatch.setattr(gitkb, "_PROC", tmp_path / "no-proc")
    assert not gitkb.is_stale(tmp_path, gitkb.STALE_AFTER + 1)
    assert gitkb.is_stale(tmp_path, gitkb.STALE_WITHOUT_PROC + 1)
