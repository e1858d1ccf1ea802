"""Checking routing decisions: one per source, known ids, real targets, safe paths."""

from __future__ import annotations

from typing import Any

import pytest

from notes.drafting.answers import Decision, RouteAnswer
from notes.drafting.routing import (
    Create,
    RouteError,
    Skip,
    Update,
    combine,
    folder_problem,
    inside_articles,
    new_article_path,
    plan,
    problems_of,
    slugify,
)

SOURCES = ["S1", "S2", "S3"]
ARTICLES = {"articles/ai-engineer.md", "articles/career/interviews.md"}


def decision(sources: list[str], action: str, **fields: Any) -> Decision:
    values: dict[str, Any] = {
        "article": None,
        "title": None,
        "tags": [],
        "folder": None,
        "reason": "why",
    }
    values.update(fields)
    return Decision(sources=sources, action=action, **values)  # type: ignore[arg-type]


def route(*decisions: Decision) -> RouteAnswer:
    return RouteAnswer(decisions=list(decisions))


def test_a_valid_answer_becomes_a_plan() -> None:
    answer = route(
        decision(["S1"], "update", article="articles/ai-engineer.md", reason="same topic"),
        decision(
            ["S2"],
            "create",
            title=" Data Engineers ",
            tags=["Data Eng", "data eng", "x"],
            folder="/career/",
        ),
        decision(["S3"], "skip", reason="a reminder"),
    )
    assert plan(answer, SOURCES, ARTICLES) == plan(answer, SOURCES, ARTICLES)
    result = plan(answer, SOURCES, ARTICLES)
    assert result.updates == [Update("articles/ai-engineer.md", ("S1",), "same topic")]
    assert result.creates == [Create(("S2",), "Data Engineers", ("data-eng", "x"), "career", "why")]
    assert result.skips == [Skip(("S3",), "a reminder")]


def test_two_updates_of_one_article_are_merged() -> None:
    answer = route(
        decision(["S1"], "update", article="articles/ai-engineer.md"),
        decision(["S2", "S3"], "update", article="articles/ai-engineer.md"),
    )
    assert plan(answer, SOURCES, ARTICLES).updates == [
        Update("articles/ai-engineer.md", ("S1", "S2", "S3"), "why")
    ]


def test_new_articles_of_one_title_are_one_article() -> None:
    answer = route(
        decision(["S1"], "create", title="Thinking Out Loud", tags=["voice"], folder="ideas"),
        decision(["S2"], "create", title="Other", reason="apart"),
        decision(["S3"], "create", title=" thinking out loud! ", tags=["notes"], folder="misc"),
    )
    result = plan(answer, SOURCES, ARTICLES)
    assert result.creates == [
        Create(("S1", "S3"), "Thinking Out Loud", ("voice", "notes"), "ideas", "why"),
        Create(("S2",), "Other", (), "", "apart"),
    ]


def test_parts_of_a_note_routed_apart_to_one_new_title_make_one_article() -> None:
    first = plan(
        route(decision(["S1", "S2"], "create", title="Long Talk", tags=["a"])), ["S1", "S2"], ()
    )
    second = plan(
        route(
            decision(["S3"], "create", title="long talk", tags=["b"], reason="rest"),
            decision(["S4"], "update", article="articles/ai-engineer.md"),
        ),
        ["S3", "S4"],
        ARTICLES,
    )
    combined = combine([first, second])
    assert combined.creates == [Create(("S1", "S2", "S3"), "Long Talk", ("a", "b"), "", "why")]
    assert combined.updates == [Update("articles/ai-engineer.md", ("S4",), "why")]


def test_every_source_needs_exactly_one_decision_with_known_ids() -> None:
    answer = route(
        decision(["S1", "S9"], "skip"),
        decision(["S1"], "create", title="T"),
        decision([], "skip"),
    )
    problems = problems_of(answer, SOURCES, ARTICLES)
    assert problems == [
        "decision 1 names unknown source 'S9'",
        "source S1 has two decisions (1 and 2)",
        "decision 3 names no source",
        "no decision for S2, S3: every source needs exactly one",
    ]
    with pytest.raises(RouteError) as caught:
        plan(answer, SOURCES, ARTICLES)
    assert caught.value.problems == problems


@pytest.mark.parametrize(
    ("article", "problem"),
    [
        (None, "names no article"),
        ("articles/missing.md", "there is no article 'articles/missing.md'"),
        ("../README.md", "is not a path inside articles/"),
        ("articles/../README.md", "is not a path inside articles/"),
        ("/etc/passwd", "is not a path inside articles/"),
        ("articles/_index.md", "there is no article 'articles/_index.md'"),
        ("articles/_meta/style.md", "is not a path inside articles/"),
        ("ai-engineer.md", "is not a path inside articles/"),
    ],
)
def test_update_targets_must_be_existing_articles(article: str | None, problem: str) -> None:
    answer = route(decision(SOURCES, "update", article=article))
    [found] = problems_of(answer, SOURCES, ARTICLES)
    assert found.startswith("decision 1 (update)")
    assert problem in found


@pytest.mark.parametrize(
    "folder",
    [
        "../outside",
        "career/../../etc",
        "articles/career",
        "with space",
        "a/b/c/d",
        ".hidden",
        "_drafts",
        "C:\\x",
    ],
)
def test_new_articles_stay_inside_articles_under_safe_folders(folder: str) -> None:
    answer = route(decision(SOURCES, "create", title="T", folder=folder))
    [found] = problems_of(answer, SOURCES, ARTICLES)
    assert found.startswith("decision 1 (create): folder")
    assert folder_problem(folder) is not None


@pytest.mark.parametrize("folder", [None, "", "career", "career/interviews", "ml-ops/llm_2"])
def test_safe_folders(folder: str | None) -> None:
    assert folder_problem(folder) is None


def test_a_new_article_needs_a_title() -> None:
    answer = route(decision(SOURCES, "create", title="  "))
    assert problems_of(answer, SOURCES, ARTICLES) == ["decision 1 (create) has no title"]


def test_inside_articles() -> None:
    assert inside_articles("articles/x.md")
    assert inside_articles("articles/a/b/x.md")
    assert not inside_articles("articles/x.txt")
    assert not inside_articles("articles/./x.md")
    assert not inside_articles("articles\\..\\x.md")
    assert not inside_articles("articles//x.md")
    assert inside_articles("articles/_weekly-log.md")
    assert not inside_articles("articles/_meta/x.md")
    assert not inside_articles("articles/.hidden.md")


def test_slugs_and_paths_of_new_articles() -> None:
    assert slugify("AI Engineer: My Vision") == "ai-engineer-my-vision"
    assert slugify("RAG vs. fine_tuning — 2026!") == "rag-vs-fine-tuning-2026"
    assert slugify("???") == "note"
    assert len(slugify("word " * 40)) <= 60
    taken = {"articles/ai-engineer-my-vision.md", "articles/career/Data-Engineers.md"}
    assert new_article_path("", "AI Engineer My Vision", taken) == (
        "articles/ai-engineer-my-vision-2.md"
    )
    assert new_article_path("career", "Data Engineers", taken) == (
        "articles/career/data-engineers-2.md"
    )
    assert new_article_path("/career/", "Other", taken) == "articles/career/other.md"
