"""`voicenotes init`: a new knowledge base, and an existing one completed without a byte changed."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest

from notes.cli import main
from tests.support.paths import REPO_ROOT
from tests.support.updates import AUTHOR_KB

ROOT = REPO_ROOT


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, check=True
    ).stdout


def fingerprint(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in root.rglob("*")
        if path.is_file() and ".git" not in path.relative_to(root).parts
    }


def test_init_makes_a_kb_with_git_an_ignore_file_and_a_private_env(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "kb"
    assert main(["init", str(root)]) == 0
    out = capsys.readouterr().out
    for folder in ("inbox/raw", "inbox/used", "inbox/audio", "articles", ".voicenotes"):
        assert (root / folder).is_dir(), folder
    assert git(root, "rev-parse", "--is-inside-work-tree").strip() == "true"
    (root / ".voicenotes" / "runlog.jsonl").write_text("{}\n")
    (root / ".voicenotes" / "descriptions.json").write_text("{}\n")
    status = git(root, "status", "--porcelain", "--untracked-files=all").splitlines()
    assert status == ["?? .voicenotes/descriptions.json"]
    assert git(root, "ls-files").split() == [".gitignore"]
    env = root / ".env"
    assert env.stat().st_mode & 0o777 == 0o600
    settings = [line for line in env.read_text().splitlines() if line and line[0] != "#"]
    assert settings == ["TELEGRAM_BOT_TOKEN=", "TELEGRAM_ALLOWED_USERS=", "OPENAI_API_KEY="]
    assert out.splitlines()[-1] == (
        f"Next: fill in {env} (TELEGRAM_BOT_TOKEN, TELEGRAM_ALLOWED_USERS, OPENAI_API_KEY), "
        f"check it with `voicenotes doctor --kb {root}`, then run `voicenotes serve --kb {root}`."
    )


def test_init_on_an_existing_kb_adds_only_what_is_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = shutil.copytree(AUTHOR_KB, tmp_path / "kb")
    (root / ".gitignore").write_bytes(b"# mine\r\n*.tmp\r\n")
    (root / ".env").write_bytes(b"TELEGRAM_ALLOWED_USERS=1\n")
    before = fingerprint(root)

    assert main(["init", str(root)]) == 0

    after = fingerprint(root)
    assert {name: after[name] for name in before} == before
    assert set(after) - set(before) <= {".voicenotes/.gitignore"}
    out = capsys.readouterr().out
    assert "kept your .gitignore as it is" in out and "kept your .env as it is" in out
    assert "warning: git does not ignore .env: add `.env` to .gitignore" in out
    assert git(root, "ls-files") == "", "his files are his to commit"


def test_init_twice_changes_nothing_the_second_time(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "kb"
    assert main(["init", str(root)]) == 0
    before = fingerprint(root)
    capsys.readouterr()
    assert main(["init", str(root)]) == 0
    assert fingerprint(root) == before
    assert "created" not in capsys.readouterr().out


def test_init_refuses_a_folder_inside_the_voicenotes_source_tree(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["init", str(ROOT / "kb")]) == 2
    assert not (ROOT / "kb").exists()
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"error: {ROOT / 'kb'} is inside the voicenotes source tree: choose a folder outside it"
    ]
