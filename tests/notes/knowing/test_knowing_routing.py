"""The misses the author met, on a slice of his KB: notes his indexes and words route.

The slice (tests/data/knowing_kb) holds his `articles/_index.md`, the AI Shipping Labs
folder, his ideas folder and other "ideas" articles; `inbox/raw/` holds two of his notes as
they came, before any article cited them:
- "это можно добавить в идеи для AI Shipping Labs, у нас есть такая папка" belongs in
  `articles/ai-shipping-labs/platform-ideas.md`;
- a course advert in his free Friday newsletter belongs in the marketing-and-content article.
The articles are searched as they were before those notes (their paragraphs left out).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from notes.markdown import frontmatter
from notes.markdown.summary import summarize
from notes.retrieval import lexicon, relevance, structure
from notes.retrieval.kbindex import KBIndex
from notes.retrieval.relevance import Candidate, Index
from tests.conftest import DATA

SLICE = DATA / "knowing_kb"
IDEAS_NOTE = "20260407_125254_valeriia_kuka_msg3285_transcript.txt"
ADVERT_NOTE = "20260424_124837_AlexeyDTC_msg3610_transcript.txt"
NEW = {IDEAS_NOTE, ADVERT_NOTE}
MISSED = pytest.mark.parametrize(
    ("note", "target"),
    [
        (IDEAS_NOTE, "articles/ai-shipping-labs/platform-ideas.md"),
        (ADVERT_NOTE, "articles/ai-shipping-labs/marketing-and-content.md"),
    ],
)
"""The two notes he met and the article each belongs in."""


def _articles() -> dict[str, str]:
    return {
        path.relative_to(SLICE).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted((SLICE / "articles").rglob("*.md"))
    }


def _note(name: str) -> str:
    _, text = frontmatter.split((SLICE / "inbox" / "raw" / name).read_text(encoding="utf-8"))
    return text


def _candidates(with_structure: bool) -> tuple[list[Candidate], dict[str, str]]:
    texts = _articles()
    entries = structure.entries({p: t for p, t in texts.items() if p.endswith("/_index.md")})
    found = []
    for path, text in texts.items():
        if not relevance.routable(path, text, listed=entries):
            continue
        searched = relevance.searchable(text, lambda _name: None, lambda n: n not in NEW)
        context = structure.context(path, entries) if with_structure else ""
        found.append(Candidate(summarize(path, text), searched, context))
    return found, {path: entry.section for path, entry in entries.items()}


def _rank(index: Index, candidates: list[Candidate], note: str, target: str) -> int:
    order = index.ranking([_note(note)])
    return [candidates[i].path for i in order].index(target)


@MISSED
def test_his_missed_notes_now_rank_among_the_detailed(note: str, target: str) -> None:
    candidates, sections = _candidates(with_structure=True)
    assert len(candidates) > 25
    index = KBIndex(candidates, lexicon.seeded().expand, sections)
    assert _rank(index, candidates, note, target) < 3


@MISSED
def test_the_plain_word_ranking_puts_them_lower(note: str, target: str) -> None:
    plain, _ = _candidates(with_structure=False)
    assert _rank(Index(plain), plain, note, target) >= 3


def test_the_index_names_a_document_by_section_and_description() -> None:
    entries = structure.entries({"articles/_index.md": _articles()["articles/_index.md"]})
    ideas = entries["articles/ai-shipping-labs/platform-ideas.md"]
    assert ideas.section.endswith("AI Shipping Labs")
    assert "Business case simulator" in ideas.text
    assert "articles/ai-shipping-labs/plans/_plan.md" not in entries  # listed by its own index


def test_a_note_naming_his_folder_brings_its_documents_forward() -> None:
    candidates, sections = _candidates(with_structure=True)
    index = KBIndex(candidates, None, sections)
    named = {candidates[i].path for i in index.named(["добавь в AI Shipping Labs"])}
    assert named and all(path.startswith("articles/ai-shipping-labs/") for path in named)
    assert index.named(["про погоду"]) == []


def test_a_learned_term_joins_his_russian_to_the_articles_english() -> None:
    pairs = [("рассылка по пятницам", "the Friday newsletter")] * 3 + [
        ("курс по агентам", "the agents course")
    ] * 3
    learned = lexicon.learn(pairs)
    assert "newslett" in dict(learned.translations("рассылк"))
    assert learned.expand(["newslett"])["рассылк"] > 0
    assert Path(SLICE).is_dir()


def test_a_long_collecting_document_counts_by_its_best_passage() -> None:
    from notes.markdown.summary import ArticleSummary
    from notes.retrieval.passages import Passages

    items = [f"Tool number {n}: a library for {w} work." for n, w in enumerate("abcdefghij" * 8)]
    items.append("Atomic agents: a small framework for building agents from parts.")
    resources = Candidate(ArticleSummary("articles/resources.md", "Resources"), "\n\n".join(items))
    other = Candidate(
        ArticleSummary("articles/agents.md", "Agents"),
        "Agents and a framework for agents: which agents framework, and why agents.",
    )
    fillers = [
        Candidate(ArticleSummary(f"articles/f{n}.md", f"Pasta {n}"), f"Boil pasta {n} in water.")
        for n in range(20)
    ]
    documents = [resources, other, *fillers]
    note = "atomic agents framework, a student suggested it"
    index = Index(documents)
    whole = index.scores(note)
    best = Passages(documents, index.rarity, index.weights).scores(note)
    assert whole[0] < whole[1] and best[0] > best[1]


def test_the_term_list_is_learned_once_and_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from notes.retrieval import learning

    article = "Free Friday newsletter[^1].\n\n[^1]: [n.md](../inbox/used/n.md)\n"
    read: list[str] = []

    def note_text(name: str) -> str:
        read.append(name)
        return "бесплатная рассылка по пятницам"

    state = tmp_path / ".voicenotes"
    first = learning.load(state, {"articles/a.md": article}, note_text)
    assert read == ["n.md"] and (state / learning.FILE).is_file()
    changed = {"articles/a.md": article + "More.\n"}
    assert learning.load(state, changed, note_text) is first and read == ["n.md"]
    monkeypatch.setattr(learning, "_MEMO", {})
    assert learning.load(state, changed, note_text).terms == first.terms  # from the file
    monkeypatch.setattr(learning, "FRESH_FOR", 0.0)
    monkeypatch.setattr(learning, "_MEMO", {})
    learning.load(state, changed, note_text)
    assert read == ["n.md", "n.md"]  # stale and changed: learned again


def test_a_name_said_in_russian_and_in_another_order_is_a_mention() -> None:
    from notes.markdown.summary import ArticleSummary

    template = Candidate(ArticleSummary("articles/plans/_plan.md", "Plan Template"), "")
    other = Candidate(ArticleSummary("articles/plans/jakob.md", "Jakob"), "")
    index = KBIndex([other, template], lexicon.seeded().expand)
    assert index.named(["идея сделать шаблон для планов участников"]) == [1]
    assert index.named(["шаблон письма, и где-то потом обсудим план"]) == []  # too far apart
