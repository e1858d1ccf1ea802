"""A drafting pass whose files git would ignore commits nothing and says so in one line."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from notes.cli import main
from notes.kb import KnowledgeBase
from notes.kb.kbinit import initialise
from tests.support.openai_server import TEST_KEY, OpenAIServer, openai_server
from tests.support.watching import Librarian, file_text_note

__all__ = ["openai_server"]


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, check=True
    ).stdout


def test_a_pass_into_ignored_folders_commits_nothing_and_names_the_file(
    tmp_path: Path,
    openai_server: OpenAIServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = tmp_path / "kb"
    initialise(root)
    (root / ".gitignore").write_text(".env\narticles/*\n", encoding="utf-8")  # as a clone had
    git(root, "add", ".gitignore")
    git(root, "commit", "-q", "-m", "ignore articles")
    Librarian(openai_server)
    file_text_note(KnowledgeBase(root), 1)
    monkeypatch.setenv("OPENAI_API_KEY", TEST_KEY)
    monkeypatch.setenv("OPENAI_BASE_URL", openai_server.base_url)

    main(["draft", "--kb", str(root)])

    out = capsys.readouterr().out
    warned = [line for line in out.splitlines() if "git ignores" in line]
    assert len(warned) == 1, out
    assert "git ignores articles/" in warned[0] and "nothing was committed" in warned[0]
    assert git(root, "log", "--format=%s").splitlines()[0] == "ignore articles"
    assert list(root.glob("articles/*.md")), "the pass's work stays on disk"
