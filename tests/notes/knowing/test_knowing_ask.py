"""`voicenotes ask`: answers cited like articles, nothing found, invented sources rejected.

Against the local OpenAI-compatible server (tests/support/openai_server.py), on a small KB
laid out like the author's (an `_index.md` section, a folder, Russian notes, a timed note).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from notes.drafting.answers import ASK
from notes.intake import timeline
from notes.kb import KnowledgeBase
from notes.knowing import answer, questions
from notes.upkeep import check
from tests.support.kbfiles import article_text
from tests.support.openai_server import (
    OpenAIServer,
    Request,
    openai_server,
    settings_for,
)
from tests.support.openai_server import (
    answer as chat_answer,
)
from transcribe.base import Segment

__all__ = ["openai_server"]

IDEAS_NOTE = "20260407_125254_valeriia_kuka_msg3285_transcript.txt"
TIMED_NOTE = "20260226_113315_AlexeyDTC_msg2512_transcript.txt"
TIMED_TEXT = (
    "хочу статью про фичи для сайта. "
    "Но хочется собирать идеи куда-то, например тренажер бизнес кейсов для платформы."
)


def _note(kb: KnowledgeBase, name: str, text: str, audio: str | None = None) -> None:
    extra = f"audio_file: {audio}\nduration: 30\n" if audio else ""
    (kb.used / name).write_text(
        f"---\nsource: telegram_voice\ndate: 2026-02-26T11:33:15+00:00\n{extra}---\n\n{text}\n",
        encoding="utf-8",
    )


@pytest.fixture
def kb(tmp_path: Path) -> KnowledgeBase:
    kb = KnowledgeBase(tmp_path).ensure()
    folder = kb.articles / "ai-shipping-labs"
    folder.mkdir()
    _note(
        kb,
        IDEAS_NOTE,
        "это можно добавить в идеи для AI Shipping Labs, у нас есть такая папка: связка "
        "между страницами сайта, коллекция tools и концептов.",
    )
    audio = TIMED_NOTE.removesuffix("_transcript.txt") + ".ogg"
    _note(kb, TIMED_NOTE, TIMED_TEXT, audio)
    (kb.inbox / "audio").mkdir(exist_ok=True)
    (kb.inbox / "audio" / audio).write_bytes(b"OggS")
    half = TIMED_TEXT.index("Но ")
    timeline.write(
        kb.used,
        TIMED_NOTE,
        [Segment(0.0, 12.0, TIMED_TEXT[:half]), Segment(12.0, 30.0, TIMED_TEXT[half:])],
    )
    body = (
        "Ideas for the platform: a business case simulator[^1], cross-linking tools and "
        "concepts between the pages of the site[^2]."
    )
    sources = {"1": TIMED_NOTE, "2": IDEAS_NOTE}
    (folder / "platform-ideas.md").write_text(
        article_text("Platform Ideas", body, sources, depth=1), encoding="utf-8"
    )
    (kb.articles / "cooking.md").write_text(
        article_text("Pasta", "Boil the water, then the pasta.", {}), encoding="utf-8"
    )
    (kb.articles / "_index.md").write_text(
        "# Articles Index\n\n## AI Shipping Labs\n\n| Title | Description |\n|---|---|\n"
        "| [Platform Ideas](ai-shipping-labs/platform-ideas.md) | simulator, tools |\n",
        encoding="utf-8",
    )
    return kb


def _ids(request: Request) -> dict[str, str]:
    """Note name -> its first source id in the ask prompt; article path -> its id."""
    pairs = re.findall(r'<(?:source|article) id="([AS]\d+)" (?:name|path)="([^"]+)"', request.user)
    return {name: id_ for id_, name in pairs}


def test_an_answer_cites_articles_and_a_timed_note_to_the_second(
    kb: KnowledgeBase, openai_server: OpenAIServer
) -> None:
    def reply(request: Request) -> object:
        ids = _ids(request)
        article = ids["articles/ai-shipping-labs/platform-ideas.md"]
        timed = re.search(rf'<source id="(S\d+)" name="{TIMED_NOTE}"[^>]*time="', request.user)
        assert timed is not None
        text = (
            f"Yes: the platform ideas article collects them[^{article}], and on 26 February you "
            f"said you want to gather ideas somewhere[^{timed.group(1)}@0:13-0:20]."
        )
        return chat_answer({"found": True, "answer": text})

    openai_server.on(ASK, reply)
    settings = settings_for(openai_server, kb.root)
    origin = "articles/_answer.md"
    found = questions.ask(kb, settings, "ideas for the platform", origin=origin)
    assert not found.failed, found.text
    assert "[^1]" in found.text and "[^2]" in found.text
    assert "[^1]: [Platform Ideas](ai-shipping-labs/platform-ideas.md)" in found.text
    assert "#t=13,20)" in found.text and "at 0:13–0:20" in found.text
    (kb.root / origin).write_text(found.text + "\n", encoding="utf-8")
    report = check.check_kb(kb)
    assert [str(e) for e in report.errors] == []


def test_a_russian_question_finds_the_english_article(
    kb: KnowledgeBase, openai_server: OpenAIServer
) -> None:
    openai_server.on(ASK, lambda r: chat_answer({"found": True, "answer": "Yes[^A1]."}))
    settings = settings_for(openai_server, kb.root)
    found = questions.ask(kb, settings, "идеи для платформы AI Shipping Labs")
    assert found.articles[0].path == "articles/ai-shipping-labs/platform-ideas.md"
    assert found.text.startswith("Yes[^1].")


def test_an_unrelated_question_finds_nothing_and_asks_no_model(
    kb: KnowledgeBase, openai_server: OpenAIServer
) -> None:
    settings = settings_for(openai_server, kb.root)
    found = questions.ask(kb, settings, "how do I fix the brakes of a bicycle")
    assert found.text == answer.NOTHING_FOUND
    assert openai_server.requests_for(ASK) == []


def test_an_invented_citation_is_rejected_and_asked_again(
    kb: KnowledgeBase, openai_server: OpenAIServer
) -> None:
    invented = chat_answer({"found": True, "answer": "You wrote it in [^A7] and [^S42]."})
    good = chat_answer({"found": True, "answer": "In the platform ideas[^A1]."})
    openai_server.on(ASK, invented, good)
    settings = settings_for(openai_server, kb.root)
    found = questions.ask(kb, settings, "platform ideas simulator")
    assert found.text.startswith("In the platform ideas[^1].")
    retry = openai_server.requests_for(ASK)[1].user
    assert "[^A7] is not a document shown" in retry and "[^S42]" in retry


def test_an_answer_that_keeps_inventing_is_no_answer(
    kb: KnowledgeBase, openai_server: OpenAIServer
) -> None:
    invented = chat_answer({"found": True, "answer": "See [^A9]."})
    openai_server.on(ASK, invented, invented, invented)
    settings = settings_for(openai_server, kb.root)
    found = questions.ask(kb, settings, "platform ideas simulator")
    assert found.failed and "[^" not in found.text.split(":", 1)[0]
    assert "A9" in found.text


def test_the_model_saying_nothing_is_about_it_is_nothing_found(
    kb: KnowledgeBase, openai_server: OpenAIServer
) -> None:
    openai_server.on(ASK, chat_answer({"found": False, "answer": ""}))
    settings = settings_for(openai_server, kb.root)
    found = questions.ask(kb, settings, "platform ideas simulator")
    assert found.text == answer.NOTHING_FOUND


def test_links_and_definitions_of_its_own_are_rejected() -> None:
    from notes.drafting.answers import AskAnswer

    shown = [answer.ArticleSource("A1", "articles/x.md", "X", "")]
    with pytest.raises(answer.AnswerRejected) as raised:
        answer.build(
            AskAnswer(found=True, answer="See [^A1] and [x](https://x.example).\n\n[^A1]: x"),
            shown,
            [],
            "ANSWER.md",
        )
    assert len(raised.value.problems) == 2
