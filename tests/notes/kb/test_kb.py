from __future__ import annotations

import subprocess

from notes.kb import STATE_GITIGNORE, KnowledgeBase


def test_layout(tmp_path):
    kb = KnowledgeBase(tmp_path).ensure()
    assert kb.raw == tmp_path / "inbox" / "raw"
    assert kb.used == tmp_path / "inbox" / "used"
    assert kb.audio == tmp_path / "inbox" / "audio"
    assert kb.articles == tmp_path / "articles"
    assert kb.state == tmp_path / ".voicenotes"
    assert all(p.is_dir() for p in (kb.raw, kb.used, kb.audio, kb.articles, kb.state))


def test_state_keeps_its_own_gitignore_and_leaves_the_authors_alone(tmp_path):
    (tmp_path / ".gitignore").write_text("drafts/\n", encoding="utf-8")
    kb = KnowledgeBase(tmp_path).ensure()
    assert (tmp_path / ".gitignore").read_text(encoding="utf-8") == "drafts/\n"
    ignore = kb.state / ".gitignore"
    assert ignore.read_text(encoding="utf-8") == STATE_GITIGNORE
    ignore.write_text("# mine\n*\n", encoding="utf-8")
    kb.ensure()
    assert ignore.read_text(encoding="utf-8") == "# mine\n*\n"  # never rewritten


def test_git_sees_only_the_descriptions_in_the_state_folder(tmp_path):
    kb = KnowledgeBase(tmp_path).ensure()
    for name in ("runs.jsonl", "draft.lock", "descriptions.json"):
        (kb.state / name).write_text("{}\n", encoding="utf-8")
    (kb.state / "voicequeue").mkdir()
    (kb.state / "voicequeue" / "1.json").write_text("{}", encoding="utf-8")
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all", "--", ".voicenotes"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        text=True,
    )
    assert status.stdout == "?? .voicenotes/descriptions.json\n"
