"""The messages sent to the model."""

from __future__ import annotations

from notes.drafting import prompts
from notes.drafting.messages import (
    Source,
    article_block,
    retry_message,
    route_messages,
    source_block,
    update_messages,
    write_messages,
)
from notes.summary import ArticleSummary

S1 = Source(
    "S1",
    "20260204_102339_AlexeyDTC_msg900_transcript.txt",
    "2026-02-04T10:23:39+00:00",
    "Про позицию AI-инженера.\n",
)
S2 = Source(
    "S2",
    "20260204_103000_AlexeyDTC_msg901_text.txt",
    "2026-02-04T10:30:00+00:00",
    'A "quoted" note with </source> inside & more',
)
ARTICLE = ArticleSummary("articles/ai.md", 'The "AI" <role>', "One line.", ("ai",), "2026-02-08")


def test_a_source_block_is_exactly_the_contract_format() -> None:
    assert source_block(S1) == (
        '<source id="S1" name="20260204_102339_AlexeyDTC_msg900_transcript.txt" '
        'date="2026-02-04T10:23:39+00:00">Про позицию AI-инженера.</source>'
    )
    block = source_block(S2)
    assert block.count("</source>") == 1
    assert "&lt;/source> inside & more</source>" in block


def test_an_article_block_is_exactly_the_contract_format_and_bounded() -> None:
    assert article_block(ARTICLE) == (
        '<article path="articles/ai.md" title="The &quot;AI&quot; &lt;role&gt;" '
        'updated="2026-02-08">One line.</article>'
    )
    long = ArticleSummary("articles/x.md", "t" * 500, "d " * 500, (), "")
    assert len(article_block(long)) < 400


def test_route_messages_show_articles_then_sources_under_the_route_prompt() -> None:
    system, user = route_messages(prompts.load("route"), "German", [S1, S2], [ARTICLE])
    assert system.role == "system" and user.role == "user"
    assert "German" in system.content and "$language" not in system.content
    assert article_block(ARTICLE) in user.content
    assert source_block(S1) in user.content and source_block(S2) in user.content
    assert user.content.index("<article") < user.content.index("<source")
    empty = route_messages(prompts.load("route"), "English", [S1], [])[1].content
    assert "(no articles yet)" in empty


def test_write_messages_name_the_ids_to_cite() -> None:
    system, user = write_messages(prompts.load("write"), "English", "AI Roles", ["ai"], [S1, S2])
    assert "in English" in system.content
    assert user.content.startswith("Working title: AI Roles\nTags: ai\nCite: S1, S2\n\n")
    assert user.content.endswith(source_block(S2))


def test_update_messages_show_the_article_its_sections_and_new_sources() -> None:
    _, user = update_messages(
        prompts.load("update"),
        "English",
        "articles/ai.md",
        "AI",
        "# AI\n\nText[^E1].\n",
        ["Context", "Skills"],
        [S1],
    )
    assert user.content.startswith(
        '<article path="articles/ai.md" title="AI">\n# AI\n\nText[^E1].\n</article>'
    )
    assert "Sections you may add to:\n- Context\n- Skills" in user.content
    assert "(cite each: S1)" in user.content
    assert "../inbox" not in user.content


def test_a_retry_lists_every_problem() -> None:
    message = retry_message(["first problem", "second problem"])
    assert message.role == "user"
    assert "- first problem\n- second problem\n" in message.content
