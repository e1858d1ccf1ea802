"""Candidate recall on the replay of a real KB slice."""

from __future__ import annotations

from notes.drafting import routeprompt
from notes.evaluation import history, recall
from tests.support.paths import TESTS_DIR

DATA = TESTS_DIR / "data" / "routing-kb"


def test_every_note_is_shown_its_article_in_the_slice() -> None:
    found = recall.measure(history.load(DATA))
    assert (found.notes, found.found, found.misses) == (42, 42, [])
    assert 0 < found.prompt_size(0.5) <= found.prompt_size(1.0) <= routeprompt.BUDGET
    assert found.as_dict()["recall"] == 1.0


def test_a_tight_budget_shows_fewer_articles_and_can_miss() -> None:
    kb = history.load(DATA)
    roomy = recall.measure(kb, scale=40)
    tight = recall.measure(kb, scale=40, budget=0)
    assert max(tight.shown) < max(roomy.shown)
    assert tight.recall <= roomy.recall
    assert all(miss.expected for miss in tight.misses)
