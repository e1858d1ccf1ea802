"""His voice from his posts: the passages closest to a new article's topic, cut cleanly."""

from __future__ import annotations

from pathlib import Path

from notes.drafting import voiceexamples
from notes.drafting.messages import Source


def test_a_long_passage_is_cut_at_a_sentence() -> None:
    text = "One sentence here. " * 300
    cut = voiceexamples.clip(text, 100)
    assert cut.endswith("here.") and len(cut) <= 100
    assert voiceexamples.clip("First.\n\nSecond paragraph.", 12) == "First."


def test_his_closest_post_comes_first(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# Caching\n\n" + "Redis caches hot keys well. " * 10)
    (tmp_path / "b.md").write_text("# Hiking\n\n" + "Mountains need good boots. " * 10)
    examples = voiceexamples.Examples.load(tmp_path)
    found = examples.passages("Caching", [Source("S1", "n.txt", text="кэш в Redis")])
    assert [name for name, _ in found] == ["a.md", "b.md"]
    assert sum(len(text) for _, text in found) <= voiceexamples.LIMIT
