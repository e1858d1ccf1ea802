"""`check --fix` repairs links between articles whose target's name is in one place only."""

from __future__ import annotations

import shutil
from pathlib import Path

from notes.kb import KnowledgeBase
from notes.upkeep import check, relink
from tests.conftest import DATA

MOVED = [  # where his KB has the five linked articles now
    "articles/research/memory-layer-implementations.md",
    "articles/research/agentic-memory.md",
    "articles/work-in-progress/ai-engineer-rpg-game.md",
    "articles/ideas/task-management-app-idea.md",
    "articles/work-in-progress/hetzner-server-setup.md",
]


def his_slice(tmp_path: Path) -> KnowledgeBase:
    kb = KnowledgeBase(tmp_path / "kb")
    shutil.copytree(DATA / "relink", kb.root)
    kb.ensure()
    for rel in MOVED:
        (kb.root / rel).parent.mkdir(parents=True, exist_ok=True)
        (kb.root / rel).write_text(f'---\ntitle: "{rel}"\n---\n\n# T\n', encoding="utf-8")
    return kb


def article_link_errors(found: check.Report) -> list[str]:
    return [str(f) for f in found.errors if "markdown link" in f.message]


def test_check_says_where_the_moved_articles_are_and_fix_rewrites_the_five_links(
    tmp_path: Path,
) -> None:
    kb = his_slice(tmp_path)
    before = {p: p.read_bytes() for p in kb.articles.rglob("*.md")}
    found = article_link_errors(check.check_kb(kb))
    assert sum("check --fix rewrites the link" in line for line in found) == 5
    assert "(the file is at articles/research/agentic-memory.md; check --fix" in "".join(found)

    fixed = check.check_kb(kb, fix=True)

    assert sorted(str(f) for f in fixed.fixes) == sorted(
        [
            "articles/community-session-ideas.md:34: fixed link "
            "../research/memory-layer-implementations.md -> "
            "research/memory-layer-implementations.md",
            "articles/community-session-ideas.md:35: fixed link "
            "../research/agentic-memory.md -> research/agentic-memory.md",
            "articles/ready-for-newsletter/opencode-experiments.md:52: fixed link "
            "ai-engineer-rpg-game.md -> ../work-in-progress/ai-engineer-rpg-game.md",
            "articles/writing-assistant-improvement-ideas.md:73: fixed link "
            "task-management-app-idea.md -> ideas/task-management-app-idea.md",
            "articles/writing-assistant-improvement-ideas.md:73: fixed link "
            "hetzner-server-setup.md -> work-in-progress/hetzner-server-setup.md",
        ]
    )
    left = article_link_errors(check.check_kb(kb))
    assert left == [
        "articles/ready-for-newsletter/opencode-experiments.md:51: markdown link "
        "microphone-booster-app.md: no such file"
    ]
    changed = []  # only the lines of the five destinations changed, nothing else
    for path, old in before.items():
        new = path.read_bytes().split(b"\n")
        assert len(new) == len(old.split(b"\n"))
        changed += [line for line, was in zip(new, old.split(b"\n"), strict=True) if line != was]
    assert len(changed) == 4 and all(b"](" in line for line in changed)


def test_a_name_in_two_places_is_not_fixed_and_the_message_names_similar_files(
    tmp_path: Path,
) -> None:
    kb = his_slice(tmp_path)
    twin = kb.articles / "ideas/old/hetzner-server-setup.md"
    twin.parent.mkdir(parents=True)
    twin.write_text("# Twin\n", encoding="utf-8")
    (kb.articles / "microphone-booster-apps.md").write_text("# Mic\n", encoding="utf-8")

    fixed = check.check_kb(kb, fix=True)

    assert not [f for f in fixed.fixes if "hetzner" in f.new]
    messages = article_link_errors(fixed)
    assert any(
        "hetzner-server-setup.md: no such file (similar files: "
        "articles/ideas/old/hetzner-server-setup.md, "
        "articles/work-in-progress/hetzner-server-setup.md" in line
        for line in messages
    )
    assert any("(similar files: articles/microphone-booster-apps.md)" in line for line in messages)


def test_notes_and_other_files_are_not_documents_to_relink(tmp_path: Path) -> None:
    kb = his_slice(tmp_path)
    files = relink.KBFiles(kb.root)
    assert files.unique("20260301_100000_tester_msg1_transcript.txt") is None
    assert files.unique("agentic-memory.md") == "articles/research/agentic-memory.md"
    assert files.hint("nothing-like-it-at-all.md") == ""
    (kb.articles / "_index.md").write_text("# Index\n", encoding="utf-8")
    assert relink.KBFiles(kb.root).unique("_index.md") is None  # every folder may have one
