"""The writer never receives a note larger than the budget: a huge link note is cut where a
paragraph ends, and the rest is named, in the prompt of a real pass."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from notes.drafting import run_pass
from notes.drafting.answers import ROUTE, WRITE
from notes.drafting.batching import PendingNote
from notes.drafting.messages import source_block, sources_of
from notes.drafting.notebudget import NOTE_CHARS, within_budget
from notes.intake import formats
from notes.intake.origin import Origin
from notes.kb import KnowledgeBase
from notes.llm.client import LLMClient
from notes.settings import Settings
from tests.support.openai_server import OpenAIServer, answer, settings_for

pytestmark = pytest.mark.timeout(120)
WHEN = datetime(2026, 2, 4, 10, 23, 39, tzinfo=UTC)


def huge_page(sections: int = 400) -> str:
    """About 700 KB of Markdown: sections of paragraphs, each with a code block."""
    parts = []
    for number in range(sections):
        parts.append(f"## Part {number}")
        parts.append(f"Paragraph {number} explains the step in detail. " * 40)
        parts.append(f"```\nrun step {number}\nthen check it\n```")
    return "\n\n".join(parts)


def test_a_note_within_the_budget_is_sent_whole() -> None:
    text = "A short page.\n\n```\ncode\n```"
    assert within_budget(text) == text


def test_a_long_note_is_cut_at_a_paragraph_and_the_rest_is_named() -> None:
    text = huge_page()
    shown = within_budget(text)

    assert len(shown) <= NOTE_CHARS
    kept, rest = shown.rsplit("\n\n", 1)
    assert text.startswith(kept)
    assert text[len(kept) : len(kept) + 2] == "\n\n"  # cut where a paragraph ends
    assert kept.count("```") % 2 == 0  # never inside a code block
    left = len(text) - len(kept)
    assert rest.startswith(f"[Not shown: the rest of this note, {left:,} characters (")
    assert '"Part ' in rest and "more.]" in rest


def test_a_cut_inside_one_long_code_block_closes_it() -> None:
    text = "Intro.\n\n```\n" + "x = 1\n" * 20_000 + "```\n\nAfter."
    shown = within_budget(text)
    assert len(shown) <= NOTE_CHARS
    kept, rest = shown.rsplit("\n\n", 1)
    assert kept.endswith("\n```") and kept.count("```") == 2
    assert rest.startswith("[Not shown: the rest of this note,")


def test_sources_never_carry_more_than_the_budget() -> None:
    note = PendingNote("20260204_102339_me_msg1_link.md", WHEN, huge_page(), kind="link")
    [source] = sources_of([note])
    assert len(source.text) <= NOTE_CHARS
    assert len(source_block(source)) < NOTE_CHARS + 500


def test_a_pass_never_sends_a_huge_note_whole(
    server: OpenAIServer, kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-global-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    sender = Origin("telegram", WHEN, 822266080, "AlexeyDTC", message_id=1)
    name = "20260204_102339_AlexeyDTC_msg1_link.md"
    page = huge_page()
    note = formats.link_note(
        sender,
        "https://example.org/huge",
        title="Huge",
        site="example.org",
        fetched=WHEN,
        markdown=page,
        kind="article",
    )
    (kb.raw / name).write_text(note, encoding="utf-8")
    assert len(note) > 700_000
    decision = {
        "sources": ["S1"],
        "action": "create",
        "article": None,
        "title": "Steps",
        "tags": [],
        "folder": "",
        "reason": "a long page",
    }
    server.on(ROUTE, answer({"decisions": [decision]}))
    server.on(
        WRITE,
        answer(
            {
                "title": "Steps",
                "tags": [],
                "description": "The steps.",
                "body": "The page lists the steps[^S1].\n",
                "figures": [],
            }
        ),
    )
    settings: Settings = settings_for(server, kb.root)
    with LLMClient.from_settings(settings, timeout=5.0, max_retries=0) as client:
        report = run_pass(settings, client=client)

    assert report.filed == [name]
    biggest = max(len(json.dumps(request.body, ensure_ascii=False)) for request in server.requests)
    assert biggest < NOTE_CHARS + 20_000, f"a request of {biggest:,} characters"
    [write] = server.requests_for(WRITE)
    assert "[Not shown: the rest of this note, " in write.user
    assert "## Part 0" in write.user
