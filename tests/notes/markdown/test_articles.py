from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from notes.kb import KnowledgeBase, articlefiles
from notes.markdown import articlemeta, articles, citations, frontmatter, links, merge, parser
from notes.markdown.articles import Article, ArticleFormatError, ArticleMeta
from tests.support.kbfiles import EXAMPLE_ARTICLE
from tests.support.updates import real_articles, simulate

REAL = real_articles()

EXAMPLE = EXAMPLE_ARTICLE.read_text(encoding="utf-8")
SOURCES_AT = EXAMPLE.index("## Sources\n")


def test_example_round_trips_byte_for_byte() -> None:
    assert articles.render_article(articles.parse_article(EXAMPLE)) == EXAMPLE


def test_example_parses_into_its_parts() -> None:
    article = articles.parse_article(EXAMPLE)
    assert article.meta == ArticleMeta(
        title="AI Engineer My Vision",
        created=date(2026, 2, 8),
        updated=date(2026, 2, 8),
        tags=["ai-engineering", "roles", "career"],
        status="draft",
    )
    assert article.heading is None
    assert article.body.startswith("This article describes my personal vision")
    assert article.body.endswith("hires for AI Engineer roles.\n\n")
    assert article.body == EXAMPLE[EXAMPLE.index("This article") : SOURCES_AT]
    assert list(article.footnotes) == ["1", "2", "3"]
    name = "20260208_114623_AlexeyDTC_msg1188_transcript.txt"
    assert article.footnotes["1"] == f"[{name}](../inbox/used/{name})"
    assert article.tail == ""


def _edit(old: str, new: str) -> str:
    assert old in EXAMPLE
    return EXAMPLE.replace(old, new, 1)


VARIANTS = {
    "extra keys kept in order": _edit(
        "status: draft\n",
        "status: published\ndescription: 'One line: what it is'\nreviewed: true\n",
    ),
    "author edited the body": _edit(
        "## Context\n", "## Context\n\nMy own note, added by hand[^2].\n\n<div>raw *html*</div>\n"
    ),
    "a code block that mentions the Sources heading": _edit(
        "## Context\n", "## Context\n\n```markdown\n## Sources\n\n[^9]: not a source\n```\n"
    ),
    "more blank lines before Sources": _edit("roles.\n\n## Sources", "roles.\n\n\n\n## Sources"),
    "text after the definitions": EXAMPLE + "\nSee also the talk slides.\n",
    "a definition over two lines": _edit(
        "msg902_transcript.txt)\n", "msg902_transcript.txt)\n    and a second line.\n"
    ),
    "a heading that differs from the title": _edit(
        "# AI Engineer My Vision\n", "# AI Engineer: My Vision (draft)\n"
    ),
    "an empty body": EXAMPLE[: EXAMPLE.index("This article")] + EXAMPLE[SOURCES_AT:],
    "no Sources section": EXAMPLE[:SOURCES_AT],
    "non-numeric labels": EXAMPLE.replace("[^1]:", "[^intro]:"),
    "a comment above the title": _edit(
        "---\n\n# AI", "---\n\n<!-- index: keep names greppable -->\n\n\n# AI"
    ),
    "a title with quotes and colons": EXAMPLE.replace(
        'title: "AI Engineer My Vision"', 'title: "AI \\"Engineer\\": my vision"'
    ).replace("# AI Engineer My Vision", '# AI "Engineer": my vision'),
}


@pytest.mark.parametrize("text", VARIANTS.values(), ids=VARIANTS.keys())
def test_edited_variants_round_trip(text: str) -> None:
    assert articles.render_article(articles.parse_article(text)) == text


def test_code_block_mentioning_sources_stays_in_the_body() -> None:
    article = articles.parse_article(VARIANTS["a code block that mentions the Sources heading"])
    assert "[^9]: not a source" in article.body
    assert list(article.footnotes) == ["1", "2", "3"]


def test_a_comment_above_the_title_is_kept_as_the_lead() -> None:
    article = articles.parse_article(VARIANTS["a comment above the title"])
    assert article.lead == "\n<!-- index: keep names greppable -->\n\n\n"
    assert article.heading is None
    assert article.body == articles.parse_article(EXAMPLE).body


@pytest.mark.parametrize(
    ("heading", "is_sources"),
    [
        ("## Sources", True),
        ("## sources", True),
        ("## SOURCES ", True),
        ("Sources\n-------", True),
        ("## Source", False),
        ("### Sources", False),
        ("## Sources (mine)", False),
    ],
)
def test_the_sources_heading_has_one_rule_for_the_format_and_for_merges(
    heading: str, is_sources: bool
) -> None:
    text = EXAMPLE.replace("## Sources", heading)
    article = articles.parse_article(text)
    assert bool(article.footnotes) is is_sources
    shown = merge.view(frontmatter.split(text)[1])
    assert (heading.splitlines()[0] in shown.sections or heading.strip("# ") in shown.sections) is (
        not is_sources
    )


def test_with_updated_changes_the_date_and_nothing_else() -> None:
    text = EXAMPLE.replace(
        "updated: 2026-02-08\n", "person: Ann\nupdated: '2026-02-08'  # by hand\n"
    ).replace("status: draft", "status: complete")
    assert articles.with_updated(text, date(2026, 6, 1)) == text.replace(
        "'2026-02-08'", "'2026-06-01'"
    )
    with pytest.raises(ArticleFormatError, match="no updated date"):
        articles.with_updated(EXAMPLE.replace("updated: 2026-02-08\n", ""), date(2026, 6, 1))


@pytest.mark.parametrize("path", REAL, ids=str)
def test_real_articles_parse_and_round_trip_their_parts(path: str) -> None:
    text = REAL[path].read_text(encoding="utf-8")
    article = articles.parse_article(text)
    assert text.endswith(article.body + (text[text.index(article.body) + len(article.body) :]))
    assert article.meta.status in {"draft", "template"}


@pytest.mark.parametrize("path", REAL, ids=str)
def test_real_articles_with_a_non_draft_status_keep_it_through_an_update(path: str) -> None:
    text = (
        REAL[path]
        .read_text(encoding="utf-8")
        .replace("\nstatus: draft\n", "\nstatus: complete\n", 1)
    )
    outcome = simulate(path, text, "section")
    assert outcome.problems == []
    assert outcome.after is not None
    assert articles.parse_article(outcome.after).meta.status in {"complete", "template"}


def test_text_after_definitions_is_the_tail() -> None:
    article = articles.parse_article(VARIANTS["text after the definitions"])
    assert article.tail == "\nSee also the talk slides.\n"
    assert list(article.footnotes) == ["1", "2", "3"]


def test_new_article_renders_in_the_example_format() -> None:
    name = "20260204_102339_AlexeyDTC_msg900_transcript.txt"
    link = articles.relative_link("articles/ai-engineer-my-vision.md", f"inbox/used/{name}")
    article = Article(
        meta=ArticleMeta(
            "AI Engineer My Vision", date(2026, 2, 8), date(2026, 2, 8), ["ai-engineering", "roles"]
        ),
        body="First paragraph[^1].\n\n## Context\n\nMore.",
        footnotes={"1": articles.source_link(name, link)},
    )
    text = articles.render_article(article)
    assert text == (
        '---\ntitle: "AI Engineer My Vision"\ncreated: 2026-02-08\nupdated: 2026-02-08\n'
        "tags: [ai-engineering, roles]\nstatus: draft\n---\n\n# AI Engineer My Vision\n\n"
        "First paragraph[^1].\n\n## Context\n\nMore.\n\n## Sources\n\n"
        f"[^1]: [{name}](../inbox/used/{name})\n"
    )
    again = articles.parse_article(text)
    assert again.meta == article.meta
    assert articles.render_article(again) == text
    assert citations.problems(text) == []


def test_blank_lines_between_definitions_are_normalized_once() -> None:
    spaced = EXAMPLE.replace("transcript.txt)\n[^", "transcript.txt)\n\n[^")
    rendered = articles.render_article(articles.parse_article(spaced))
    assert rendered == EXAMPLE
    assert articles.render_article(articles.parse_article(rendered)) == rendered


@pytest.mark.parametrize(
    "title",
    [
        'He said "hi"',
        "back\\slash",
        "tab\there",
        "колонка: «русский»",
        "x\u2028y\x85z\x9f",
        "# not a comment",
        "'single'",
        "{braces} [brackets], commas",
    ],
)
def test_any_one_line_title_survives_yaml(title: str) -> None:
    meta = ArticleMeta(
        title,
        date(2026, 1, 1),
        date(2026, 1, 2),
        ["a, b", "c++"],
        "draft",
        {"description": "x: y", "count": 3},
    )
    front = articles.render_front_matter(meta)
    assert front.startswith('title: "')
    loaded = frontmatter.load(front)
    assert loaded["title"] == title
    assert ArticleMeta.from_mapping(loaded) == meta


@pytest.mark.parametrize(
    ("text", "reason", "line"),
    [
        ("# Title\n\nNo front matter.\n", "no front matter", 1),
        ("---\ntitle: x\n\n# Title\n", "not closed", 1),
        ('---\ntitle: "x\ncreated: [\n---\n\n# x\n', "not valid YAML", None),
        ('---\ntitle: "x"\ncreated: 2026-01-01\n---\n\n# x\n', "updated is missing", None),
        (
            EXAMPLE.replace("# AI Engineer My Vision\n", "Intro without a heading.\n"),
            "no '# Title' line",
            9,
        ),
        (EXAMPLE.replace("updated: 2026-02-08", "updated: 2026-01-01"), "before created", None),
    ],
)
def test_parse_errors_are_one_line(text: str, reason: str, line: int | None) -> None:
    with pytest.raises(ArticleFormatError) as raised:
        articles.parse_article(text)
    assert reason in str(raised.value)
    assert "\n" not in str(raised.value)
    if line is not None:
        assert raised.value.line == line


def test_yaml_error_points_at_its_line() -> None:
    with pytest.raises(ArticleFormatError) as raised:
        articles.read_front_matter('---\ntitle: "x"\ntags: [a, b\nstatus: draft\n---\n')
    assert raised.value.line is not None and raised.value.line >= 3


@pytest.mark.parametrize(
    ("change", "key", "message"),
    [
        ({"title": ""}, "title", "non-empty"),
        ({"title": 12}, "title", "non-empty"),
        ({"title": "two\nlines"}, "title", "one line"),
        ({"created": "yesterday"}, "created", "YYYY-MM-DD"),
        ({"updated": "2026-02-08T10:00:00"}, "updated", "YYYY-MM-DD"),
        ({"updated": date(2026, 1, 1)}, "updated", "before created"),
        ({"tags": "a, b"}, "tags", "list"),
        ({"tags": ["a", 2024]}, "tags", "list"),
        ({"status": None}, "status", "non-empty"),
    ],
)
def test_meta_problems_name_the_field(change: dict[str, object], key: str, message: str) -> None:
    data = dict(frontmatter.load(frontmatter.split(EXAMPLE)[0]))
    assert articlemeta.meta_problems(data) == []
    data.update(change)
    found = articlemeta.meta_problems(data)
    assert [p.key for p in found] == [key]
    assert message in found[0].message


def test_missing_fields_are_each_reported() -> None:
    found = articlemeta.meta_problems({"title": "x"})
    assert {p.key for p in found} == {"created", "updated", "tags", "status"}


def test_quoted_iso_dates_are_accepted() -> None:
    text = EXAMPLE.replace("created: 2026-02-08", "created: '2026-02-08'")
    assert articles.parse_article(text).meta.created == date(2026, 2, 8)


def test_key_lines_are_file_lines() -> None:
    lines = articlemeta.key_lines(EXAMPLE)
    assert lines == {"title": 2, "created": 3, "updated": 4, "tags": 5, "status": 6}
    assert EXAMPLE.splitlines()[lines["tags"] - 1].startswith("tags:")
    assert articlemeta.key_lines("no front matter") == {}


@pytest.mark.parametrize(
    ("article", "expected"),
    [
        ("articles/x.md", "../inbox/used/N_transcript.txt"),
        ("articles/ai/x.md", "../../inbox/used/N_transcript.txt"),
        ("articles/a/b/x.md", "../../../inbox/used/N_transcript.txt"),
    ],
)
def test_relative_link_climbs_one_level_per_folder(
    kb: KnowledgeBase, article: str, expected: str
) -> None:
    assert articles.relative_link(article, "inbox/used/N_transcript.txt") == expected
    note = kb.used / "N_transcript.txt"
    note.write_text("x", encoding="utf-8")
    (kb.root / article).parent.mkdir(parents=True, exist_ok=True)
    assert ((kb.root / article).parent / expected).resolve() == note.resolve()


def test_source_link_is_a_link_to_that_note() -> None:
    link = articles.source_link("N_transcript.txt", "../inbox/used/N_transcript.txt")
    assert link == "[N_transcript.txt](../inbox/used/N_transcript.txt)"
    odd = "[^4]: " + articles.source_link("a [b].txt", "../inbox/used/a (b) c.txt")
    text = f"x[^4]\n\n{odd}\n"
    assert citations.scan(text).definitions[0].label == "4"
    assert links.scan(parser.parse(text))[0].target == "../inbox/used/a%20(b)%20c.txt"


def test_iter_articles_skips_underscore_and_hidden_files(kb: KnowledgeBase) -> None:
    for rel in [
        "b.md",
        "a.md",
        "sub/c.md",
        "sub/deep/d.md",
        "_index.md",
        "sub/_draft.md",
        ".hidden.md",
        ".git/x.md",
        "notes.txt",
        ".a.md.1234.tmp",
    ]:
        path = kb.articles / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")
    found = [p.relative_to(kb.articles).as_posix() for p in articlefiles.iter_articles(kb)]
    assert found == ["a.md", "b.md", "sub/c.md", "sub/deep/d.md"]


def test_iter_articles_without_folder(tmp_path: Path) -> None:
    assert articlefiles.iter_articles(KnowledgeBase(tmp_path)) == []
