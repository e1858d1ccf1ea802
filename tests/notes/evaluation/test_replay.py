"""Replaying a real KB slice's history: batches, truth, articles as they were."""

from __future__ import annotations

from notes.evaluation import history
from notes.evaluation.replay import steps, synthesize
from notes.markdown import citations
from tests.support.paths import TESTS_DIR

DATA = TESTS_DIR / "data" / "routing-kb"
EXASOL = "articles/exasol-workshop-infrastructure.md"


def test_the_slice_replays_with_the_authors_decisions() -> None:
    kb = history.load(DATA)
    assert kb.source == "filings.jsonl"
    replayed = list(steps(kb))
    expected = [e for step in replayed for case in step.cases for e in case.expected.values()]
    updates = [e for e in expected if e]
    assert len(updates) == 42
    assert any(EXASOL in e for e in updates)
    first = replayed[0]
    assert first.candidates == [] and all(e in (None, frozenset()) for e in expected[:1])


def test_candidates_are_the_articles_as_they_were_before_the_run() -> None:
    kb = history.load(DATA)
    texts = {}
    for step in steps(kb):
        for candidate in step.candidates:
            texts.setdefault(candidate.path, []).append(candidate.text)
        filed = [note.text[:60] for case in step.cases for note in case.notes]
        for candidate in step.candidates:
            assert not any(text in candidate.text for text in filed)
    exasol = texts[EXASOL]
    assert len(exasol[0]) < len(exasol[-1])
    assert "articles/research/_index.md" not in texts


def test_synthetic_articles_extend_the_kb_without_its_paths() -> None:
    kb = history.load(DATA)
    made = synthesize(kb, 30)
    assert len(made) == 30 and all(path.startswith("articles/synthetic/") for path in made)
    assert made == synthesize(kb, 30)
    last = list(steps(kb, scale=30))[-1]
    assert len(last.candidates) == 30 and last.real == 7


def test_synthetic_articles_define_only_the_footnotes_their_paragraphs_cite() -> None:
    made = synthesize(history.load(DATA), 30)
    cited = [text for text in made.values() if citations.scan(text).references]
    assert len(cited) > 10
    for path, text in made.items():
        unused = [p.message for p in citations.problems(text) if "never used" in p.message]
        assert unused == [], path
