"""`remove` shows and asks, `cleanup` and `remove` wait for no pass and push when asked,
`cleanup --list` says why it leaves a file alone, the index forgets a deleted article, and a
run log alone never makes a note voicenotes' to delete."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest

from notes.cli import main
from notes.kb import KnowledgeBase, lock
from notes.upkeep import index
from tests.notes.upkeep import test_cleanup
from tests.notes.upkeep.test_cleanup import OLD, ONLY_A, STALE, article, files, record_filed

kb = test_cleanup.kb
"""The KB slice of tests.notes.upkeep.test_cleanup: articles a, b and a weekly log, notes
voicenotes filed."""

GIT_ID = ["-c", "user.name=a", "-c", "user.email=a@example.org"]


def _git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(root), *GIT_ID, *args], capture_output=True, text=True, check=True
    )
    return done.stdout


def _committed(kb: KnowledgeBase) -> None:
    _git(kb.root, "init", "-q", "-b", "main")
    _git(kb.root, "add", "-A")
    _git(kb.root, "commit", "-q", "-m", "KB")


def test_remove_without_yes_and_without_a_terminal_changes_nothing_and_says_so(
    kb: KnowledgeBase, capsys: pytest.CaptureFixture[str]
) -> None:
    before = {rel: (kb.root / rel).read_bytes() for rel in files(kb)}
    assert main(["remove", "--kb", str(kb.root), "a"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "would delete articles/a.md"
    assert f"would delete inbox/used/{ONLY_A}" in out
    assert out[-1] == "nothing removed: run `voicenotes remove articles/a.md --yes` to remove it"
    assert {rel: (kb.root / rel).read_bytes() for rel in files(kb)} == before


def test_remove_asks_on_a_terminal_and_does_only_what_he_answers(
    kb: KnowledgeBase, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("sys.stdin", Terminal("n\n"))
    assert main(["remove", "--kb", str(kb.root), "a"]) == 1
    assert "nothing removed" in capsys.readouterr().out
    assert (kb.articles / "a.md").is_file()
    monkeypatch.setattr("sys.stdin", Terminal("y\n"))
    assert main(["remove", "--kb", str(kb.root), "a"]) == 0
    assert "deleted articles/a.md" in capsys.readouterr().out
    assert not (kb.articles / "a.md").exists() and not (kb.used / ONLY_A).exists()


def test_cleanup_and_remove_change_nothing_while_a_pass_holds_the_lock(
    kb: KnowledgeBase, capsys: pytest.CaptureFixture[str]
) -> None:
    before = {rel: (kb.root / rel).read_bytes() for rel in files(kb)}
    with lock.hold(kb):
        assert main(["cleanup", "--kb", str(kb.root), "--delete"]) == 1
        assert main(["remove", "--kb", str(kb.root), "a", "--yes"]) == 1
    err = capsys.readouterr().err
    assert "another drafting pass is running" in err and "nothing cleaned up" in err
    assert "nothing removed" in err
    assert {rel: (kb.root / rel).read_bytes() for rel in files(kb)} == before


def test_a_run_log_naming_a_note_without_the_mark_never_deletes_it(
    kb: KnowledgeBase, capsys: pytest.CaptureFixture[str]
) -> None:
    """His note (no `filed_by: voicenotes`), named in the log and cited by no one, stays."""
    record_filed(kb, [OLD])
    text = (kb.used / OLD).read_bytes()
    assert main(["cleanup", "--kb", str(kb.root), "--delete"]) == 0
    assert f"deleted inbox/used/{OLD}" not in capsys.readouterr().out
    assert (kb.used / OLD).read_bytes() == text


def test_cleanup_list_names_each_file_left_alone_and_why(
    kb: KnowledgeBase, capsys: pytest.CaptureFixture[str]
) -> None:
    record_filed(kb, [OLD])
    (kb.root / "assets/images/old/his.jpg").write_bytes(b"jpeg")
    assert main(["cleanup", "--kb", str(kb.root), "--list"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert (
        f"left alone: inbox/used/{OLD} (its front matter does not say filed_by: voicenotes)" in out
    )
    assert "left alone: assets/images/old/his.jpg (no note voicenotes filed names it)" in out
    assert main(["cleanup", "--kb", str(kb.root)]) == 0
    assert not [line for line in capsys.readouterr().out.splitlines() if "(no note" in line]


def test_cleanup_regenerates_the_index_after_an_article_deleted_by_hand(
    kb: KnowledgeBase, capsys: pytest.CaptureFixture[str]
) -> None:
    index.write_index(kb)
    _committed(kb)
    (kb.articles / "b.md").unlink()
    assert "b.md" in (kb.articles / "_index.md").read_text("utf-8")
    assert main(["cleanup", "--kb", str(kb.root), "--delete"]) == 0
    capsys.readouterr()
    assert "b.md" not in (kb.articles / "_index.md").read_text("utf-8")
    assert "articles/_index.md" in _git(kb.root, "show", "--name-only", "--format=")


def test_remove_and_cleanup_push_when_pushing_is_on(
    kb: KnowledgeBase,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    _committed(kb)
    _git(kb.root, "remote", "add", "origin", str(remote))
    _git(kb.root, "push", "-q", "origin", "main")
    monkeypatch.setenv("VOICENOTES_GIT_PUSH", "1")

    def pushed() -> str:
        return subprocess.run(
            ["git", "-C", str(remote), "log", "-1", "--format=%s", "main"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()

    assert main(["remove", "--kb", str(kb.root), "a", "--yes"]) == 0
    assert pushed() == "Remove articles/a.md"
    assert main(["cleanup", "--kb", str(kb.root), "--delete"]) == 0
    assert f"deleted inbox/used/{STALE}" in capsys.readouterr().out
    assert pushed() == "Clean up notes and images no article uses"


def test_remove_never_deletes_a_note_another_document_cites(kb: KnowledgeBase) -> None:
    (kb.articles / "c.md").write_text(article("C", "Text", [ONLY_A]), "utf-8")
    assert main(["remove", "--kb", str(kb.root), "a", "--yes"]) == 0
    assert (kb.used / ONLY_A).is_file()
