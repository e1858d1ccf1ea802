"""Revision requests as notes: the bot's map of messages naming articles, replies, edits,
routing by the model."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from notes.drafting import routing
from notes.drafting.answers import RouteAnswer
from notes.intake import inbox, transcripts
from notes.intake import message_edits as edits
from notes.intake.origin import Origin
from notes.intake.transcripts import Note, NoteHeader
from notes.kb import KnowledgeBase, articlemap, atomic
from notes.kb.articlemap import Named
from tests.support.revising import reply_to
from tests.support.telegram_server import (
    OWNER,
    FakeBotAPI,
    SentMessage,
    bot_running,
    bot_settings,
    text_message,
)
from transcribe.engine import WhisperEngine

ARTICLE = "articles/rag.md"
STEM = "20261130_100000_alexey_msg5"


def article(kb: KnowledgeBase, path: str, title: str, body: str = "Text.\n") -> Path:
    target = kb.root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(
        f'---\ntitle: "{title}"\ncreated: 2026-03-01\nupdated: 2026-03-01\ntags: []\n'
        f"status: draft\n---\n\n# {title}\n\n{body}"
    )
    return target


# --- the map ----------------------------------------------------------------------------


def test_the_map_remembers_which_articles_a_message_names(kb: KnowledgeBase) -> None:
    articlemap.remember(kb, 7, 100, [Named(ARTICLE, "RAG")])
    articlemap.remember(kb, 7, 101, [Named(ARTICLE, "RAG"), Named("articles/b.md", "Evals")])
    articlemap.remember(kb, 7, 102, [])

    assert articlemap.named_by(kb, 7, 100) == [Named(ARTICLE, "RAG")]
    assert articlemap.named_by(kb, 8, 100) == []  # another chat's message 100
    assert articlemap.named_by(kb, 7, 102) == []
    two = articlemap.named_by(kb, 7, 101)
    assert articlemap.pick(two, None) is None
    assert articlemap.pick(two, "the Evals one") == "articles/b.md"
    assert articlemap.pick(two, "RAG and Evals") is None
    assert articlemap.pick(articlemap.named_by(kb, 7, 100), None) == ARTICLE


def test_the_map_keeps_the_newest_and_a_damaged_one_counts_as_empty(
    kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(articlemap, "KEEP", 3)
    for number in range(5):
        articlemap.remember(kb, 1, number, [Named(f"articles/{number}.md")])
    stored = json.loads((kb.state / articlemap.MAP_NAME).read_text())
    assert list(stored) == ["1:2", "1:3", "1:4"]
    (kb.state / articlemap.MAP_NAME).write_text("{not json")
    assert articlemap.named_by(kb, 1, 4) == []
    articlemap.remember(kb, 1, 9, [Named(ARTICLE)])
    assert articlemap.named_by(kb, 1, 9) == [Named(ARTICLE)]


# --- replies in Telegram ----------------------------------------------------------------


def sent(api: FakeBotAPI, count: int) -> list[SentMessage]:
    found = api.sent_to(OWNER.id)
    return found if len(found) >= count else []


def note_text(kb: KnowledgeBase, message_id: int) -> str:
    (path,) = kb.raw.glob(f"*_msg{message_id}.md")
    return path.read_text(encoding="utf-8")


def test_a_reply_to_the_articles_list_is_a_request_for_the_article_it_names(
    kb: KnowledgeBase, api: FakeBotAPI, engine: WhisperEngine
) -> None:
    article(kb, ARTICLE, "RAG")
    article(kb, "articles/evals.md", "Evals")
    api.queue(text_message(OWNER, 1, "/articles"))
    with bot_running(bot_settings(kb.root, api), engine):
        (listing,) = api.wait_for(lambda: sent(api, 1), what="the list")
        api.queue(reply_to(text_message(OWNER, 2, "это Mladen, не Ladden"), listing, "Evals"))
        api.queue(reply_to(text_message(OWNER, 3, "и тут"), listing))  # which one? the model says
        api.queue(text_message(OWNER, 4, "просто заметка"))
        api.wait_for(lambda: sent(api, 4), what="three notes filed")

    expected = "\narticle: articles/evals.md\nfiled_by: voicenotes\n---\n\nэто Mladen, не Ladden"
    assert expected in note_text(kb, 2)
    assert "article:" not in note_text(kb, 3)
    plain = note_text(kb, 4)
    header = NoteHeader("telegram", transcripts.parse(plain).header.date, OWNER.id, "AlexeyDTC")
    assert plain == transcripts.render(transcripts.as_filed(Note(header, "просто заметка")))


# --- edits of drafted messages ------------------------------------------------------------


def test_an_edit_of_a_drafted_message_asks_to_revise_the_article_citing_it(
    kb: KnowledgeBase,
) -> None:
    when = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
    header = NoteHeader("telegram", when, 1, "alexey")
    atomic.write_text(kb.used / f"{STEM}.md", transcripts.render(Note(header, "Ladden")))
    article(
        kb,
        ARTICLE,
        "RAG",
        f"Ladden said[^1].\n\n## Sources\n\n[^1]: [{STEM}.md](../inbox/used/{STEM}.md)\n",
    )
    article(kb, "articles/other.md", "Other")
    sender = Origin("telegram", when, 1, "alexey", message_id=5, chat_id=1)

    edit = edits.apply_edit(kb, STEM, "Mladen", sender)

    text = edit.path.read_text(encoding="utf-8")
    assert f"\nedit_of: {STEM}.md\narticle: {ARTICLE}\nfiled_by: voicenotes\n---\n" in text
    assert edits.citing_articles(kb, f"{STEM}.md") == [ARTICLE]


def test_a_note_filed_as_feedback_is_found_where_it_went(kb: KnowledgeBase) -> None:
    when = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
    note = Note(NoteHeader("telegram", when, 1, "alexey", extra={"article": ARTICLE}), "fix it")
    inbox.file_note(kb, f"{STEM}.md", note)
    moved = inbox.move_to_used(kb, f"{STEM}.md", inbox.FEEDBACK)
    assert moved[-1] == kb.used / "feedback" / f"{STEM}.md"
    assert inbox.note_path(kb, f"{STEM}.md") == moved[-1]
    with pytest.raises(inbox.AlreadyFiled):
        inbox.ensure_new(kb, f"{STEM}.md")


# --- routing ------------------------------------------------------------------------------


def decision(sources: list[str], action: str, article: str | None) -> dict[str, Any]:
    return {
        "sources": sources,
        "action": action,
        "article": article,
        "title": None,
        "tags": [],
        "folder": None,
        "reason": "asked",
    }


def test_the_router_may_decide_revise_for_an_existing_article() -> None:
    answer = RouteAnswer.model_validate(
        {"decisions": [decision(["S1"], "revise", ARTICLE), decision(["S2"], "revise", ARTICLE)]}
    )
    plan = routing.plan(answer, ["S1", "S2"], {ARTICLE})
    assert plan.revises == [routing.Revise(ARTICLE, ("S1", "S2"), "asked")]
    assert not plan.updates and not plan.creates

    bad = RouteAnswer.model_validate(
        {
            "decisions": [
                decision(["S1"], "revise", "articles/none.md"),
                decision(["S2"], "revise", None),
            ]
        }
    )
    with pytest.raises(routing.RouteError) as error:
        routing.plan(bad, ["S1", "S2"], {ARTICLE})
    assert error.value.problems == [
        "decision 1 (revise): there is no article 'articles/none.md'",
        "decision 2 (revise) names no article",
    ]
    joined = routing.combine([routing.plan(answer, ["S1", "S2"], {ARTICLE})] * 2)
    assert joined.revises == [routing.Revise(ARTICLE, ("S1", "S2", "S1", "S2"), "asked")]


def test_a_voice_reply_to_the_articles_list_records_the_article_in_its_transcript(
    kb: KnowledgeBase, api: FakeBotAPI, engine: WhisperEngine
) -> None:
    from tests.conftest import SPEECH_OGG
    from tests.support.telegram_server import voice_message

    article(kb, ARTICLE, "RAG")
    api.queue(text_message(OWNER, 1, "/articles"))
    with bot_running(bot_settings(kb.root, api), engine):
        (listing,) = api.wait_for(lambda: sent(api, 1), what="the list")
        voice = voice_message(OWNER, 2, api.add_file(SPEECH_OGG.read_bytes()))
        api.queue(reply_to(voice, listing))
        api.wait_for(lambda: list(kb.raw.glob("*_msg2_transcript.txt")), what="the transcript")

    (path,) = kb.raw.glob("*_msg2_transcript.txt")
    head = path.read_text(encoding="utf-8").split("\n---\n")[0]
    assert head.endswith(f"\nmodel: {engine.model_id}\narticle: {ARTICLE}\nfiled_by: voicenotes")
