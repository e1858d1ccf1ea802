from __future__ import annotations

from notes.kb import KnowledgeBase


def test_layout(tmp_path):
    kb = KnowledgeBase(tmp_path).ensure()
    assert kb.raw == tmp_path / "inbox" / "raw"
    assert kb.used == tmp_path / "inbox" / "used"
    assert kb.audio == tmp_path / "inbox" / "audio"
    assert kb.articles == tmp_path / "articles"
    assert kb.state == tmp_path / ".voicenotes"
    assert all(p.is_dir() for p in (kb.raw, kb.used, kb.audio, kb.articles, kb.state))
