"""The messages sent to the model."""

from __future__ import annotations

from datetime import UTC, datetime

from notes.drafting.batching import PendingNote
from notes.drafting.messages import (
    Source,
    article_block,
    retry_message,
    route_messages,
    source_block,
    sources_of,
    update_messages,
    write_messages,
)
from notes.llm import prompts
from notes.markdown.summary import ArticleSummary
from transcribe.base import Segment

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


def test_a_timed_note_shows_its_range_and_marks_and_a_long_one_comes_in_parts() -> None:
    segments = tuple(Segment(n * 20.0, n * 20.0 + 15, f"фраза номер {n}.") for n in range(8))
    note = PendingNote(
        "20260301_093000_me_msg9_transcript.txt",
        datetime(2026, 3, 1, 9, 30, tzinfo=UTC),
        " ".join(s.text for s in segments),
        "20260301_093000_me_msg9.ogg",
        160.0,
        segments,
    )
    [whole] = sources_of([note])
    assert source_block(whole) == (
        '<source id="S1" name="20260301_093000_me_msg9_transcript.txt" '
        'date="2026-03-01T09:30:00+00:00" time="0:00-2:40">[0:00] фраза номер 0. фраза номер 1. '
        "фраза номер 2. [1:00] фраза номер 3. фраза номер 4. фраза номер 5. [2:00] фраза номер 6. "
        "фраза номер 7.</source>"
    )
    first, second = sources_of([note], part_chars=80)
    assert (first.id, first.start, first.end, first.audio) == ("S1", 0.0, 97.5, note.audio_file)
    assert (second.id, second.start, second.end) == ("S2", 97.5, 160.0)
    assert second.text.startswith("[1:40] фраза номер 5.")


def test_a_forwarded_note_of_any_kind_says_whose_words_they_are() -> None:
    origin = {
        "forwarded_from": 'Juan "JP"',
        "forwarded_from_kind": "user",
        "forwarded_date": datetime(2026, 2, 4, 9, 23, 39, tzinfo=UTC),
        "forwarded_chat_id": 4242,
    }
    voice = PendingNote(
        "20260204_102339_AlexeyDTC_msg900_transcript.txt",
        datetime(2026, 2, 4, 10, 23, 39, tzinfo=UTC),
        "Привет.",
        meta=origin,
    )
    link = PendingNote(
        "20260204_102339_AlexeyDTC_msg901_link.md",
        datetime(2026, 2, 4, 10, 23, 39, tzinfo=UTC),
        "Page.",
        kind="link",
        meta=origin | {"url": "https://a.org/"},
    )
    shown, page = (source_block(s) for s in sources_of([voice, link]))
    who = (
        'forwarded_from="Juan &quot;JP&quot;" forwarded_from_kind="user" '
        'forwarded_date="2026-02-04T09:23:39+00:00">'
    )
    assert shown.endswith(f'date="2026-02-04T10:23:39+00:00" {who}Привет.</source>')
    assert f'kind="link" url="https://a.org/" {who}Page.</source>' in page
    assert "4242" not in shown
