"""The journal of a pass in progress: what a killed pass touched, for the next to commit."""

from __future__ import annotations

import json

from notes.drafting import journal
from notes.kb import KnowledgeBase


def test_a_saved_journal_reads_back_and_clears(kb: KnowledgeBase) -> None:
    entry = journal.Journal("2026-03-01T09:00:00+00:00", {"route": "route_v1"}, "m")
    entry.created.append("articles/a.md")
    entry.add(kb.root, [kb.articles / "a.md", kb.raw / "n.txt", kb.used / "n.txt"])
    entry.add(kb.root, [kb.articles / "a.md"])
    journal.save(kb, entry)

    assert journal.load(kb) == entry
    assert entry.paths == ["articles/a.md", "inbox/raw/n.txt", "inbox/used/n.txt"]
    journal.clear(kb)
    assert journal.load(kb) is None
    journal.clear(kb)


def test_paths_outside_the_kb_are_never_taken_from_a_journal(kb: KnowledgeBase) -> None:
    data = {"time": "t", "paths": ["articles/a.md", "../outside.md", "/etc/passwd", ""]}
    journal.journal_path(kb).write_text(json.dumps(data), encoding="utf-8")
    loaded = journal.load(kb)
    assert loaded is not None and loaded.paths == ["articles/a.md"]


def test_a_damaged_journal_is_no_journal(kb: KnowledgeBase) -> None:
    journal.journal_path(kb).write_text('{"time": "t", "paths": [', encoding="utf-8")
    assert journal.load(kb) is None
    journal.journal_path(kb).write_text('{"unknown": 1}', encoding="utf-8")
    assert journal.load(kb) is None
