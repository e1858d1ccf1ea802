"""Article files built from the model's answers and checked before they are written."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import pytest

from notes.drafting.answers import Insertion, UpdateAnswer, WriteAnswer
from notes.drafting.compose import (
    DraftError,
    definition,
    file_problems,
    new_article,
    updated_article,
)
from notes.drafting.messages import Source
from notes.markdown import articles, citations, frontmatter
from notes.markdown.document import ArticleDoc
from tests.conftest import EXAMPLES

TODAY = date(2026, 3, 1)
ARTICLE_PATH = "articles/ai-engineer-my-vision.md"
A = Source("S1", "20260217_082807_AlexeyDTC_msg1859_transcript.txt")
B = Source("S2", "20260208_114623_AlexeyDTC_msg1188_text.txt")
EXAMPLE = (EXAMPLES / "articles/ai-engineer-my-vision.md").read_text(encoding="utf-8")
MORE = Insertion(section=None, heading="More", markdown="More[^S1].")


def write_answer(body: str, **fields: object) -> WriteAnswer:
    values: dict[str, object] = {
        "title": "AI Roles",
        "tags": ["AI", "roles"],
        "description": "What the role is.\n",
        "body": body,
        "figures": [],
    }
    values.update(fields)
    return WriteAnswer.model_validate(values)


def written(
    path: str,
    answer: WriteAnswer,
    sources: Sequence[Source],
    *,
    title: str = "T",
    tags: Sequence[str] = (),
    **more: Any,
) -> str:
    """`new_article` as of TODAY; `more` passes `placed` and `exists` on."""
    return new_article(path, answer, sources, title=title, tags=tags, today=TODAY, **more)


def updated(
    original: str,
    *insertions: Insertion,
    sources: Sequence[Source] = (A,),
    tags: Sequence[str] = (),
    description: str = "d",
) -> str:
    """`updated_article` of `original` (at ARTICLE_PATH) as of TODAY, making `insertions`."""
    answer = UpdateAnswer(
        figures=[], tags=list(tags), description=description, insertions=list(insertions)
    )
    return updated_article(ArticleDoc(ARTICLE_PATH, original), answer, sources, today=TODAY)


def test_a_new_article_has_the_example_format() -> None:
    text = written(
        "articles/ai-roles.md",
        write_answer("Intro[^S2].\n\n## Part\n\nClaim[^S1] and[^S2].\n"),
        [A, B],
        title="Working title",
        tags=["career"],
    )
    assert text == (
        "---\n"
        'title: "AI Roles"\n'
        "created: 2026-03-01\n"
        "updated: 2026-03-01\n"
        "tags: [career, ai, roles]\n"
        "status: draft\n"
        "---\n\n"
        "# AI Roles\n\n"
        "Intro[^1].\n\n## Part\n\nClaim[^2] and[^1].\n\n"
        "## Sources\n\n"
        f"[^1]: [{B.name}](../inbox/used/{B.name})\n"
        f"[^2]: [{A.name}](../inbox/used/{A.name})\n"
    )
    assert articles.render_article(articles.parse_article(text)) == text


def front_matter_keys(text: str) -> list[str]:
    return list(frontmatter.load(frontmatter.split(text)[0]))


def test_a_new_article_s_front_matter_has_exactly_the_example_s_keys_in_order() -> None:
    answer = write_answer("Claim[^S1].", description="A long description\nover two lines.")
    text = written("articles/x.md", answer, [A], tags=["x"])
    assert front_matter_keys(EXAMPLE) == ["title", "created", "updated", "tags", "status"]
    assert front_matter_keys(text) == front_matter_keys(EXAMPLE)
    assert "description" not in text


def test_an_article_in_a_subfolder_links_one_level_deeper() -> None:
    text = written("articles/career/ai.md", write_answer("Claim[^S1]."), [A])
    assert f"[^1]: [{A.name}](../../inbox/used/{A.name})" in text
    assert definition("articles/a/b/x.md", A.name) == f"[{A.name}](../../../inbox/used/{A.name})"


def test_a_leading_title_line_is_dropped() -> None:
    text = written("articles/x.md", write_answer("# AI Roles\n\nClaim[^S1]."), [A])
    assert text.count("# AI Roles") == 1


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("Claim[^S1] and[^S9].", "the body cites unknown source [^S9]"),
        ("Claim[^S1] and[^1].", "the body cites unknown source [^1]"),
        ("Claim only[^S2].", f"source S1 ({A.name}) is not cited"),
        ("Claim[^S1][^S2].\n\n[^S1]: mine", "the body defines footnotes"),
        ("Claim[^S1][^S2].\n\n## Sources\n\n- x", "the body has a Sources section"),
        ("   ", "the body is empty"),
    ],
)
def test_a_new_article_that_breaks_a_rule_is_refused(body: str, problem: str) -> None:
    with pytest.raises(DraftError) as caught:
        written("articles/x.md", write_answer(body), [A, B])
    assert any(found.startswith(problem) for found in caught.value.problems), caught.value


def hand_edited() -> str:
    return (
        EXAMPLE.replace(
            "## Key Differentiators\n",
            "## Key Differentiators\n\nMy own hand-written line, *edited*[^2].\n",
        )
        .replace(
            "tags: [ai-engineering, roles, career]",
            "tags: [ai-engineering, roles, career]\nstatus_note: reviewed by me",
        )
        .replace("status: draft", "status: reviewed")
    )


def test_an_update_only_adds_lines_and_sets_the_updated_date() -> None:
    original = hand_edited()
    assert ArticleDoc(ARTICLE_PATH, original).view.labels == {"2": "E1", "1": "E2", "3": "E3"}
    insertion = Insertion(
        section="Key Differentiators", heading=None, markdown="- Data skills transfer[^S1][^E1]"
    )
    text = updated(
        original, insertion, tags=["data-engineering", "roles"], description="Whole article."
    )
    definition_line = f"[^4]: [{A.name}](../inbox/used/{A.name})\n"
    assert text == original.replace("updated: 2026-02-08", "updated: 2026-03-01").replace(
        "than traditional ML\n", "than traditional ML\n\n- Data skills transfer[^4][^2]\n"
    ).replace("msg902_transcript.txt)\n", "msg902_transcript.txt)\n" + definition_line)
    meta = articles.parse_article(text).meta
    assert (meta.status, meta.tags) == ("reviewed", ["ai-engineering", "roles", "career"])
    assert "Whole article" not in text


def test_an_update_keeps_extra_keys_where_the_author_put_them() -> None:
    original = EXAMPLE.replace(
        'title: "AI Engineer My Vision"\n',
        'title: "AI Engineer My Vision"\nperson: Anonymous (April 2026)\npersona: Priya\n',
    ).replace("status: draft", "status: complete")
    text = updated(original, MORE, tags=["new"])
    head = original.replace("updated: 2026-02-08", "updated: 2026-03-01").partition("\n# ")[0]
    assert text.startswith(head + "\n# ")
    assert front_matter_keys(text)[:3] == ["title", "person", "persona"]


def test_file_problems_refuse_an_update_that_changes_the_front_matter() -> None:
    original = hand_edited()
    changed = original.replace("status: reviewed", "status: draft")
    day = date(2026, 2, 8)
    kept = {"before": original, "kept_front_matter": original}
    assert file_problems("articles/x.md", changed, set(), today=day, **kept) == [
        "front matter: changed beyond the updated date"
    ]
    assert file_problems("articles/x.md", original, set(), today=day, **kept) == []


def test_an_update_that_would_lose_an_old_citation_is_refused() -> None:
    fenced = Insertion(section="Context", heading=None, markdown="New claim[^S1].\n\n```\nlog")
    with pytest.raises(DraftError) as caught:
        updated(hand_edited(), fenced)
    assert any("was lost" in problem for problem in caught.value.problems), caught.value


def test_an_update_must_cite_every_new_source() -> None:
    only_a = Insertion(section=None, heading="More", markdown="Only A[^S1].")
    with pytest.raises(DraftError, match=f"source S2 \\({B.name}\\) is not cited"):
        updated(hand_edited(), only_a, sources=[A, B])


def test_an_update_keeps_the_author_s_own_description_key_untouched() -> None:
    original = hand_edited().replace(
        "status: reviewed", "status: reviewed\ndescription: 'Mine: how I see it'"
    )
    text = updated(original, MORE, description="The model's line.")
    assert "\nstatus: reviewed\ndescription: 'Mine: how I see it'\n---\n" in text
    assert front_matter_keys(text) == front_matter_keys(original)
    assert "The model's line" not in text


def test_file_problems_catch_links_that_do_not_resolve_and_bad_front_matter() -> None:
    good = written("articles/x.md", write_answer("Claim[^S1]."), [A])
    assert file_problems("articles/x.md", good, {A.name}, today=TODAY) == []
    problems = file_problems("articles/sub/x.md", good, {A.name}, today=TODAY)
    assert problems == [f"the link to {A.name} does not resolve (../inbox/used/{A.name})"]
    assert file_problems("articles/x.md", good, {B.name}, today=TODAY) == [f"no link to {B.name}"]
    stale = good.replace("status: draft", "status: final").replace(
        "updated: 2026-03-01", "updated: 2026-03-02"
    )
    assert file_problems("articles/x.md", stale, {A.name}, today=TODAY) == [
        "front matter: updated is 2026-03-02, not today (2026-03-01)",
        "front matter: status is 'final', not 'draft'",
    ]
    unused = good.replace("Claim[^1].", "Claim.")
    assert file_problems("articles/x.md", unused, {A.name}, today=TODAY) == [
        "footnotes: footnote [^] is defined but never used"
    ]


LONG = "20260301_093000_me_msg9_transcript.txt"
EARLY = Source(
    "S1", LONG, text="[0:06] ...", start=0.0, end=95.0, audio="20260301_093000_me_msg9.ogg"
)
LATE = Source("S2", LONG, text="[1:40] ...", start=95.0, end=181.0, audio=EARLY.audio)


def test_a_moment_cited_becomes_its_range_and_a_link_to_the_audio_at_that_time() -> None:
    text = written(
        "articles/ml/long.md",
        write_answer("Early[^S1@0:06-0:18].\n\nLate[^S2@1:40-1:52] and again[^S2].\n"),
        [EARLY, LATE],
    )
    assert text.endswith(
        "## Sources\n\n"
        f"[^1]: [{LONG}](../../inbox/used/{LONG}) at 0:06\u20130:18, "
        "[audio](../../inbox/audio/20260301_093000_me_msg9.ogg#t=6,18)\n"
        f"[^2]: [{LONG}](../../inbox/used/{LONG}) at 1:40\u20131:52, "
        "[audio](../../inbox/audio/20260301_093000_me_msg9.ogg#t=100,112)\n"
        f"[^3]: [{LONG}](../../inbox/used/{LONG})\n"
    )
    assert citations.problems(text) == []


@pytest.mark.parametrize(
    ("label", "problem"),
    [
        ("S2@80:00-81:10", "[^S2@80:00-81:10] is outside the recording of S2 (1:35-3:01)"),
        ("S1@1:10-1:00", "[^S1@1:10-1:00]: the time range ends before it starts"),
        ("S3@0:01-0:02", "the body cites unknown source [^S3@0:01-0:02]"),
    ],
)
def test_a_moment_outside_its_source_is_rejected_like_an_unknown_source(
    label: str, problem: str
) -> None:
    with pytest.raises(DraftError) as raised:
        written(
            "articles/long.md",
            write_answer(f"Early[^S1]. Late[^S2]. Invented[^{label}].\n"),
            [EARLY, LATE],
        )
    assert any(p.startswith(problem) for p in raised.value.problems), raised.value.problems


def test_a_moment_of_an_untimed_source_is_rejected() -> None:
    with pytest.raises(DraftError) as raised:
        written("articles/x.md", write_answer("Claim[^S1@0:01-0:05].\n"), [A])
    assert raised.value.problems == ["[^S1@0:01-0:05]: S1 has no times; cite it as [^S1]"]


def test_an_update_cites_moments_beside_the_existing_citations() -> None:
    late = Insertion(section=None, heading="Later", markdown="Said late[^S2@1:40-1:52].\n")
    early = Insertion(section=None, heading="Earlier", markdown="Said early[^S1].\n")
    text = updated(EXAMPLE, late, early, sources=[EARLY, LATE], description="")
    assert f"[{LONG}](../inbox/used/{LONG}) at 1:40\u20131:52, [audio](../inbox/audio/" in text
    assert "Said late[^" in text and "[^S" not in text
