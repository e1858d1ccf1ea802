"""Choosing and ranking the documents the routing prompt shows."""

from __future__ import annotations

from datetime import date, timedelta

from notes.retrieval.relevance import (
    Candidate,
    Index,
    cited_notes,
    is_meta,
    routable,
    searchable,
    shortlist,
    stems,
)
from tests.support.candidates import candidate
from tests.support.paths import TESTS_DIR

DATA = TESTS_DIR / "data" / "routing-kb"
EXASOL = "articles/exasol-workshop-infrastructure.md"
QUERY = "Про RAG и evaluation: как строить pipeline для ingestion в knowledge base."


def filler(number: int, updated: date) -> Candidate:
    return candidate(
        path=f"articles/misc/topic-{number}.md",
        title=f"Gardening note {number}",
        description=f"Tomatoes, soil and watering schedule number {number}.",
        tags=("garden",),
        updated=updated.isoformat(),
        text="Полив томатов по утрам, мульча и компост.",
    )


RAG = candidate(
    path="articles/ml/rag-evaluation.md",
    title="Evaluating RAG pipelines",
    description="How I evaluate retrieval for a knowledge base.",
    tags=("rag", "evals"),
    updated="2025-01-01",
)


def size(article: Candidate, detailed: bool) -> int:
    return 100 if detailed else 10


def test_stems_are_snowball_stems_of_both_languages() -> None:
    assert stems("The engineering engineers и инженеры инженерами это RAG 2026") == [
        "engin",
        "engin",
        "инженер",
        "инженер",
        "rag",
    ]


def test_a_russian_note_finds_the_article_through_the_russian_notes_it_cites() -> None:
    """The title is English; the note shares no word with it, only with the cited notes."""
    text = (DATA / EXASOL).read_text(encoding="utf-8")
    notes = DATA / "inbox" / "used"
    body = searchable(text, lambda name: (notes / name).read_text(encoding="utf-8"))
    article = candidate(EXASOL, "Exasol Workshop Infrastructure", "", (), "2026-03-01", body)
    others = [filler(n, date(2026, 1, 1)) for n in range(50)]
    cited = cited_notes(text)
    assert cited and all((notes / name).is_file() for name in cited)
    note = (notes / cited[0]).read_text(encoding="utf-8").split("---", 2)[2]
    ranking = Index([*others, article]).ranking([note])
    assert ranking[0] == 50


def test_a_replayed_article_leaves_out_what_later_notes_brought() -> None:
    text = (DATA / EXASOL).read_text(encoding="utf-8")
    cited = cited_notes(text)
    whole = searchable(text, lambda name: f"NOTE {name}")
    early = searchable(text, lambda name: f"NOTE {name}", known={cited[0]}.__contains__)
    assert all(f"NOTE {name}" in whole for name in cited)
    assert f"NOTE {cited[0]}" in early and f"NOTE {cited[-1]}" not in early
    assert len(early) < len(whole)
    assert "[^1]: [" not in whole


def test_each_note_of_a_batch_brings_its_own_article_forward() -> None:
    garden = [filler(n, date(2026, 1, 1)) for n in range(30)]
    ranking = Index([*garden, RAG]).ranking(["Томаты и полив " * 20, "RAG evals"])
    assert 30 in ranking[:2]


def test_the_shortlist_shows_the_best_in_detail_then_titles_while_they_fit() -> None:
    old = date(2024, 1, 1)
    articles = [filler(n, old) for n in range(1000)] + [RAG]
    chosen = shortlist(articles, [QUERY], room=3_000, size=size, detailed=5, recent=2)
    assert chosen.detailed[0] == RAG
    assert len(chosen.detailed) == 7
    assert len(chosen.listed) == (3_000 - 7 * 100) // 10
    assert len({c.path for c in chosen.shown}) == len(chosen.shown)


def test_a_small_kb_is_shown_whole() -> None:
    articles = [filler(n, date(2026, 1, 1)) for n in range(40)] + [RAG]
    chosen = shortlist(articles, [QUERY], room=32_000, size=size)
    assert sorted(c.path for c in chosen.shown) == sorted(c.path for c in articles)


def test_the_most_recent_articles_are_shown_even_without_shared_words() -> None:
    base = date(2024, 1, 1)
    articles = [filler(n, base + timedelta(days=n)) for n in range(200)] + [RAG]
    chosen = shortlist(articles, [QUERY], room=0, size=size, detailed=1, recent=2)
    assert chosen.detailed == [RAG, articles[199], articles[198]]
    assert chosen.listed == []


def test_rare_shared_words_weigh_more_than_common_ones() -> None:
    common = [
        candidate(f"articles/ai-{n}.md", f"AI note {n}", "about ai", (), "2026-01-01")
        for n in range(20)
    ]
    rare = candidate("articles/agents.md", "AI agents", "function calling for agents", (), "")
    scores = Index([*common, rare]).scores("AI agents and function calling")
    assert scores[-1] > max(scores[:-1]) > 0


def test_meta_documents_are_never_routable() -> None:
    fed = "# Weekly\n\nDid things[^1].\n\n[^1]: [n.md](../inbox/used/n_transcript.txt)\n"
    assert is_meta("articles/_index.md") and is_meta("articles/research/_index.md")
    assert is_meta("articles/_meta/style.md")
    assert not routable("articles/_meta/style.md", fed)
    assert not routable("articles/_index.md", fed)
    assert routable("articles/_weekly-log.md", fed)
    assert not routable("articles/_notes-to-self.md", "# Only my own text\n")
    assert routable("articles/ml/rag.md", "# Anything\n")
    assert not routable("articles/_weekly-log.md", fed, known=lambda name: False)
    assert routable("articles/_weekly-log.md", fed, known={"n_transcript.txt"}.__contains__)


def test_the_real_plan_template_is_fed_and_the_real_folder_index_is_not() -> None:
    plan = "articles/ai-shipping-labs/plans/_plan.md"
    index = "articles/research/_index.md"
    assert routable(plan, (DATA / plan).read_text(encoding="utf-8"))
    assert not routable(index, (DATA / index).read_text(encoding="utf-8"))


def test_the_words_he_wrote_outweigh_the_words_of_the_address() -> None:
    plans = [
        candidate(f"articles/plans/plan-{n}.md", f"Plan {n}", "a plan with files", (), "")
        for n in range(3)
    ]
    resources = candidate("articles/resources.md", "Resources", "tools and links", (), "")
    index = Index([*plans, resources])
    note = "https://github.com/someone/planning-with-files resources"
    weights = index.weights(note)
    assert weights["resourc"] == 1.0 and weights["plan"] == weights["file"] < 1.0
    scores = index.scores(note)
    assert scores[-1] > max(scores[:-1]) > 0
    assert index.weights("planning with files")["plan"] == 1.0
