"""Revision requests drafted: a pass applies the model's edits to the article they name.

The real `openai` client against the local scripted server, real files and git.
"""

from __future__ import annotations

import argparse
import subprocess
from datetime import date

import pytest

from notes.drafting import run_pass
from notes.drafting.answers import REVISE, ROUTE, UPDATE
from notes.drafting.revise_command import run_revise
from notes.intake import formats, inbox, message_edits
from notes.intake.origin import Origin
from notes.kb import KnowledgeBase, glossary, runlog
from notes.settings import Settings
from notes.upkeep import check
from tests.support.openai_server import OpenAIServer, answer
from tests.support.revising import (
    ARTICLE,
    CORRECTION,
    TITLE,
    WHEN,
    edit,
    git_init,
    rag_article,
    request_note,
    revised,
)

pytestmark = [pytest.mark.timeout(120), pytest.mark.usefixtures("no_user_git_config")]


def lines_other_than(text: str, *changed: str) -> list[str]:
    return [
        line
        for line in text.splitlines()
        if line not in changed and not line.startswith("updated:")
    ]


def git(kb: KnowledgeBase, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=kb.root, check=True, capture_output=True, text=True
    ).stdout


def assert_checks(kb: KnowledgeBase) -> None:
    report = check.check_kb(kb)
    assert report.errors == [], report.errors


def test_a_reply_naming_the_article_revises_it_and_the_correction_leaves_no_trace(
    server: OpenAIServer, kb: KnowledgeBase, settings: Settings
) -> None:
    before = rag_article(kb)
    git_init(kb)
    name = request_note(kb, 1, "это Mladen, не Ladden, исправь")
    server.on(REVISE, revised(CORRECTION))

    report = run_pass(settings)

    after = (kb.root / ARTICLE).read_text(encoding="utf-8")
    assert "Mladen Petrov built the first retriever[^1].\n" in after
    assert "Ladden" not in after and name not in after and "correct" not in after.lower()
    assert lines_other_than(after, CORRECTION["text"]) == lines_other_than(
        before, CORRECTION["anchor"]
    )
    assert f"updated: {date.today().isoformat()}\n" in after
    assert server.requests_for(ROUTE) == []  # routed with certainty: the model is not asked
    [asked] = server.requests_for(REVISE)
    assert "это Mladen, не Ladden" in asked.user and "Ladden Petrov built" in asked.user
    assert "No bold and no italic" in asked.system  # his style rules, as in write and update
    assert glossary.pending(kb) == [glossary.Proposal("Mladen", "Ladden", ARTICLE)]
    assert (kb.used / "feedback" / name).is_file() and not (kb.raw / name).exists()
    assert [r.path for r in report.revised] == [ARTICLE] and report.feedback == [name]
    assert "-Ladden Petrov built the first retriever[^1].\n" in report.revised[0].diff
    assert "+Mladen Petrov built the first retriever[^1].\n" in report.revised[0].diff
    message = git(kb, "log", "-1", "--format=%B")
    assert f'Revise {ARTICLE} "{TITLE}" as asked in {name}' in message
    assert f"File {name} as feedback" in message
    record = runlog.last_run(kb)
    assert record is not None and record.updated == [ARTICLE] and name in record.filed
    assert record.decisions[0]["action"] == "revise" and record.decisions[0]["notes"] == [name]
    assert git(kb, "status", "--porcelain", "--", "articles", "inbox") == ""
    assert_checks(kb)


def test_a_spoken_request_is_routed_as_revise_and_an_invalid_anchor_is_asked_again(
    server: OpenAIServer, kb: KnowledgeBase, settings: Settings
) -> None:
    rag_article(kb)
    name = "20260302_090002_AlexeyDTC_msg902_transcript.txt"
    (kb.raw / name).write_text(  # a voice note, as the bot files it
        "---\nsource: telegram_voice\ndate: 2026-03-02T09:00:02+00:00\nuser_id: 822266080\n"
        "username: AlexeyDTC\naudio_file: 20260302_090002_AlexeyDTC_msg902.ogg\n---\n\n"
        "В статье про RAG раздел Evaluation поставь первым.",
        encoding="utf-8",
    )
    server.on(
        ROUTE,
        answer(
            {
                "decisions": [
                    {
                        "sources": ["S1"],
                        "action": "revise",
                        "article": ARTICLE,
                        "title": None,
                        "tags": [],
                        "folder": None,
                        "reason": "reorder",
                    }
                ]
            }
        ),
    )
    moved = edit(
        "move_before",
        "## Evaluation\n\nEvaluate retrieval with hit rate[^2].\n",
        target="Ladden Petrov built the first retriever[^1].",
    )
    server.on(
        REVISE,
        revised(edit("delete", "No such line."), summary="x"),
        revised(moved, summary="Evaluation first."),
    )

    report = run_pass(settings)

    after = (kb.root / ARTICLE).read_text(encoding="utf-8")
    assert after.index("## Evaluation") < after.index("Ladden Petrov")
    assert len(server.requests_for(REVISE)) == 2
    assert "No such line." in server.requests_for(REVISE)[1].user or any(
        "No such line" in str(m) for m in server.requests_for(REVISE)[1].messages
    )
    assert report.rejected and report.rejected[0].startswith(f"{REVISE} attempt 1:")
    assert report.feedback == [name] and report.revised[0].summary == "Evaluation first."
    assert_checks(kb)


def test_a_request_that_brings_material_is_cited_for_it(
    server: OpenAIServer, kb: KnowledgeBase, settings: Settings
) -> None:
    rag_article(kb)
    name = request_note(kb, 3, "добавь после Evaluation: ещё MRR полезен")
    added = edit("insert_after", "Evaluate retrieval with hit rate[^2].", "MRR helps too[^S1].")
    server.on(REVISE, revised(added, summary="Added MRR."))

    report = run_pass(settings)

    after = (kb.root / ARTICLE).read_text(encoding="utf-8")
    assert "Evaluate retrieval with hit rate[^2].\nMRR helps too[^3].\n" in after
    assert after.endswith(f"[^3]: [{name}](../inbox/used/{name})\n")
    assert (kb.used / name).is_file() and report.feedback == []
    assert_checks(kb)


def test_a_link_sent_about_the_article_is_cited_and_the_words_asking_are_feedback(
    server: OpenAIServer, kb: KnowledgeBase, settings: Settings
) -> None:
    """A reply with a link files two requests: his words (S1) and the page (S2)."""
    rag_article(kb)
    asking = request_note(kb, 4, "добавь отсюда про MRR https://example.org/mrr")
    link = asking.removesuffix(".md") + "_link.md"
    origin = Origin("telegram", WHEN, 822266080, "AlexeyDTC")
    page = formats.link_note(
        origin,
        "https://example.org/mrr",
        title="MRR",
        site="example.org",
        fetched=WHEN,
        markdown="MRR rewards a relevant document ranked first.",
        extra=[("article", ARTICLE)],
    )
    inbox.file_note(kb, link, page)
    added = edit("insert_after", "Evaluate retrieval with hit rate[^2].", "MRR helps too[^S2].")
    server.on(REVISE, revised(added, summary="Added MRR."))

    report = run_pass(settings)

    [asked] = server.requests_for(REVISE)
    assert "MRR rewards a relevant document" in asked.user and "добавь отсюда" in asked.user
    after = (kb.root / ARTICLE).read_text(encoding="utf-8")
    assert after.endswith(f"[^3]: [{link}](../inbox/used/{link})\n")
    assert report.feedback == [asking] and (kb.used / "feedback" / asking).is_file()
    assert (kb.used / link).is_file()
    assert_checks(kb)


def test_a_telegram_edit_after_drafting_replaces_what_was_drafted(
    server: OpenAIServer, kb: KnowledgeBase, settings: Settings
) -> None:
    text = rag_article(kb)
    stem = "20260301_100000_AlexeyDTC_msg42"
    drafted = request_note(kb, 4, "Ladden Petrov built the first retriever", article=None)
    (kb.raw / drafted).rename(kb.used / f"{stem}.md")
    cited = text.split("[^1]: [")[1].split("]")[0]
    (kb.root / ARTICLE).write_text(text.replace(cited, f"{stem}.md"), encoding="utf-8")
    sender = Origin("telegram", WHEN, 1, "tester", message_id=42, chat_id=1)
    follow_up = message_edits.apply_edit(
        kb, stem, "Mladen Petrov built the first retriever", sender
    )
    assert follow_up.action == "follow_up"
    assert f"\narticle: {ARTICLE}\n" in follow_up.path.read_text(encoding="utf-8")
    server.on(REVISE, revised(CORRECTION))

    report = run_pass(settings)

    assert [r.path for r in report.revised] == [ARTICLE]
    [asked] = server.requests_for(REVISE)
    assert "Before the edit it read:\n\nLadden Petrov built the first retriever" in asked.user
    assert "Mladen Petrov" in (kb.root / ARTICLE).read_text(encoding="utf-8")
    assert server.requests_for(ROUTE) == [] and server.requests_for(UPDATE) == []
    assert_checks(kb)


def test_voicenotes_revise_files_the_request_and_revises(
    server: OpenAIServer, kb: KnowledgeBase, settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    before = rag_article(kb)
    server.on(REVISE, revised(CORRECTION), revised(CORRECTION))
    args = argparse.Namespace(article="rag-notes", notes=["it is Mladen, not Ladden"], dry_run=True)

    assert run_revise(args, settings) == 0
    shown = capsys.readouterr().out
    assert "-Ladden Petrov built" in shown and "+Mladen Petrov built" in shown
    assert (kb.root / ARTICLE).read_text(encoding="utf-8") == before and list(
        kb.raw.iterdir()
    ) == []

    args.dry_run = False
    assert run_revise(args, settings) == 0
    assert "Mladen Petrov" in (kb.root / ARTICLE).read_text(encoding="utf-8")
    [request] = list((kb.used / "feedback").iterdir())
    assert f"\narticle: {ARTICLE}\n" in request.read_text(encoding="utf-8")
    assert_checks(kb)

    args.article = "articles/none.md"
    assert run_revise(args, settings) == 2
    assert "no article articles/none.md" in capsys.readouterr().err


def test_a_move_to_a_new_article_carries_its_footnotes(
    server: OpenAIServer, kb: KnowledgeBase, settings: Settings
) -> None:
    before = rag_article(kb)
    second = before.split("[^2]: [")[1].split("]")[0]
    git_init(kb)
    name = request_note(kb, 5, "вынеси оценку в отдельную статью")
    new = "articles/rag/evaluation.md"
    passage = "## Evaluation\n\nEvaluate retrieval with hit rate[^2]."
    server.on(REVISE, revised(edit("move_after", passage, article=new), summary="Moved out."))

    report = run_pass(settings)

    source = (kb.root / ARTICLE).read_text(encoding="utf-8")
    moved = (kb.root / new).read_text(encoding="utf-8")
    assert "Evaluation" not in source and "[^2]" not in source and second not in source
    assert "Ladden Petrov built the first retriever[^1].\n" in source
    assert moved.startswith('---\ntitle: "Evaluation"\n') and "\n# Evaluation\n" in moved
    assert "Evaluate retrieval with hit rate[^1].\n" in moved
    assert f"[^1]: [{second}](../../inbox/used/{second})\n" in moved
    assert {r.path for r in report.revised} == {ARTICLE, new} and report.feedback == [name]
    assert f"Revision-Of: {new}" in git(kb, "log", "-1", "--format=%B")
    assert_checks(kb)
