"""The most recently updated articles, from their front matter."""

from __future__ import annotations

import shutil
from pathlib import Path

from notes.kb import KnowledgeBase
from notes.markdown.summary import ArticleSummary
from notes.upkeep.recent import recent_articles
from tests.conftest import EXAMPLES


def article(kb: KnowledgeBase, relative: str, front: str) -> None:
    path = kb.articles / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{front}\n---\n\n# Heading\n\nBody.\n", encoding="utf-8")


def test_newest_first_limited_and_only_articles(kb: KnowledgeBase) -> None:
    shutil.copy(EXAMPLES / "articles" / "ai-engineer-my-vision.md", kb.articles)
    article(kb, "ai/rag.md", 'title: "RAG"\nupdated: 2026-03-01\nstatus: published')
    article(kb, "evals.md", 'title: "Evals"\nupdated: 2026-02-20')
    article(kb, "_index.md", 'title: "Index"\nupdated: 2027-01-01')
    article(kb, "untitled.md", "updated: not a date")
    (kb.articles / "no-front-matter.md").write_text("# Just text\n")

    entries = recent_articles(kb, limit=3)

    assert entries == [
        ArticleSummary("articles/ai/rag.md", "RAG", updated="2026-03-01", status="published"),
        ArticleSummary("articles/evals.md", "Evals", updated="2026-02-20"),
        ArticleSummary(
            "articles/ai-engineer-my-vision.md",
            "AI Engineer My Vision",
            tags=("ai-engineering", "roles", "career"),
            updated="2026-02-08",
            status="draft",
        ),
    ]
    assert [e.title for e in recent_articles(kb)][-1] == "untitled"


def test_no_articles_folder_means_no_entries(tmp_path: Path) -> None:
    assert recent_articles(KnowledgeBase(tmp_path)) == []
